package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"net"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/emu-dev/emu/bindings/durableobject"
	"github.com/emu-dev/emu/bindings/kv"
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
	Entry, Config, IP, PersistTo, CompatibilityDate, LogLevel, WorkDir, Env string
	Port                                                                    int
	PortSet, IPSet                                                          bool // given on the command line (else [dev] port / ip apply)
	Vars, CompatibilityFlags, Defines, Aliases                              []string
	Peers                                                                   []string // --config given again: more Workers
	HibernateAfter                                                          time.Duration
	Watch                                                                   bool
	// Inspector serves the inspector page and API (on by default for a
	// loopback --ip; see the --inspector flag).
	Inspector bool
}

// session is one `emu dev`: the logger, the Durable Object system that
// outlives reloads, the server, and the reloader that builds versions.
type session struct {
	opts    devOptions
	knobs   envKnobs
	log     *logger
	do      *durableobject.System
	srv     *devserver.Server
	insp    *inspector.Handler
	persist string
	name    string  // the first Worker's name
	peers   []*peer // the other Workers (-c a -c b)

	kvMu sync.Mutex
	kv   map[string]*kv.Store // KV namespaces by id, open for the whole session
}

// dev wires the parts together and serves until ctx is done.
func dev(ctx context.Context, opts devOptions, stdout, stderr io.Writer) error {
	go webapi.Prepare() // compile the web APIs while esbuild bundles
	log := newLogger(stdout, opts.LogLevel)
	s := &session{opts: opts, log: log, kv: map[string]*kv.Store{}}
	defer s.closeKV()
	knobs, err := readEnvKnobs(os.Getenv)
	if err != nil {
		return &exitError{2, "emu dev: " + err.Error()}
	}
	s.knobs = knobs
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
		TestPanicAlarm: knobs.TestPanic == "alarm",
	})
	ip, port := opts.IP, opts.Port
	if !opts.IPSet && cfg.DevIP != "" {
		ip = cfg.DevIP
	}
	if !opts.PortSet && cfg.DevPort != 0 {
		port = cfg.DevPort
	}
	s.insp = inspector.New(inspector.Options{
		DO:             s.do,
		IP:             ip,
		Enabled:        opts.Inspector,
		AnyClient:      opts.Inspector && !inspector.Loopback(ip),
		HibernateAfter: s.do.HibernateAfter(),
		PersistDir:     s.persist,
		Version:        version,
		Log:            log.print,
	})
	s.srv = &devserver.Server{Control: s.insp, Log: func(line string) { log.print("info", line) },
		ReadHeaderTimeout: knobs.ReadHeaderTimeout, TestPanic: knobs.TestPanic}
	s.name = cfg.Name
	if err := s.loadPeers(); err != nil {
		return &exitError{2, err.Error()}
	}
	defer s.stopPeers()

	log.print("info", fmt.Sprintf("emu %s", version))
	for _, w := range cfg.Warnings {
		log.print("warn", "▲ [WARNING] "+w)
	}
	rl := reload.New(cfg, reload.Options{
		LoadConfig: s.loadConfig,
		Build:      s.build,
		Serve:      s.serve,
		FirstVersion: func(cfg *config.Config) {
			s.banner(cfg, len(s.peers) > 0)
			s.do.RestoreAlarms()
		},
		Unavailable: s.srv.SetUnavailable,
		Log: func(level, line string) {
			log.print(level, line)
			s.insp.Record(level, strings.TrimPrefix(line, "[emu] "))
		},
	})
	s.insp.SetStatus(rl.Status)
	if err := s.startPeers(); err != nil && !opts.Watch {
		return &exitError{2, ""}
	}
	if err := rl.Start(); err != nil && !opts.Watch {
		return &exitError{2, ""}
	}

	ln, err := s.srv.Listen(net.JoinHostPort(ip, strconv.Itoa(port)))
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
		Env:                s.opts.Env,
		Defines:            s.opts.Defines,
		Aliases:            s.opts.Aliases,
		WorkDir:            s.opts.WorkDir,
	})
}

