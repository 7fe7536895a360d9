package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/emu-dev/emu/bindings/cloudflare"
	"github.com/emu-dev/emu/bindings/durableobject"
	"github.com/emu-dev/emu/cmd/emu/internal/config"
	"github.com/emu-dev/emu/cmd/emu/internal/devserver"
	"github.com/emu-dev/emu/cmd/emu/internal/reload"
	"github.com/emu-dev/emu/cmd/emu/internal/worker"
	"github.com/emu-dev/emu/jsruntime"
	"github.com/emu-dev/emu/jsruntime/webapi"
)

// devOptions are the flags of `emu dev`.
type devOptions struct {
	Entry, Config, IP, PersistTo, CompatibilityDate, LogLevel, WorkDir string
	Port                                                               int
	Vars, CompatibilityFlags                                           []string
	HibernateAfter                                                     time.Duration
	Watch                                                              bool
}

// session is one `emu dev`: the config, the Durable Object system that
// outlives reloads, and the server.
type session struct {
	opts devOptions
	log  *logger
	do   *durableobject.System
	srv  *devserver.Server

	persist string

	mu     sync.Mutex
	cfg    *config.Config
	inputs map[string]bool // files the last good build read; nil after a failed one
}

func dev(ctx context.Context, opts devOptions, stdout, stderr io.Writer) error {
	go webapi.Prepare() // compile the web APIs while esbuild bundles
	log := newLogger(stdout, opts.LogLevel)
	s := &session{opts: opts, log: log}
	cfg, err := s.loadConfig()
	if err != nil {
		return &exitError{2, err.Error()}
	}
	s.cfg = cfg
	// Storage lives beside the project (as wrangler's .wrangler/state), so
	// running emu from another directory finds the same data; an explicit
	// --persist-to is relative to where emu runs.
	persist := filepath.Join(cfg.Dir, ".emu", "state")
	if opts.PersistTo != "" {
		persist = opts.PersistTo
		if !filepath.IsAbs(persist) {
			persist = filepath.Join(opts.WorkDir, persist)
		}
	}
	s.persist = persist
	s.do = durableobject.NewSystem(durableobject.Options{
		PersistDir:     persist,
		HibernateAfter: opts.HibernateAfter,
		ScriptKey:      scriptKey(cfg),
		Log:            func(level, msg string) { log.print(level, "[emu] "+msg) },
	})
	s.srv = &devserver.Server{DO: s.do, Log: func(line string) { log.print("info", line) }}

	log.print("info", fmt.Sprintf("emu %s", version))
	for _, w := range cfg.Warnings {
		log.print("warn", "▲ [WARNING] "+w)
	}
	w, berr := s.build(cfg)
	if berr != nil {
		log.print("error", formatLoadError(berr))
		if !opts.Watch {
			return &exitError{2, ""}
		}
		s.srv.SetUnavailable(formatLoadError(berr))
	}
	if w != nil {
		s.banner(s.config())
		s.activate(w)
		s.do.RestoreAlarms()
	}

	ln, err := s.srv.Listen(net.JoinHostPort(opts.IP, strconv.Itoa(opts.Port)))
	if err != nil {
		return &exitError{2, "emu dev: " + err.Error()}
	}
	var watcher *reload.Watcher
	if opts.Watch {
		watcher, err = reload.Watch(reload.Options{
			Root:     s.config().Dir,
			Ignore:   []string{persist, filepath.Join(cfg.Dir, ".emu")},
			Debounce: 20 * time.Millisecond,
			OnChange: s.reload,
		})
		if err != nil {
			log.print("warn", "▲ [WARNING] file watching is off: "+err.Error())
		}
	}
	log.print("info", "Ready on http://"+ln.Addr().String())

	served := make(chan error, 1)
	go func() { served <- s.srv.Serve(ln) }()
	select {
	case <-ctx.Done():
	case err := <-served:
		if err != nil {
			return &exitError{1, "emu dev: " + err.Error()}
		}
	}
	if watcher != nil {
		watcher.Close()
	}
	sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_ = s.srv.Shutdown(sctx)
	s.do.Shutdown()
	if w := s.srv.Current(); w != nil {
		w.Close()
	}
	log.print("info", "emu stopped")
	return nil
}

