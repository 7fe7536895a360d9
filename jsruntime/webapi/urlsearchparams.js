// URLSearchParams and the application/x-www-form-urlencoded parser and
// serializer. A URL's searchParams is attached to its URL record and keeps
// its query in sync.

function parseUrlencoded(s) {
  const out = [];
  if (s === "") return out;
  for (const seq of s.split("&")) {
    if (seq === "") continue;
    const i = seq.indexOf("=");
    let name = i >= 0 ? seq.slice(0, i) : seq;
    let value = i >= 0 ? seq.slice(i + 1) : "";
    name = pctDecodeString(name.replace(/\+/g, " "));
    value = pctDecodeString(value.replace(/\+/g, " "));
    out.push([name, value]);
  }
  return out;
}

const encodedSpaceRe = /%20/g;
const formExtraRe = /[!'()~]/g;
const formEncode = (s) =>
  encodeURIComponent(s)
    .replace(encodedSpaceRe, "+")
    .replace(formExtraRe, (c) => pctByte(c.charCodeAt(0)));

const serializeUrlencoded = (list) => list.map(([n, v]) => formEncode(n) + "=" + formEncode(v)).join("&");

let searchParamsAttach, searchParamsReset;
const searchParamsIterProto = iteratorProto("URLSearchParams Iterator");

class URLSearchParams {
  #list = [];
  #url = null; // the URL record this object belongs to, if any

  constructor(init = "") {
    if (isObject(init)) {
      if (typeof init[Symbol.iterator] === "function") {
        for (const pair of init) {
          const p = isObject(pair) && typeof pair[Symbol.iterator] === "function" ? Array.from(pair) : null;
          if (p === null || p.length !== 2) throw new TypeError("Invalid URL search params sequence.");
          this.#list.push([toUSVString(p[0]), toUSVString(p[1])]);
        }
      } else {
        for (const k of Object.keys(init)) this.#list.push([toUSVString(k), toUSVString(init[k])]);
      }
    } else {
      let s = toUSVString(init);
      if (s[0] === "?") s = s.slice(1);
      this.#list = parseUrlencoded(s);
    }
  }

  static {
    searchParamsAttach = (sp, url) => {
      sp.#url = url;
      sp.#list = url.query === null ? [] : parseUrlencoded(url.query);
    };
    searchParamsReset = (sp) => {
      sp.#list = sp.#url.query === null ? [] : parseUrlencoded(sp.#url.query);
    };
  }

  #update() {
    if (this.#url === null) return;
    const q = serializeUrlencoded(this.#list);
    this.#url.query = q === "" ? null : q;
  }

  get size() {
    return this.#list.length;
  }
  append(name, value) {
    this.#list.push([toUSVString(name), toUSVString(value)]);
    this.#update();
  }
  delete(name, value = undefined) {
    const n = toUSVString(name);
    const v = value === undefined ? undefined : toUSVString(value);
    this.#list = this.#list.filter(([k, val]) => !(k === n && (v === undefined || val === v)));
    this.#update();
  }
  get(name) {
    const n = toUSVString(name);
    const e = this.#list.find(([k]) => k === n);
    return e === undefined ? null : e[1];
  }
  getAll(name) {
    const n = toUSVString(name);
    return this.#list.filter(([k]) => k === n).map(([, v]) => v);
  }
  has(name, value = undefined) {
    const n = toUSVString(name);
    const v = value === undefined ? undefined : toUSVString(value);
    return this.#list.some(([k, val]) => k === n && (v === undefined || val === v));
  }
  set(name, value) {
    const n = toUSVString(name);
    const v = toUSVString(value);
    const i = this.#list.findIndex(([k]) => k === n);
    if (i < 0) {
      this.#list.push([n, v]);
    } else {
      this.#list[i] = [n, v];
      this.#list = this.#list.filter(([k], j) => j <= i || k !== n);
    }
    this.#update();
  }
  sort() {
    // Stable sort by UTF-16 code units of the name.
    const indexed = this.#list.map((e, i) => [e, i]);
    indexed.sort((a, b) => (a[0][0] < b[0][0] ? -1 : a[0][0] > b[0][0] ? 1 : a[1] - b[1]));
    this.#list = indexed.map(([e]) => e);
    this.#update();
  }
  forEach(callback, thisArg = undefined) {
    if (typeof callback !== "function") {
      throw new TypeError(
        "Failed to execute 'forEach' on 'URLSearchParams': parameter 1 is not of type 'Function'.",
      );
    }
    for (let i = 0; i < this.#list.length; i++) {
      const [k, v] = this.#list[i];
      callback.call(thisArg, v, k, this);
    }
  }
  #iter(pick) {
    let i = 0;
    return makeIterator(searchParamsIterProto, () => {
      if (i >= this.#list.length) return undefined;
      return [pick(this.#list[i++])];
    });
  }
  entries() {
    return this.#iter(([k, v]) => [k, v]);
  }
  keys() {
    return this.#iter(([k]) => k);
  }
  values() {
    return this.#iter(([, v]) => v);
  }
  [Symbol.iterator]() {
    return this.entries();
  }
  toString() {
    return serializeUrlencoded(this.#list);
  }
}
setToStringTag(URLSearchParams);
exposeClass(URLSearchParams);
