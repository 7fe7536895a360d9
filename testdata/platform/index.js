// Encodings, engine built-ins, globals and V8's error wording, as a Worker
// sees them.
let unhandled = [];
addEventListener("unhandledrejection", (e) => {
  unhandled.push(e.reason.message);
  e.preventDefault();
});

export default {
  async fetch(request) {
    const { pathname } = new URL(request.url);
    switch (pathname) {
      case "/encoding": {
        const sjis = new TextDecoder("shift_jis").decode(new Uint8Array([0x93, 0xfa, 0x96, 0x7b]));
        const d = new TextDecoder("utf-16be");
        const streamed = [0x00, 0x68, 0x27].map((b) => d.decode(new Uint8Array([b]), { stream: true })).join("") +
          d.decode(new Uint8Array([0x13]));
        const into = new TextEncoder().encodeInto("a😀", new Uint8Array(3));
        let bad;
        try {
          new TextDecoder("x-user-defined");
        } catch (e) {
          bad = e.name + ": " + e.message;
        }
        return Response.json({ sjis, streamed, latin1: new TextDecoder("latin1").encoding, into, bad });
      }
      case "/globals": {
        const { promise, resolve } = Promise.withResolvers();
        resolve(Object.groupBy([1, 2, 3], (x) => (x % 2 ? "odd" : "even")));
        const groups = await promise;
        const o = {};
        Error.captureStackTrace(o);
        Promise.reject(new Error("quiet"));
        await scheduler.wait(1);
        return Response.json({
          groups,
          iter: [1, 2, 3].values().map((x) => x * 2).toArray(),
          wellFormed: "a\uD800".isWellFormed(),
          stack: typeof o.stack,
          navigator: [navigator.userAgent, navigator.language],
          flags: Cloudflare.compatibilityFlags,
          timeOrigin: performance.timeOrigin,
          unhandled,
        });
      }
      case "/caught": {
        try {
          const o = {};
          o.method();
        } catch (e) {
          return new Response(e.message);
        }
        return new Response("no error");
      }
      case "/status":
        return new Response("teapot", { status: 418, statusText: "Short And Stout" });
      case "/throw": {
        const u = undefined;
        return new Response(u.x);
      }
    }
    return new Response("not found", { status: 404 });
  },
};
