// Durable Object storage end to end: the KV API, the SQL API, transactions,
// alarms, and a counter whose increments must survive a crash.
import { DurableObject } from "cloudflare:workers";

async function attempt(out, label, fn) {
  try {
    const v = await fn();
    out.push(`${label}: ${show(v)}`);
  } catch (e) {
    out.push(`${label}: ${e.name}: ${e.message}`);
  }
}

function show(v) {
  if (v instanceof Map) return `Map(${[...v].map(([k, x]) => `${JSON.stringify(k)}=${show(x)}`).join(", ")})`;
  if (v instanceof Set) return `Set(${[...v].map(show).join(", ")})`;
  if (v instanceof Date) return `Date(${v.toISOString()})`;
  if (v instanceof ArrayBuffer) return `ArrayBuffer(${[...new Uint8Array(v)].join(",")})`;
  if (ArrayBuffer.isView(v)) return `${v.constructor.name}(${[...v].join(",")})`;
  if (typeof v === "bigint") return `${v}n`;
  if (v === undefined) return "undefined";
  if (typeof v === "number" && Object.is(v, -0)) return "-0";
  if (typeof v === "number" && !Number.isFinite(v)) return String(v);
  if (v instanceof RegExp) return String(v);
  if (Array.isArray(v)) return `[${v.map(show).join(", ")}]`;
  if (v && typeof v === "object") return `{${Object.entries(v).map(([k, x]) => `${k}: ${show(x)}`).join(", ")}}`;
  return JSON.stringify(v);
}

async function kvReport(storage, out) {
  const s = storage;
  await attempt(out, "get missing", () => s.get("nope"));
  await attempt(out, "put/get string", async () => { await s.put("a", "x"); return s.get("a"); });
  const cyc = { name: "cyc" }; cyc.self = cyc;
  const values = {
    num: -0, nan: NaN, inf: -Infinity, big: 12345678901234567890n, bool: false, nul: null,
    date: new Date(86400000), re: /a+b/gi, map: new Map([["k", 1]]), set: new Set([1, "2"]),
    buf: new Uint8Array([1, 2, 3]).buffer, u16: new Uint16Array([65535, 1]), arr: [1, , 3],
    obj: { nested: { deep: [undefined, null] } },
  };
  for (const [k, v] of Object.entries(values)) {
    await attempt(out, `round trip ${k}`, async () => { await s.put(k, v); return s.get(k); });
  }
  await attempt(out, "cycle", async () => { await s.put("cyc", cyc); const c = await s.get("cyc"); return c.self === c && c.self.name; });
  await attempt(out, "put undefined", () => s.put("u", undefined));
  await attempt(out, "put function", () => s.put("f", () => 1));
  await attempt(out, "put symbol", () => s.put("f", Symbol("x")));
  await attempt(out, "multi put", () => s.put({ k1: 1, k2: 2, k3: undefined }));
  await attempt(out, "multi get", () => s.get(["k1", "missing", "k2"]));
  await attempt(out, "delete existing", () => s.delete("k1"));
  await attempt(out, "delete missing", () => s.delete("k1"));
  await attempt(out, "delete many", () => s.delete(["k2", "a", "zzz"]));
  await s.deleteAll();
  await s.put({ "b": 1, "a": 2, "ab": 3, "é": 4, "z": 5, "Z": 6, "a\u0000": 7 });
  await attempt(out, "list all", () => s.list());
  await attempt(out, "list prefix", () => s.list({ prefix: "a" }));
  await attempt(out, "list start end", () => s.list({ start: "a", end: "b" }));
  await attempt(out, "list startAfter", () => s.list({ startAfter: "a" }));
  await attempt(out, "list reverse limit", () => s.list({ reverse: true, limit: 2 }));
  await attempt(out, "list both starts", () => s.list({ start: "a", startAfter: "a" }));
  await attempt(out, "list limit 0", () => s.list({ limit: 0 }));
  await attempt(out, "big key", () => s.put("k".repeat(2049), 1));
  await attempt(out, "129 keys", () => s.get(Array.from({ length: 129 }, (_, i) => `k${i}`)));
  await attempt(out, "transaction commit", async () => {
    await s.transaction(async (txn) => { await txn.put("t1", 1); await txn.put("t2", 2); });
    return s.get(["t1", "t2"]);
  });
  await attempt(out, "transaction throw rolls back", async () => {
    try { await s.transaction(async (txn) => { await txn.put("t3", 3); throw new Error("abort"); }); } catch (e) { out.push(`  threw ${e.message}`); }
    return s.get("t3");
  });
  await attempt(out, "txn.rollback", async () => {
    await s.transaction(async (txn) => { await txn.put("t4", 4); txn.rollback(); });
    return s.get("t4");
  });
  await attempt(out, "deleteAll in transaction", () => s.transaction(async (txn) => txn.deleteAll()));
  await attempt(out, "transactionSync", () => s.transactionSync(() => 7));
  await attempt(out, "sync", () => s.sync());
  await s.deleteAll();
  await attempt(out, "after deleteAll", () => s.list());
}

