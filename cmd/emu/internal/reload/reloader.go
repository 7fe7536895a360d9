package reload

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/emu-dev/emu/cmd/emu/internal/config"
	"github.com/emu-dev/emu/cmd/emu/internal/worker"
	"github.com/emu-dev/emu/jsruntime"
)

// Options configures a Reloader: how to read the config, build a version
// from it and make a version serve.
type Options struct {
	// LoadConfig reads the wrangler file and flags again (a wrangler file
	// changed).
	LoadConfig func() (*config.Config, error)
	// Build bundles and loads a version of the code for cfg.
	Build func(cfg *config.Config) (*worker.Worker, error)
	// Serve makes w the version new events go to and returns how many
	// accept()ed WebSockets of the previous version it had to close.
	Serve func(w *worker.Worker) (closed int)
	// FirstVersion is called once, right after the first version starts
	// serving (the banner, restoring alarms).
	FirstVersion func(cfg *config.Config)
	// Unavailable is called with the error text while no version has built.
	Unavailable func(msg string)
	// Log prints a line at a level ("info", "error").
	Log func(level, line string)
}

// Reloader rebuilds the Worker when its files change. Its methods are safe
// from any goroutine; Changed calls do not overlap (the Watcher's OnChange
// does not).
type Reloader struct {
	opts Options

	mu      sync.Mutex
	cfg     *config.Config
	inputs  map[string]stamp // files the last good build read, as they were then; nil after a failed one
	serving bool             // a version has served
	status  Status
}

// Status is what a Reloader knows of the versions it built, for the
// inspector.
type Status struct {
	Version   int            // versions that have served (1 after the first good build)
	LoadedAt  time.Time      // when the serving version started serving
	Changed   []string       // the files whose change built it (relative to the config's directory); nil for the first
	BuildTime time.Duration  // how long building it took
	Error     string         // the last build's error, when it failed (the version before keeps serving)
	ErrorAt   time.Time      // when that build failed
	Config    *config.Config // the serving version's config
}

// Status returns the Reloader's status.
func (r *Reloader) Status() Status {
	r.mu.Lock()
	defer r.mu.Unlock()
	st := r.status
	st.Config = r.cfg
	st.Changed = append([]string(nil), st.Changed...)
	return st
}

// failed records a failed build.
func (r *Reloader) failed(msg string) {
	r.mu.Lock()
	r.status.Error, r.status.ErrorAt = msg, time.Now()
	r.mu.Unlock()
}

// served records a version that started serving.
func (r *Reloader) served(changed []string, took time.Duration) {
	r.mu.Lock()
	r.status.Version++
	r.status.LoadedAt, r.status.Changed, r.status.BuildTime = time.Now(), changed, took
	r.status.Error, r.status.ErrorAt = "", time.Time{}
	r.mu.Unlock()
}

// New returns a Reloader for the config read at start.
func New(cfg *config.Config, opts Options) *Reloader {
	return &Reloader{opts: opts, cfg: cfg}
}

// Config is the config of the version serving (or being built first).
func (r *Reloader) Config() *config.Config {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.cfg
}

// Start builds and serves the first version. A build error is printed and
// returned; the caller may keep watching, and the first good build serves.
func (r *Reloader) Start() error {
	start := time.Now()
	cfg := r.Config()
	w, err := r.build(cfg)
	if err != nil {
		r.failed(FormatLoadError(err))
		r.opts.Log("error", FormatLoadError(err))
		r.opts.Unavailable(FormatLoadError(err))
		return err
	}
	r.served(nil, time.Since(start))
	r.serve(w, cfg)
	return nil
}

// Changed rebuilds after the files in changed were written, if any of them
// can change the Worker (see relevant). A failed build keeps the last good
// version serving.
func (r *Reloader) Changed(changed []string) {
	changed = r.relevant(changed)
	if len(changed) == 0 {
		return
	}
	start := time.Now()
	cfg, err := r.configFor(changed)
	if err != nil {
		r.failed("✘ [ERROR] " + err.Error())
		r.opts.Log("error", "✘ [ERROR] "+err.Error())
		return
	}
	w, err := r.build(cfg)
	if err != nil {
		r.failed(FormatLoadError(err))
		r.opts.Log("error", FormatLoadError(err))
		if r.isServing() {
			r.opts.Log("info", "The last good version keeps serving.")
		} else {
			r.opts.Unavailable(FormatLoadError(err))
		}
		return
	}
	names := make([]string, 0, len(changed))
	for _, p := range changed {
		if rel, err := filepath.Rel(cfg.Dir, p); err == nil {
			p = rel
		}
		names = append(names, p)
	}
	r.served(names, time.Since(start))
	closed := r.serve(w, cfg)
	if closed > 0 {
		r.opts.Log("info", fmt.Sprintf("[emu] closed %d accept()ed WebSocket(s) with 1012 Service Restart: they cannot move to new code (hibernatable ones do)", closed))
	}
	r.opts.Log("info", fmt.Sprintf("Reloaded in %d ms (%s changed)", time.Since(start).Milliseconds(), strings.Join(names, ", ")))
}

