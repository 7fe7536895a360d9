package durableobject

import (
	"github.com/dop251/goja"

	"github.com/emu-dev/emu/bindings/rpc"
	"github.com/emu-dev/emu/jsruntime"
)

// target is a Durable Object as an RPC target: each call is an event on
// the object in the version serving now (constructed if needed, through
// its input gate), on the instance's class members.
type target struct {
	ns       *Namespace
	id, name string
}

func (t *target) Retain()  {}
func (t *target) Release() {}

// Deliver runs c as an event on the object.
func (t *target) Deliver(c *rpc.Call) {
	v := t.ns.sys.Current()
	if v == nil || v.RPC == nil {
		c.Reply(&rpc.Reply{Err: &rpc.ErrorData{Class: "Error", Message: "Durable Object is not available.", Remote: true}})
		return
	}
	o := t.ns.object(t.id, t.name)
	what := "rpc"
	if len(c.Path) > 0 {
		what = c.Path[0]
	}
	if c.Fetch {
		what = "fetch"
	}
	ok := o.post(v, func(rt *goja.Runtime) {
		run, done := v.RPC.Serve(c, rpc.Rules{Entrypoint: !c.Fetch})
		o.event(v, what, func(rt *goja.Runtime, inst *instance) (goja.Value, error) {
			if !c.Fetch {
				if base := v.DurableObjectBase; base != nil && !instanceOf(rt, inst.obj, base) {
					return nil, jsruntime.Errorf(jsruntime.TypeError, "%s", msgNoRPC)
				}
			}
			return run(rt, inst.obj)
		}, done)
	})
	if !ok {
		c.Reply(&rpc.Reply{Err: &rpc.ErrorData{Class: "Error", Message: "Network connection lost.", Remote: true}})
	}
}

// EnterRPC runs a call on a target the object exported (an RpcTarget or
// a function it returned or passed) through the object's input gate,
// while the instance that exported it is live; otherwise directly.
func (o *Object) EnterRPC(rt *goja.Runtime, run func(rt *goja.Runtime) (goja.Value, error), done func(goja.Value, error)) {
	o.mu.Lock()
	inst := o.inst
	o.mu.Unlock()
	if inst == nil || inst.v.rt != rt || inst.obj == nil {
		rpc.RunDirect(rt, run, done)
		return
	}
	o.event(inst.v, "rpc", func(rt *goja.Runtime, _ *instance) (goja.Value, error) { return run(rt) }, done)
}
