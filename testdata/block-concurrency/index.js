// The Durable Objects docs' way to load state: the constructor awaits
// storage inside blockConcurrencyWhile, and every event waits for it. Each
// first event (fetch, RPC, WebSocket message after a wake, alarm) must be
// answered with no other traffic to push the isolate along.
import { DurableObject } from "cloudflare:workers";

let constructed = 0;

export class Counter extends DurableObject {
  constructor(ctx, env) {
    super(ctx, env);
    this.instance = ++constructed;
    this.loaded = false;
    ctx.blockConcurrencyWhile(async () => {
      await Promise.resolve();
      this.value = (await ctx.storage.get("value")) ?? 0;
      this.loaded = true;
    });
  }
  state() {
    return { loaded: this.loaded, value: this.value, instance: this.instance };
  }
  async increment() {
    this.value++;
    await this.ctx.storage.put("value", this.value);
    return this.state();
  }
  async fetch(request) {
    const url = new URL(request.url);
    if (url.pathname === "/ws") {
      const [client, server] = Object.values(new WebSocketPair());
      this.ctx.acceptWebSocket(server);
      return new Response(null, { status: 101, webSocket: client });
    }
    if (url.pathname === "/alarm") {
      await this.ctx.storage.setAlarm(Date.now() + 1500);
      return Response.json(this.state());
    }
    return Response.json(this.state());
  }
  async webSocketMessage(ws) {
    ws.send(JSON.stringify(this.state()));
  }
  async alarm() {
    console.log(`alarm ran: loaded=${this.loaded} instance=${this.instance}`);
  }
}

export default {
  async fetch(request, env) {
    const url = new URL(request.url);
    const stub = env.COUNTER.getByName(url.searchParams.get("name") ?? "a");
    if (url.pathname === "/rpc") {
      return Response.json(await stub.increment());
    }
    return stub.fetch(request);
  },
};
