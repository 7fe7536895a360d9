// tier: fetch
// Request, Response and their bodies (workerd api/http.c++). A body is
// {src, stream, used}: src is the buffered source (a string or a Uint8Array,
// or null for a stream body), stream the ReadableStream once one exists
// (made lazily when .body is read), used whether a buffered body was consumed.

const bodyUsedMessage =
  "Body has already been used. It can only be used once. Use tee() first if you need to read it twice.";

function extractBody(init) {
  if (typeof init === "string") return [{ src: init, stream: null, used: false }, "text/plain;charset=UTF-8"];
  if (init instanceof ReadableStream) {
    if (streamIsDisturbed(init)) {
      throw new TypeError(
        "This ReadableStream is disturbed (has already been read from), and cannot be used as a body.",
      );
    }
    return [{ src: null, stream: init, used: false }, null];
  }
  if (init instanceof URLSearchParams) {
    return [{ src: init.toString(), stream: null, used: false }, "application/x-www-form-urlencoded;charset=UTF-8"];
  }
  const u8 = byteView(init);
  if (u8 !== null) return [{ src: u8, stream: null, used: false }, null];
  return [{ src: String(init), stream: null, used: false }, "text/plain;charset=UTF-8"];
}

const bodyIsUsed = (b) => b !== null && (b.stream !== null ? streamIsDisturbed(b.stream) : b.used);

function bodyStream(b) {
  if (b === null) return null;
  if (b.stream === null) {
    if (b.used) {
      b.stream = new ReadableStream({ start: (c) => c.close() });
      streamDrainSync(b.stream);
    } else {
      b.stream = streamFromBytes(typeof b.src === "string" ? utf8Encode(b.src) : b.src);
    }
  }
  return b.stream;
}

// bodyConsume returns a promise of the whole body: the source string itself
// when asText and the body is a buffered string, else a Uint8Array.
function bodyConsume(b, asText) {
  try {
    if (b === null) return Promise.resolve(asText ? "" : new Uint8Array(0));
    if (bodyIsUsed(b)) throw new TypeError(bodyUsedMessage);
    if (b.stream !== null) {
      const p = streamReadAll(b.stream);
      return asText ? p.then(utf8Decode) : p;
    }
    b.used = true;
    if (typeof b.src === "string") return Promise.resolve(asText ? b.src : utf8Encode(b.src));
    return Promise.resolve(asText ? utf8Decode(b.src) : b.src);
  } catch (e) {
    return Promise.reject(e);
  }
}

function bodyClone(b) {
  if (b === null) return null;
  if (bodyIsUsed(b)) throw new TypeError(bodyUsedMessage);
  if (b.stream === null) return { src: b.src, stream: null, used: false };
  const [s1, s2] = b.stream.tee();
  b.stream = s1;
  return { src: b.src, stream: s2, used: false };
}

// bodyTransfer moves a body to a new owner; the old one reads as used.
function bodyTransfer(b) {
  const moved = { src: b.src, stream: b.stream, used: false };
  b.stream = null;
  b.used = true;
  return moved;
}

// The body methods shared by Request and Response; getBody returns the
// private body of this.
function defineBodyMethods(cls, getBody) {
  const methods = {
    get body() {
      return bodyStream(getBody(this));
    },
    get bodyUsed() {
      return bodyIsUsed(getBody(this));
    },
    text() {
      return bodyConsume(getBody(this), true);
    },
    json() {
      return bodyConsume(getBody(this), true).then((t) => JSON.parse(t));
    },
    arrayBuffer() {
      return bodyConsume(getBody(this), false).then(copyToArrayBuffer);
    },
    bytes() {
      return bodyConsume(getBody(this), false).then((u8) => new Uint8Array(copyToArrayBuffer(u8)));
    },
    blob() {
      return Promise.reject(notImplemented("Blob"));
    },
    formData() {
      return Promise.reject(notImplemented("FormData"));
    },
  };
  for (const k of Object.keys(Object.getOwnPropertyDescriptors(methods))) {
    const d = Object.getOwnPropertyDescriptor(methods, k);
    d.enumerable = false;
    Object.defineProperty(cls.prototype, k, d);
  }
}

const deepCloneCf = (cf) => (cf === undefined || cf === null ? cf : JSON.parse(JSON.stringify(cf)));

// --- Request ---------------------------------------------------------------

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
let requestBody;

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
defineBodyMethods(Request, (r) => requestBody(r));
setToStringTag(Request);
exposeClass(Request);

// --- Response --------------------------------------------------------------

