import { shout } from "./lib/shout.js";
import motd from "./motd.txt";
import { greet } from "tiny-greet";

export default {
  async fetch(request, env, ctx) {
    const url = new URL(request.url);
    switch (url.pathname) {
      case "/":
        return new Response("Hello World!");
      case "/vars":
        return Response.json({ GREETING: env.GREETING, LIMIT: env.LIMIT, EXTRA: env.EXTRA ?? null });
      case "/import":
        return new Response(shout(greet("emu")) + " " + motd.trim());
      case "/timer": {
        const start = Date.now();
        await new Promise((r) => setTimeout(r, 20));
        return new Response(`waited ${Date.now() - start >= 15}`);
      }
      case "/echo": {
        const body = await request.json();
        return Response.json({ method: request.method, got: body, type: request.headers.get("content-type") });
      }
      case "/request":
        return Response.json({ url: request.url, headers: [...request.headers], cf: Object.keys(request.cf).sort() });
      case "/throw":
        throw new Error("boom from the handler");
      case "/reject":
        return Promise.reject(new TypeError("rejected on purpose"));
      case "/never":
        return new Promise(() => {});
      case "/spin":
        for (;;) {}
      case "/log":
        console.log("a log line", { n: 1 });
        return new Response("logged");
      case "/async-iter": {
        // Syntax goja lacks (async generators, for await) is lowered by the bundler.
        async function* gen() { yield 1; yield 2; }
        let sum = 0n;
        for await (const x of gen()) sum += BigInt(x) ** 2n;
        return new Response(`sum ${sum} ${class { static #p = 1; static get p() { return this.#p; } }.p ?? 0}`);
      }
      case "/unhandled":
        Promise.reject(new Error("nobody catches me"));
        return new Response("ok");
      default:
        return new Response("not found", { status: 404 });
    }
  },
};
