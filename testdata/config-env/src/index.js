// Reports what the configuration gave the Worker, and drives the KV binding.
import version from "../gen/version.js";

export default {
  async fetch(request, env) {
    const url = new URL(request.url);
    const q = (k) => url.searchParams.get(k);
    switch (url.pathname) {
      case "/env":
        return Response.json({
          PLAIN: env.PLAIN, NUM: env.NUM, FLAG: env.FLAG, OBJ: env.OBJ, SECRET: env.SECRET, MULTI: env.MULTI,
          types: [typeof env.NUM, typeof env.FLAG, typeof env.OBJ],
          BUILD: __BUILD__, version,
        });
      case "/kv/put":
        await env.CACHE.put(q("k"), q("v"), q("ttl") ? { expirationTtl: Number(q("ttl")) } : undefined);
        return new Response("ok");
      case "/kv/get":
        return new Response(String(await env.CACHE.get(q("k"))));
      case "/kv/list":
        return Response.json(await env.CACHE.list({ prefix: q("prefix") ?? undefined }));
      case "/kv/long":
        try {
          await env.CACHE.put("k".repeat(513), "v");
          return new Response("no error");
        } catch (e) {
          return new Response(`${e.name}: ${e.message}`);
        }
    }
    return new Response("not found", { status: 404 });
  },
};
