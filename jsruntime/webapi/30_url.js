// tier: fetch
// URL and URLSearchParams: the WHATWG URL Standard's basic URL parser and
// serializer (workerd uses ada, a conforming implementation; its errors come
// from api/url-standard.c++). Domain-to-ASCII is simplified: lower-casing and
// Punycode, without the full UTS #46 mapping table.

const FAILURE = Symbol("failure");

const specialSchemes = { "ftp": 21, "file": null, "http": 80, "https": 443, "ws": 80, "wss": 443 };
const isSpecialScheme = (s) => Object.prototype.hasOwnProperty.call(specialSchemes, s);
const defaultPort = (s) => (isSpecialScheme(s) ? specialSchemes[s] : null);

// URL parser states.
const SCHEME_START = 1, SCHEME = 2, NO_SCHEME = 3, SPECIAL_RELATIVE_OR_AUTHORITY = 4,
  PATH_OR_AUTHORITY = 5, RELATIVE = 6, RELATIVE_SLASH = 7, SPECIAL_AUTHORITY_SLASHES = 8,
  SPECIAL_AUTHORITY_IGNORE_SLASHES = 9, AUTHORITY = 10, HOST = 11, HOSTNAME = 12, PORT = 13,
  FILE = 14, FILE_SLASH = 15, FILE_HOST = 16, PATH_START = 17, PATH = 18, OPAQUE_PATH = 19,
  QUERY = 20, FRAGMENT = 21;

// Percent-encode sets, as predicates on a code point.
const inC0 = (c) => c < 0x20 || c > 0x7e;
const inFragment = (c) => inC0(c) || c === 0x20 || c === 0x22 || c === 0x3c || c === 0x3e || c === 0x60;
const inQuery = (c) => inC0(c) || c === 0x20 || c === 0x22 || c === 0x23 || c === 0x3c || c === 0x3e;
const inSpecialQuery = (c) => inQuery(c) || c === 0x27;
const inPath = (c) => inQuery(c) || c === 0x3f || c === 0x5e || c === 0x60 || c === 0x7b || c === 0x7d;
const inUserinfo = (c) =>
  inPath(c) || c === 0x2f || c === 0x3a || c === 0x3b || c === 0x3d || c === 0x40 ||
  (c >= 0x5b && c <= 0x5d) || c === 0x7c;

const hexUpper = "0123456789ABCDEF";
const pctByte = (b) => "%" + hexUpper[b >> 4] + hexUpper[b & 15];

// utf8Bytes returns the UTF-8 bytes of one code point (lone surrogates
// become U+FFFD).
function utf8Bytes(cp) {
  if (cp >= 0xd800 && cp <= 0xdfff) cp = 0xfffd;
  if (cp < 0x80) return [cp];
  if (cp < 0x800) return [0xc0 | (cp >> 6), 0x80 | (cp & 0x3f)];
  if (cp < 0x10000) return [0xe0 | (cp >> 12), 0x80 | ((cp >> 6) & 0x3f), 0x80 | (cp & 0x3f)];
  return [0xf0 | (cp >> 18), 0x80 | ((cp >> 12) & 0x3f), 0x80 | ((cp >> 6) & 0x3f), 0x80 | (cp & 0x3f)];
}

function pctEncodeCp(ch, set) {
  const cp = ch.codePointAt(0);
  if (!set(cp)) return ch;
  let out = "";
  for (const b of utf8Bytes(cp)) out += pctByte(b);
  return out;
}

function pctEncodeString(s, set) {
  let out = "";
  for (const ch of s) out += pctEncodeCp(ch, set);
  return out;
}

const isHexDigit = (c) => c !== undefined && /^[0-9A-Fa-f]$/.test(c);

// pctDecodeBytes percent-decodes s (as UTF-8) into bytes.
function pctDecodeBytes(s) {
  const src = utf8Encode(s);
  const out = new Uint8Array(src.length);
  let n = 0;
  for (let i = 0; i < src.length; i++) {
    const b = src[i];
    if (b === 0x25 && i + 2 < src.length && isHexByte(src[i + 1]) && isHexByte(src[i + 2])) {
      out[n++] = (hexVal(src[i + 1]) << 4) | hexVal(src[i + 2]);
      i += 2;
    } else {
      out[n++] = b;
    }
  }
  return out.subarray(0, n);
}
const isHexByte = (b) => (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x46) || (b >= 0x61 && b <= 0x66);
const hexVal = (b) => (b <= 0x39 ? b - 0x30 : (b | 0x20) - 0x61 + 10);

