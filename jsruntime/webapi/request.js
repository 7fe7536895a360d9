// Request (workerd api/http.c++). Its body methods are body.js's.

const httpMethods = [
  "GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "PURGE", "OPTIONS", "TRACE", "COPY", "LOCK", "MKCOL",
  "MOVE", "PROPFIND", "PROPPATCH", "SEARCH", "UNLOCK", "ACL", "REPORT", "MKACTIVITY", "CHECKOUT", "MERGE",
  "M-SEARCH", "NOTIFY", "SUBSCRIBE", "UNSUBSCRIBE", "QUERY", "BAN",
];

function normalizeMethod(m) {
  const s = String(m);
  if (httpMethods.includes(s)) return s;
  const u = s.toUpperCase();
  if (httpMethods.includes(u)) return u;
  throw new TypeError(`Invalid HTTP method string: ${s}`);
}

function parseRedirect(r) {
  const s = String(r).toLowerCase();
  if (s === "follow" || s === "manual") return s;
  throw new TypeError(
    'Invalid redirect value, must be one of "follow" or "manual" ("error" won\'t be implemented since it does not make sense at the edge; use "manual" and check the response status code).',
  );
}

function parseCacheMode(c) {
  const s = String(c);
  if (s === "no-store" || s === "no-cache" || s === "reload") return s;
  throw new TypeError(`Unsupported cache mode: ${s}`);
}

const internalToken = Symbol("internal");
let requestBody, requestContentType, requestSignal;

class Request {
  #method = "GET";
  #url = "";
  #headers = null;
  #body = null;
  #redirect = "follow";
  #signal = null;
  #thisSignal = null;
  #cf = undefined;
  #cache = undefined;
  #fetcher = null;

  constructor(input = noArg, init = undefined) {
    if (input === internalToken) {
      this.#method = init.method;
      this.#url = init.url;
      this.#headers = init.headers;
      this.#body = init.body ?? null;
      this.#redirect = init.redirect ?? "follow";
      this.#signal = init.signal ?? null;
      this.#cf = init.cf;
      this.#cache = init.cache;
      this.#fetcher = init.fetcher ?? null;
      return;
    }
    if (input === noArg) {
      throw new TypeError("Failed to construct 'Request': 1 argument required, but only 0 present.");
    }
    const initIsRequest = init instanceof Request;
    const dict = init !== undefined && init !== null && !initIsRequest ? init : null;
    if (dict !== null && !isObject(dict)) {
      throw new TypeError("Failed to construct 'Request': parameter 2 is not of type 'RequestInit'.");
    }
    const ignoreInputBody = initIsRequest || (dict !== null && dict.body !== undefined);

    if (input instanceof Request) {
      this.#url = input.#url;
      this.#method = input.#method;
      this.#headers = new Headers(input.#headers);
      this.#cf = deepCloneCf(input.cf);
      if (!ignoreInputBody && input.#body !== null) {
        if (bodyIsUsed(input.#body)) throw new TypeError("Cannot reconstruct a Request with a used body.");
        this.#body = bodyTransfer(input.#body);
      }
      this.#cache = input.#cache;
      this.#redirect = input.#redirect;
      this.#fetcher = input.#fetcher;
      this.#signal = input.#signal;
    } else {
      const s = toUSVString(input);
      const href = parseURLString(s);
      if (href === null) throw new TypeError(`Invalid URL: ${s}`);
      this.#url = href;
    }

    let contentType = null;
    if (initIsRequest) {
      const o = init;
      this.#method = o.#method;
      this.#redirect = o.#redirect;
      this.#cache = o.#cache;
      this.#fetcher = o.#fetcher;
      this.#signal = o.#signal;
      this.#headers = new Headers(o.#headers);
      this.#cf = deepCloneCf(o.cf);
      this.#body = o.#body === null ? null : { src: o.#body.src, stream: o.#body.stream, used: o.#body.used };
    } else if (dict !== null) {
      if (dict.integrity !== undefined && String(dict.integrity) !== "") {
        throw new TypeError(
          "Subrequest integrity checking is not implemented. The integrity option must be either undefined or an empty string.",
        );
      }
      if (dict.method !== undefined) this.#method = normalizeMethod(dict.method);
      if (dict.headers !== undefined) this.#headers = new Headers(dict.headers);
      if (dict.signal !== undefined) {
        if (dict.signal !== null && !(dict.signal instanceof AbortSignal)) {
          throw new TypeError(
            "Failed to construct 'Request': member signal is not of type 'AbortSignal'.",
          );
        }
        this.#signal = dict.signal;
      }
      if (dict.cf !== undefined) this.#cf = deepCloneCf(dict.cf);
      if (dict.body !== undefined) {
        if (dict.body === null) {
          this.#body = null;
        } else {
          [this.#body, contentType] = extractBody(dict.body);
          if (this.#method === "GET" || this.#method === "HEAD") {
            throw new TypeError("Request with a GET or HEAD method cannot have a body.");
          }
        }
      }
      if (dict.redirect !== undefined) this.#redirect = parseRedirect(dict.redirect);
      if (dict.cache !== undefined) this.#cache = parseCacheMode(dict.cache);
      if (dict.encodeResponseBody !== undefined) {
        const e = String(dict.encodeResponseBody);
        if (e !== "manual" && e !== "automatic") throw new TypeError(`encodeResponseBody: unexpected value: ${e}`);
      }
      if (
        (dict.method !== undefined || dict.body !== undefined) &&
        (this.#method === "GET" || this.#method === "HEAD") &&
        this.#body !== null
      ) {
        throw new TypeError("Request with a GET or HEAD method cannot have a body.");
      }
    }
    if (this.#headers === null) this.#headers = new Headers();
    if (contentType !== null && !headersHasLower(this.#headers, "content-type")) {
      headersAppendUnguarded(this.#headers, "content-type", contentType);
    }
  }

  static {
    requestBody = (r) => r.#body;
    requestContentType = (r) => headersGetLower(r.#headers, "content-type");
    // requestSignal is the signal a Request was given, or null (fetch.js).
    requestSignal = (r) => r.#signal;
  }


  get method() {
    return this.#method;
  }
  get url() {
    return this.#url;
  }
  get headers() {
    return this.#headers;
  }
  get redirect() {
    return this.#redirect;
  }
  get signal() {
    if (this.#signal !== null) return this.#signal;
    if (this.#thisSignal === null) this.#thisSignal = newAbortSignal();
    return this.#thisSignal;
  }
  get cf() {
    if (typeof this.#cf === "function") this.#cf = this.#cf();
    return this.#cf;
  }
  get fetcher() {
    return this.#fetcher;
  }
  get cache() {
    return this.#cache;
  }
  get integrity() {
    return "";
  }
  get keepalive() {
    return false;
  }
  clone() {
    const h = new Headers(this.#headers);
    headersSetGuard(h, headersIsImmutable(this.#headers));
    return new Request(internalToken, {
      method: this.#method,
      url: this.#url,
      headers: h,
      body: bodyClone(this.#body),
      redirect: this.#redirect,
      signal: this.#signal,
      cf: deepCloneCf(this.cf),
      cache: this.#cache,
      fetcher: this.#fetcher,
    });
  }
}
defineBodyMethods(Request, (r) => requestBody(r), (r) => requestContentType(r));
setToStringTag(Request);
exposeClass(Request);
