package jsruntime

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/dop251/goja"
)

func newIsolate(t *testing.T, opts Options) *Isolate {
	t.Helper()
	iso, err := New(opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(iso.Close)
	return iso
}

func ExampleIsolate_Do() {
	iso, err := New(Options{})
	if err != nil {
		panic(err)
	}
	defer iso.Close()
	var answer int64
	_ = iso.Do(func(rt *goja.Runtime) error {
		v, err := rt.RunString(`6 * 7`)
		if err != nil {
			return err
		}
		answer = v.ToInteger()
		return nil
	})
	fmt.Println(answer)
	// Output: 42
}

func TestTimersRunInOrderAndClear(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	var lines []string
	done := make(chan struct{})
	iso := newIsolate(t, Options{})
	err := iso.Do(func(rt *goja.Runtime) error {
		if err := rt.Set("log", func(line string) {
			mu.Lock()
			lines = append(lines, line)
			mu.Unlock()
			if line == "end" {
				close(done)
			}
		}); err != nil {
			return err
		}
		_, err := rt.RunString(`
			setTimeout(() => log("b"), 20);
			setTimeout((x) => log(x), 5, "a");
			const never = setTimeout(() => log("cleared"), 10);
			clearTimeout(never);
			queueMicrotask(() => log("micro"));
			let n = 0;
			const iv = setInterval(() => { if (++n === 3) { clearInterval(iv); log("interval 3"); setTimeout(() => log("end"), 30); } }, 1);
			log("sync");`)
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
	mu.Lock()
	got := strings.Join(lines, ",")
	mu.Unlock()
	if !strings.HasPrefix(got, "sync,micro,") || !strings.Contains(got, "a") || strings.Contains(got, "cleared") || !strings.HasSuffix(got, "end") {
		t.Fatalf("order: %s", got)
	}
	if strings.Index(got, "a") > strings.Index(got, "b") {
		t.Fatalf("5 ms timer after 20 ms timer: %s", got)
	}
}

func TestCPULimitInterruptsSpinningTask(t *testing.T) {
	t.Parallel()
	iso := newIsolate(t, Options{CPULimit: 50 * time.Millisecond})
	err := iso.Do(func(rt *goja.Runtime) error {
		_, err := rt.RunString(`for (;;) {}`)
		return err
	})
	if !IsInterrupt(err) {
		t.Fatalf("err = %v, want the CPU-limit interrupt", err)
	}
	// The isolate keeps working.
	err = iso.Do(func(rt *goja.Runtime) error {
		v, err := rt.RunString(`1 + 1`)
		if err == nil && v.ToInteger() != 2 {
			err = errors.New("wrong answer")
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestIdleHookAndReserve(t *testing.T) {
	t.Parallel()
	iso := newIsolate(t, Options{})
	idle := make(chan struct{}, 10)
	released := make(chan struct{})
	_ = iso.Do(func(rt *goja.Runtime) error {
		iso.OnIdle(func() { idle <- struct{}{} })
		enqueue := iso.Reserve()
		go func() {
			<-released
			enqueue(func(*goja.Runtime) {})
		}()
		return nil
	})
	select {
	case <-idle:
		t.Fatal("idle while a reservation is pending")
	default:
	}
	close(released)
	select {
	case <-idle:
	case <-time.After(5 * time.Second):
		t.Fatal("no idle after the reservation was released")
	}
}

func TestBuildErrorFormat(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	entry := filepath.Join(dir, "index.js")
	if err := os.WriteFile(entry, []byte("export default {\n  fetch() { return new Response(\"x\" }\n};\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := BuildBundle(BundleOptions{Entry: entry})
	var be *BuildError
	if !errors.As(err, &be) {
		t.Fatalf("err = %v", err)
	}
	want := "index.js:2:36: ERROR: Expected \")\" but found \"}\"\n" +
		"    2 |   fetch() { return new Response(\"x\" }\n" +
		"      |                                     ^"
	if be.Error() != want {
		t.Fatalf("got:\n%s\nwant:\n%s", be.Error(), want)
	}
}

func TestBundleRunsAndMapsStacks(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	files := map[string]string{
		"index.js": "import { f } from \"./lib.ts\";\nimport txt from \"./a.txt\";\nimport bin from \"./b.bin\";\nexport const out = () => f() + txt + new Uint8Array(bin)[1];\n",
		"lib.ts":   "export function f(): string {\n  return \"f\";\n}\nexport function boom(): never {\n  throw new Error(\"boom\");\n}\n",
		"a.txt":    "T",
		"b.bin":    "\x00\x07",
	}
	for name, src := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	b, err := BuildBundle(BundleOptions{Entry: filepath.Join(dir, "index.js"), Rules: []ModuleRule{{"Text", []string{"**/*.txt"}}, {"Data", []string{"**/*.bin"}}}})
	if err != nil {
		t.Fatal(err)
	}
	if len(b.Inputs) != 4 {
		t.Errorf("inputs = %v", b.Inputs)
	}
	iso := newIsolate(t, Options{})
	err = iso.Do(func(rt *goja.Runtime) error {
		ns, err := Load(rt, b)
		if err != nil {
			return err
		}
		out, _ := goja.AssertFunction(ns.Get("out"))
		v, err := out(goja.Undefined())
		if err != nil {
			return err
		}
		if v.String() != "fT7" {
			return fmt.Errorf("out() = %q", v)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestGlobRegexp(t *testing.T) {
	t.Parallel()
	cases := []struct {
		glob, path string
		match      bool
	}{
		{"**/*.txt", "/a/b/c.txt", true},
		{"**/*.txt", "/a/b/c.txt.js", false},
		{"*.bin", "/x/y.bin", true},
		{"data/*.bin", "/p/data/y.bin", true},
		{"data/*.bin", "/p/other/y.bin", false},
	}
	for _, tc := range cases {
		re := globRegexp(tc.glob)
		if got := regexp.MustCompile(re).MatchString(tc.path); got != tc.match {
			t.Errorf("%s ~ %s = %v", tc.glob, tc.path, got)
		}
	}
}

func TestBundleDefineAliasJSX(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	files := map[string]string{
		"index.jsx": "import v from \"fake-mod\";\nconst h = (t, p, ...c) => t + \":\" + c.join(\"\");\nexport const out = () => [__VERSION__, DEBUG, v, <b>x</b>].join(\"|\");\n",
		"real.js":   "export default \"real\";\n",
	}
	for name, src := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	b, err := BuildBundle(BundleOptions{
		Entry:      filepath.Join(dir, "index.jsx"),
		Define:     map[string]string{"__VERSION__": `"1.2"`, "DEBUG": "true"},
		Alias:      map[string]string{"fake-mod": "./real.js"},
		JSXFactory: "h",
	})
	if err != nil {
		t.Fatal(err)
	}
	iso := newIsolate(t, Options{})
	err = iso.Do(func(rt *goja.Runtime) error {
		ns, err := Load(rt, b)
		if err != nil {
			return err
		}
		out, _ := goja.AssertFunction(ns.Get("out"))
		v, err := out(goja.Undefined())
		if err != nil {
			return err
		}
		if v.String() != "1.2|true|real|b:x" {
			return fmt.Errorf("out() = %q", v)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	// esbuild rejects a define value that is not an identifier or a literal.
	_, err = BuildBundle(BundleOptions{Entry: filepath.Join(dir, "real.js"), Define: map[string]string{"X": "a b"}})
	if err == nil || !strings.Contains(err.Error(), "Invalid define value (must be an entity name or JS literal): a b") {
		t.Errorf("bad define: err = %v", err)
	}
}

// TestTimersPerOwner: Timers counts an owner's timers and reports the
// soonest due; other owners' timers and cleared ones do not count.
func TestTimersPerOwner(t *testing.T) {
	t.Parallel()
	iso := newIsolate(t, Options{})
	type owner struct{ name string }
	a, b := &owner{"a"}, &owner{"b"}
	err := iso.Do(func(rt *goja.Runtime) error {
		start := time.Now()
		prev := iso.SetOwner(a)
		if _, err := rt.RunString(`setTimeout(() => {}, 60000); globalThis.soon = setTimeout(() => {}, 30000); setInterval(() => {}, 90000)`); err != nil {
			return err
		}
		iso.SetOwner(b)
		if _, err := rt.RunString(`setTimeout(() => {}, 1000)`); err != nil {
			return err
		}
		iso.SetOwner(prev)
		n, next := iso.Timers(a)
		if n != 3 || next.Before(start.Add(30*time.Second)) || next.After(time.Now().Add(30*time.Second)) {
			return fmt.Errorf("owner a: %d timers, next in %s; want 3, next in 30s", n, next.Sub(start))
		}
		if _, err := rt.RunString(`clearTimeout(soon)`); err != nil {
			return err
		}
		if n, next = iso.Timers(a); n != 2 || next.Before(start.Add(60*time.Second)) {
			return fmt.Errorf("after clearTimeout: %d timers, next in %s; want 2, next in 60s", n, next.Sub(start))
		}
		if n, _ = iso.Timers(&owner{"c"}); n != 0 {
			return fmt.Errorf("an owner without timers has %d", n)
		}
		iso.ClearTimers(a)
		iso.ClearTimers(b)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