// kvStore returns the open store of KV namespace id, opening it on first use.
func (s *session) kvStore(id string) (*kv.Store, error) {
	s.kvMu.Lock()
	defer s.kvMu.Unlock()
	if st := s.kv[id]; st != nil {
		return st, nil
	}
	st, err := kv.Open(filepath.Join(s.persist, "kv", kv.FileName(id)), kv.StoreOptions{})
	if err != nil {
		return nil, err
	}
	s.kv[id] = st
	return st, nil
}

func (s *session) closeKV() {
	s.kvMu.Lock()
	defer s.kvMu.Unlock()
	for id, st := range s.kv {
		_ = st.Close()
		delete(s.kv, id)
	}
}

// scriptKey names the Worker stably, so Durable Object ids and storage are
// the same after a restart: the config's name, else the config's directory.
func scriptKey(cfg *config.Config) string {
	if cfg.Name != "" {
		return cfg.Name
	}
	return cfg.Dir
}

// build runs the first Worker's [build] command, then bundles and loads a
// version of its code for cfg.
func (s *session) build(cfg *config.Config) (*worker.Worker, error) {
	return s.buildWith(cfg, s.do, s.srv)
}

// buildWith runs a Worker's [build] command, then bundles and loads a
// version of its code.
func (s *session) buildWith(cfg *config.Config, sys *durableobject.System, self worker.Host) (*worker.Worker, error) {
	if cfg.Build.Command != "" {
		if err := runCustomBuild(cfg.Build, s.log.print); err != nil {
			return nil, err
		}
	}
	var rules []jsruntime.ModuleRule
	for _, r := range cfg.Rules {
		rules = append(rules, jsruntime.ModuleRule{Type: r.Type, Globs: r.Globs})
	}
	var kvs []worker.KVBinding
	for _, ns := range cfg.KVNamespaces {
		st, err := s.kvStore(ns.ID)
		if err != nil {
			return nil, err
		}
		kvs = append(kvs, worker.KVBinding{Name: ns.Binding, Store: st})
	}
	log := s.log
	return worker.Build(worker.Config{
		Entry:              cfg.Main,
		Rules:              rules,
		Define:             cfg.Define,
		Alias:              cfg.Alias,
		Tsconfig:           cfg.Tsconfig,
		JSXFactory:         cfg.JSXFactory,
		JSXFragment:        cfg.JSXFragment,
		Vars:               cfg.Vars,
		KV:                 kvs,
		CompatibilityDate:  cfg.CompatibilityDate,
		CompatibilityFlags: cfg.CompatibilityFlags,
		CPULimit:           cfg.CPULimit,
		MemoryLimit:        s.knobs.MemoryLimit,
		TestPanic:          s.knobs.TestPanic == "request",
		TestPanicStorage:   s.knobs.TestPanic == "storage",
		Console:            log.console,
		LogError:           func(msg string) { log.print("error", "✘ [ERROR] "+msg) },
		DO:                 sys,
		Services:           services(cfg),
		Lookup: func(service string) (worker.Host, bool) {
			if cfg.Name != "" && service == cfg.Name {
				return self, true
			}
			return s.lookup(service)
		},
		Self:     self,
		RemoteDO: s.remoteDO(cfg),
		Bindings: func(classes []string) []durableobject.Binding {
			cfg.InferDurableObjects(classes)
			var bs []durableobject.Binding
			for _, d := range cfg.DurableObjects {
				if d.ScriptName != "" && d.ScriptName != cfg.Name {
					continue
				}
				bs = append(bs, durableobject.Binding{Name: d.Name, ClassName: d.ClassName, SQLite: d.SQLite,
					Origin:      durableobject.Origin{Script: d.Origin.Script, Class: d.Origin.Class, Generation: d.Origin.Generation},
					FormerNames: d.FormerNames})
			}
			return bs
		},
	})
}