func (r *Reloader) isServing() bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.serving
}

// configFor is the config to build with after changed: read again if a
// wrangler file changed, else the current one without what was inferred
// from the last build's exports.
func (r *Reloader) configFor(changed []string) (*config.Config, error) {
	cfg := r.Config()
	wrangler := false
	for _, p := range changed {
		if p == cfg.Path || isWranglerFile(p) {
			wrangler = true
		}
	}
	if wrangler {
		return r.opts.LoadConfig()
	}
	c := *cfg
	c.DurableObjects = append([]config.DurableObjectBinding(nil), cfg.DurableObjects...)
	c.Inferred = nil
	return &c, nil
}

// build builds a version and records the files it read.
func (r *Reloader) build(cfg *config.Config) (*worker.Worker, error) {
	w, err := r.opts.Build(cfg)
	r.mu.Lock()
	defer r.mu.Unlock()
	if err != nil {
		r.inputs = nil
		return nil, err
	}
	r.inputs = map[string]stamp{}
	for _, p := range w.Inputs {
		r.inputs[p] = stampOf(p)
	}
	return w, nil
}

// stamp is what a file looked like: a change event for a file that still looks the same
// (one a [build] command wrote during the build that read it) changes nothing.
type stamp struct {
	mod  time.Time
	size int64
	ok   bool
}

func stampOf(p string) stamp {
	fi, err := os.Stat(p)
	if err != nil {
		return stamp{}
	}
	return stamp{fi.ModTime(), fi.Size(), true}
}

// serve makes w (built from cfg) the version that serves.
func (r *Reloader) serve(w *worker.Worker, cfg *config.Config) (closed int) {
	r.mu.Lock()
	r.cfg = cfg
	first := !r.serving
	r.serving = true
	r.mu.Unlock()
	closed = r.opts.Serve(w)
	if first {
		r.opts.FirstVersion(cfg)
	}
	return closed
}

// relevant keeps the changes that can change the Worker: files the last
// good build read (unless they are as the build left them), wrangler files,
// .dev.vars and .env files, files under [build] watch_dir (as wrangler
// watches), or, after a failed build, any source file (the fix may be a
// file not imported yet). Log files, notes and editors' temporary files do
// not reload.
func (r *Reloader) relevant(changed []string) []string {
	r.mu.Lock()
	inputs := r.inputs
	watchDirs := r.cfg.Build.WatchDirs
	r.mu.Unlock()
	var out []string
	for _, p := range changed {
		st, input := inputs[p]
		switch {
		case isWranglerFile(p), underAny(p, watchDirs):
		case input && (!st.ok || stampOf(p) != st):
		case inputs == nil && sourceExt[filepath.Ext(p)]:
		default:
			continue
		}
		out = append(out, p)
	}
	return out
}

func underAny(p string, dirs []string) bool {
	for _, d := range dirs {
		if strings.HasPrefix(p, d+string(filepath.Separator)) {
			return true
		}
	}
	return false
}

var sourceExt = map[string]bool{".js": true, ".mjs": true, ".cjs": true, ".ts": true, ".mts": true, ".tsx": true, ".jsx": true,
	".json": true, ".txt": true, ".html": true, ".sql": true, ".bin": true}

// isWranglerFile reports whether p is a file the config is read from: a wrangler file,
// or a .dev.vars or .env file.
func isWranglerFile(p string) bool {
	switch filepath.Base(p) {
	case "wrangler.toml", "wrangler.json", "wrangler.jsonc":
		return true
	}
	return IsVarsFile(p)
}

// FormatLoadError renders a build error as esbuild does, and a top-level
// exception with its mapped stack.
func FormatLoadError(err error) string {
	var be *jsruntime.BuildError
	if errors.As(err, &be) {
		return be.Error()
	}
	if jsruntime.Thrown(err) != nil {
		return "✘ [ERROR] Uncaught " + jsruntime.FormatError(err)
	}
	return "✘ [ERROR] " + err.Error()
}
