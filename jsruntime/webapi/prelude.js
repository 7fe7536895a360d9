// Shared helpers for the web platform APIs. The JS files of this package are
// concatenated, in the order of the areas listed in webapi.go (this one
// first), into the body of one function `function (host) { ... return
// registry; }`; `host` holds the Go natives of every area and `registry` the
// classes other Go code can reach with jsruntime.Class.

const registry = Object.create(null);
const lazyGetters = new Map(); // global name -> the getter lazyGlobal installed

// defineGlobal makes name a global the way Web IDL does: writable,
// configurable, not enumerable.
function defineGlobal(name, value) {
  if (lazyGetters.has(name)) {
    // Loading a lazy global: keep whatever replaced the accessor meanwhile
    // (a script's assignment, or Go code defining the global itself).
    const d = Object.getOwnPropertyDescriptor(globalThis, name);
    if (d === undefined || d.get !== lazyGetters.get(name)) return;
  }
  Object.defineProperty(globalThis, name, {
    value,
    writable: true,
    configurable: true,
    enumerable: false,
  });
}

// register adds an entry to the registry (replacing a lazy accessor).
function register(name, value) {
  Object.defineProperty(registry, name, { value, writable: true, configurable: true, enumerable: true });
}

// exposeClass registers a class as a global and in the registry.
function exposeClass(ctor, name = ctor.name) {
  register(name, ctor);
  defineGlobal(name, ctor);
}

// setToStringTag gives instances of ctor the Object.prototype.toString tag
// "[object name]".
function setToStringTag(ctor, name = ctor.name) {
  Object.defineProperty(ctor.prototype, Symbol.toStringTag, {
    value: name,
    configurable: true,
  });
}

const notImplemented = (what) => new Error(`${what} is not implemented in emu yet`);

// lazyGlobal defines a global whose value get makes on first read; a
// script assigning it first just replaces it.
function lazyGlobal(name, get) {
  lazyGetters.set(name, get);
  Object.defineProperty(globalThis, name, {
    get,
    set(v) {
      Object.defineProperty(globalThis, name, { value: v, writable: true, configurable: true, enumerable: false });
    },
    configurable: true,
    enumerable: false,
  });
}

// lazyClass defines a global class (and its registry entry) that load
// makes on first use; load must call exposeClass and return the class.
function lazyClass(name, load) {
  let ctor = null;
  const get = () => (ctor ??= load());
  lazyGlobal(name, get);
  Object.defineProperty(registry, name, { get, configurable: true, enumerable: true });
  return get;
}

// stubClass defines a global class whose constructor throws a clear
// "not implemented" error instead of being undefined. The function is made
// on first use.
function stubClass(name, what = name) {
  lazyClass(name, () => {
    const ctor = {
      [name]: function () {
        throw notImplemented(what);
      },
    }[name];
    exposeClass(ctor, name);
    return ctor;
  });
}

// toUSVString converts v to a string and replaces lone surrogates with
// U+FFFD (Web IDL USVString).
const surrogateRe = /[\uD800-\uDFFF]/;

function toUSVString(v) {
  const s = typeof v === "string" ? v : String(v);
  if (!surrogateRe.test(s)) return s;
  let out = "";
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) {
      const d = i + 1 < s.length ? s.charCodeAt(i + 1) : 0;
      if (d >= 0xdc00 && d <= 0xdfff) {
        out += s[i] + s[i + 1];
        i++;
        continue;
      }
      out += "\uFFFD";
    } else if (c >= 0xdc00 && c <= 0xdfff) {
      out += "\uFFFD";
    } else {
      out += s[i];
    }
  }
  return out;
}

// noArg is the default of a required parameter, so a missing argument can be
// told apart without touching `arguments` (which is slow in goja).
const noArg = Symbol("noArg");

// inspectInternals registers the inspect-only properties of a web API
// class's instances, which console.log prints in brackets as workerd does
// ("[immutable]: false"): internals(obj) returns [key, value] pairs.
const inspectInternalsByProto = new Map();

function inspectInternals(ctor, internals) {
  inspectInternalsByProto.set(ctor.prototype, internals);
}

function inspectInternalsOf(obj) {
  for (let p = Object.getPrototypeOf(obj); p !== null; p = Object.getPrototypeOf(p)) {
    const f = inspectInternalsByProto.get(p);
    if (f !== undefined) return f(obj);
  }
  return undefined;
}

const isObject = (v) => (typeof v === "object" && v !== null) || typeof v === "function";

// byteView returns a Uint8Array over the bytes of an ArrayBuffer or
// ArrayBufferView (sharing memory), or null for any other value.
function byteView(v) {
  if (v instanceof ArrayBuffer) return new Uint8Array(v);
  if (ArrayBuffer.isView(v)) return new Uint8Array(v.buffer, v.byteOffset, v.byteLength);
  return null;
}

// copyToArrayBuffer returns a new ArrayBuffer holding a copy of a Uint8Array.
function copyToArrayBuffer(u8) {
  return u8.buffer.slice(u8.byteOffset, u8.byteOffset + u8.byteLength);
}

function concatBytes(chunks) {
  if (chunks.length === 1) return chunks[0];
  let n = 0;
  for (const c of chunks) n += c.byteLength;
  const out = new Uint8Array(n);
  let off = 0;
  for (const c of chunks) {
    out.set(c, off);
    off += c.byteLength;
  }
  return out;
}

const utf8Encode = (s) => new Uint8Array(host.utf8Encode(s));
const utf8Decode = (u8) => host.utf8Decode(u8, false);

// iteratorProto returns a getter of an iterator prototype named like
// workerd's ("Headers Iterator"), made on first use. makeIterator builds an
// iterator whose next() calls step, which returns [value] or undefined when
// done.
function iteratorProto(name) {
  let proto = null;
  return () => (proto ??= makeIteratorProto(name));
}

function makeIteratorProto(name) {
  const proto = Object.create(
    Object.getPrototypeOf(Object.getPrototypeOf([][Symbol.iterator]())),
  );
  Object.defineProperty(proto, Symbol.toStringTag, { value: name, configurable: true });
  Object.defineProperty(proto, "next", {
    value: function next() {
      const v = this._step();
      return v === undefined ? { value: undefined, done: true } : { value: v[0], done: false };
    },
    writable: true,
    configurable: true,
  });
  return proto;
}

function makeIterator(proto, step) {
  const it = Object.create(proto());
  Object.defineProperty(it, "_step", { value: step });
  return it;
}

// Symbol.asyncIterator is missing in goja; esbuild's for-await lowering falls
// back to Symbol.for("Symbol.asyncIterator").
const asyncIteratorSymbol = Symbol.asyncIterator || Symbol.for("Symbol.asyncIterator");

// The streams tier (streams_*.js) fills streamsApi with what Request and
// Response need of streams when it loads; ensureStreams loads it (set in
// tiers.js). Code outside the tier calls ensureStreams() before using
// streamsApi, except to test a value: a stream can only exist once the tier
// is loaded.
const streamsApi = {};
let ensureStreams = () => {};
const isStreamValue = (v) => streamsApi.isStream !== undefined && streamsApi.isStream(v);