async function sqlReport(sql, out) {
  await attempt(out, "create", () => sql.exec("CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT, score REAL, data BLOB)").toArray());
  await attempt(out, "insert two rows", () => {
    const c = sql.exec("INSERT INTO t (name, score, data) VALUES (?, ?, ?), (?, ?, ?)", "a", 1.5, new Uint8Array([9, 8]), "b", 2, null);
    return { rowsWritten: c.rowsWritten };
  });
  await attempt(out, "select toArray", () => sql.exec("SELECT id, name, score, data FROM t ORDER BY id").toArray());
  await attempt(out, "raw", () => [...sql.exec("SELECT id, name FROM t ORDER BY id").raw()]);
  await attempt(out, "columnNames", () => sql.exec("SELECT id AS x, name AS x FROM t").columnNames);
  await attempt(out, "one", () => sql.exec("SELECT name FROM t WHERE id = ?", 1).one());
  await attempt(out, "one of none", () => sql.exec("SELECT name FROM t WHERE id = 99").one());
  await attempt(out, "one of many", () => sql.exec("SELECT name FROM t").one());
  await attempt(out, "iterate", () => { const names = []; for (const row of sql.exec("SELECT name FROM t ORDER BY id")) names.push(row.name); return names; });
  await attempt(out, "next", () => sql.exec("SELECT 1 AS one").next());
  await attempt(out, "wrong bindings", () => sql.exec("SELECT ?", 1, 2));
  await attempt(out, "syntax error", () => sql.exec("SELEKT 1"));
  await attempt(out, "empty", () => sql.exec(";"));
  await attempt(out, "begin", () => sql.exec("BEGIN TRANSACTION"));
  await attempt(out, "_cf_ table", () => sql.exec("SELECT * FROM _cf_KV"));
  await attempt(out, "pragma journal_mode", () => sql.exec("PRAGMA journal_mode"));
  await attempt(out, "databaseSize > 0", () => sql.databaseSize > 0);
}

class Base extends DurableObject {
  async fetch(request) {
    const url = new URL(request.url);
    const out = [];
    switch (url.pathname) {
      case "/incr": {
        const n = ((await this.ctx.storage.get("n")) ?? 0) + 1;
        await this.ctx.storage.put("n", n);
        return new Response(String(n));
      }
      case "/count":
        return new Response(String((await this.ctx.storage.get("n")) ?? 0));
      case "/kv":
        await kvReport(this.ctx.storage, out);
        return new Response(out.join("\n"));
      case "/sql":
        if (url.searchParams.get("try")) {
          await attempt(out, "sql on a KV-backed class", () => this.ctx.storage.sql.exec("SELECT 1"));
        } else {
          await sqlReport(this.ctx.storage.sql, out);
        }
        return new Response(out.join("\n"));
      case "/alarm/set": {
        const ms = Number(url.searchParams.get("ms") ?? "0");
        await this.ctx.storage.put("fail", Number(url.searchParams.get("fail") ?? "0"));
        await this.ctx.storage.setAlarm(Date.now() + ms);
        return new Response(String(await this.ctx.storage.getAlarm() !== null));
      }
      case "/alarm/state":
        return Response.json({ fired: (await this.ctx.storage.get("fired")) ?? [], alarm: await this.ctx.storage.getAlarm() });
      case "/alarm/errors": {
        await attempt(out, "setAlarm 0", () => this.ctx.storage.setAlarm(0));
        return new Response(out.join("\n"));
      }
    }
    return new Response("not found", { status: 404 });
  }
  async alarm(info) {
    const fired = (await this.ctx.storage.get("fired")) ?? [];
    fired.push({ retryCount: info.retryCount, isRetry: info.isRetry, during: await this.ctx.storage.getAlarm() });
    await this.ctx.storage.put("fired", fired);
    const fail = (await this.ctx.storage.get("fail")) ?? 0;
    console.log(`alarm ran (retryCount ${info.retryCount})`);
    if (fired.length <= fail) throw new Error(`alarm failure ${fired.length}`);
  }
}
export class SqlStore extends Base {}
export class KvStore extends Base {}

export default {
  fetch(request, env) {
    const url = new URL(request.url);
    const ns = url.searchParams.get("kv") ? env.KV_STORE : env.SQL_STORE;
    return ns.getByName(url.searchParams.get("name") ?? "main").fetch(request);
  },
};
