// node:url: URL and URLSearchParams (the globals), fileURLToPath,
// pathToFileURL, urlToHttpOptions, domainToASCII/Unicode, and the legacy
// API (url.parse, url.format, url.resolve, Url) with Node's parser.

defineModule("url", () => {
  class ERR_INVALID_URL extends NodeTypeError {
    constructor(input) {
      super("ERR_INVALID_URL", "Invalid URL");
      this.input = input;
    }
  }
  class ERR_INVALID_URL_SCHEME extends NodeTypeError {
    constructor(expected) {
      super("ERR_INVALID_URL_SCHEME", `The URL must be of scheme ${expected}`);
    }
  }
  class ERR_INVALID_FILE_URL_HOST extends NodeTypeError {
    constructor(platform) {
      super("ERR_INVALID_FILE_URL_HOST", `File URL host must be "localhost" or empty on ${platform}`);
    }
  }
  class ERR_INVALID_FILE_URL_PATH extends NodeTypeError {
    constructor(msg) {
      super("ERR_INVALID_FILE_URL_PATH", `File URL path ${msg}`);
    }
  }

  const isURL = (v) => typeof URL === "function" && v instanceof URL;

  function fileURLToPath(path) {
    if (typeof path === "string") path = new URL(path);
    else if (!isURL(path)) throw new ERR_INVALID_ARG_TYPE("path", ["string", "URL"], path);
    if (path.protocol !== "file:") throw new ERR_INVALID_URL_SCHEME("file");
    if (path.hostname !== "") throw new ERR_INVALID_FILE_URL_HOST("linux");
    const pathname = path.pathname;
    for (let n = 0; n < pathname.length; n++) {
      if (pathname[n] === "%") {
        const third = pathname.codePointAt(n + 2) | 0x20;
        if (pathname[n + 1] === "2" && third === 102) {
          throw new ERR_INVALID_FILE_URL_PATH("must not include encoded / characters");
        }
      }
    }
    return decodeURIComponent(pathname);
  }

  function pathToFileURL(filepath) {
    validateString(filepath, "path");
    const path = loadModule("path/posix");
    let resolved = path.resolve(filepath);
    if (filepath.charCodeAt(filepath.length - 1) === 47 && resolved[resolved.length - 1] !== "/") resolved += "/";
    resolved = resolved
      .replace(/%/g, "%25")
      .replace(/\\/g, "%5C")
      .replace(/\n/g, "%0A")
      .replace(/\r/g, "%0D")
      .replace(/\t/g, "%09");
    const out = new URL("file://");
    out.pathname = resolved.replace(/\?/g, "%3F").replace(/#/g, "%23");
    return out;
  }

  function urlToHttpOptions(url) {
    const options = {
      protocol: url.protocol,
      hostname: typeof url.hostname === "string" && url.hostname.startsWith("[") ? url.hostname.slice(1, -1) : url.hostname,
      hash: url.hash,
      search: url.search,
      pathname: url.pathname,
      path: `${url.pathname || ""}${url.search || ""}`,
      href: url.href,
    };
    if (url.port !== "") options.port = Number(url.port);
    if (url.username || url.password) {
      options.auth = `${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`;
    }
    return options;
  }

  function domainToASCII(domain) {
    if (arguments.length < 1) throw new ERR_MISSING_ARGS("domain");
    try {
      return new URL(`ws://${domain}`).hostname;
    } catch {
      return "";
    }
  }

  function domainToUnicode(domain) {
    if (arguments.length < 1) throw new ERR_MISSING_ARGS("domain");
    const ascii = domainToASCII(domain);
    if (ascii === "") return "";
    return ascii
      .split(".")
      .map((label) => (label.startsWith("xn--") ? punycodeDecode(label.slice(4)) ?? label : label))
      .join(".");
  }

  // punycodeDecode decodes a Punycode label (RFC 3492), or returns
  // undefined if it is not one.
  function punycodeDecode(input) {
    const base = 36;
    const output = [];
    let i = 0;
    let n = 128;
    let bias = 72;
    let basic = input.lastIndexOf("-");
    if (basic < 0) basic = 0;
    for (let j = 0; j < basic; ++j) output.push(input.charCodeAt(j));
    for (let index = basic > 0 ? basic + 1 : 0; index < input.length; ) {
      const oldi = i;
      for (let w = 1, k = base; ; k += base) {
        if (index >= input.length) return undefined;
        const c = input.charCodeAt(index++);
        const digit = c - 48 < 10 ? c - 22 : c - 65 < 26 ? c - 65 : c - 97 < 26 ? c - 97 : base;
        if (digit >= base) return undefined;
        i += digit * w;
        const t = k <= bias ? 1 : k >= bias + 26 ? 26 : k - bias;
        if (digit < t) break;
        w *= base - t;
      }
      const out = output.length + 1;
      let delta = i - oldi;
      delta = oldi === 0 ? Math.floor(delta / 700) : delta >> 1;
      delta += Math.floor(delta / out);
      let k = 0;
      for (; delta > 455; k += base) delta = Math.floor(delta / 35);
      bias = Math.floor(k + (36 * delta) / (delta + 38));
      n += Math.floor(i / out);
      i %= out;
      output.splice(i++, 0, n);
    }
    return String.fromCodePoint(...output);
  }

  // The legacy API.

  const protocolPattern = /^[a-z0-9.+-]+:/i;
  const portPattern = /:[0-9]*$/;
  const hostPattern = /^\/\/[^@/]+@[^@/]+/;
  const simplePathPattern = /^(\/\/?(?!\/)[^?\s]*)(\?[^\s]*)?$/;
  const hostnameMaxLen = 255;
  const unsafeProtocol = new Set(["javascript", "javascript:"]);
  const hostlessProtocol = new Set(["javascript", "javascript:"]);
  const slashedProtocol = new Set(["http", "http:", "https", "https:", "ftp", "ftp:", "gopher", "gopher:", "file", "file:", "ws", "ws:", "wss", "wss:"]);
  const forbiddenHostChars = /[\0\t\n\r #%/:<>?@[\\\]^|]/;
  const forbiddenHostCharsIpv6 = /[\0\t\n\r #%/<>?@\\^|]/;
  const autoEscape = {
    "\t": "%09",
    "\n": "%0A",
    "\r": "%0D",
    " ": "%20",
    '"': "%22",
    "'": "%27",
    "<": "%3C",
    ">": "%3E",
    "\\": "%5C",
    "^": "%5E",
    "`": "%60",
    "{": "%7B",
    "|": "%7C",
    "}": "%7D",
  };

  function Url() {
    this.protocol = null;
    this.slashes = null;
    this.auth = null;
    this.host = null;
    this.port = null;
    this.hostname = null;
    this.hash = null;
    this.search = null;
    this.query = null;
    this.pathname = null;
    this.path = null;
    this.href = null;
  }

  const isIpv6Hostname = (h) => h.charCodeAt(0) === 91 && h.charCodeAt(h.length - 1) === 93;

  Url.prototype.parse = function parse(url, parseQueryString, slashesDenoteHost) {
    validateString(url, "url");
    let hasHash = false;
    let hasAt = false;
    let start = -1;
    let end = -1;
    let rest = "";
    let lastPos = 0;
    for (let i = 0, inWs = false, split = false; i < url.length; ++i) {
      const code = url.charCodeAt(i);
      const isWs = code < 33 || code === 0xa0 || code === 0xfeff;
      if (start === -1) {
        if (isWs) continue;
        lastPos = start = i;
      } else if (inWs) {
        if (!isWs) {
          end = -1;
          inWs = false;
        }
      } else if (isWs) {
        end = i;
        inWs = true;
      }
      if (!split) {
        switch (code) {
          case 64:
            hasAt = true;
            break;
          case 35:
            hasHash = true;
          // Falls through.
          case 63:
            split = true;
            break;
          case 92:
            if (i - lastPos > 0) rest += url.slice(lastPos, i);
            rest += "/";
            lastPos = i + 1;
            break;
        }
      } else if (!hasHash && code === 35) {
        hasHash = true;
      }
    }
    if (start !== -1) {
      if (lastPos === start) {
        if (end === -1) rest = start === 0 ? url : url.slice(start);
        else rest = url.slice(start, end);
      } else if (end === -1 && lastPos < url.length) {
        rest += url.slice(lastPos);
      } else if (end !== -1 && lastPos < end) {
        rest += url.slice(lastPos, end);
      }
    }
    const querystring = () => loadModule("querystring");
    if (!slashesDenoteHost && !hasHash && !hasAt) {
      const simplePath = simplePathPattern.exec(rest);
      if (simplePath) {
        this.path = rest;
        this.href = rest;
        this.pathname = simplePath[1];
        if (simplePath[2]) {
          this.search = simplePath[2];
          this.query = parseQueryString ? querystring().parse(this.search.slice(1)) : this.search.slice(1);
        } else if (parseQueryString) {
          this.search = null;
          this.query = { __proto__: null };
        }
        return this;
      }
    }
    let proto = protocolPattern.exec(rest);
    let lowerProto;
    if (proto) {
      proto = proto[0];
      lowerProto = proto.toLowerCase();
      this.protocol = lowerProto;
      rest = rest.slice(proto.length);
    }
    let slashes;
    if (slashesDenoteHost || proto || hostPattern.test(rest)) {
      slashes = rest.charCodeAt(0) === 47 && rest.charCodeAt(1) === 47;
      if (slashes && !(proto && hostlessProtocol.has(lowerProto))) {
        rest = rest.slice(2);
        this.slashes = true;
      }
    }
    if (!hostlessProtocol.has(lowerProto) && (slashes || (proto && !slashedProtocol.has(proto)))) {
      let hostEnd = -1;
      let atSign = -1;
      let nonHost = -1;
      for (let i = 0; i < rest.length; ++i) {
        switch (rest.charCodeAt(i)) {
          case 9:
          case 10:
          case 13:
          case 32:
          case 34:
          case 37:
          case 39:
          case 59:
          case 60:
          case 62:
          case 92:
          case 94:
          case 96:
          case 123:
          case 124:
          case 125:
            if (nonHost === -1) nonHost = i;
            break;
          case 35:
          case 47:
          case 63:
            if (nonHost === -1) nonHost = i;
            hostEnd = i;
            break;
          case 64:
            atSign = i;
            nonHost = -1;
            break;
        }
        if (hostEnd !== -1) break;
      }
      start = 0;
      if (atSign !== -1) {
        this.auth = decodeURIComponent(rest.slice(0, atSign));
        start = atSign + 1;
      }
      if (nonHost === -1) {
        this.host = rest.slice(start);
        rest = "";
      } else {
        this.host = rest.slice(start, nonHost);
        rest = rest.slice(nonHost);
      }
      this.parseHost();
      if (typeof this.hostname !== "string") this.hostname = "";
      const hostname = this.hostname;
      const ipv6Hostname = isIpv6Hostname(hostname);
      if (!ipv6Hostname) {
        for (let i = 0; i < hostname.length; ++i) {
          const code = hostname.charCodeAt(i);
          const isValid = code !== 47 && code !== 92 && code !== 35 && code !== 63 && code !== 58;
          if (!isValid) {
            this.hostname = hostname.slice(0, i);
            rest = `/${hostname.slice(i)}${rest}`;
            break;
          }
        }
      }
      if (this.hostname.length > hostnameMaxLen) this.hostname = "";
      else this.hostname = this.hostname.toLowerCase();
      if (this.hostname !== "") {
        if (ipv6Hostname) {
          if (forbiddenHostCharsIpv6.test(this.hostname)) throw new ERR_INVALID_URL(url);
        } else {
          this.hostname = /[^\x00-\x7f]/.test(this.hostname) ? domainToASCII(this.hostname) : this.hostname;
          if (this.hostname === "" || forbiddenHostChars.test(this.hostname)) throw new ERR_INVALID_URL(url);
        }
      }
      const p = this.port ? ":" + this.port : "";
      const h = this.hostname || "";
      this.host = h + p;
      if (ipv6Hostname) {
        this.hostname = this.hostname.slice(1, -1);
        if (rest[0] !== "/") rest = "/" + rest;
      }
    }
    if (!unsafeProtocol.has(lowerProto)) rest = rest.replace(/[\t\n\r "'<>\\^`{|}]/g, (c) => autoEscape[c]);
    let questionIdx = -1;
    let hashIdx = -1;
    for (let i = 0; i < rest.length; ++i) {
      const code = rest.charCodeAt(i);
      if (code === 35) {
        this.hash = rest.slice(i);
        hashIdx = i;
        break;
      } else if (code === 63 && questionIdx === -1) {
        questionIdx = i;
      }
    }
    if (questionIdx !== -1) {
      if (hashIdx === -1) {
        this.search = rest.slice(questionIdx);
        this.query = rest.slice(questionIdx + 1);
      } else {
        this.search = rest.slice(questionIdx, hashIdx);
        this.query = rest.slice(questionIdx + 1, hashIdx);
      }
      if (parseQueryString) this.query = querystring().parse(this.query);
    } else if (parseQueryString) {
      this.search = null;
      this.query = { __proto__: null };
    }
    const useQuestionIdx = questionIdx !== -1 && (hashIdx === -1 || questionIdx < hashIdx);
    const firstIdx = useQuestionIdx ? questionIdx : hashIdx;
    if (firstIdx === -1) {
      if (rest.length > 0) this.pathname = rest;
    } else if (firstIdx > 0) {
      this.pathname = rest.slice(0, firstIdx);
    }
    if (slashedProtocol.has(lowerProto) && this.hostname && !this.pathname) this.pathname = "/";
    if (this.pathname || this.search) this.path = (this.pathname || "") + (this.search || "");
    this.href = this.format();
    return this;
  };

  Url.prototype.parseHost = function parseHost() {
    let host = this.host;
    let port = portPattern.exec(host);
    if (port) {
      port = port[0];
      if (port !== ":") this.port = port.slice(1);
      host = host.slice(0, host.length - port.length);
    }
    if (host) this.hostname = host;
  };

  Url.prototype.format = function format() {
    let auth = this.auth || "";
    if (auth) {
      auth = encodeURIComponent(auth).replace(/%(24|26|2B|2C|3A|3B|3D)/g, (m, h) => String.fromCharCode(parseInt(h, 16))) + "@";
    }
    let protocol = this.protocol || "";
    let pathname = this.pathname || "";
    let hash = this.hash || "";
    let host = "";
    let query = "";
    if (this.host) {
      host = auth + this.host;
    } else if (this.hostname) {
      host = auth + (this.hostname.includes(":") && !isIpv6Hostname(this.hostname) ? "[" + this.hostname + "]" : this.hostname);
      if (this.port) host += ":" + this.port;
    }
    if (this.query !== null && typeof this.query === "object") query = loadModule("querystring").stringify(this.query);
    let search = this.search || (query && "?" + query) || "";
    if (protocol && protocol.charCodeAt(protocol.length - 1) !== 58) protocol += ":";
    pathname = pathname.replace(/[#?]/g, (c) => (c === "#" ? "%23" : "%3F"));
    if (this.slashes || slashedProtocol.has(protocol)) {
      if (this.slashes || host) {
        if (pathname && pathname.charCodeAt(0) !== 47) pathname = "/" + pathname;
        host = "//" + host;
      } else if (protocol.startsWith("file")) {
        host = "//";
      }
    }
    search = search.replace(/#/g, "%23");
    if (hash && hash.charCodeAt(0) !== 35) hash = "#" + hash;
    if (search && search.charCodeAt(0) !== 63) search = "?" + search;
    return protocol + host + pathname + search + hash;
  };

  Url.prototype.resolve = function resolve(relative) {
    return urlResolve(this.format(), relative);
  };

  function urlParse(url, parseQueryString, slashesDenoteHost) {
    if (url instanceof Url) return url;
    const u = new Url();
    u.parse(url, parseQueryString, slashesDenoteHost);
    return u;
  }

  function urlFormat(urlObject, options) {
    if (typeof urlObject === "string") {
      urlObject = urlParse(urlObject);
    } else if (typeof urlObject !== "object" || urlObject === null) {
      throw new ERR_INVALID_ARG_TYPE("urlObject", ["Object", "string"], urlObject);
    } else if (isURL(urlObject)) {
      let fragment = true;
      let unicode = false;
      let search = true;
      let auth = true;
      if (options) {
        validateObject(options, "options");
        if (options.fragment != null) fragment = Boolean(options.fragment);
        if (options.unicode != null) unicode = Boolean(options.unicode);
        if (options.search != null) search = Boolean(options.search);
        if (options.auth != null) auth = Boolean(options.auth);
      }
      const u = new URL(urlObject.href);
      if (!fragment) u.hash = "";
      if (!search) u.search = "";
      if (!auth) {
        u.username = "";
        u.password = "";
      }
      let href = u.href;
      if (unicode && u.hostname) href = href.replace(u.hostname, domainToUnicode(u.hostname));
      return href;
    }
    return Url.prototype.format.call(urlObject);
  }

  function urlResolve(source, relative) {
    const resolved = new URL(relative, new URL(source, "resolve://"));
    if (resolved.protocol === "resolve:") {
      const { pathname, search, hash } = resolved;
      return pathname + search + hash;
    }
    return resolved.toString();
  }

  return {
    URL: globalThis.URL,
    URLSearchParams: globalThis.URLSearchParams,
    Url,
    parse: urlParse,
    format: urlFormat,
    resolve: urlResolve,
    resolveObject: (source, relative) => urlParse(urlResolve(source, relative)),
    fileURLToPath,
    pathToFileURL,
    urlToHttpOptions,
    domainToASCII,
    domainToUnicode,
  };
});
