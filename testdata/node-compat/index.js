// A Worker using Node.js built-ins (nodejs_compat) directly and through a
// CommonJS package (packages/reqctx).
import { withRequestId, requestId, encode, bus, sleep } from "./packages/reqctx";
import { Buffer } from "node:buffer";
import { createHash, createHmac, randomUUID } from "node:crypto";
import { inspect } from "node:util";
import path from "node:path";
import { readFileSync } from "node:fs";
import assert from "node:assert";

bus.on("hit", (where) => console.log(`hit ${where} in request ${requestId()}`));

export default {
  async fetch(request, env) {
    const url = new URL(request.url);
    const id = request.headers.get("x-request-id") ?? "none";
    return withRequestId(id, async () => {
      switch (url.pathname) {
        case "/id": {
          await sleep(Number(url.searchParams.get("delay") ?? 0), null);
          await null;
          bus.emit("hit", url.pathname);
          return new Response(`${id} -> ${requestId()}`);
        }
        case "/buffer":
          return Response.json({
            base64: encode("héllo"),
            hex: Buffer.from("hi").toString("hex"),
            global: typeof globalThis.Buffer === "function" && globalThis.Buffer === Buffer,
            sha256: createHash("sha256").update("emu").digest("hex"),
            hmac: createHmac("sha1", "k").update("v").digest("base64"),
            uuid: randomUUID().length,
            path: path.join("/a/b", "../c"),
          });
        case "/env":
          return Response.json({ env: process.env, version: process.version, platform: process.platform });
        case "/log":
          console.log({ buf: Buffer.from("ab"), map: new Map([[1, { a: [1, 2] }]]) });
          console.log(new Error("logged", { cause: new TypeError("why") }));
          console.log(inspect(request.headers.get("x-request-id")));
          return new Response("logged");
        case "/stack":
          try {
            throw new Error("where");
          } catch (e) {
            return new Response(e.stack);
          }
        case "/fs":
          try {
            readFileSync("/etc/passwd");
            return new Response("read");
          } catch (e) {
            return new Response(`${e.name} ${e.code}: ${e.message}`, { status: 500 });
          }
        case "/assert":
          assert.strictEqual(1, 2);
          return new Response("unreachable");
      }
      return new Response("not found", { status: 404 });
    });
  },
};
