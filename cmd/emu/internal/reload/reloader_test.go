package reload

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/emu-dev/emu/cmd/emu/internal/config"
	"github.com/emu-dev/emu/cmd/emu/internal/worker"
)

// fakeBuilds records what a Reloader asks for; a build fails while fail is set.
type fakeBuilds struct {
	fail    bool
	builds  int
	served  []*worker.Worker
	configs int
	lines   []string
	inputs  []string
}

func (f *fakeBuilds) options() Options {
	return Options{
		LoadConfig: func() (*config.Config, error) {
			f.configs++
			return &config.Config{Dir: "/p", Path: "/p/wrangler.toml"}, nil
		},
		Build: func(*config.Config) (*worker.Worker, error) {
			f.builds++
			if f.fail {
				return nil, errors.New("boom")
			}
			return &worker.Worker{Inputs: f.inputs}, nil
		},
		Serve:        func(w *worker.Worker) int { f.served = append(f.served, w); return 0 },
		FirstVersion: func(*config.Config) { f.lines = append(f.lines, "first") },
		Unavailable:  func(msg string) { f.lines = append(f.lines, "unavailable: "+msg) },
		Log:          func(level, line string) { f.lines = append(f.lines, level+": "+line) },
	}
}

// TestReloaderRebuildsOnlyForInputs: only files the last good build read and
// wrangler files reload; after a failed build any source file does; a failed
// build keeps the last good version serving; a wrangler file re-reads the
// config.
func TestReloaderRebuildsOnlyForInputs(t *testing.T) {
	t.Parallel()
	f := &fakeBuilds{inputs: []string{"/p/index.js"}}
	r := New(&config.Config{Dir: "/p", Path: "/p/wrangler.toml"}, f.options())
	if err := r.Start(); err != nil {
		t.Fatal(err)
	}
	if len(f.served) != 1 || f.lines[0] != "first" {
		t.Fatalf("start: served %d, lines %q", len(f.served), f.lines)
	}

	r.Changed([]string{"/p/dev.log", "/p/notes.md", "/p/other.js"})
	if f.builds != 1 {
		t.Fatalf("files outside the bundle rebuilt: %d builds", f.builds)
	}
	r.Changed([]string{"/p/index.js"})
	if f.builds != 2 || len(f.served) != 2 || !strings.HasPrefix(f.lines[len(f.lines)-1], "info: Reloaded in ") {
		t.Fatalf("input change: %d builds, %d served, lines %q", f.builds, len(f.served), f.lines)
	}

	if st := r.Status(); st.Version != 2 || strings.Join(st.Changed, ",") != "index.js" || st.Error != "" || st.LoadedAt.IsZero() || st.Config == nil {
		t.Fatalf("status after a reload: %+v", st)
	}

	f.fail = true
	r.Changed([]string{"/p/index.js"})
	if len(f.served) != 2 || f.lines[len(f.lines)-1] != "info: The last good version keeps serving." {
		t.Fatalf("failed build: served %d, lines %q", len(f.served), f.lines)
	}
	if st := r.Status(); st.Version != 2 || st.Error != "✘ [ERROR] boom" || st.ErrorAt.IsZero() {
		t.Fatalf("status after a failed build: %+v", st)
	}
	f.fail = false
	r.Changed([]string{"/p/new.ts"}) // after a failure any source file rebuilds
	if f.builds != 4 || len(f.served) != 3 {
		t.Fatalf("fix in a new file: %d builds, %d served", f.builds, len(f.served))
	}
	if st := r.Status(); st.Version != 3 || strings.Join(st.Changed, ",") != "new.ts" || st.Error != "" {
		t.Fatalf("status after the fix: %+v", st)
	}

	r.Changed([]string{"/p/wrangler.toml"})
	if f.configs != 1 || len(f.served) != 4 {
		t.Fatalf("wrangler change: %d config reads, %d served", f.configs, len(f.served))
	}
}

// TestReloaderStartFailsThenServes: a build error at start makes emu
// unavailable with the error text, and the first good build serves and
// counts as the first version.
func TestReloaderStartFailsThenServes(t *testing.T) {
	t.Parallel()
	f := &fakeBuilds{fail: true, inputs: []string{"/p/index.js"}}
	r := New(&config.Config{Dir: "/p"}, f.options())
	if err := r.Start(); err == nil {
		t.Fatal("Start succeeded with a failing build")
	}
	if f.lines[len(f.lines)-1] != "unavailable: ✘ [ERROR] boom" {
		t.Fatalf("lines %q", f.lines)
	}
	if st := r.Status(); st.Version != 0 || st.Error != "✘ [ERROR] boom" {
		t.Fatalf("status after a failed start: %+v", st)
	}
	f.fail = false
	r.Changed([]string{"/p/index.js"})
	if len(f.served) != 1 || !strings.Contains(strings.Join(f.lines, "\n"), "first") {
		t.Fatalf("first good build: served %d, lines %q", len(f.served), f.lines)
	}
}

// TestReloaderSkipsUnchangedInputs: a change event for an input that is as the build left
// it (a [build] command wrote it while the build ran) does not rebuild; a real change
// does; a file under [build] watch_dir always does; .dev.vars re-reads the config.
func TestReloaderSkipsUnchangedInputs(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	out := filepath.Join(dir, "dist", "out.js")
	if err := os.MkdirAll(filepath.Dir(out), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(out, []byte("a"), 0o644); err != nil {
		t.Fatal(err)
	}
	f := &fakeBuilds{inputs: []string{out}}
	cfg := &config.Config{Dir: dir, Build: config.Build{Command: "true", WatchDirs: []string{filepath.Join(dir, "src")}}}
	opts := f.options()
	opts.LoadConfig = func() (*config.Config, error) { f.configs++; return cfg, nil }
	r := New(cfg, opts)
	if err := r.Start(); err != nil {
		t.Fatal(err)
	}
	r.Changed([]string{out})
	if f.builds != 1 {
		t.Fatalf("an unchanged input rebuilt: %d builds", f.builds)
	}
	if err := os.WriteFile(out, []byte("bb"), 0o644); err != nil {
		t.Fatal(err)
	}
	r.Changed([]string{out})
	if f.builds != 2 {
		t.Fatalf("a changed input did not rebuild: %d builds", f.builds)
	}
	r.Changed([]string{filepath.Join(dir, "src", "gen.txt")})
	if f.builds != 3 {
		t.Fatalf("a file under watch_dir did not rebuild: %d builds", f.builds)
	}
	r.Changed([]string{filepath.Join(dir, ".dev.vars")})
	if f.builds != 4 || f.configs != 1 {
		t.Fatalf(".dev.vars: %d builds, %d config reads", f.builds, f.configs)
	}
}