const pctDecodeString = (s) => (s.indexOf("%") < 0 ? s : utf8Decode(pctDecodeBytes(s)));

const isAlpha = (c) => c !== undefined && ((c >= "a" && c <= "z") || (c >= "A" && c <= "Z"));
const isDigit = (c) => c !== undefined && c >= "0" && c <= "9";
const isWindowsDriveLetter = (s) => s.length === 2 && isAlpha(s[0]) && (s[1] === ":" || s[1] === "|");
const isNormalizedWindowsDriveLetter = (s) => s.length === 2 && isAlpha(s[0]) && s[1] === ":";

function startsWithWindowsDriveLetter(cps, p) {
  if (cps.length - p < 2) return false;
  if (!isAlpha(cps[p]) || (cps[p + 1] !== ":" && cps[p + 1] !== "|")) return false;
  if (cps.length - p === 2) return true;
  const c = cps[p + 2];
  return c === "/" || c === "\\" || c === "?" || c === "#";
}

const isSingleDot = (s) => s === "." || s.toLowerCase() === "%2e";
const isDoubleDot = (s) => {
  const l = s.toLowerCase();
  return l === ".." || l === ".%2e" || l === "%2e." || l === "%2e%2e";
};

const newURLRecord = () => ({
  scheme: "",
  username: "",
  password: "",
  host: null,
  port: null,
  path: [],
  query: null,
  fragment: null,
});

const hasOpaquePath = (url) => typeof url.path === "string";
const includesCredentials = (url) => url.username !== "" || url.password !== "";
const cannotHaveCredentialsOrPort = (url) => url.host === null || url.host === "" || url.scheme === "file";

function shortenPath(url) {
  const path = url.path;
  if (url.scheme === "file" && path.length === 1 && isNormalizedWindowsDriveLetter(path[0])) return;
  path.pop();
}

// fastParse handles the common case cheaply: an absolute http(s)/ws(s) URL
// that is already in normal form (lower-case domain, no credentials, no
// non-default port with leading zeros, no dot segments, nothing to
// percent-encode). It returns null for anything else, which the full parser
// then handles; for what it accepts, its result equals the full parser's.
const fastURLRe =
  /^(https?|wss?):\/\/([a-z0-9-]+(?:\.[a-z0-9-]+)*)(?::([1-9][0-9]{0,4}))?(\/[A-Za-z0-9\-._~!$&'()*+,;=:@\/%]*)?(?:\?([A-Za-z0-9\-._~!$&()*+,;=:@\/?%]*))?(?:#([A-Za-z0-9\-._~!$&'()*+,;=:@\/?%#]*))?$/;
const dotSegmentRe = /(?:^|\/)(?:\.|%2e){1,2}(?:\/|$)/i;
const canonicalIPv4Re = /^(?:(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])\.){3}(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])$/;

function fastParse(input) {
  const m = fastURLRe.exec(input);
  if (m === null) return null;
  const scheme = m[1], host = m[2], portStr = m[3], path = m[4] ?? "/", query = m[5], fragment = m[6];
  if (host.includes("xn--") || dotSegmentRe.test(path)) return null;
  if (endsInNumber(host) && !canonicalIPv4Re.test(host)) return null;
  let port = null;
  if (portStr !== undefined) {
    port = Number(portStr);
    if (port > 65535) return null;
    if (port === specialSchemes[scheme]) port = null;
  }
  return {
    scheme,
    username: "",
    password: "",
    host,
    port,
    path: path.slice(1).split("/"),
    query: query ?? null,
    fragment: fragment ?? null,
  };
}

const trimC0Re = /^[\u0000-\u0020]+|[\u0000-\u0020]+$/g;
const tabNewlineRe = /[\t\n\r]/g;
const digitsRe = /^[0-9]+$/;
const hexNumberRe = /^0[xX][0-9A-Fa-f]*$/;

