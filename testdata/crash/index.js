// Durable Object storage for emu's crash tests: each route makes writes
// whose acknowledged results must survive a kill -9 at any moment.
import { DurableObject } from "cloudflare:workers";

const KEYS = 20;

export class Store extends DurableObject {
  async fetch(request) {
    const url = new URL(request.url);
    const s = this.ctx.storage;
    switch (url.pathname) {
      case "/txn": {
        // One transaction writes the counter and KEYS mirrors of it: after
        // a crash either all of them or none have the new value.
        const n = await s.transaction(async (txn) => {
          const n = ((await txn.get("n")) ?? 0) + 1;
          await txn.put("n", n);
          for (let i = 0; i < KEYS; i++) await txn.put(`m${i}`, n);
          return n;
        });
        return new Response(String(n));
      }
      case "/cycle": {
        // deleteAll, then a new generation written in one batch.
        const g = ((await s.get("gen")) ?? 0) + 1;
        await s.deleteAll();
        const batch = { gen: g };
        for (let i = 0; i < KEYS; i++) batch[`m${i}`] = g;
        await s.put(batch);
        return new Response(String(g));
      }
      case "/incr": {
        const n = ((await s.get("n")) ?? 0) + 1;
        await s.put("n", n);
        return new Response(String(n));
      }
      case "/put": {
        const size = Number(url.searchParams.get("size") ?? "1");
        await s.put(url.searchParams.get("k"), "x".repeat(size));
        return new Response("ok");
      }
      case "/get": {
        const v = await s.get(url.searchParams.get("k"));
        return new Response(v === undefined ? "missing" : String(v.length));
      }
      case "/state":
        return Response.json(Object.fromEntries(await s.list()));
      case "/alarm": {
        await s.setAlarm(Date.now() + 10);
        return new Response("set");
      }
    }
    return new Response("not found", { status: 404 });
  }

  async alarm() {
    const runs = ((await this.ctx.storage.get("alarmRuns")) ?? 0) + 1;
    await this.ctx.storage.put("alarmRuns", runs);
    console.log(`alarm started (run ${runs})`);
    await new Promise((resolve) => setTimeout(resolve, 300));
    await this.ctx.storage.put("alarmDone", runs);
    console.log(`alarm done (run ${runs})`);
  }
}

export default {
  fetch(request, env) {
    const url = new URL(request.url);
    if (url.pathname === "/up") return new Response("up");
    return env.STORE.getByName(url.searchParams.get("name") ?? "main").fetch(request);
  },
};
