// A Hono app with middleware (logger, CORS, secure headers, context
// storage, a token check of its own), JSON routes, error handling and a
// Durable Object counter reached by RPC and by fetch.
import { Hono } from "hono";
import { logger } from "hono/logger";
import { cors } from "hono/cors";
import { secureHeaders } from "hono/secure-headers";
import { contextStorage, getContext } from "hono/context-storage";
import { HTTPException } from "hono/http-exception";
import { DurableObject } from "cloudflare:workers";

export class Counter extends DurableObject {
  async increment(by) {
    const value = ((await this.ctx.storage.get("count")) ?? 0) + by;
    await this.ctx.storage.put("count", value);
    return value;
  }

  async fetch(request) {
    const count = (await this.ctx.storage.get("count")) ?? 0;
    return Response.json({ count, method: request.method });
  }
}

const app = new Hono();

app.use(logger());
app.use(contextStorage());
app.use(async (c, next) => {
  c.set("requestId", c.req.header("x-request-id") ?? "anonymous");
  await next();
  c.header("X-Powered-By", "hono+emu");
});
app.use("/api/*", cors({ origin: "https://example.com", allowMethods: ["GET", "POST"] }));
app.use("/admin/*", secureHeaders());
app.use("/admin/*", async (c, next) => {
  if (c.req.header("authorization") !== "Bearer let-me-in") {
    throw new HTTPException(401, { message: "Unauthorized" });
  }
  await next();
});

// whoAmI reads the request's context without being passed it.
function whoAmI() {
  return getContext().var.requestId;
}

app.get("/", (c) => c.text("Hello Hono!"));

app.get("/api/hello/:name", (c) => c.json({ hello: c.req.param("name"), q: c.req.query("q") ?? null }));

app.post("/api/echo", async (c) => c.json({ got: await c.req.json() }, 201));

app.get("/api/whoami", async (c) => {
  await new Promise((resolve) => setTimeout(resolve, Number(c.req.query("delay") ?? 0)));
  return c.text(whoAmI());
});

app.post("/api/counter/:name", async (c) => {
  const { by = 1 } = await c.req.json();
  const stub = c.env.COUNTER.getByName(c.req.param("name"));
  return c.json({ value: await stub.increment(by) });
});

app.get("/api/counter/:name", async (c) => c.env.COUNTER.getByName(c.req.param("name")).fetch(c.req.raw));

app.get("/admin/secret", (c) => c.text("the secret"));

app.get("/teapot", () => {
  throw new HTTPException(418, { message: "I'm a teapot" });
});

app.get("/error", () => {
  throw new Error("unexpected");
});

app.onError((err, c) => {
  if (err instanceof HTTPException) return err.getResponse();
  return c.json({ error: err.message }, 500);
});

app.notFound((c) => c.json({ error: "not found", path: c.req.path }, 404));

export default app;
