// A chat room with an alarm and stored keys, for the inspector's tests and
// screenshot. Rooms are named by ?room=.
//   /chat?name=N     a hibernatable WebSocket tagged "user:N"; messages go to
//                    the other members and into the SQL table `messages`
//   /put?key=K&value=V   stores V (JSON if it parses) under K
//   /get?key=K       the stored value, as JSON
//   /alarm?ms=N      sets the alarm N ms from now; when it fires it stores
//                    `lastAlarm` and sends "alarm fired" to every member
//   /hold, /release  a timer keeps the object in memory until released
// and, to show each reason an object stays in memory (the `release*`
// paths may be called on any room: the isolate's globals are shared):
//   /slow            a request that waits for /release-slow
//   /accept          a WebSocket accepted with accept() (an echo)
//   /block           blockConcurrencyWhile() until /release-block
//   /wait            waitUntil() until /release-wait
//   /txn             a storage transaction open until /release-txn
import { DurableObject } from "cloudflare:workers";

export default {
  async fetch(request, env) {
    const url = new URL(request.url);
    if (url.pathname === "/" ) return new Response("inspector demo");
    if (url.pathname.startsWith("/release-")) {
      globalThis[url.pathname]();
      return new Response("released");
    }
    if (!["/chat", "/put", "/get", "/alarm", "/hold", "/release", "/slow", "/accept", "/block", "/wait", "/txn"].includes(url.pathname)) {
      return new Response("worker saw " + url.pathname, { status: 200 });
    }
    const room = url.searchParams.get("room") || "lobby";
    return env.CHAT_ROOM.getByName(room).fetch(request);
  },
};

export class ChatRoom extends DurableObject {
  constructor(ctx, env) {
    super(ctx, env);
    this.ctx = ctx;
    ctx.storage.sql.exec("CREATE TABLE IF NOT EXISTS messages (id INTEGER PRIMARY KEY, author TEXT NOT NULL, body TEXT NOT NULL)");
    ctx.setWebSocketAutoResponse(new WebSocketRequestResponsePair("ping", "pong"));
  }

  async fetch(request) {
    const url = new URL(request.url);
    const q = (k) => url.searchParams.get(k);
    switch (url.pathname) {
      case "/chat": {
        if (request.headers.get("Upgrade") !== "websocket") {
          return new Response("Expected WebSocket", { status: 426 });
        }
        const name = q("name") || "anonymous";
        const [client, server] = Object.values(new WebSocketPair());
        this.ctx.acceptWebSocket(server, ["user:" + name]);
        server.serializeAttachment({ name, color: q("color") || "orange" });
        return new Response(null, { status: 101, webSocket: client });
      }
      case "/put": {
        let value = q("value");
        try { value = JSON.parse(value); } catch {}
        await this.ctx.storage.put(q("key"), value);
        return new Response("stored " + q("key"));
      }
      case "/get":
        return Response.json((await this.ctx.storage.get(q("key"))) ?? null);
      case "/alarm":
        await this.ctx.storage.setAlarm(Date.now() + Number(q("ms")));
        return new Response("alarm set");
      case "/hold":
        this.timer = setTimeout(() => {}, 600000);
        return new Response("held");
      case "/release":
        clearTimeout(this.timer);
        return new Response("released");
      case "/slow":
        await new Promise((r) => { globalThis["/release-slow"] = r; });
        return new Response("slow done");
      case "/accept": {
        const [client, server] = Object.values(new WebSocketPair());
        server.accept();
        server.addEventListener("message", (ev) => server.send("echo: " + ev.data));
        return new Response(null, { status: 101, webSocket: client });
      }
      case "/block":
        this.ctx.blockConcurrencyWhile(() => new Promise((r) => { globalThis["/release-block"] = r; }));
        return new Response("blocking");
      case "/wait":
        this.ctx.waitUntil(new Promise((r) => { globalThis["/release-wait"] = r; }));
        return new Response("waiting");
      case "/txn":
        this.ctx.storage.transaction(async (txn) => {
          await txn.put("inTxn", true);
          await new Promise((r) => { globalThis["/release-txn"] = r; });
        });
        return new Response("transaction open");
    }
    return new Response("not found", { status: 404 });
  }

  async webSocketMessage(ws, message) {
    const { name } = ws.deserializeAttachment();
    this.ctx.storage.sql.exec("INSERT INTO messages (author, body) VALUES (?, ?)", name, String(message));
    for (const peer of this.ctx.getWebSockets()) {
      if (peer !== ws) peer.send(`${name}: ${message}`);
    }
  }

  async webSocketClose(ws) {
    ws.close();
  }

  async alarm() {
    await this.ctx.storage.put("lastAlarm", new Date());
    for (const ws of this.ctx.getWebSockets()) ws.send("alarm fired");
  }
}