// services converts the config's service bindings.
func services(cfg *config.Config) []worker.ServiceBinding {
	var out []worker.ServiceBinding
	for _, b := range cfg.Services {
		out = append(out, worker.ServiceBinding{Binding: b.Binding, Service: b.Service, Entrypoint: b.Entrypoint})
	}
	return out
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

// banner prints the bindings, as wrangler does (secrets from .dev.vars / .env
// without their values), and what was inferred. With several Workers each
// gets its own, titled with its name.
func (s *session) banner(cfg *config.Config, multi bool) {
	var b strings.Builder
	for _, f := range cfg.VarsFiles {
		fmt.Fprintf(&b, "Using vars defined in %s\n", displayName(s.opts.WorkDir, f))
	}
	status := false
	mode := func(connected bool) string {
		status = true
		if connected {
			return " [connected]"
		}
		return " [not connected]"
	}
	if len(cfg.DurableObjects) > 0 || len(cfg.Vars) > 0 || len(cfg.KVNamespaces) > 0 || len(cfg.Services) > 0 {
		if multi && cfg.Name != "" {
			fmt.Fprintf(&b, "%s has access to the following bindings:\n", cfg.Name)
		} else {
			b.WriteString("Your Worker has access to the following bindings:\n")
		}
		for _, d := range cfg.DurableObjects {
			if d.ScriptName != "" && d.ScriptName != cfg.Name {
				fmt.Fprintf(&b, "  env.%s (%s, defined in %s)  Durable Object%s\n", d.Name, d.ClassName, d.ScriptName, mode(s.system(d.ScriptName) != nil))
				continue
			}
			fmt.Fprintf(&b, "  env.%s (%s)  Durable Object%s\n", d.Name, d.ClassName, map[bool]string{true: ", SQLite", false: ""}[d.SQLite])
		}
		for _, ns := range cfg.KVNamespaces {
			fmt.Fprintf(&b, "  env.%s (%s)  KV Namespace\n", ns.Binding, ns.ID)
		}
		for _, sb := range cfg.Services {
			value := sb.Service
			if sb.Entrypoint != "" {
				value += "#" + sb.Entrypoint
			}
			connected := sb.Service == cfg.Name || s.connected(sb.Service, sb.Entrypoint)
			fmt.Fprintf(&b, "  env.%s (%s)  Worker%s\n", sb.Binding, value, mode(connected))
		}
		for _, k := range slices.Sorted(maps.Keys(cfg.Vars)) {
			fmt.Fprintf(&b, "  env.%s (%s)  Environment Variable\n", k, varDisplay(cfg.Vars[k], slices.Contains(cfg.Secrets, k)))
		}
	}
	for _, n := range cfg.Inferred {
		fmt.Fprintf(&b, "  inferred: %s\n", n)
	}
	if len(cfg.DurableObjects) > 0 || len(cfg.KVNamespaces) > 0 {
		fmt.Fprintf(&b, "Local storage: %s\n", s.persist)
	}
	if status {
		b.WriteString("Service bindings, Durable Object bindings, and Tail consumers connect to other Wrangler or Vite dev processes running locally, " +
			"with their connection status indicated by [connected] or [not connected]. " +
			"For more details, refer to https://developers.cloudflare.com/workers/runtime-apis/bindings/service-bindings/#local-development\n")
	}
	if b.Len() > 0 {
		s.log.print("info", strings.TrimRight(b.String(), "\n"))
	}
}

// varDisplay shows a var's value as wrangler's banner does: a string quoted, other JSON
// values as JSON, both cut to 40 characters, a secret as "(hidden)".
func varDisplay(v any, secret bool) string {
	if secret {
		return `"(hidden)"`
	}
	s, ok := v.(string)
	if !ok {
		b, _ := json.Marshal(v)
		return truncate(string(b))
	}
	return `"` + truncate(s) + `"`
}

func truncate(s string) string {
	if r := []rune(s); len(r) > 40 {
		return string(r[:39]) + "…"
	}
	return s
}

// displayName is p relative to wd when it is below it.
func displayName(wd, p string) string {
	if rel, err := filepath.Rel(wd, p); err == nil && !strings.HasPrefix(rel, "..") {
		return rel
	}
	return p
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
