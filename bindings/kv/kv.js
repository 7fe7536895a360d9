// The KV namespace binding (workerd's KvNamespace, api/kv.c++): argument
// handling and result shapes in JS, storage in Go (natives: kv.go).
(function (natives) {
  "use strict";
  const handles = new WeakMap();
  function handle(self) {
    const n = handles.get(self);
    if (n === undefined) throw new TypeError("Illegal invocation");
    return n;
  }
  // jsg's int conversion.
  const toInt = (v) => (v === undefined ? undefined : Number(v) | 0);
  function getOptions(options) {
    if (options === undefined || options === null) return {};
    if (typeof options === "object") {
      return {
        type: options.type === undefined || options.type === null ? undefined : String(options.type),
        cacheTtl: toInt(options.cacheTtl),
      };
    }
    return { type: String(options) };
  }
  const parseMeta = (m) => (m === null ? null : JSON.parse(m));
  function streamOf(buffer) {
    return new ReadableStream({
      start(c) {
        if (buffer.byteLength > 0) c.enqueue(new Uint8Array(buffer));
        c.close();
      },
    });
  }
  async function readAll(stream) {
    const reader = stream.getReader();
    const chunks = [];
    let n = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (!(value instanceof ArrayBuffer || ArrayBuffer.isView(value))) {
        throw new TypeError("This ReadableStream did not return bytes.");
      }
      const u = value instanceof ArrayBuffer ? new Uint8Array(value)
        : new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
      chunks.push(u.slice());
      n += u.byteLength;
    }
    const out = new Uint8Array(n);
    let at = 0;
    for (const c of chunks) {
      out.set(c, at);
      at += c.byteLength;
    }
    return out;
  }
  const unknownType = 'Unknown response type. Possible types are "text", "arrayBuffer", "json", and "stream".';

  async function single(n, name, o) {
    const key = String(name);
    n.validateKey("GET", key);
    const type = o.type === undefined ? "text" : o.type;
    const r = await n.get(key, o.cacheTtl, type !== "text" && type !== "json");
    if (r === null) return { value: null, metadata: null, cacheStatus: null };
    let value;
    switch (type) {
      case "text":
      case "arrayBuffer":
        value = r[0];
        break;
      case "json":
        value = JSON.parse(r[0]);
        break;
      case "stream":
        value = streamOf(r[0]);
        break;
      default:
        throw new TypeError(unknownType);
    }
    return { value, metadata: parseMeta(r[1]), cacheStatus: null };
  }

  // An array index as V8 counts one: workerd skips such keys when it turns the service's
  // JSON answer into the Map (getPropertyNames with SKIP_INDICES).
  const isIndex = (k) => /^(0|[1-9][0-9]*)$/.test(k) && Number(k) < 4294967295;

  async function bulk(n, names, o, withMetadata) {
    const keys = Array.from(names, String);
    const r = await n.getBulk(keys, o.type === undefined ? "" : o.type, o.cacheTtl);
    const map = new Map();
    for (const [k, text, meta] of r) {
      if (isIndex(k)) continue;
      let v = text;
      if (text !== null && o.type === "json") {
        try {
          v = JSON.parse(text);
        } catch {
          throw new Error("KV GET_BULK failed: 400 At least one of the requested keys corresponds to a non-json value");
        }
      }
      if (withMetadata && text !== null) v = { value: v, metadata: parseMeta(meta) };
      map.set(k, v);
    }
    return map;
  }

  class KvNamespace {
    constructor() {
      throw new TypeError("Illegal constructor");
    }
    async get(name, options) {
      const n = handle(this);
      const o = getOptions(options);
      if (Array.isArray(name)) return bulk(n, name, o, false);
      return (await single(n, name, o)).value;
    }
    async getWithMetadata(name, options) {
      const n = handle(this);
      const o = getOptions(options);
      if (Array.isArray(name)) return bulk(n, name, o, true);
      return single(n, name, o);
    }
    async put(name, value, options) {
      const n = handle(this);
      const key = String(name);
      n.validateKey("PUT", key);
      let expiration, expirationTtl, metadata;
      if (options !== undefined && options !== null) {
        expiration = toInt(options.expiration);
        expirationTtl = toInt(options.expirationTtl);
        if (options.metadata !== undefined && options.metadata !== null) metadata = JSON.stringify(options.metadata);
      }
      let body;
      if ((typeof value === "object" && value !== null) || typeof value === "function") {
        if (value instanceof ArrayBuffer || ArrayBuffer.isView(value)) body = value;
        else if (typeof ReadableStream === "function" && value instanceof ReadableStream) body = await readAll(value);
        else throw new TypeError("KV put() accepts only strings, ArrayBuffers, ArrayBufferViews, and ReadableStreams as values.");
      } else {
        body = String(value);
      }
      await n.put(key, body, expiration, expirationTtl, metadata);
    }
    async delete(name) {
      const n = handle(this);
      const key = String(name);
      n.validateKey("DELETE", key);
      await n.delete(key);
    }
    async list(options) {
      const n = handle(this);
      let limit = 0, prefix = null, cursor = null;
      if (options !== undefined && options !== null) {
        if (options.limit !== undefined) limit = toInt(options.limit);
        if (options.prefix !== undefined && options.prefix !== null) prefix = String(options.prefix);
        if (options.cursor !== undefined && options.cursor !== null) cursor = String(options.cursor);
      }
      const r = await n.list(limit, prefix, cursor);
      const keys = r.keys.map(([name, expiration, meta]) => {
        const k = { name };
        if (expiration !== 0) k.expiration = expiration;
        if (meta !== null) k.metadata = JSON.parse(meta);
        return k;
      });
      if (r.cursor !== "") return { keys, list_complete: false, cursor: r.cursor, cacheStatus: null };
      return { keys, list_complete: true, cacheStatus: null };
    }
  }
  Object.defineProperty(KvNamespace.prototype, Symbol.toStringTag, { value: "KvNamespace", configurable: true });

  return function make(n) {
    const o = Object.create(KvNamespace.prototype);
    handles.set(o, n);
    return o;
  };
})
