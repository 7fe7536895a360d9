// Every misuse of WebSockets and the Hibernation API that workerd rejects,
// caught and reported as "Class: message" lines.
import { DurableObject } from "cloudflare:workers";

function attempt(out, label, fn) {
  try {
    fn();
    out.push(`${label}: no error`);
  } catch (e) {
    out.push(`${label}: ${e.name}: ${e.message}`);
  }
}

export class Misuse extends DurableObject {
  async fetch() {
    const out = [];
    const pair = () => Object.values(new WebSocketPair());

    let [c, s] = pair();
    attempt(out, "send before accept", () => s.send("x"));
    attempt(out, "close before accept", () => s.close(1000, "x"));
    attempt(out, "close 1005", () => s.close(1005));
    attempt(out, "close 999", () => s.close(999));
    attempt(out, "close 1006", () => s.close(1006, "r"));
    attempt(out, "reason without code", () => s.close(undefined, "why"));
    attempt(out, "getTags before accept", () => this.ctx.getTags(s));
    s.accept();
    attempt(out, "getTags of accept()ed", () => this.ctx.getTags(s));
    attempt(out, "acceptWebSocket after accept", () => this.ctx.acceptWebSocket(s));
    attempt(out, "acceptWebSocket on the peer", () => this.ctx.acceptWebSocket(c));
    attempt(out, "accept twice", () => s.accept());
    s.close(1000, "done");
    attempt(out, "send after close", () => s.send("x"));
    attempt(out, "close after close", () => s.close(1000));
    out.push(`readyState after close: ${s.readyState}`);

    [c, s] = pair();
    this.ctx.acceptWebSocket(s, ["a", "a", "b"]);
    attempt(out, "accept after acceptWebSocket", () => s.accept());
    out.push(`tags: ${JSON.stringify(this.ctx.getTags(s))}`);
    attempt(out, "big attachment", () => s.serializeAttachment("x".repeat(20000)));
    attempt(out, "function attachment", () => s.serializeAttachment(() => 1));
    s.serializeAttachment({ ok: true });
    out.push(`attachment: ${JSON.stringify(s.deserializeAttachment())}`);

    [c, s] = pair();
    attempt(out, "11 tags", () => this.ctx.acceptWebSocket(s, ["1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11"]));
    [c, s] = pair();
    attempt(out, "long tag", () => this.ctx.acceptWebSocket(s, ["t".repeat(257)]));

    attempt(out, "auto-response request too big", () => this.ctx.setWebSocketAutoResponse(new WebSocketRequestResponsePair("r".repeat(2049), "ok")));
    attempt(out, "auto-response response too big", () => this.ctx.setWebSocketAutoResponse(new WebSocketRequestResponsePair("ok", "r".repeat(2049))));
    attempt(out, "event timeout too long", () => this.ctx.setHibernatableWebSocketEventTimeout(604800001));
    this.ctx.setWebSocketAutoResponse(new WebSocketRequestResponsePair("ping", "pong"));
    const ar = this.ctx.getWebSocketAutoResponse();
    out.push(`auto-response: ${ar.request} -> ${ar.response}`);

    [c, s] = pair();
    attempt(out, "101 without webSocket", () => new Response(null, { status: 101 }));
    attempt(out, "webSocket with 200", () => new Response(null, { status: 200, webSocket: c }));
    attempt(out, "101 with a body", () => new Response("body", { status: 101, webSocket: c }));
    attempt(out, "clone a 101", () => new Response(null, { status: 101, webSocket: c }).clone());
    out.push(`ready states: ${WebSocket.CONNECTING}${WebSocket.OPEN}${WebSocket.CLOSING}${WebSocket.CLOSED} pair end: ${c.readyState}`);
    attempt(out, "new WebSocket()", () => new WebSocket("http://example.com"));
    return new Response(out.join("\n"));
  }
}

export default {
  fetch(request, env) {
    if (new URL(request.url).pathname === "/return-accepted") {
      const [, server] = Object.values(new WebSocketPair());
      server.accept();
      return new Response(null, { status: 101, webSocket: server });
    }
    return env.MISUSE.getByName("x").fetch(request);
  },
};
