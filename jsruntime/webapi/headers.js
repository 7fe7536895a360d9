// Headers (workerd api/headers.c++): names are case-insensitive and kept
// lower-case; iteration is sorted by name; get() joins repeated values with
// ", " while iteration yields each Set-Cookie separately. Headers of an
// incoming request or of Response.redirect() are immutable.

const tokenRe = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const httpWhitespace = /^[\t\n\r ]+|[\t\n\r ]+$/g;

function normalizeHeaderName(name) {
  const n = String(name);
  if (!tokenRe.test(n)) throw new TypeError("Invalid header name.");
  return n.toLowerCase();
}

const badValueRe = /[\0\r\n]/;

function normalizeHeaderValue(value) {
  const v = String(value).replace(httpWhitespace, "");
  if (badValueRe.test(v)) throw new TypeError("Invalid header value.");
  return v;
}

let headersSetGuard, headersIsImmutable, headersRawEntries, headersAppendUnguarded, headersHasLower, headersGetLower;
const headersIterProto = iteratorProto("Headers Iterator");

class Headers {
  #map = new Map(); // lower-case name -> array of values
  #immutable = false;

  constructor(init = undefined) {
    if (init === undefined || init === null) return;
    if (init instanceof Headers) {
      for (const [k, vs] of init.#map) this.#map.set(k, vs.slice());
      return;
    }
    if (!isObject(init)) {
      throw new TypeError(
        "Failed to construct 'Headers': The provided value is not of type '(record<ByteString, ByteString> or sequence<sequence<ByteString>>)'.",
      );
    }
    if (typeof init[Symbol.iterator] === "function") {
      for (const pair of init) {
        const p = isObject(pair) && typeof pair[Symbol.iterator] === "function" ? Array.from(pair) : null;
        if (p === null || p.length !== 2) {
          throw new TypeError(
            "To initialize a Headers object from a sequence, each inner sequence must have exactly two elements.",
          );
        }
        this.append(p[0], p[1]);
      }
      return;
    }
    for (const k of Object.keys(init)) this.append(k, init[k]);
  }

  static {
    headersSetGuard = (h, immutable) => {
      h.#immutable = immutable;
      return h;
    };
    headersIsImmutable = (h) => h.#immutable;
    // headersRawEntries lists names and values as a flat [name, value, ...]
    // array, every value separate, sorted by name (what goes on the wire).
    headersRawEntries = (h) => {
      const names = Array.from(h.#map.keys()).sort();
      const out = [];
      for (let i = 0; i < names.length; i++) {
        const vs = h.#map.get(names[i]);
        for (let j = 0; j < vs.length; j++) out.push(names[i], vs[j]);
      }
      return out;
    };
    headersAppendUnguarded = (h, name, value) => {
      const list = h.#map.get(name);
      if (list) list.push(value);
      else h.#map.set(name, [value]);
    };
    headersHasLower = (h, name) => h.#map.has(name);
    headersGetLower = (h, name) => {
      const vs = h.#map.get(name);
      return vs === undefined ? null : vs.join(", ");
    };
  }

  #checkGuard() {
    if (this.#immutable) throw new TypeError("Can't modify immutable headers.");
  }

  append(name, value) {
    this.#checkGuard();
    const n = normalizeHeaderName(name);
    const v = normalizeHeaderValue(value);
    headersAppendUnguarded(this, n, v);
  }
  delete(name) {
    this.#checkGuard();
    this.#map.delete(normalizeHeaderName(name));
  }
  get(name) {
    return headersGetLower(this, normalizeHeaderName(name));
  }
  getAll(name) {
    if (String(name).toLowerCase() !== "set-cookie") {
      throw new TypeError('getAll() can only be used with the header name "Set-Cookie".');
    }
    return this.getSetCookie();
  }
  getSetCookie() {
    const vs = this.#map.get("set-cookie");
    return vs === undefined ? [] : vs.slice();
  }
  has(name) {
    return this.#map.has(normalizeHeaderName(name));
  }
  set(name, value) {
    this.#checkGuard();
    const n = normalizeHeaderName(name);
    const v = normalizeHeaderValue(value);
    this.#map.set(n, [v]);
  }

  // #displayed is the sorted list iteration shows: Set-Cookie values one by
  // one, every other name once with its values joined.
  #displayed() {
    const names = Array.from(this.#map.keys()).sort();
    const out = [];
    for (const n of names) {
      const vs = this.#map.get(n);
      if (n === "set-cookie") for (const v of vs) out.push([n, v]);
      else out.push([n, vs.join(", ")]);
    }
    return out;
  }
  #iter(pick) {
    const list = this.#displayed();
    let i = 0;
    return makeIterator(headersIterProto, () => (i < list.length ? [pick(list[i++])] : undefined));
  }
  entries() {
    return this.#iter((e) => e);
  }
  keys() {
    return this.#iter((e) => e[0]);
  }
  values() {
    return this.#iter((e) => e[1]);
  }
  [Symbol.iterator]() {
    return this.entries();
  }
  forEach(callback, thisArg = undefined) {
    if (typeof callback !== "function") {
      throw new TypeError("Failed to execute 'forEach' on 'Headers': parameter 1 is not of type 'Function'.");
    }
    for (const [k, v] of this.#displayed()) callback.call(thisArg, v, k, this);
  }
}
setToStringTag(Headers);
exposeClass(Headers);
inspectInternals(Headers, (h) => [["immutable", headersIsImmutable(h)]]);
