// Worker A calls Worker B (run with emu dev -c a/wrangler.toml -c b/wrangler.toml):
// B's named entrypoint and default export through service bindings, and
// B's Durable Object through a script_name binding.
export default {
  async fetch(request, env) {
    const url = new URL(request.url);
    if (url.pathname === "/missing") {
      try {
        await env.MISSING.hello();
        return new Response("no error");
      } catch (e) {
        return new Response(`${e.name}: ${e.message}`);
      }
    }
    const counter = env.COUNTER.getByName("shared");
    return Response.json({
      add: await env.API.add(2, 3),
      pipelined: await env.API.makeCounter(10).increment(5),
      callback: await env.API.apply((x) => x + 1, 41),
      fetch: await (await env.B.fetch("https://b.internal/hi", { method: "POST", body: "payload" })).text(),
      increments: [await counter.increment(), await counter.increment()],
      doFetch: await (await counter.fetch("https://do.internal/count")).text(),
      name: counter.name,
    });
  },
};
