// emubench's Worker -> Durable Object row: every request goes to one object,
// which reads a counter from storage and writes it back incremented.
export default {
  async fetch(request, env) {
    const stub = env.COUNTER.get(env.COUNTER.idFromName("bench"));
    return stub.fetch(request);
  },
};

export class Counter {
  constructor(ctx, env) {
    this.ctx = ctx;
  }

  async fetch(request) {
    const n = ((await this.ctx.storage.get("n")) || 0) + 1;
    await this.ctx.storage.put("n", n);
    return new Response(String(n));
  }
}