const statusTexts = {
  100: "Continue", 101: "Switching Protocols", 102: "Processing", 103: "Early Hints",
  200: "OK", 201: "Created", 202: "Accepted", 203: "Non-Authoritative Information", 204: "No Content",
  205: "Reset Content", 206: "Partial Content", 207: "Multi-Status", 208: "Already Reported", 226: "IM Used",
  300: "Multiple Choices", 301: "Moved Permanently", 302: "Found", 303: "See Other", 304: "Not Modified",
  305: "Use Proxy", 307: "Temporary Redirect", 308: "Permanent Redirect",
  400: "Bad Request", 401: "Unauthorized", 402: "Payment Required", 403: "Forbidden", 404: "Not Found",
  405: "Method Not Allowed", 406: "Not Acceptable", 407: "Proxy Authentication Required",
  408: "Request Timeout", 409: "Conflict", 410: "Gone", 411: "Length Required", 412: "Precondition Failed",
  413: "Payload Too Large", 414: "URI Too Long", 415: "Unsupported Media Type", 416: "Range Not Satisfiable",
  417: "Expectation Failed", 418: "I'm a teapot", 421: "Misdirected Request", 422: "Unprocessable Entity",
  423: "Locked", 424: "Failed Dependency", 426: "Upgrade Required", 428: "Precondition Required",
  429: "Too Many Requests", 431: "Request Header Fields Too Large", 451: "Unavailable For Legal Reasons",
  500: "Internal Server Error", 501: "Not Implemented", 502: "Bad Gateway", 503: "Service Unavailable",
  504: "Gateway Timeout", 505: "HTTP Version Not Supported", 506: "Variant Also Negotiates",
  507: "Insufficient Storage", 508: "Loop Detected", 510: "Not Extended", 511: "Network Authentication Required",
};

function defaultStatusText(code) {
  if (code === 0) return "";
  const t = statusTexts[code];
  if (t !== undefined) return t;
  if (code >= 200 && code < 300) return "Successful";
  if (code >= 300 && code < 400) return "Redirection";
  if (code >= 400 && code < 500) return "Client Error";
  if (code >= 500 && code < 600) return "Server Error";
  return "";
}

const isNullBodyStatus = (s) => s === 101 || s === 204 || s === 205 || s === 304;
const isRedirectStatus = (s) => s === 301 || s === 302 || s === 303 || s === 307 || s === 308;

function toStatus(v) {
  const n = Number(v);
  return Number.isFinite(n) ? Math.trunc(n) : 0;
}

let responseInternals;

class Response {
  #status = 200;
  #statusText = null; // null: the default text for the status
  #headers = null;
  #body = null;
  #type = "default";
  #urlList = [];
  #webSocket = null;
  #cf = undefined;
  #encodeBody = "automatic";