func (s *session) config() *config.Config {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.cfg
}

func (s *session) loadConfig() (*config.Config, error) {
	return config.Load(config.Flags{
		Entry:              s.opts.Entry,
		ConfigPath:         s.opts.Config,
		Vars:               s.opts.Vars,
		CompatibilityDate:  s.opts.CompatibilityDate,
		CompatibilityFlags: s.opts.CompatibilityFlags,
		WorkDir:            s.opts.WorkDir,
	})
}

// scriptKey names the Worker stably, so Durable Object ids and storage are
// the same after a restart: the config's name, else the config's directory.
func scriptKey(cfg *config.Config) string {
	if cfg.Name != "" {
		return cfg.Name
	}
	return cfg.Dir
}

// build bundles and loads a version of the code.
func (s *session) build(cfg *config.Config) (*worker.Worker, error) {
	var rules []jsruntime.ModuleRule
	for _, r := range cfg.Rules {
		rules = append(rules, jsruntime.ModuleRule{Type: r.Type, Globs: r.Globs})
	}
	b, err := jsruntime.BuildBundle(jsruntime.BundleOptions{
		Entry:          cfg.Main,
		Rules:          rules,
		VirtualModules: map[string]string{"cloudflare:workers": cloudflare.ModuleSource},
	})
	if err != nil {
		s.setInputs(nil)
		return nil, err
	}
	log := s.log
	w, err := worker.Load(worker.Config{
		Bundle:             b,
		Vars:               cfg.Vars,
		CompatibilityDate:  cfg.CompatibilityDate,
		CompatibilityFlags: cfg.CompatibilityFlags,
		CPULimit:           cfg.CPULimit,
		Console:            log.console,
		LogError:           func(msg string) { log.print("error", "✘ [ERROR] "+msg) },
		DO:                 s.do,
		Bindings: func(classes []string) []durableobject.Binding {
			cfg.InferDurableObjects(classes)
			var bs []durableobject.Binding
			for _, d := range cfg.DurableObjects {
				bs = append(bs, durableobject.Binding{Name: d.Name, ClassName: d.ClassName, SQLite: d.SQLite})
			}
			return bs
		},
	})
	if err != nil {
		s.setInputs(nil)
		return nil, err
	}
	inputs := map[string]bool{}
	for _, p := range b.Inputs {
		inputs[p] = true
	}
	s.setInputs(inputs)
	return w, nil
}

func (s *session) setInputs(in map[string]bool) {
	s.mu.Lock()
	s.inputs = in
	s.mu.Unlock()
}

// relevant keeps the changes that can change the Worker: files the last
// good build read and wrangler files (as wrangler watches), or, after a
// failed build, any source file (the fix may be a file not imported yet).
// Log files, notes and editors' temporary files do not reload.
func (s *session) relevant(changed []string) []string {
	s.mu.Lock()
	inputs := s.inputs
	s.mu.Unlock()
	var out []string
	for _, p := range changed {
		switch {
		case isWranglerFile(p), inputs[p]:
		case inputs == nil && sourceExt[filepath.Ext(p)]:
		default:
			continue
		}
		out = append(out, p)
	}
	return out
}

var sourceExt = map[string]bool{".js": true, ".mjs": true, ".cjs": true, ".ts": true, ".mts": true, ".tsx": true, ".jsx": true,
	".json": true, ".txt": true, ".html": true, ".sql": true, ".bin": true}

// activate makes w the version that serves.
func (s *session) activate(w *worker.Worker) (closed int) {
	closed = s.do.Activate(w.Version)
	if old := s.srv.Swap(w); old != nil {
		// In-flight requests on the old version finish on it; close it once
		// they had time to.
		time.AfterFunc(30*time.Second, old.Close)
	}
	return closed
}

