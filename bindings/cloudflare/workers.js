// The classes of the virtual module "cloudflare:workers". Evaluated once per
// isolate before the Worker's bundle; the bundle imports them from
// globalThis.__emu_cf (see ModuleSource in cloudflare.go).
(function (env, rpc) {
  class DurableObject {
    constructor(ctx, env) {
      this.ctx = ctx;
      this.env = env;
    }
  }
  class WorkerEntrypoint {
    constructor(ctx, env) {
      this.ctx = ctx;
      this.env = env;
    }
  }
  const { RpcTarget, RpcStub, RpcPromise, RpcProperty, ServiceStub } = rpc;
  class WorkflowEntrypoint {
    constructor(ctx, env) {
      this.ctx = ctx;
      this.env = env;
    }
  }
  const waitUntil = (p) => {};
  return { DurableObject, WorkerEntrypoint, RpcTarget, RpcStub, RpcPromise, RpcProperty, ServiceStub, WorkflowEntrypoint, env, waitUntil };
})
