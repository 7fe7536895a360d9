// Response (workerd api/http.c++). Its body methods are body.js's.

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
defineBodyMethods(
  Response,
  (r) => responseInternals(r).body,
  (r) => headersGetLower(responseInternals(r).headers, "content-type"),
);
setToStringTag(Response);
exposeClass(Response);