// basicParse is the WHATWG "basic URL parser". It returns the URL record or
// FAILURE. With a state override it updates url in place (for setters).
function basicParse(input, base = null, url = null, stateOverride = 0) {
  if (url === null) {
    const fast = fastParse(input);
    if (fast !== null) return fast;
    url = newURLRecord();
    input = input.replace(trimC0Re, "");
  }
  input = input.replace(tabNewlineRe, "");
  const cps = Array.from(input);
  let state = stateOverride || SCHEME_START;
  let buffer = "";
  let atSignSeen = false;
  let insideBrackets = false;
  let passwordTokenSeen = false;
  let pointer = 0;
  const special = () => isSpecialScheme(url.scheme);

  for (;;) {
    const c = cps[pointer]; // undefined is EOF
    switch (state) {
      case SCHEME_START:
        if (isAlpha(c)) {
          buffer += c.toLowerCase();
          state = SCHEME;
        } else if (!stateOverride) {
          state = NO_SCHEME;
          pointer--;
        } else {
          return FAILURE;
        }
        break;

      case SCHEME:
        if (c !== undefined && (isAlpha(c) || isDigit(c) || c === "+" || c === "-" || c === ".")) {
          buffer += c.toLowerCase();
        } else if (c === ":") {
          if (stateOverride) {
            if (isSpecialScheme(url.scheme) !== isSpecialScheme(buffer)) return url;
            if ((includesCredentials(url) || url.port !== null) && buffer === "file") return url;
            if (url.scheme === "file" && url.host === "") return url;
          }
          url.scheme = buffer;
          if (stateOverride) {
            if (url.port === defaultPort(url.scheme)) url.port = null;
            return url;
          }
          buffer = "";
          if (url.scheme === "file") {
            state = FILE;
          } else if (special() && base !== null && base.scheme === url.scheme) {
            state = SPECIAL_RELATIVE_OR_AUTHORITY;
          } else if (special()) {
            state = SPECIAL_AUTHORITY_SLASHES;
          } else if (cps[pointer + 1] === "/") {
            state = PATH_OR_AUTHORITY;
            pointer++;
          } else {
            url.path = "";
            state = OPAQUE_PATH;
          }
        } else if (!stateOverride) {
          buffer = "";
          state = NO_SCHEME;
          pointer = -1;
        } else {
          return FAILURE;
        }
        break;

      case NO_SCHEME:
        if (base === null || (hasOpaquePath(base) && c !== "#")) return FAILURE;
        if (hasOpaquePath(base) && c === "#") {
          url.scheme = base.scheme;
          url.path = base.path;
          url.query = base.query;
          url.fragment = "";
          state = FRAGMENT;
        } else if (base.scheme !== "file") {
          state = RELATIVE;
          pointer--;
        } else {
          state = FILE;
          pointer--;
        }
        break;

      case SPECIAL_RELATIVE_OR_AUTHORITY:
        if (c === "/" && cps[pointer + 1] === "/") {
          state = SPECIAL_AUTHORITY_IGNORE_SLASHES;
          pointer++;
        } else {
          state = RELATIVE;
          pointer--;
        }
        break;

      case PATH_OR_AUTHORITY:
        if (c === "/") {
          state = AUTHORITY;
        } else {
          state = PATH;
          pointer--;
        }
        break;

      case RELATIVE:
        url.scheme = base.scheme;
        if (c === "/" || (special() && c === "\\")) {
          state = RELATIVE_SLASH;
        } else {
          url.username = base.username;
          url.password = base.password;
          url.host = base.host;
          url.port = base.port;
          url.path = base.path.slice();
          url.query = base.query;
          if (c === "?") {
            url.query = "";
            state = QUERY;
          } else if (c === "#") {
            url.fragment = "";
            state = FRAGMENT;
          } else if (c !== undefined) {
            url.query = null;
            shortenPath(url);
            state = PATH;
            pointer--;
          }
        }
        break;

      case RELATIVE_SLASH:
        if (special() && (c === "/" || c === "\\")) {
          state = SPECIAL_AUTHORITY_IGNORE_SLASHES;
        } else if (c === "/") {
          state = AUTHORITY;
        } else {
          url.username = base.username;
          url.password = base.password;
          url.host = base.host;
          url.port = base.port;
          state = PATH;
          pointer--;
        }
        break;

      case SPECIAL_AUTHORITY_SLASHES:
        if (c === "/" && cps[pointer + 1] === "/") {
          state = SPECIAL_AUTHORITY_IGNORE_SLASHES;
          pointer++;
        } else {
          state = SPECIAL_AUTHORITY_IGNORE_SLASHES;
          pointer--;
        }
        break;

      case SPECIAL_AUTHORITY_IGNORE_SLASHES:
        if (c !== "/" && c !== "\\") {
          state = AUTHORITY;
          pointer--;
        }
        break;

      case AUTHORITY:
        if (c === "@") {
          if (atSignSeen) buffer = "%40" + buffer;
          atSignSeen = true;
          for (const bc of buffer) {
            if (bc === ":" && !passwordTokenSeen) {
              passwordTokenSeen = true;
              continue;
            }
            const enc = pctEncodeCp(bc, inUserinfo);
            if (passwordTokenSeen) url.password += enc;
            else url.username += enc;
          }
          buffer = "";
        } else if (c === undefined || c === "/" || c === "?" || c === "#" || (special() && c === "\\")) {
          if (atSignSeen && buffer === "") return FAILURE;
          pointer -= Array.from(buffer).length + 1;
          buffer = "";
          state = HOST;
        } else {
          buffer += c;
        }
        break;

      case HOST:
      case HOSTNAME:
        if (stateOverride && url.scheme === "file") {
          pointer--;
          state = FILE_HOST;
        } else if (c === ":" && !insideBrackets) {
          if (buffer === "") return FAILURE;
          if (stateOverride === HOSTNAME) return FAILURE;
          const host = parseHost(buffer, !special());
          if (host === FAILURE) return FAILURE;
          url.host = host;
          buffer = "";
          state = PORT;
        } else if (c === undefined || c === "/" || c === "?" || c === "#" || (special() && c === "\\")) {
          pointer--;
          if (special() && buffer === "") return FAILURE;
          if (stateOverride && buffer === "" && (includesCredentials(url) || url.port !== null)) return url;
          const host = parseHost(buffer, !special());
          if (host === FAILURE) return FAILURE;
          url.host = host;
          buffer = "";
          state = PATH_START;
          if (stateOverride) return url;
        } else {
          if (c === "[") insideBrackets = true;
          if (c === "]") insideBrackets = false;
          buffer += c;
        }
        break;

      case PORT:
        if (isDigit(c)) {
          buffer += c;
        } else if (
          c === undefined || c === "/" || c === "?" || c === "#" || (special() && c === "\\") || stateOverride
        ) {
          if (buffer !== "") {
            const port = parseInt(buffer, 10);
            if (port > 65535) return FAILURE;
            url.port = port === defaultPort(url.scheme) ? null : port;
            buffer = "";
            if (stateOverride) return url;
          }
          if (stateOverride) return FAILURE;
          state = PATH_START;
          pointer--;
        } else {
          return FAILURE;
        }
        break;

      case FILE:
        url.scheme = "file";
        url.host = "";
        if (c === "/" || c === "\\") {
          state = FILE_SLASH;
        } else if (base !== null && base.scheme === "file") {
          url.host = base.host;
          url.path = base.path.slice();
          url.query = base.query;
          if (c === "?") {
            url.query = "";
            state = QUERY;
          } else if (c === "#") {
            url.fragment = "";
            state = FRAGMENT;
          } else if (c !== undefined) {
            url.query = null;
            if (!startsWithWindowsDriveLetter(cps, pointer)) shortenPath(url);
            else url.path = [];
            state = PATH;
            pointer--;
          }
        } else {
          state = PATH;
          pointer--;
        }
        break;

      case FILE_SLASH:
        if (c === "/" || c === "\\") {
          state = FILE_HOST;
        } else {
          if (base !== null && base.scheme === "file") {
            url.host = base.host;
            if (
              !startsWithWindowsDriveLetter(cps, pointer) &&
              base.path.length > 0 &&
              isNormalizedWindowsDriveLetter(base.path[0])
            ) {
              url.path.push(base.path[0]);
            }
          }
          state = PATH;
          pointer--;
        }
        break;

      case FILE_HOST:
        if (c === undefined || c === "/" || c === "\\" || c === "?" || c === "#") {
          pointer--;
          if (!stateOverride && isWindowsDriveLetter(buffer)) {
            state = PATH;
          } else if (buffer === "") {
            url.host = "";
            if (stateOverride) return url;
            state = PATH_START;
          } else {
            let host = parseHost(buffer, !special());
            if (host === FAILURE) return FAILURE;
            if (host === "localhost") host = "";
            url.host = host;
            if (stateOverride) return url;
            buffer = "";
            state = PATH_START;
          }
        } else {
          buffer += c;
        }
        break;

      case PATH_START:
        if (special()) {
          state = PATH;
          if (c !== "/" && c !== "\\") pointer--;
        } else if (!stateOverride && c === "?") {
          url.query = "";
          state = QUERY;
        } else if (!stateOverride && c === "#") {
          url.fragment = "";
          state = FRAGMENT;
        } else if (c !== undefined) {
          state = PATH;
          if (c !== "/") pointer--;
        } else if (stateOverride && url.host === null) {
          url.path.push("");
        }
        break;

      case PATH:
        if (
          c === undefined || c === "/" || (special() && c === "\\") || (!stateOverride && (c === "?" || c === "#"))
        ) {
          const slash = c === "/" || (special() && c === "\\");
          if (isDoubleDot(buffer)) {
            shortenPath(url);
            if (!slash) url.path.push("");
          } else if (isSingleDot(buffer) && !slash) {
            url.path.push("");
          } else if (!isSingleDot(buffer)) {
            if (url.scheme === "file" && url.path.length === 0 && isWindowsDriveLetter(buffer)) {
              buffer = buffer[0] + ":";
            }
            url.path.push(buffer);
          }
          buffer = "";
          if (c === "?") {
            url.query = "";
            state = QUERY;
          }
          if (c === "#") {
            url.fragment = "";
            state = FRAGMENT;
          }
        } else {
          buffer += pctEncodeCp(c, inPath);
        }
        break;

      case OPAQUE_PATH:
        if (c === "?") {
          url.query = "";
          state = QUERY;
        } else if (c === "#") {
          url.fragment = "";
          state = FRAGMENT;
        } else if (c !== undefined) {
          url.path += pctEncodeCp(c, inC0);
        }
        break;

      case QUERY:
        if (c === undefined || (!stateOverride && c === "#")) {
          url.query += pctEncodeString(buffer, special() ? inSpecialQuery : inQuery);
          buffer = "";
          if (c === "#") {
            url.fragment = "";
            state = FRAGMENT;
          }
        } else {
          buffer += c;
        }
        break;

      case FRAGMENT:
        if (c !== undefined) url.fragment += pctEncodeCp(c, inFragment);
        break;
    }
    if (pointer >= cps.length) break;
    pointer++;
  }
  return url;
}

