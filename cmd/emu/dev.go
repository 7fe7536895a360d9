package main

import (
	"context"
	"fmt"
	"io"
	"net"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/emu-dev/emu/bindings/durableobject"
	"github.com/emu-dev/emu/cmd/emu/internal/config"
	"github.com/emu-dev/emu/cmd/emu/internal/devserver"
	"github.com/emu-dev/emu/cmd/emu/internal/inspector"
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
	// Inspector serves the inspector page and API (on by default for a
	// loopback --ip; see the --inspector flag).
	Inspector bool
}

// session is one `emu dev`: the logger, the Durable Object system that
// outlives reloads, the server, and the reloader that builds versions.
type session struct {
	opts    devOptions
	log     *logger
	do      *durableobject.System
	srv     *devserver.Server
	insp    *inspector.Handler
	persist string
}

// dev wires the parts together and serves until ctx is done.
func dev(ctx context.Context, opts devOptions, stdout, stderr io.Writer) error {
	go webapi.Prepare() // compile the web APIs while esbuild bundles
	log := newLogger(stdout, opts.LogLevel)
	s := &session{opts: opts, log: log}
	cfg, err := s.loadConfig()
	if err != nil {
		return &exitError{2, err.Error()}
	}
	// Storage lives beside the project (as wrangler's .wrangler/state), so
	// running emu from another directory finds the same data; an explicit
	// --persist-to is relative to where emu runs.
	s.persist = filepath.Join(cfg.Dir, ".emu", "state")
	if opts.PersistTo != "" {
		s.persist = opts.PersistTo
		if !filepath.IsAbs(s.persist) {
			s.persist = filepath.Join(opts.WorkDir, s.persist)
		}
	}
	s.do = durableobject.NewSystem(durableobject.Options{
		PersistDir:     s.persist,
		HibernateAfter: opts.HibernateAfter,
		ScriptKey:      scriptKey(cfg),
		Log: func(level, msg string) {
			log.print(level, "[emu] "+msg)
			s.insp.Record(level, msg)
		},
	})
	s.insp = inspector.New(inspector.Options{
		DO:             s.do,
		IP:             opts.IP,
		Enabled:        opts.Inspector,
		AnyClient:      opts.Inspector && !inspector.Loopback(opts.IP),
		HibernateAfter: s.do.HibernateAfter(),
		PersistDir:     s.persist,
		Version:        version,
		Log:            log.print,
	})
	s.srv = &devserver.Server{Control: s.insp, Log: func(line string) { log.print("info", line) }}

	log.print("info", fmt.Sprintf("emu %s", version))
	for _, w := range cfg.Warnings {
		log.print("warn", "▲ [WARNING] "+w)
	}
	rl := reload.New(cfg, reload.Options{
		LoadConfig: s.loadConfig,
		Build:      s.build,
		Serve:      s.serve,
		FirstVersion: func(cfg *config.Config) {
			s.banner(cfg)
			s.do.RestoreAlarms()
		},
		Unavailable: s.srv.SetUnavailable,
		Log: func(level, line string) {
			log.print(level, line)
			s.insp.Record(level, strings.TrimPrefix(line, "[emu] "))
		},
	})
	s.insp.SetStatus(rl.Status)
	if err := rl.Start(); err != nil && !opts.Watch {
		return &exitError{2, ""}
	}

	ln, err := s.srv.Listen(net.JoinHostPort(opts.IP, strconv.Itoa(opts.Port)))
	if err != nil {
		return &exitError{2, "emu dev: " + err.Error()}
	}
	var watcher *reload.Watcher
	if opts.Watch {
		watcher, err = reload.Watch(reload.WatchOptions{
			Root:     rl.Config().Dir,
			Ignore:   []string{s.persist, filepath.Join(cfg.Dir, ".emu")},
			Debounce: 20 * time.Millisecond,
			OnChange: rl.Changed,
		})
		if err != nil {
			log.print("warn", "▲ [WARNING] file watching is off: "+err.Error())
		}
	}
	log.print("info", "Ready on http://"+ln.Addr().String())
	if opts.Inspector {
		log.print("info", "Inspector on http://"+inspectorAddr(ln.Addr())+inspector.Prefix+"/")
	}

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
	s.insp.Close() // open inspector pages would hold Shutdown up
	_ = s.srv.Shutdown(sctx)
	s.do.Shutdown()
	if w := s.srv.Current(); w != nil {
		w.Close()
	}
	log.print("info", "emu stopped")
	return nil
}

// inspectorAddr is the address to print for the inspector: a listener on
// every address is reached as 127.0.0.1.
func inspectorAddr(a net.Addr) string {
	if t, ok := a.(*net.TCPAddr); ok && t.IP.IsUnspecified() {
		return net.JoinHostPort("127.0.0.1", strconv.Itoa(t.Port))
	}
	return a.String()
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

// build bundles and loads a version of the code for cfg.
func (s *session) build(cfg *config.Config) (*worker.Worker, error) {
	var rules []jsruntime.ModuleRule
	for _, r := range cfg.Rules {
		rules = append(rules, jsruntime.ModuleRule{Type: r.Type, Globs: r.Globs})
	}
	log := s.log
	return worker.Build(worker.Config{
		Entry:              cfg.Main,
		Rules:              rules,
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
}

// serve makes w the version that serves: new events and requests go to it.
func (s *session) serve(w *worker.Worker) (closed int) {
	closed = s.do.Activate(w.Version)
	if old := s.srv.Swap(w); old != nil {
		// In-flight requests on the old version finish on it; close it once
		// they had time to.
		time.AfterFunc(30*time.Second, old.Close)
	}
	return closed
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
