package jsruntime

import (
	"testing"

	"github.com/dop251/goja"
)

// BenchmarkIsolateTask is the cost of one task on the loop (Do with a tiny
// JS call): the CPU and memory watches, the checkpoint and resetVM.
func BenchmarkIsolateTask(b *testing.B) {
	iso, err := New(Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer iso.Close()
	var fn goja.Callable
	_ = iso.Do(func(rt *goja.Runtime) error {
		v, err := rt.RunString(`(function (x) { return x + 1 })`)
		fn, _ = goja.AssertFunction(v)
		return err
	})
	b.ReportAllocs()
	for b.Loop() {
		_ = iso.Do(func(rt *goja.Runtime) error {
			_, err := fn(goja.Undefined(), rt.ToValue(1))
			return err
		})
	}
}
