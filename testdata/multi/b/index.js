// Worker B: a named entrypoint, a default export and a Durable Object that
// Worker A reaches.
import { DurableObject, RpcTarget, WorkerEntrypoint } from "cloudflare:workers";

class Tally extends RpcTarget {
  constructor(n) {
    super();
    this.n = n;
  }
  increment(by) {
    return (this.n += by);
  }
}

export class Api extends WorkerEntrypoint {
  add(a, b) {
    return a + b;
  }
  makeCounter(n) {
    return new Tally(n);
  }
  async apply(fn, x) {
    return await fn(x);
  }
}

export class Counter extends DurableObject {
  async increment() {
    const n = ((await this.ctx.storage.get("n")) ?? 0) + 1;
    await this.ctx.storage.put("n", n);
    return n;
  }
  async fetch(request) {
    return new Response(`count=${await this.ctx.storage.get("n")} ${new URL(request.url).pathname}`);
  }
}

export default {
  async fetch(request) {
    return new Response(`B got ${request.method} ${new URL(request.url).pathname} ${await request.text()}`);
  },
};