// --- hosts -----------------------------------------------------------------

const forbiddenHost = /[\u0000\t\n\r #/:<>?@[\\\]^|]/;
const forbiddenDomain = /[\u0000-\u001f #%/:<>?@[\\\]^|\u007f]/;

function parseHost(input, isOpaque) {
  if (input[0] === "[") {
    if (input[input.length - 1] !== "]") return FAILURE;
    const a = parseIPv6(input.slice(1, -1));
    return a === FAILURE ? FAILURE : "[" + serializeIPv6(a) + "]";
  }
  if (isOpaque) {
    if (forbiddenHost.test(input)) return FAILURE;
    return pctEncodeString(input, inC0);
  }
  const domain = pctDecodeString(input);
  const ascii = domainToASCII(domain);
  if (ascii === FAILURE || ascii === "" || forbiddenDomain.test(ascii)) return FAILURE;
  if (endsInNumber(ascii)) {
    const v4 = parseIPv4(ascii);
    if (v4 === FAILURE) return FAILURE;
    return [v4 >>> 24, (v4 >>> 16) & 255, (v4 >>> 8) & 255, v4 & 255].join(".");
  }
  return ascii;
}

// domainToASCII approximates UTS #46 ToASCII: NFKC and lower-casing stand in
// for the mapping table; non-ASCII labels are Punycode-encoded and "xn--"
// labels must decode.
function domainToASCII(domain) {
  let d = domain.toLowerCase();
  if (/[^\u0000-\u007f]/.test(d)) {
    // Ignored code points (soft hyphen, zero width joiners, ...) and
    // ideographic full stops, then compatibility mapping.
    d = d.replace(/[\u00ad\u200b-\u200d\u2060\ufeff]/g, "").replace(/[\u3002\uff0e\uff61]/g, ".");
    d = d.normalize("NFKC").toLowerCase();
    if (d.includes("\ufffd")) return FAILURE;
  } else if (!d.includes("xn--")) {
    return d;
  }
  const labels = d.split(".");
  for (let i = 0; i < labels.length; i++) {
    const label = labels[i];
    if (label.startsWith("xn--")) {
      const u = punycodeDecode(label.slice(4));
      if (u === FAILURE || u === "" || /^[\u0000-\u007f]*$/.test(u) || u.normalize("NFKC").toLowerCase() !== u) {
        return FAILURE;
      }
    } else if (/[^\u0000-\u007f]/.test(label)) {
      labels[i] = "xn--" + punycodeEncode(label);
    }
  }
  return labels.join(".");
}

// punycodeDecode is RFC 3492's decoder; it returns FAILURE on bad input.
function punycodeDecode(input) {
  const base = 36, tMin = 1, tMax = 26, skew = 38, damp = 700;
  const out = [];
  let n = 128, i = 0, bias = 72;
  let b = input.lastIndexOf("-");
  if (b < 0) b = 0;
  for (let j = 0; j < b; j++) {
    const c = input.charCodeAt(j);
    if (c >= 0x80) return FAILURE;
    out.push(c);
  }
  const adapt = (delta, numPoints, first) => {
    let k = 0;
    delta = first ? Math.floor(delta / damp) : delta >> 1;
    delta += Math.floor(delta / numPoints);
    for (; delta > ((base - tMin) * tMax) >> 1; k += base) delta = Math.floor(delta / (base - tMin));
    return Math.floor(k + ((base - tMin + 1) * delta) / (delta + skew));
  };
  for (let p = b > 0 ? b + 1 : 0; p < input.length; ) {
    const oldi = i;
    for (let w = 1, k = base; ; k += base) {
      if (p >= input.length) return FAILURE;
      const c = input.charCodeAt(p++);
      const digit = c - 48 < 10 ? c - 22 : c - 65 < 26 ? c - 65 : c - 97 < 26 ? c - 97 : base;
      if (digit >= base) return FAILURE;
      i += digit * w;
      const t = k <= bias ? tMin : k >= bias + tMax ? tMax : k - bias;
      if (digit < t) break;
      w *= base - t;
      if (w > 0x7fffffff) return FAILURE;
    }
    bias = adapt(i - oldi, out.length + 1, oldi === 0);
    n += Math.floor(i / (out.length + 1));
    i %= out.length + 1;
    if (n > 0x10ffff) return FAILURE;
    out.splice(i++, 0, n);
  }
  return String.fromCodePoint(...out);
}

// punycodeEncode is RFC 3492's encoder.
function punycodeEncode(input) {
  const base = 36, tMin = 1, tMax = 26, skew = 38, damp = 700;
  const cps = Array.from(input, (c) => c.codePointAt(0));
  let n = 128, delta = 0, bias = 72;
  let out = "";
  for (const c of cps) if (c < 0x80) out += String.fromCharCode(c);
  const b = out.length;
  let h = b;
  if (b > 0) out += "-";
  const digit = (d) => String.fromCharCode(d + 22 + 75 * (d < 26));
  const adapt = (delta, numPoints, first) => {
    let k = 0;
    delta = first ? Math.floor(delta / damp) : delta >> 1;
    delta += Math.floor(delta / numPoints);
    for (; delta > ((base - tMin) * tMax) >> 1; k += base) delta = Math.floor(delta / (base - tMin));
    return Math.floor(k + ((base - tMin + 1) * delta) / (delta + skew));
  };
  while (h < cps.length) {
    let m = Infinity;
    for (const c of cps) if (c >= n && c < m) m = c;
    delta += (m - n) * (h + 1);
    n = m;
    for (const c of cps) {
      if (c < n) delta++;
      if (c === n) {
        let q = delta;
        for (let k = base; ; k += base) {
          const t = k <= bias ? tMin : k >= bias + tMax ? tMax : k - bias;
          if (q < t) break;
          out += digit(t + ((q - t) % (base - t)));
          q = Math.floor((q - t) / (base - t));
        }
        out += digit(q);
        bias = adapt(delta, h + 1, h === b);
        delta = 0;
        h++;
      }
    }
    delta++;
    n++;
  }
  return out;
}

function endsInNumber(s) {
  const parts = s.split(".");
  if (parts[parts.length - 1] === "") {
    if (parts.length === 1) return false;
    parts.pop();
  }
  const last = parts[parts.length - 1];
  if (last !== "" && digitsRe.test(last)) return true;
  return hexNumberRe.test(last);
}

function parseIPv4Number(s) {
  if (s === "") return FAILURE;
  let r = 10;
  if (s.length >= 2 && s[0] === "0" && (s[1] === "x" || s[1] === "X")) {
    s = s.slice(2);
    r = 16;
  } else if (s.length >= 2 && s[0] === "0") {
    s = s.slice(1);
    r = 8;
  }
  if (s === "") return 0;
  const ok = r === 10 ? /^[0-9]+$/ : r === 16 ? /^[0-9A-Fa-f]+$/ : /^[0-7]+$/;
  if (!ok.test(s)) return FAILURE;
  return parseInt(s, r);
}

function parseIPv4(s) {
  const parts = s.split(".");
  if (parts[parts.length - 1] === "" && parts.length > 1) parts.pop();
  if (parts.length > 4) return FAILURE;
  const nums = [];
  for (const p of parts) {
    const n = parseIPv4Number(p);
    if (n === FAILURE) return FAILURE;
    nums.push(n);
  }
  for (let i = 0; i < nums.length - 1; i++) if (nums[i] > 255) return FAILURE;
  if (nums[nums.length - 1] >= 256 ** (5 - nums.length)) return FAILURE;
  let v = nums[nums.length - 1];
  for (let i = 0; i < nums.length - 1; i++) v += nums[i] * 256 ** (3 - i);
  return v;
}

function parseIPv6(input) {
  const address = [0, 0, 0, 0, 0, 0, 0, 0];
  let pieceIndex = 0;
  let compress = null;
  let p = 0;
  const cps = Array.from(input);
  if (cps[p] === ":") {
    if (cps[1] !== ":") return FAILURE;
    p += 2;
    pieceIndex++;
    compress = pieceIndex;
  }
  while (cps[p] !== undefined) {
    if (pieceIndex === 8) return FAILURE;
    if (cps[p] === ":") {
      if (compress !== null) return FAILURE;
      p++;
      pieceIndex++;
      compress = pieceIndex;
      continue;
    }
    let value = 0;
    let length = 0;
    while (length < 4 && isHexDigit(cps[p])) {
      value = value * 16 + parseInt(cps[p], 16);
      p++;
      length++;
    }
    if (cps[p] === ".") {
      if (length === 0) return FAILURE;
      p -= length;
      if (pieceIndex > 6) return FAILURE;
      let numbersSeen = 0;
      while (cps[p] !== undefined) {
        let piece = null;
        if (numbersSeen > 0) {
          if (cps[p] === "." && numbersSeen < 4) p++;
          else return FAILURE;
        }
        if (!isDigit(cps[p])) return FAILURE;
        while (isDigit(cps[p])) {
          const n = cps[p].charCodeAt(0) - 48;
          if (piece === null) piece = n;
          else if (piece === 0) return FAILURE;
          else piece = piece * 10 + n;
          if (piece > 255) return FAILURE;
          p++;
        }
        address[pieceIndex] = address[pieceIndex] * 0x100 + piece;
        numbersSeen++;
        if (numbersSeen === 2 || numbersSeen === 4) pieceIndex++;
      }
      if (numbersSeen !== 4) return FAILURE;
      break;
    } else if (cps[p] === ":") {
      p++;
      if (cps[p] === undefined) return FAILURE;
    } else if (cps[p] !== undefined) {
      return FAILURE;
    }
    address[pieceIndex] = value;
    pieceIndex++;
  }
  if (compress !== null) {
    let swaps = pieceIndex - compress;
    pieceIndex = 7;
    while (pieceIndex !== 0 && swaps > 0) {
      const t = address[pieceIndex];
      address[pieceIndex] = address[compress + swaps - 1];
      address[compress + swaps - 1] = t;
      pieceIndex--;
      swaps--;
    }
  } else if (pieceIndex !== 8) {
    return FAILURE;
  }
  return address;
}

function serializeIPv6(a) {
  // The first longest run of two or more zero pieces is compressed.
  let best = -1, bestLen = 1;
  for (let i = 0; i < 8; ) {
    if (a[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && a[j] === 0) j++;
    if (j - i > bestLen) {
      best = i;
      bestLen = j - i;
    }
    i = j;
  }
  let out = "";
  let ignore0 = false;
  for (let i = 0; i < 8; i++) {
    if (ignore0 && a[i] === 0) continue;
    ignore0 = false;
    if (best === i) {
      out += i === 0 ? "::" : ":";
      ignore0 = true;
      continue;
    }
    out += a[i].toString(16);
    if (i !== 7) out += ":";
  }
  return out;
}

// --- serializing -----------------------------------------------------------

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

// --- URLSearchParams -------------------------------------------------------

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

// --- URL -------------------------------------------------------------------

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
