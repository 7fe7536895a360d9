package jsruntime

import (
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/dop251/goja"
)

// A minimal AsyncLocalStorage on the isolate's async context: run(v, fn)
// makes v current while fn runs; get() reads it.
const alsScript = `
function run(v, fn) {
	const prev = setCtx(v);
	try { return fn(); } finally { setCtx(prev); }
}
function get() { return getCtx(); }
`

func TestAsyncContextFollowsAsyncWork(t *testing.T) {
	t.Parallel()
	iso := newIsolate(t, Options{})
	var mu sync.Mutex
	var lines []string
	done := make(chan struct{})
	err := iso.Do(func(rt *goja.Runtime) error {
		must(rt.Set("getCtx", func(goja.FunctionCall) goja.Value {
			if v := iso.AsyncContext(); v != nil {
				return v
			}
			return goja.Undefined()
		}))
		must(rt.Set("setCtx", func(c goja.FunctionCall) goja.Value {
			prev := iso.SetAsyncContext(c.Argument(0))
			if prev == nil {
				return goja.Undefined()
			}
			return prev
		}))
		must(rt.Set("log", func(s string) {
			mu.Lock()
			lines = append(lines, s)
			mu.Unlock()
			if s == "end" {
				close(done)
			}
		}))
		_, err := rt.RunString(alsScript + `
			const a = run("A", async () => {
				log("sync " + get());
				await null;
				log("await " + get());
				await Promise.resolve().then(() => log("then " + get()));
				await new Promise((r) => queueMicrotask(() => { log("microtask " + get()); r(); }));
				await new Promise((r) => setTimeout(() => {
					log("timeout " + get());
					const nested = new Promise((r2) => run("B", () => setTimeout(() => { log("nested " + get()); r2(); }, 1)));
					const inner = new Promise((r3) => setTimeout(() => { log("inner timeout " + get()); r3(); }, 5));
					Promise.all([nested, inner]).then(r);
				}, 1));
				log("after timer " + get());
			});
			log("outside " + get());
			const c = new Promise((done) => run("C", () => {
				let n = 0;
				const id = setInterval(() => { log("interval " + get()); if (++n === 2) { clearInterval(id); done(); } }, 1);
			}));
			Promise.all([a, c]).then(() => log("end"));
		`)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("timers did not fire")
	}
	// A new task from Go starts in the empty context.
	err = iso.Do(func(rt *goja.Runtime) error {
		v, err := rt.RunString(`String(get())`)
		if err == nil {
			log := v.String()
			mu.Lock()
			lines = append(lines, "new task "+log)
			mu.Unlock()
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	got := strings.Join(lines, "\n")
	mu.Unlock()
	for _, want := range []string{"sync A", "outside undefined", "await A", "then A", "microtask A", "timeout A", "nested B", "inner timeout A", "after timer A", "new task undefined"} {
		if !strings.Contains(got, want) {
			t.Errorf("missing %q in:\n%s", want, got)
		}
	}
	if n := strings.Count(got, "interval C"); n != 2 {
		t.Errorf("interval ran %d times in context C, want 2:\n%s", n, got)
	}
	if !strings.HasPrefix(got, "sync A\noutside undefined\nawait A") {
		t.Errorf("order:\n%s", got)
	}
}
