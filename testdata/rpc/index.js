// JS RPC as Cloudflare's docs show it: RpcTargets returned from a Durable
// Object, promise pipelining, callbacks, `using`, WorkerEntrypoints behind
// service bindings and ctx.exports.
import { DurableObject, RpcTarget, RpcStub, WorkerEntrypoint } from "cloudflare:workers";

class Counter extends RpcTarget {
  #value = 0;
  increment(amount) {
    this.#value += amount;
    return this.#value;
  }
  get value() {
    return this.#value;
  }
}

export class MyDurableObject extends DurableObject {
  constructor(ctx, env) {
    super(ctx, env);
    this.disposed = 0;
  }
  computeMessage(userName) {
    return `Hello, ${userName}!`;
  }
  getCounter() {
    return new Counter();
  }
  async useCallback(cb) {
    const a = await cb(2);
    return a + (await cb(3));
  }
  keepStub(stub) {
    this.kept = stub;
    return "kept";
  }
  async callKept() {
    return await this.kept.increment(1);
  }
  getObject() {
    return { label: "obj", counter: new Counter(), [Symbol.dispose]: () => { this.disposed++; } };
  }
  disposedCount() {
    return this.disposed;
  }
  echo(v) {
    return v;
  }
  fail() {
    throw new RangeError("bad range");
  }
  get storageName() {
    return this.ctx.id.name;
  }
}

export class Greeter extends WorkerEntrypoint {
  greet(name) {
    return `Hi ${name} from ${this.env.GREETING ?? "Greeter"}`;
  }
  async fetch(request) {
    return new Response(`Greeter fetch ${new URL(request.url).pathname}`);
  }
  async viaExports(name) {
    return await this.ctx.exports.Greeter.greet(name);
  }
}

const show = (e) => `${e.name}: ${e.message}${e.remote ? " (remote)" : ""}`;

async function attempt(fn) {
  try {
    const v = await fn();
    return `ok ${typeof v === "object" ? JSON.stringify(v) : String(v)}`;
  } catch (e) {
    return show(e);
  }
}

export default {
  async fetch(request, env, ctx) {
    const url = new URL(request.url);
    const stub = env.MY_DO.getByName(url.searchParams.get("name") ?? "main");
    switch (url.pathname) {
      case "/target": {
        using counter = await stub.getCounter();
        await counter.increment(2);
        const v = await counter.increment(3);
        return Response.json({ v, value: await counter.value, message: await stub.computeMessage("Ada") });
      }
      case "/pipeline":
        return Response.json({ v: await stub.getCounter().increment(4), label: await stub.getObject().label, nested: await stub.getObject().counter.increment(6) });
      case "/callback":
        return Response.json({ v: await stub.useCallback((x) => x * 10) });
      case "/shape": {
        const p = stub.computeMessage("x");
        const out = {
          promise: String(p), promiseType: typeof p, property: String(stub.computeMessage), stub: String(stub),
          keys: Object.keys(stub), ownId: Object.hasOwn(stub, "id"), ownName: Object.hasOwn(stub, "name"), name: stub.name,
          idMatches: stub.id.equals(env.MY_DO.idFromName("main")), then: typeof stub.then, toString: stub.toString(),
        };
        await p;
        return Response.json(out);
      }
      case "/dispose": {
        const counter = await stub.getCounter();
        await counter.increment(1);
        counter[Symbol.dispose]();
        const afterDispose = await attempt(() => counter.increment(1));
        const obj = await stub.getObject();
        const before = await stub.disposedCount();
        obj[Symbol.dispose]();
        const objCounter = await attempt(() => obj.counter.increment(1));
        let after = before;
        for (let i = 0; i < 50 && after === before; i++) {
          await new Promise((r) => setTimeout(r, 5));
          after = await stub.disposedCount();
        }
        const dup = await stub.getCounter();
        const d2 = dup.dup();
        dup[Symbol.dispose]();
        return Response.json({ afterDispose, objCounter, disposerRan: after - before, dupStillWorks: await d2.increment(7) });
      }
      case "/params": {
        // Stubs received as parameters are disposed when the call returns.
        const local = new RpcStub(new Counter());
        const kept = await stub.keepStub(local);
        const later = await attempt(() => stub.callKept());
        return Response.json({ kept, later, mine: await local.increment(5) });
      }
      case "/errors": {
        class NotRpc { constructor() { this.x = 1; } }
        const p = stub.getCounter();
        return Response.json({
          missing: await attempt(() => stub.noSuchMethod()),
          thrown: await attempt(() => stub.fail()),
          reserved: await attempt(() => stub.alarm()),
          notFunction: await attempt(() => stub.storageName()),
          property: await attempt(() => stub.storageName),
          notSerializable: await attempt(() => stub.echo(new NotRpc())),
          fn: await attempt(() => stub.echo({ f() {} }).then((o) => typeof o.f)),
          cyclic: await attempt(() => p.increment(p)),
          structuredClone: await attempt(() => structuredClone(new Counter())),
        });
      }
      case "/entrypoint": {
        const res = await env.GREETER.fetch("https://greeter.internal/path");
        return Response.json({
          greet: await env.GREETER.greet("Bob"),
          fetch: await res.text(),
          selfFetch: await (await env.SELF.fetch("https://self.internal/hello")).text(),
          serviceStub: String(env.GREETER),
          reservedFetch: await attempt(() => env.GREETER.constructor.name),
          instanceProp: await attempt(() => env.GREETER.env),
        });
      }
      case "/exports":
        return Response.json({
          keys: Object.keys(ctx.exports).sort(),
          greet: await ctx.exports.Greeter.greet("Cy"),
          nested: await ctx.exports.Greeter.viaExports("Di"),
          ns: ctx.exports.MyDurableObject === env.MY_DO,
        });
      case "/hello":
        return new Response("hello from the default export");
      default:
        return new Response("not found", { status: 404 });
    }
  },
};
