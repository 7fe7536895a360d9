// Package cloudflare provides the virtual module "cloudflare:workers": the
// DurableObject, WorkerEntrypoint, WorkflowEntrypoint and RpcTarget base
// classes, RpcStub, RpcPromise, RpcProperty, ServiceStub, env and waitUntil, as a Worker imports them.
package cloudflare

import (
	_ "embed"
	"fmt"

	"github.com/dop251/goja"

	"github.com/emu-dev/emu/jsruntime"
)

//go:embed workers.js
var workersJS string

var workersProgram = goja.MustCompile("emu:cloudflare-workers.js", "("+workersJS+")", true)

// globalName is the hidden global the bundle reads the module from.
const globalName = "__emu_cf"

// ModuleSource is the source of the virtual module "cloudflare:workers"
// given to the bundler: it re-exports what Install defined.
const ModuleSource = `const cf = globalThis.` + globalName + `;
export const DurableObject = cf.DurableObject;
export const WorkerEntrypoint = cf.WorkerEntrypoint;
export const WorkflowEntrypoint = cf.WorkflowEntrypoint;
export const RpcTarget = cf.RpcTarget;
export const RpcStub = cf.RpcStub;
export const RpcPromise = cf.RpcPromise;
export const RpcProperty = cf.RpcProperty;
export const ServiceStub = cf.ServiceStub;
export const env = cf.env;
export const waitUntil = cf.waitUntil;
export default cf;
`

// Module is the module as installed in one isolate (its values belong to
// the isolate's loop).
type Module struct {
	// DurableObject is the base class RPC requires (`extends DurableObject`).
	DurableObject *goja.Object
	// WorkerEntrypoint is the base class of named entrypoints.
	WorkerEntrypoint *goja.Object
}

// Options configures the module.
type Options struct {
	Env *goja.Object // the env object `import { env }` gives
	// RPC holds RpcTarget, RpcStub, RpcPromise, RpcProperty and ServiceStub
	// (rpc.Endpoint.Classes).
	RPC *goja.Object
}

// Install defines the module's values for the bundle to import. Call it on
// iso's loop (inside Do), before the Worker's code runs.
func Install(iso *jsruntime.Isolate, rt *goja.Runtime, opts Options) (*Module, error) {
	f, err := rt.RunProgram(workersProgram)
	if err != nil {
		return nil, fmt.Errorf("cloudflare:workers: %w", err)
	}
	fn, _ := goja.AssertFunction(f)
	env := opts.Env
	if env == nil {
		env = rt.NewObject()
	}
	classes := opts.RPC
	if classes == nil {
		classes = rt.NewObject()
	}
	v, err := fn(goja.Undefined(), env, classes)
	if err != nil {
		return nil, fmt.Errorf("cloudflare:workers: %w", err)
	}
	mod := v.ToObject(rt)
	if err := rt.GlobalObject().DefineDataProperty(globalName, mod, goja.FLAG_FALSE, goja.FLAG_FALSE, goja.FLAG_FALSE); err != nil {
		return nil, fmt.Errorf("cloudflare:workers: %w", err)
	}
	return &Module{DurableObject: mod.Get("DurableObject").ToObject(rt), WorkerEntrypoint: mod.Get("WorkerEntrypoint").ToObject(rt)}, nil
}
