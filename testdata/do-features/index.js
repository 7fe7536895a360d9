// Durable Object features beyond the seed examples: RPC, getByName, ids,
// hibernation with tags, attachments and auto-response, and a constructor
// counter that shows when the object was constructed again.
import { DurableObject } from "cloudflare:workers";

let constructed = 0; // module scope survives hibernation (same isolate)

export class Room extends DurableObject {
  constructor(ctx, env) {
    super(ctx, env);
    this.instance = ++constructed;
    this.bornWith = ctx.getWebSockets().length;
    ctx.setWebSocketAutoResponse(new WebSocketRequestResponsePair("ping", "pong"));
  }
  sayHello(name) {
    return `Hello, ${name}!`;
  }
  async add(a, b) {
    return { sum: a + b, when: new Date(0), set: new Set([a, b]) };
  }
  fail() {
    throw new RangeError("nope");
  }
  get version() {
    return 1;
  }
  async alarm() {}
  async fetch(request) {
    const url = new URL(request.url);
    if (url.pathname === "/ws") {
      const [client, server] = Object.values(new WebSocketPair());
      const tag = url.searchParams.get("tag") ?? "none";
      this.ctx.acceptWebSocket(server, [tag, "all"]);
      server.serializeAttachment({ tag, joined: this.instance });
      return new Response(null, { status: 101, webSocket: client });
    }
    if (url.pathname === "/arm-timer") {
      this.timer = setTimeout(() => {}, 60000);
      return new Response("armed");
    }
    if (url.pathname === "/disarm-timer") {
      clearTimeout(this.timer);
      return new Response(this.timer ? "disarmed" : "no timer: the object was evicted");
    }
    if (url.pathname === "/echo-request") {
      return Response.json({ url: request.url, method: request.method, body: await request.text(), h: request.headers.get("x-h") });
    }
    return Response.json({ instance: this.instance, sockets: this.ctx.getWebSockets().length, id: this.ctx.id.toString(), name: this.ctx.id.name });
  }
  async webSocketMessage(ws, message) {
    const att = ws.deserializeAttachment();
    const tags = this.ctx.getTags(ws);
    const peers = this.ctx.getWebSockets("all").length;
    ws.send(JSON.stringify({ message, instance: this.instance, bornWith: this.bornWith, att, tags, peers, auto: this.ctx.getWebSocketAutoResponseTimestamp(ws) !== null }));
  }
  async webSocketClose(ws, code, reason) {
    ws.close(code, "bye");
  }
}

export class Plain {
  constructor(ctx) { this.ctx = ctx; }
  fetch() { return new Response("plain"); }
  hello() { return "hi"; }
}

export default {
  async fetch(request, env) {
    const url = new URL(request.url);
    const room = url.searchParams.get("room") ?? "main";
    switch (url.pathname) {
      case "/rpc": {
        const stub = env.ROOM.getByName(room);
        return Response.json({ hello: await stub.sayHello("world"), add: await stub.add(2, 3) });
      }
      case "/rpc-error": {
        try {
          await env.ROOM.getByName(room).fail();
          return new Response("no error");
        } catch (e) {
          return new Response(`${e.name}: ${e.message}`);
        }
      }
      case "/rpc-missing": {
        try {
          await env.ROOM.getByName(room).noSuchMethod();
          return new Response("no error");
        } catch (e) {
          return new Response(`${e.name}: ${e.message}`);
        }
      }
      case "/rpc-misuse": {
        const stub = env.ROOM.getByName(room);
        const out = [];
        for (const call of [() => stub.alarm(), () => stub.webSocketMessage(), () => stub.version(), () => stub.toString()]) {
          try { await call(); out.push("no error"); } catch (e) { out.push(`${e.name}: ${e.message}`); }
        }
        return new Response(out.join("\n"));
      }
      case "/rpc-plain": {
        try {
          await env.PLAIN.getByName(room).hello();
          return new Response("no error");
        } catch (e) {
          return new Response(`${e.name}: ${e.message}`);
        }
      }
      case "/forward": {
        // A Request as init, as workers-chat-demo does.
        const res = await env.ROOM.getByName(room).fetch("https://room.internal/echo-request", request);
        return res;
      }
      case "/ids": {
        const a = env.ROOM.idFromName("x"), b = env.ROOM.idFromName("x");
        const u = env.ROOM.newUniqueId();
        const parsed = env.ROOM.idFromString(a.toString());
        const errors = [];
        for (const bad of ["zz", "0".repeat(64)]) {
          try { env.ROOM.idFromString(bad); } catch (e) { errors.push(`${e.name}: ${e.message}`); }
        }
        try { env.PLAIN.idFromString(a.toString()); } catch (e) { errors.push(`${e.name}: ${e.message}`); }
        return Response.json({ hex: /^[0-9a-f]{64}$/.test(a.toString()), equal: a.equals(b), parsedEqual: parsed.equals(a), uniqueDiffers: !u.equals(a), name: a.name, errors });
      }
      default:
        return env.ROOM.getByName(room).fetch(request);
    }
  },
};
