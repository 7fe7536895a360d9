package main

import (
	"path/filepath"
	"sync/atomic"
	"time"

	"github.com/emu-dev/emu/bindings/durableobject"
	"github.com/emu-dev/emu/cmd/emu/internal/config"
	"github.com/emu-dev/emu/cmd/emu/internal/reload"
	"github.com/emu-dev/emu/cmd/emu/internal/worker"
)

// peer is a Worker besides the first (`emu dev -c a/wrangler.toml -c
// b/wrangler.toml`, wrangler's multi-config form): it serves no HTTP of its
// own and is reachable by service bindings and script_name Durable Object
// bindings. It reloads on its own.
type peer struct {
	path    string
	cfg     *config.Config
	do      *durableobject.System
	cur     atomic.Pointer[worker.Worker]
	rl      *reload.Reloader
	watcher *reload.Watcher
}

// Current is the peer's serving version (a worker.Host).
func (p *peer) Current() *worker.Worker { return p.cur.Load() }

func (s *session) loadPeer(path string) (*config.Config, error) {
	return config.Load(config.Flags{ConfigPath: path, Vars: s.opts.Vars, CompatibilityDate: s.opts.CompatibilityDate,
		CompatibilityFlags: s.opts.CompatibilityFlags, WorkDir: s.opts.WorkDir})
}

// loadPeers reads the other Workers' configs and creates their Durable
// Object systems (storage under the same root, keyed by each Worker's name).
func (s *session) loadPeers() error {
	for _, path := range s.opts.Peers {
		cfg, err := s.loadPeer(path)
		if err != nil {
			return err
		}
		p := &peer{path: path, cfg: cfg}
		p.do = durableobject.NewSystem(durableobject.Options{
			PersistDir:     s.persist,
			HibernateAfter: s.opts.HibernateAfter,
			ScriptKey:      scriptKey(cfg),
			Log:            func(level, msg string) { s.log.print(level, "[emu] "+msg) },
		})
		s.peers = append(s.peers, p)
	}
	return nil
}

// startPeers builds and serves every peer and watches its files.
func (s *session) startPeers() error {
	var first error
	for _, p := range s.peers {
		p := p
		for _, w := range p.cfg.Warnings {
			s.log.print("warn", "▲ [WARNING] "+w)
		}
		p.rl = reload.New(p.cfg, reload.Options{
			LoadConfig: func() (*config.Config, error) { return s.loadPeer(p.path) },
			Build:      func(cfg *config.Config) (*worker.Worker, error) { return s.buildWith(cfg, p.do, p) },
			Serve: func(w *worker.Worker) int {
				closed := p.do.Activate(w.Version)
				if old := p.cur.Swap(w); old != nil {
					time.AfterFunc(30*time.Second, old.Close)
				}
				return closed
			},
			FirstVersion: func(cfg *config.Config) {
				s.banner(cfg, true)
				p.do.RestoreAlarms()
			},
			Unavailable: func(string) {},
			Log:         s.log.print,
		})
		if err := p.rl.Start(); err != nil && first == nil {
			first = err
		}
		if s.opts.Watch {
			w, err := reload.Watch(reload.WatchOptions{
				Root:     p.cfg.Dir,
				Ignore:   []string{s.persist, filepath.Join(p.cfg.Dir, ".emu")},
				Debounce: 20 * time.Millisecond,
				OnChange: p.rl.Changed,
			})
			if err != nil {
				s.log.print("warn", "▲ [WARNING] file watching is off for "+p.path+": "+err.Error())
			}
			p.watcher = w
		}
	}
	return first
}

func (s *session) stopPeers() {
	for _, p := range s.peers {
		if p.watcher != nil {
			p.watcher.Close()
		}
		p.do.Shutdown()
		if w := p.cur.Load(); w != nil {
			w.Close()
		}
	}
}

// lookup finds the Worker a service binding names.
func (s *session) lookup(service string) (worker.Host, bool) {
	if s.name != "" && service == s.name {
		return s.srv, true
	}
	for _, p := range s.peers {
		if p.cfg.Name != "" && p.cfg.Name == service {
			return p, true
		}
	}
	return nil, false
}

// system is the Durable Object system of the Worker called name.
func (s *session) system(name string) *durableobject.System {
	if s.name != "" && name == s.name {
		return s.do
	}
	for _, p := range s.peers {
		if p.cfg.Name == name {
			return p.do
		}
	}
	return nil
}

// remoteDO binds cfg's Durable Object bindings of other Workers' classes
// (script_name) to those Workers' namespaces.
func (s *session) remoteDO(cfg *config.Config) []durableobject.RemoteBinding {
	var out []durableobject.RemoteBinding
	for _, d := range cfg.DurableObjects {
		if d.ScriptName == "" || d.ScriptName == cfg.Name {
			continue
		}
		if sys := s.system(d.ScriptName); sys != nil {
			out = append(out, durableobject.RemoteBinding{Binding: d.Name, NS: sys.ForClass(d.ClassName)})
		}
	}
	return out
}

// connected reports whether a service binding's Worker (and entrypoint)
// runs in this process, for the banner.
func (s *session) connected(service, entrypoint string) bool {
	h, ok := s.lookup(service)
	if !ok {
		return false
	}
	if entrypoint == "" {
		return true
	}
	w := h.Current()
	return w == nil || w.HasExport(entrypoint)
}
