// A Worker and a Durable Object that misbehave on request, for emu's
// reliability tests: deep recursion, allocation bombs, endless loops in a
// constructor, in alarm() and in webSocketMessage, promises that never
// settle, and sockets whose closes are counted.
import { DurableObject } from "cloudflare:workers";

export class Room extends DurableObject {
  constructor(ctx, env) {
    super(ctx, env);
    if (globalThis.spinConstructor) {
      globalThis.spinConstructor = false;
      for (;;) {}
    }
  }

  async fetch(request) {
    const url = new URL(request.url);
    switch (url.pathname) {
      case "/ws": {
        const [client, server] = Object.values(new WebSocketPair());
        this.ctx.acceptWebSocket(server);
        return new Response(null, { status: 101, webSocket: client });
      }
      case "/accept": {
        const [client, server] = Object.values(new WebSocketPair());
        server.accept();
        server.addEventListener("message", (e) => server.send(`echo ${e.data}`));
        server.addEventListener("close", () => this.count("acceptCloses"));
        server.addEventListener("error", () => this.count("acceptErrors"));
        return new Response(null, { status: 101, webSocket: client });
      }
      case "/hang-with-socket": {
        const [client, server] = Object.values(new WebSocketPair());
        server.accept();
        this.held = server;
        return new Promise(() => {}); // never settles while the socket is open
      }
      case "/counts":
        return Response.json({
          closes: (await this.ctx.storage.get("closes")) ?? 0,
          errors: (await this.ctx.storage.get("errors")) ?? 0,
          acceptCloses: (await this.ctx.storage.get("acceptCloses")) ?? 0,
          acceptErrors: (await this.ctx.storage.get("acceptErrors")) ?? 0,
          alarms: (await this.ctx.storage.get("alarms")) ?? 0,
          sockets: this.ctx.getWebSockets().length,
        });
      case "/alarm": {
        await this.ctx.storage.put("spinAlarm", url.searchParams.get("spin") === "1");
        await this.ctx.storage.setAlarm(Date.now() + 20);
        return new Response("set");
      }
      case "/hello":
        return new Response("hello from the object");
    }
    return new Response("not found", { status: 404 });
  }

  async count(key) {
    await this.ctx.storage.put(key, ((await this.ctx.storage.get(key)) ?? 0) + 1);
  }

  async webSocketMessage(ws, message) {
    if (message === "spin") for (;;) {}
    if (message === "flood") {
      // 128 MiB for a client that does not read.
      const chunk = new Uint8Array(1 << 20);
      for (let i = 0; i < 128; i++) ws.send(chunk);
      return;
    }
    ws.send(`echo ${message}`);
  }

  async webSocketClose(ws, code, reason, wasClean) {
    await this.count("closes");
  }

  async webSocketError(ws, error) {
    await this.count("errors");
  }

  async alarm() {
    if (await this.ctx.storage.get("spinAlarm")) {
      await this.ctx.storage.put("spinAlarm", false); // committed before the loop
      for (;;) {}
    }
    await this.count("alarms");
    console.log("alarm ran");
  }
}

export default {
  async fetch(request, env) {
    const url = new URL(request.url);
    const room = () => env.ROOM.getByName(url.searchParams.get("room") ?? "main");
    switch (url.pathname) {
      case "/recurse": {
        const f = (n) => f(n + 1) + 1;
        return new Response(String(f(0)));
      }
      case "/bomb": {
        let s = "x";
        for (;;) s += s;
      }
      case "/array-bomb": {
        const a = [];
        for (;;) a.push(new ArrayBuffer(8 << 20));
      }
      case "/hang":
        return new Promise(() => {});
      case "/panic-loop":
        __emuTestPanic();
        return new Response("unreachable");
      case "/spin-constructor":
        globalThis.spinConstructor = true;
        return room().fetch("http://do/hello");
      case "/kv": {
        const k = url.searchParams.get("k");
        await env.KV.put(k, url.searchParams.get("v"));
        return new Response(await env.KV.get(k));
      }
      case "/":
        return new Response("still here");
    }
    return room().fetch(request);
  },
};
