package jsruntime

import (
	"errors"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/dop251/goja"
)

// TestDeepRecursionIsRangeError: unbounded recursion ends at MaxCallDepth
// with workerd's RangeError text, quickly, and the isolate keeps working;
// recursion through a native (Array.prototype.map) ends the same way
// instead of overflowing the Go stack.
func TestDeepRecursionIsRangeError(t *testing.T) {
	iso, err := New(Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer iso.Close()
	for _, src := range []string{
		`function f() { return f() + 1 } f()`,
		`function g() { return [1].map(g) } g()`,
		`const o = { get x() { return this.x } }; o.x`,
	} {
		start := time.Now()
		err := iso.Do(func(rt *goja.Runtime) error { _, err := rt.RunString(src); return err })
		if !IsStackOverflow(err) || FormatError(err) != "RangeError: Maximum call stack size exceeded" {
			t.Errorf("%s: %v (%q)", src, err, FormatError(err))
		}
		// Plain recursion ends at once. Through a native (map, a getter)
		// goja unwinds one Go panic per frame, which takes seconds.
		if d := time.Since(start); d > 5*time.Second && strings.HasPrefix(src, "function f") {
			t.Errorf("%s took %s", src, d)
		}
		var v goja.Value
		err = iso.Do(func(rt *goja.Runtime) error { v, err = rt.RunString(`ok = 1 + 1`); return err })
		if err != nil || v.ToInteger() != 2 {
			t.Fatalf("after %s: %v %v", src, v, err)
		}
	}
	// Legitimately deep but bounded recursion still works.
	err = iso.Do(func(rt *goja.Runtime) error {
		_, err := rt.RunString(`function d(n) { return n === 0 ? 0 : d(n - 1) + 1 } d(2000)`)
		return err
	})
	if err != nil {
		t.Fatalf("2000 deep: %v", err)
	}
}

// TestAllocationBombHitsMemoryLimit: a string doubled in a loop and an
// array grown without end are interrupted with ErrMemoryLimit once the heap
// passes the limit, and the heap comes back down afterwards.
func TestAllocationBombHitsMemoryLimit(t *testing.T) {
	const limit = 256 << 20
	var logged []string
	iso, err := New(Options{MemoryLimit: limit, LogError: func(s string) { logged = append(logged, s) }})
	if err != nil {
		t.Fatal(err)
	}
	defer iso.Close()
	for _, src := range []string{
		`(() => { let s = "x"; for (;;) s += s; })()`,
		`(() => { const a = []; for (;;) a.push(new ArrayBuffer(8 << 20)); })()`,
	} {
		err := iso.Do(func(rt *goja.Runtime) error { _, err := rt.RunString(src); return err })
		if !IsInterrupt(err) || !errors.Is(InterruptCause(err), ErrMemoryLimit) || FormatError(err) != "Worker exceeded memory limit." {
			t.Fatalf("%s: %v", src, err)
		}
		var v goja.Value
		err = iso.Do(func(rt *goja.Runtime) error { v, err = rt.RunString(`"still " + "here"`); return err })
		if err != nil || v.String() != "still here" {
			t.Fatalf("after %s: %v %v", src, v, err)
		}
		// The interrupted task's values are released once the next task
		// has reset the VM (until then goja's stack may refer to them).
		runtime.GC()
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		if ms.HeapAlloc > limit {
			t.Fatalf("after %s the heap holds %d MiB", src, ms.HeapAlloc>>20)
		}
	}
}

// TestAwaitAfterInterruptedAsync: an async function interrupted by the CPU
// limit (or ended by a stack overflow) leaves goja's call stack unbalanced,
// after which no await resumed again; resetVM repairs it between tasks.
func TestAwaitAfterInterruptedAsync(t *testing.T) {
	iso, err := New(Options{CPULimit: 50 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	defer iso.Close()
	for _, spin := range []string{`for (;;) {}`, `const f = () => f(); f()`} {
		err := iso.Do(func(rt *goja.Runtime) error {
			v, _ := rt.RunString(`(async function () { await null; ` + spin + ` })`)
			fn, _ := goja.AssertFunction(v)
			_, err := fn(goja.Undefined())
			return err
		})
		if !IsInterrupt(err) && !IsStackOverflow(err) {
			t.Fatalf("%q after an await: %v", spin, err)
		}
		// The spin ran after the await, in the job queue; now a new
		// async function must still resume after its await.
		do := func(src string) {
			t.Helper()
			if err := iso.Do(func(rt *goja.Runtime) error { _, err := rt.RunString(src); return err }); err != nil {
				t.Fatalf("%s: %v", src, err)
			}
		}
		do(`globalThis.x = 0; globalThis.p = new Promise((_, r) => { globalThis.rej = r }); (async () => { try { await p } catch { x = 2 } })()`)
		do(`rej(new Error("boom"))`)
		var x int64
		_ = iso.Do(func(rt *goja.Runtime) error { x = rt.Get("x").ToInteger(); return nil })
		if x != 2 {
			t.Fatalf("after %q: the await did not resume (x = %d)", spin, x)
		}
		err = iso.Do(func(rt *goja.Runtime) error {
			v, _ := rt.RunString(`(async function () { ` + spin + ` })`)
			fn, _ := goja.AssertFunction(v)
			_, err := fn(goja.Undefined())
			return err
		})
		if err == nil {
			t.Fatalf("%q in an async function's first part ended without an error", spin)
		}
		do(`globalThis.x = 0; globalThis.p = new Promise((_, r) => { globalThis.rej = r }); (async () => { try { await p } catch { x = 2 } })()`)
		do(`rej(new Error("boom"))`)
		_ = iso.Do(func(rt *goja.Runtime) error { x = rt.Get("x").ToInteger(); return nil })
		if x != 2 {
			t.Fatalf("after %q at an async function's start: the await did not resume (x = %d)", spin, x)
		}
	}
}