  constructor(body = undefined, init = undefined) {
    if (body === internalToken) {
      this.#status = init.status;
      this.#statusText = init.statusText ?? null;
      this.#headers = init.headers;
      this.#body = init.body ?? null;
      this.#type = init.type ?? "default";
      this.#urlList = init.urlList ?? [];
      this.#webSocket = init.webSocket ?? null;
      this.#cf = init.cf;
      this.#encodeBody = init.encodeBody ?? "automatic";
      return;
    }
    let webSocket = null;
    if (init instanceof Response) {
      this.#status = init.#status;
      this.#encodeBody = init.#encodeBody;
      if (init.#statusText !== null && init.#statusText !== defaultStatusText(init.#status)) {
        this.#statusText = init.#statusText;
      }
      this.#headers = new Headers(init.#headers);
      this.#cf = deepCloneCf(init.#cf);
      webSocket = init.#webSocket;
    } else if (init !== undefined && init !== null) {
      if (!isObject(init)) {
        throw new TypeError("Failed to construct 'Response': parameter 2 is not of type 'ResponseInit'.");
      }
      if (init.status !== undefined) this.#status = toStatus(init.status);
      if (init.statusText !== undefined) this.#statusText = String(init.statusText);
      if (init.encodeBody !== undefined) {
        const e = String(init.encodeBody);
        if (e !== "manual" && e !== "automatic") throw new TypeError(`encodeBody: unexpected value: ${e}`);
        this.#encodeBody = e;
      }
      if (init.headers !== undefined) this.#headers = new Headers(init.headers);
      if (init.cf !== undefined) this.#cf = deepCloneCf(init.cf);
      if (init.webSocket !== undefined && init.webSocket !== null) webSocket = init.webSocket;
    }
    if (this.#headers === null) this.#headers = new Headers();

    if (webSocket === null) {
      if (this.#status < 200 || this.#status > 599) {
        throw new RangeError(
          "Responses may only be constructed with status codes in the range 200 to 599, inclusive.",
        );
      }
    } else if (this.#status !== 101) {
      throw new RangeError("Responses with a WebSocket must have status code 101.");
    }
    this.#webSocket = webSocket;
    if (this.#statusText !== null) {
      for (let i = 0; i < this.#statusText.length; i++) {
        if (this.#statusText.charCodeAt(i) < 0x20) throw new TypeError("Invalid statusText");
      }
    }

    if (body !== undefined && body !== null) {
      let contentType;
      [this.#body, contentType] = extractBody(body);
      if (isNullBodyStatus(this.#status)) {
        const src = this.#body.src;
        if (this.#body.stream !== null || src.length > 0) {
          throw new TypeError("Response with null body status (101, 204, 205, or 304) cannot have a body.");
        }
        this.#body = null;
        contentType = null;
      }
      if (contentType !== null && !headersHasLower(this.#headers, "content-type")) {
        headersAppendUnguarded(this.#headers, "content-type", contentType);
      }
    }
  }

  static {
    responseInternals = (r) => ({
      status: r.#status,
      statusText: r.#statusText ?? defaultStatusText(r.#status),
      headers: r.#headers,
      body: r.#body,
      webSocket: r.#webSocket,
    });
  }


  static error() {
    return new Response(internalToken, { status: 0, headers: new Headers(), type: "error" });
  }

  static redirect(url, status = 302) {
    const code = toStatus(status);
    if (!isRedirectStatus(code)) {
      throw new RangeError(`${code} is not a redirect status code. It must be one of: 301, 302, 303, 307, or 308.`);
    }
    const s = toUSVString(url);
    const href = parseURLString(s);
    if (href === null) throw new TypeError(`Unable to parse URL: ${s}`);
    const headers = new Headers();
    headersAppendUnguarded(headers, "location", href);
    headersSetGuard(headers, true);
    return new Response(internalToken, { status: code, headers });
  }

  static json(data, init = undefined) {
    let dict;
    if (init instanceof Response) {
      const o = responseInternals(init);
      dict = {
        status: o.status,
        statusText: o.statusText === defaultStatusText(o.status) ? undefined : o.statusText,
        headers: new Headers(o.headers),
        cf: init.cf,
        webSocket: o.webSocket,
        encodeBody: init.#encodeBody,
      };
    } else if (init !== undefined && init !== null) {
      if (!isObject(init)) {
        throw new TypeError("Failed to execute 'json' on 'Response': parameter 2 is not of type 'ResponseInit'.");
      }
      dict = { ...init, headers: new Headers(init.headers) };
    } else {
      dict = { headers: new Headers() };
    }
    if (!headersHasLower(dict.headers, "content-type")) {
      headersAppendUnguarded(dict.headers, "content-type", "application/json");
    }
    return new Response(JSON.stringify(data), dict);
  }

  get status() {
    return this.#status;
  }
  get statusText() {
    return this.#statusText ?? defaultStatusText(this.#status);
  }
  get ok() {
    return this.#status >= 200 && this.#status < 300;
  }
  get headers() {
    return this.#headers;
  }
  get redirected() {
    return this.#urlList.length > 1;
  }
  get url() {
    return this.#urlList.length > 0 ? this.#urlList[this.#urlList.length - 1] : "";
  }
  get type() {
    return this.#type;
  }
  get webSocket() {
    return this.#webSocket;
  }
  get cf() {
    return this.#cf;
  }
  clone() {
    if (this.#webSocket !== null) throw new TypeError("Cannot clone a response to a WebSocket handshake.");
    const h = new Headers(this.#headers);
    headersSetGuard(h, headersIsImmutable(this.#headers));
    return new Response(internalToken, {
      status: this.#status,
      statusText: this.#statusText,
      headers: h,
      body: bodyClone(this.#body),
      type: this.#type,
      urlList: this.#urlList.slice(),
      cf: deepCloneCf(this.#cf),
      encodeBody: this.#encodeBody,
    });
  }
}
defineBodyMethods(Response, (r) => responseInternals(r).body);
setToStringTag(Response);
exposeClass(Response);

// fetch() to the outside is not implemented yet; the isolate may replace it.
function fetch(input, init = undefined) {
  return Promise.reject(notImplemented("fetch"));
}
defineGlobal("fetch", fetch);

// --- the Go side's entry points ----------------------------------------------

// The placeholder request.cf wrangler dev uses when it cannot fetch the real
// one (miniflare's fallbackCf), plus the client's Accept-Encoding.
function placeholderCf(acceptEncoding) {
  return {
    asOrganization: "",
    asn: 395747,
    colo: "DFW",
    city: "Austin",
    region: "Texas",
    regionCode: "TX",
    metroCode: "635",
    postalCode: "78701",
    country: "US",
    continent: "NA",
    timezone: "America/Chicago",
    latitude: "30.27130",
    longitude: "-97.74260",
    clientTcpRtt: 0,
    httpProtocol: "HTTP/1.1",
    requestPriority: "weight=192;exclusive=0",
    tlsCipher: "AEAD-AES128-GCM-SHA256",
    tlsVersion: "TLSv1.3",
    tlsClientAuth: {
      certPresented: "0",
      certVerified: "NONE",
      certRevoked: "0",
      certIssuerDN: "",
      certSubjectDN: "",
      certIssuerDNRFC2253: "",
      certSubjectDNRFC2253: "",
      certIssuerDNLegacy: "",
      certSubjectDNLegacy: "",
      certSerial: "",
      certIssuerSerial: "",
      certSKI: "",
      certIssuerSKI: "",
      certFingerprintSHA1: "",
      certFingerprintSHA256: "",
      certNotBefore: "",
      certNotAfter: "",
    },
    edgeRequestKeepAliveStatus: 0,
    clientTrustScore: 99,
    botManagement: {
      corporateProxy: false,
      verifiedBot: false,
      ja3Hash: "25b4882c2bcb50cd6b469ff28c596742",
      staticResource: false,
      detectionIds: [],
      score: 99,
    },
    clientAcceptEncoding: acceptEncoding,
  };
}

// newIncomingRequest builds the Request a Worker's fetch handler receives,
// as workerd does in ServiceWorkerGlobalScope::request: immutable headers,
// redirect "manual", a null body unless one was sent, and a Content-Length
// for a sent body without Content-Length or Transfer-Encoding.
register("__newIncomingRequest", function (method, url, headerPairs, bodyBuffer) {
  const bodyBytes = bodyBuffer === null ? null : new Uint8Array(bodyBuffer);
  const href = parseURLString(url);
  if (href === null) throw new TypeError(`Invalid URL: ${url}`);
  const headers = new Headers();
  for (let i = 0; i < headerPairs.length; i += 2) {
    headersAppendUnguarded(headers, headerPairs[i].toLowerCase(), headerPairs[i + 1]);
  }
  const framed = headersHasLower(headers, "content-length") || headersHasLower(headers, "transfer-encoding");
  let body = null;
  if (bodyBytes !== null && (bodyBytes.byteLength > 0 || framed)) {
    body = { src: bodyBytes, stream: null, used: false };
  } else if (framed) {
    body = { src: new Uint8Array(0), stream: null, used: false };
  }
  if (body !== null && !framed) headersAppendUnguarded(headers, "content-length", String(body.src.byteLength));
  headersSetGuard(headers, true);
  return new Request(internalToken, {
    method: String(method),
    url: href,
    headers,
    body,
    redirect: "manual",
    // Made on first read of request.cf.
    cf: () => placeholderCf(headersGetLower(headers, "accept-encoding") ?? ""),
  });
});

// readResponse returns what the Go side sends: status, text, headers as a
// flat [name, value, ...] list and the body (null, a string or a
// Uint8Array). It consumes the body.
register("__readResponse", function (v) {
  if (!(v instanceof Response)) return null;
  const r = responseInternals(v);
  const headers = headersRawEntries(r.headers);
  let body = null;
  const b = r.body;
  if (b !== null) {
    if (bodyIsUsed(b)) throw new TypeError(bodyUsedMessage);
    if (b.stream !== null) {
      if (b.stream.locked) throw new TypeError(bodyUsedMessage);
      const chunks = streamDrainSync(b.stream);
      if (chunks === undefined) throw notImplemented("A Response body that is still streaming");
      const parts = [];
      for (const c of chunks) {
        const u8 = byteView(c);
        if (u8 === null) throw new TypeError("This ReadableStream did not return bytes.");
        parts.push(u8);
      }
      body = parts.length === 0 ? null : concatBytes(parts);
    } else {
      b.used = true;
      body = b.src;
    }
  }
  return { status: r.status, statusText: r.statusText, headers, body, webSocket: r.webSocket };
});
