// Outgoing fetch() end to end: the test passes its loopback upstream in
// the `to` query parameter.
import { DurableObject } from "cloudflare:workers";

export class Poster extends DurableObject {
  async fetch(request) {
    const to = new URL(request.url).searchParams.get("to");
    await this.ctx.storage.put("to", to);
    await this.ctx.storage.setAlarm(Date.now() + 10);
    return new Response("armed");
  }
  async alarm() {
    const to = await this.ctx.storage.get("to");
    const r = await fetch(to + "/alarm", { method: "POST", body: JSON.stringify({ from: "alarm" }) });
    console.log(`alarm posted: ${r.status} ${await r.text()}`);
  }
}

export default {
  async fetch(request, env, ctx) {
    const url = new URL(request.url);
    const to = url.searchParams.get("to");
    switch (url.pathname) {
      case "/proxy":
        // The upstream's response as it is: status, headers, streamed body.
        return fetch(to + "/data", { method: request.method, headers: { "x-from": "worker" }, body: request.body });
      case "/text": {
        const r = await fetch(to + "/data");
        return new Response(`${r.status} ${r.headers.get("x-upstream")} ${await r.text()}`);
      }
      case "/wait-until":
        ctx.waitUntil(fetch(to + "/later", { method: "POST", body: "from waitUntil" }));
        return new Response("queued");
      case "/alarm":
        return env.POSTER.get(env.POSTER.idFromName("a")).fetch(request);
      case "/ws": {
        // Open a WebSocket to the upstream echo server, send before open
        // (throws), relay two messages and close.
        const ws = new WebSocket(to, ["echo"]);
        const log = [`state ${ws.readyState} url ${ws.url === to}`];
        try {
          ws.send("too early");
        } catch (e) {
          log.push(`${e.name}: ${e.message}`);
        }
        const done = new Promise((resolve) => {
          ws.addEventListener("open", () => {
            log.push(`open ${ws.readyState} ${ws.protocol}`);
            ws.send("hello");
            ws.send(new Uint8Array([1, 2, 3]));
          });
          ws.addEventListener("message", (ev) => {
            log.push(typeof ev.data === "string" ? `text ${ev.data}` : `binary ${new Uint8Array(ev.data).join()}`);
            if (typeof ev.data !== "string") ws.send("bye");
          });
          ws.addEventListener("close", (ev) => {
            // Before web_socket_auto_reply_to_close the script answers the
            // close itself.
            log.push(`close ${ev.code} ${ev.reason} ${ev.wasClean} ${ws.readyState}`);
            ws.close(ev.code, ev.reason);
            log.push(`closed ${ws.readyState}`);
            resolve();
          });
          ws.addEventListener("error", (ev) => {
            log.push(`error ${ev.message}`);
            resolve();
          });
        });
        await done;
        return new Response(log.join("\n"));
      }
      case "/ws-fetch": {
        // The upgrade through fetch(): a 101 whose webSocket is accept()ed.
        const r = await fetch(to, { headers: { Upgrade: "websocket", "Sec-WebSocket-Protocol": "echo" } });
        const ws = r.webSocket;
        const log = [`status ${r.status} ${ws !== null} ${r.headers.get("sec-websocket-protocol")}`];
        ws.accept();
        await new Promise((resolve) => {
          ws.addEventListener("message", (ev) => {
            log.push(`message ${ev.data}`);
            ws.send("bye");
          });
          ws.addEventListener("close", (ev) => {
            log.push(`close ${ev.code} ${ev.reason}`);
            ws.close(ev.code, ev.reason);
            resolve();
          });
          ws.send("via fetch");
        });
        return new Response(log.join("\n"));
      }
      case "/ws-bad":
        try {
          new WebSocket(to);
          return new Response("constructed");
        } catch (e) {
          return new Response(`${e.name}: ${e.message}`);
        }
      case "/refused":
        return fetch(to).then(
          () => new Response("fetched"),
          (e) => new Response(`${e.name}: ${e.message}`),
        );
    }
    return new Response("not found", { status: 404 });
  },
};
