package kv

import (
	"path/filepath"
	"strconv"
	"testing"

	"github.com/dop251/goja"
)

// BenchmarkStore: a put and a get of a 100-byte value on the Store (the Go baseline
// of the binding's cost).
func BenchmarkStore(b *testing.B) {
	st, err := Open(filepath.Join(b.TempDir(), "ns.sqlite"), StoreOptions{})
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	v := make([]byte, 100)
	for i := 0; b.Loop(); i++ {
		k := "k" + strconv.Itoa(i%1000)
		if err := st.Put(k, v, 0, nil); err != nil {
			b.Fatal(err)
		}
		if _, err := st.Get(k); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkBinding: `await KV.put(k, v); await KV.get(k)` from JS, through the
// Store's goroutine and back to the loop.
func BenchmarkBinding(b *testing.B) {
	st, err := Open(filepath.Join(b.TempDir(), "ns.sqlite"), StoreOptions{})
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	iso := newBenchIsolate(b, st)
	defer iso.Close()
	done := make(chan error, 1)
	for i := 0; b.Loop(); i++ {
		err := iso.Do(func(rt *goja.Runtime) error {
			v, err := rt.RunString(`(async () => { const k = "k" + ` + strconv.Itoa(i%1000) + `; await KV.put(k, "x".repeat(100)); return KV.get(k) })()`)
			if err != nil {
				return err
			}
			settle(rt, v, done)
			return nil
		})
		if err != nil {
			b.Fatal(err)
		}
		if err := <-done; err != nil {
			b.Fatal(err)
		}
	}
}
