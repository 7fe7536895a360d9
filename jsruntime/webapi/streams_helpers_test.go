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
// parallel.
func runAsyncCases(t *testing.T, cases []jsCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			iso, _ := newIsolate(t)
			if got := evalAsync(t, iso, tc.src); got != tc.want {
				t.Errorf("%s\n got: %s\nwant: %s", tc.src, got, tc.want)
			}
		})
	}
}
