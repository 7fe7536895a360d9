// URL (workerd api/url-standard.c++): URL records serialized, and the class
// over the parser in urlparse.js.

const serializePath = (url) =>
  hasOpaquePath(url) ? url.path : url.path.length === 0 ? "" : "/" + url.path.join("/");

function serializeURL(url, excludeFragment = false) {
  let out = url.scheme + ":";
  if (url.host !== null) {
    out += "//";
    if (includesCredentials(url)) {
      out += url.username;
      if (url.password !== "") out += ":" + url.password;
      out += "@";
    }
    out += url.host;
    if (url.port !== null) out += ":" + url.port;
  }
  if (url.host === null && !hasOpaquePath(url) && url.path.length > 1 && url.path[0] === "") out += "/.";
  out += serializePath(url);
  if (url.query !== null) out += "?" + url.query;
  if (!excludeFragment && url.fragment !== null) out += "#" + url.fragment;
  return out;
}

function serializeOrigin(url) {
  switch (url.scheme) {
    case "blob": {
      const inner = hasOpaquePath(url) ? basicParse(url.path) : FAILURE;
      if (inner !== FAILURE && (inner.scheme === "http" || inner.scheme === "https")) return serializeOrigin(inner);
      return "null";
    }
    case "ftp":
    case "http":
    case "https":
    case "ws":
    case "wss":
      return url.scheme + "://" + url.host + (url.port === null ? "" : ":" + url.port);
    default:
      return "null";
  }
}

// parseURLString parses an absolute URL string; it returns the href or null.
function parseURLString(s, base = undefined) {
  let b = null;
  if (base !== undefined) {
    b = basicParse(toUSVString(base));
    if (b === FAILURE) return null;
  }
  const u = basicParse(toUSVString(s), b);
  return u === FAILURE ? null : serializeURL(u);
}

const invalidURL = () => new TypeError("Invalid URL string.");

class URL {
  #url;
  #searchParams = null;

  constructor(url = noArg, base = undefined) {
    if (url === noArg) {
      throw new TypeError("Failed to construct 'URL': 1 argument required, but only 0 present.");
    }
    let b = null;
    if (base !== undefined) {
      b = basicParse(toUSVString(base));
      if (b === FAILURE) throw invalidURL();
    }
    const u = basicParse(toUSVString(url), b);
    if (u === FAILURE) throw invalidURL();
    this.#url = u;
  }

  static canParse(url, base = undefined) {
    return parseURLString(url, base) !== null;
  }
  static parse(url, base = undefined) {
    try {
      return new URL(url, base);
    } catch {
      return null;
    }
  }
  static createObjectURL() {
    throw new Error("URL.createObjectURL() is not implemented");
  }
  static revokeObjectURL() {
    throw new Error("URL.revokeObjectURL() is not implemented");
  }

  get href() {
    return serializeURL(this.#url);
  }
  set href(v) {
    const u = basicParse(toUSVString(v));
    if (u === FAILURE) throw invalidURL();
    this.#url = u;
    if (this.#searchParams !== null) searchParamsAttach(this.#searchParams, u);
  }
  get origin() {
    return serializeOrigin(this.#url);
  }
  get protocol() {
    return this.#url.scheme + ":";
  }
  set protocol(v) {
    basicParse(toUSVString(v) + ":", null, this.#url, SCHEME_START);
  }
  get username() {
    return this.#url.username;
  }
  set username(v) {
    if (cannotHaveCredentialsOrPort(this.#url)) return;
    this.#url.username = pctEncodeString(toUSVString(v), inUserinfo);
  }
  get password() {
    return this.#url.password;
  }
  set password(v) {
    if (cannotHaveCredentialsOrPort(this.#url)) return;
    this.#url.password = pctEncodeString(toUSVString(v), inUserinfo);
  }
  get host() {
    const u = this.#url;
    if (u.host === null) return "";
    return u.port === null ? u.host : u.host + ":" + u.port;
  }
  set host(v) {
    if (hasOpaquePath(this.#url)) return;
    this.#setWithOverride(v, HOST);
  }
  get hostname() {
    return this.#url.host ?? "";
  }
  set hostname(v) {
    if (hasOpaquePath(this.#url)) return;
    this.#setWithOverride(v, HOSTNAME);
  }
  get port() {
    return this.#url.port === null ? "" : String(this.#url.port);
  }
  set port(v) {
    if (cannotHaveCredentialsOrPort(this.#url)) return;
    const s = toUSVString(v);
    if (s === "") this.#url.port = null;
    else this.#setWithOverride(s, PORT);
  }
  get pathname() {
    return serializePath(this.#url);
  }
  set pathname(v) {
    if (hasOpaquePath(this.#url)) return;
    const copy = { ...this.#url, path: [] };
    if (basicParse(toUSVString(v), null, copy, PATH_START) !== FAILURE) this.#url.path = copy.path;
  }
  get search() {
    const q = this.#url.query;
    return q === null || q === "" ? "" : "?" + q;
  }
  set search(v) {
    let s = toUSVString(v);
    if (s === "") {
      this.#url.query = null;
    } else {
      if (s[0] === "?") s = s.slice(1);
      this.#url.query = "";
      basicParse(s, null, this.#url, QUERY);
    }
    if (this.#searchParams !== null) searchParamsReset(this.#searchParams);
  }
  get searchParams() {
    if (this.#searchParams === null) {
      this.#searchParams = new URLSearchParams();
      searchParamsAttach(this.#searchParams, this.#url);
    }
    return this.#searchParams;
  }
  get hash() {
    const f = this.#url.fragment;
    return f === null || f === "" ? "" : "#" + f;
  }
  set hash(v) {
    let s = toUSVString(v);
    if (s === "") {
      this.#url.fragment = null;
      return;
    }
    if (s[0] === "#") s = s.slice(1);
    this.#url.fragment = "";
    basicParse(s, null, this.#url, FRAGMENT);
  }
  toString() {
    return this.href;
  }
  toJSON() {
    return this.href;
  }

  // #setWithOverride runs the parser with a state override on a copy and
  // keeps the result only if it did not fail.
  #setWithOverride(v, state) {
    const copy = { ...this.#url, path: hasOpaquePath(this.#url) ? this.#url.path : this.#url.path.slice() };
    if (basicParse(toUSVString(v), null, copy, state) !== FAILURE) Object.assign(this.#url, copy);
  }
}
setToStringTag(URL);
exposeClass(URL);
