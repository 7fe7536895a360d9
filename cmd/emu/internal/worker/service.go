package worker

import (
	"github.com/dop251/goja"

	"github.com/emu-dev/emu/bindings/rpc"
	"github.com/emu-dev/emu/jsruntime"
)

// Host is a Worker running in this process: the version serving now (it
// changes on reload), nil while none has built.
type Host interface {
	Current() *Worker
}

// ServiceBinding binds a Worker (or one of its named entrypoints) into env.
type ServiceBinding struct {
	Binding    string
	Service    string
	Entrypoint string // "" for the default export
}

// bindServices puts a ServiceStub for every service binding into env. A
// service that is not running here gives a stub whose calls fail, as
// wrangler's "[not connected]" ones do.
func (w *Worker) bindServices(rt *goja.Runtime, cfg Config) {
	for _, s := range cfg.Services {
		var t rpc.Target
		if h, ok := lookup(cfg, s.Service); ok {
			t = &entrypoint{host: h, name: s.Entrypoint}
		} else {
			t = notConnected{s}
		}
		_ = w.env.Set(s.Binding, w.rpc.Service(t))
	}
}

func lookup(cfg Config, service string) (Host, bool) {
	if cfg.Lookup == nil {
		return nil, false
	}
	return cfg.Lookup(service)
}

// notConnected is a service binding to a Worker that is not running.
type notConnected struct{ s ServiceBinding }

func (n notConnected) Deliver(c *rpc.Call) {
	ep := "default"
	if n.s.Entrypoint != "" {
		ep = n.s.Entrypoint
	}
	c.Reply(&rpc.Reply{Err: &rpc.ErrorData{Class: "Error", Message: "Couldn't find a local dev session for the \"" + ep +
		"\" entrypoint of service \"" + n.s.Service + "\" to proxy to"}})
}
func (notConnected) Retain()  {}
func (notConnected) Release() {}

// entrypoint is a Worker's entrypoint as an RPC target: the default export
// or a named one. A class (extending WorkerEntrypoint) is constructed for
// each call with (ctx, env), and only its class members are reachable; an
// object's handler functions get (arg, env, ctx).
type entrypoint struct {
	host Host
	name string
}

func (e *entrypoint) Retain()  {}
func (e *entrypoint) Release() {}

func (e *entrypoint) Deliver(c *rpc.Call) {
	w := e.host.Current()
	if w == nil || !w.Iso.Post(nil, func(rt *goja.Runtime) { w.serveEntrypoint(rt, e.name, c) }) {
		c.Reply(&rpc.Reply{Err: &rpc.ErrorData{Class: "Error", Message: "Network connection lost.", Remote: true}})
	}
}

// serveEntrypoint runs c on the entrypoint called name (on the loop).
func (w *Worker) serveEntrypoint(rt *goja.Runtime, name string, c *rpc.Call) {
	key := name
	if key == "" {
		key = "default"
	}
	rules := rpc.Rules{Entrypoint: !c.Fetch}
	run, done := w.rpc.Serve(c, rules)
	h := w.exports.Get(key)
	if h == nil || goja.IsUndefined(h) || goja.IsNull(h) {
		done(nil, jsruntime.Errorf(jsruntime.TypeError, "The receiver is not an RPC object"))
		return
	}
	ctx := w.executionContext(rt)
	var root *goja.Object
	if isClass(h) {
		inst, err := rt.New(h.ToObject(rt), ctx, w.env)
		if err != nil {
			done(nil, err)
			return
		}
		root = inst
	} else {
		root = h.ToObject(rt)
		rules.AllowInstance, rules.Env, rules.Ctx = true, w.env, ctx
		run, done = w.rpc.Serve(c, rules)
	}
	rpc.RunDirect(rt, func(rt *goja.Runtime) (goja.Value, error) { return run(rt, root) }, done)
}

// ctxExportsValue is ctx.exports for Durable Objects' state, or nil.
func (w *Worker) ctxExportsValue() goja.Value {
	if w.ctxExp == nil {
		return nil
	}
	return w.ctxExp
}

// fillCtxExports fills ctx.exports (enable_ctx_exports): a loopback
// service binding for the default export and every exported
// WorkerEntrypoint class, and the namespace of every exported Durable
// Object class that has a binding.
func (w *Worker) fillCtxExports(rt *goja.Runtime, cfg Config) {
	if w.ctxExp == nil || w.exports == nil {
		return
	}
	self := cfg.Self
	if self == nil {
		self = staticHost{w}
	}
	nsByClass := map[string]goja.Value{}
	if cfg.Bindings != nil && w.Version != nil {
		for _, b := range cfg.Bindings(w.Classes) {
			nsByClass[b.ClassName] = w.env.Get(b.Name)
		}
	}
	for _, k := range w.exports.Keys() {
		v := w.exports.Get(k)
		switch {
		case nsByClass[k] != nil:
			_ = w.ctxExp.Set(k, nsByClass[k])
		case k == "default" && v != nil && !goja.IsUndefined(v) && !goja.IsNull(v):
			_ = w.ctxExp.Set(k, w.rpc.Service(&entrypoint{host: self}))
		case isClass(v) && w.cf != nil && instanceOfClass(rt, v.ToObject(rt), w.cf.WorkerEntrypoint):
			_ = w.ctxExp.Set(k, w.rpc.Service(&entrypoint{host: self, name: k}))
		}
	}
}

// instanceOfClass reports whether base.prototype is on cls.prototype's chain.
func instanceOfClass(rt *goja.Runtime, cls, base *goja.Object) bool {
	p, ok := cls.Get("prototype").(*goja.Object)
	bp, ok2 := base.Get("prototype").(*goja.Object)
	if !ok || !ok2 {
		return false
	}
	for cur := p; cur != nil; cur = cur.Prototype() {
		if cur == bp {
			return true
		}
	}
	return false
}

// staticHost is a Host that is always one version.
type staticHost struct{ w *Worker }

func (s staticHost) Current() *Worker { return s.w }

// HasExport reports whether the module exports name (safe from any
// goroutine: the names are read at load).
func (w *Worker) HasExport(name string) bool {
	for _, n := range w.names {
		if n == name {
			return true
		}
	}
	return false
}