// reload rebuilds after a change; a failed build keeps the last good
// version serving.
func (s *session) reload(changed []string) {
	changed = s.relevant(changed)
	if len(changed) == 0 {
		return
	}
	start := time.Now()
	cfg := s.config()
	configChanged := false
	for _, p := range changed {
		if p == cfg.Path || isWranglerFile(p) {
			configChanged = true
		}
	}
	if configChanged || cfg.Path == "" && anyWranglerFile(changed) {
		nc, err := s.loadConfig()
		if err != nil {
			s.log.print("error", "✘ [ERROR] "+err.Error())
			return
		}
		cfg = nc
	} else {
		c := *cfg
		c.DurableObjects = append([]config.DurableObjectBinding(nil), cfg.DurableObjects...)
		c.Inferred = nil
		cfg = &c
	}
	w, err := s.build(cfg)
	if err != nil {
		s.log.print("error", formatLoadError(err))
		if s.srv.Current() == nil {
			s.srv.SetUnavailable(formatLoadError(err))
		} else {
			s.log.print("info", "The last good version keeps serving.")
		}
		return
	}
	first := s.srv.Current() == nil
	s.mu.Lock()
	s.cfg = cfg
	s.mu.Unlock()
	if first {
		s.banner(cfg)
	}
	closed := s.activate(w)
	if first {
		s.do.RestoreAlarms()
	}
	if closed > 0 {
		s.log.print("info", fmt.Sprintf("[emu] closed %d accept()ed WebSocket(s) with 1012 Service Restart: they cannot move to new code (hibernatable ones do)", closed))
	}
	names := make([]string, 0, len(changed))
	for _, p := range changed {
		if r, err := filepath.Rel(cfg.Dir, p); err == nil {
			p = r
		}
		names = append(names, p)
	}
	s.log.print("info", fmt.Sprintf("Reloaded in %d ms (%s changed)", time.Since(start).Milliseconds(), strings.Join(names, ", ")))
}

func isWranglerFile(p string) bool {
	switch filepath.Base(p) {
	case "wrangler.toml", "wrangler.json", "wrangler.jsonc":
		return true
	}
	return false
}

func anyWranglerFile(ps []string) bool {
	for _, p := range ps {
		if isWranglerFile(p) {
			return true
		}
	}
	return false
}

// formatLoadError renders a build error as esbuild does, and a top-level
// exception with its mapped stack.
func formatLoadError(err error) string {
	var be *jsruntime.BuildError
	if errors.As(err, &be) {
		return be.Error()
	}
	if jsruntime.Thrown(err) != nil {
		return "✘ [ERROR] Uncaught " + jsruntime.FormatError(err)
	}
	return "✘ [ERROR] " + err.Error()
}

// banner prints the bindings, as wrangler does, and what was inferred.
func (s *session) banner(cfg *config.Config) {
	var b strings.Builder
	if len(cfg.DurableObjects) > 0 || len(cfg.Vars) > 0 {
		b.WriteString("Your Worker has access to the following bindings:\n")
		for _, d := range cfg.DurableObjects {
			fmt.Fprintf(&b, "  env.%s (%s)  Durable Object%s\n", d.Name, d.ClassName, map[bool]string{true: ", SQLite", false: ""}[d.SQLite])
		}
		for k := range cfg.Vars {
			fmt.Fprintf(&b, "  env.%s  Environment Variable\n", k)
		}
	}
	for _, n := range cfg.Inferred {
		fmt.Fprintf(&b, "  inferred: %s\n", n)
	}
	if len(cfg.DurableObjects) > 0 {
		fmt.Fprintf(&b, "Durable Object storage: %s\n", s.persist)
	}
	if b.Len() > 0 {
		s.log.print("info", strings.TrimRight(b.String(), "\n"))
	}
}

// logger writes emu's console: one writer, one line at a time.
type logger struct {
	mu    sync.Mutex
	w     io.Writer
	level int
}

var levels = map[string]int{"debug": 0, "info": 1, "log": 2, "warn": 3, "error": 4, "none": 5}

func newLogger(w io.Writer, level string) *logger {
	l, ok := levels[level]
	if !ok {
		l = 1
	}
	return &logger{w: w, level: l}
}

func (l *logger) print(level, line string) {
	lv, ok := levels[level]
	if !ok {
		lv = 1
	}
	if lv < l.level {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	fmt.Fprintln(l.w, line)
}

// console prints console.* output as bare lines (wrangler does).
func (l *logger) console(level, line string) {
	switch level {
	case "error":
		l.print("error", line)
	case "warn":
		l.print("warn", line)
	case "debug":
		l.print("debug", line)
	default:
		l.print("log", line)
	}
}
