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
      case "/refused":
        return fetch(to).then(
          () => new Response("fetched"),
          (e) => new Response(`${e.name}: ${e.message}`),
        );
    }
    return new Response("not found", { status: 404 });
  },
};
