// The WHATWG URL Standard's basic URL parser (workerd uses ada, a
// conforming implementation; its errors come from api/url-standard.c++). A
// URL record is a plain object (newURLRecord); hosts are parsed in
// urlhost.js, records serialized in url.js.

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
