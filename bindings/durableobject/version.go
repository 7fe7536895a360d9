package durableobject

import (
	_ "embed"
	"fmt"
	"strings"
	"sync/atomic"

	"github.com/dop251/goja"

	"github.com/emu-dev/emu/bindings/rpc"
	"github.com/emu-dev/emu/bindings/websocket"
	"github.com/emu-dev/emu/jsruntime"
)

//go:embed durableobject.js
var durableObjectJS string

var durableObjectProgram = goja.MustCompile("emu:durableobject.js", "("+durableObjectJS+")", true)

// Version is one loaded version of the Worker's code, as the Durable Object
// layer sees it: its isolate and the JS values instances are built from.
// Everything but Iso belongs to Iso's loop.
type Version struct {
	Iso *jsruntime.Isolate
	rt  *goja.Runtime
	VersionOptions

	js       *versionJS
	ctxProto *goja.Object // prototype of every ctx (DurableObjectState)
	dropped  atomic.Bool
}

// VersionOptions is what a version of the code gives the Durable Object
// layer.
type VersionOptions struct {
	WS      *websocket.Registry // the isolate's WebSockets
	Exports *goja.Object        // the module namespace: classes by name
	Env     *goja.Object        // the env object; Install adds the namespaces
	// DurableObjectBase is the `DurableObject` class of cloudflare:workers,
	// so RPC can check `extends DurableObject`.
	DurableObjectBase *goja.Object
	// DeleteAllDeletesAlarm is the delete_all_deletes_alarm compatibility flag.
	DeleteAllDeletesAlarm bool
	// RPC is the isolate's RPC endpoint: stubs and calls.
	RPC *rpc.Endpoint
	// Remote are bindings to other Workers' classes (script_name).
	Remote []RemoteBinding
	// CtxExports is ctx.exports (nil when the compatibility date lacks it).
	CtxExports goja.Value
}

// versionJS is the per-isolate JS side of the system.
type versionJS struct {
	namespace goja.Callable
	id        goja.Callable
	pairClass *goja.Object
}

// Install binds the system into one version of the code: it defines
// DurableObjectId, DurableObjectNamespace and WebSocketRequestResponsePair,
// puts a binding for every namespace into opts.Env, and returns the Version
// to Activate. Call it on iso's loop (inside Do) with its runtime.
func (s *System) Install(iso *jsruntime.Isolate, rt *goja.Runtime, opts VersionOptions) (*Version, error) {
	v := &Version{Iso: iso, rt: rt, VersionOptions: opts}
	f, err := rt.RunProgram(durableObjectProgram)
	if err != nil {
		return nil, fmt.Errorf("durable objects: %w", err)
	}
	fn, _ := goja.AssertFunction(f)
	res, err := fn(goja.Undefined(), nativesObject(rt))
	if err != nil {
		return nil, fmt.Errorf("durable objects: %w", err)
	}
	o := res.ToObject(rt)
	js := &versionJS{}
	js.namespace, _ = goja.AssertFunction(o.Get("namespace"))
	js.id, _ = goja.AssertFunction(o.Get("id"))
	js.pairClass = o.Get("WebSocketRequestResponsePair").ToObject(rt)
	for _, name := range []string{"WebSocketRequestResponsePair", "DurableObjectId", "DurableObjectNamespace"} {
		if err := rt.Set(name, o.Get(name)); err != nil {
			return nil, fmt.Errorf("durable objects: %w", err)
		}
	}
	v.js = js
	v.ctxProto = v.newStateProto()
	for _, ns := range s.Namespaces() {
		if strings.HasPrefix(ns.Binding, externalKey) {
			continue
		}
		b, err := js.namespace(goja.Undefined(), rt.ToValue(&nsHandle{ns, v}))
		if err != nil {
			return nil, fmt.Errorf("durable objects: binding %s: %w", ns.Binding, err)
		}
		if err := opts.Env.Set(ns.Binding, b); err != nil {
			return nil, fmt.Errorf("durable objects: binding %s: %w", ns.Binding, err)
		}
	}
	for _, r := range opts.Remote {
		b, err := js.namespace(goja.Undefined(), rt.ToValue(&nsHandle{r.NS, v}))
		if err != nil {
			return nil, fmt.Errorf("durable objects: binding %s: %w", r.Binding, err)
		}
		if err := opts.Env.Set(r.Binding, b); err != nil {
			return nil, fmt.Errorf("durable objects: binding %s: %w", r.Binding, err)
		}
	}
	return v, nil
}

// RemoteBinding binds a namespace of another Worker's system into env.
type RemoteBinding struct {
	Binding string
	NS      *Namespace
}

// post runs fn on v's loop as o's work.
func (o *Object) post(v *Version, fn func(rt *goja.Runtime)) bool {
	return v.Iso.Post(o, fn)
}
