package webapi

import (
	"errors"
	"testing"
	"time"

	"github.com/dop251/goja"

	"github.com/emu-dev/emu/jsruntime"
)

// evalAsync runs src on iso's loop and waits for its value to settle, over
// as many loop turns (timers) as it takes, up to a deadline: the value as a
// string, "rejected: Name: message" or "throws: Name: message".
func evalAsync(t testing.TB, iso *jsruntime.Isolate, src string) string {
	t.Helper()
	ch := make(chan string, 1)
	do(t, iso, func(rt *goja.Runtime) error {
		v, err := rt.RunString(src)
		if err != nil {
			var ex *goja.Exception
			if errors.As(err, &ex) {
				ch <- "throws: " + describe(rt, ex.Value())
				return nil
			}
			return err
		}
		jsruntime.Settle(rt, v, func(v goja.Value, err error) {
			if err != nil {
				ch <- "rejected: " + describe(rt, jsruntime.Thrown(err))
				return
			}
			ch <- v.String()
		})
		return nil
	})
	select {
	case s := <-ch:
		return s
	case <-time.After(10 * time.Second):
		t.Fatalf("%s: did not settle", src)
		return ""
	}
}

// runAsyncCases runs each case on its own new isolate with evalAsync, in
// parallel, after streamHelpers.
func runAsyncCases(t *testing.T, cases []jsCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			iso, _ := newIsolate(t)
			if got := evalAsync(t, iso, streamHelpers+tc.src); got != tc.want {
				t.Errorf("%s\n got: %s\nwant: %s", tc.src, got, tc.want)
			}
		})
	}
}

// streamHelpers are functions the stream test cases use:
//
//	collect(stream)  a promise of the chunks of stream, read with a reader
//	bytes(stream)    a promise of the bytes of stream joined, as "1,2,3"
//	fail(p)          a promise of "Name: message" when p rejects, or "ok: value"
//	fails(f)         "Name: message" of what f throws, or "ok: value"
//	ticks(n)         a promise resolved after n macrotasks
//	u8(...b)         a Uint8Array of b
const streamHelpers = `
const collect = async (s) => { const r = s.getReader(); const out = []; for (;;) { const x = await r.read(); if (x.done) return out; out.push(x.value); } };
const bytes = async (s) => (await collect(s)).map((c) => Array.from(c).join()).filter((c) => c !== "").join();
const describeErr = (e) => (e instanceof Error || (e && e.name !== undefined && e.message !== undefined)) ? e.name + ": " + e.message : "value: " + String(e);
const fail = (p) => p.then((v) => "ok: " + v, describeErr);
const fails = (f) => { try { return "ok: " + f(); } catch (e) { return describeErr(e); } };
const ticks = (n) => new Promise((r) => { const step = (k) => (k === 0 ? r() : setTimeout(() => step(k - 1), 0)); step(n); });
const u8 = (...b) => new Uint8Array(b);
const te = new TextEncoder(), td = new TextDecoder();
`
