// node:querystring: parse, stringify, escape and unescape, as Node's.

defineModule("querystring", () => {
  function qsEscape(str) {
    if (typeof str !== "string") {
      if (typeof str === "object") str = String(str);
      else str += "";
    }
    return encodeURIComponent(str);
  }

  function qsUnescape(s) {
    try {
      return decodeURIComponent(s);
    } catch {
      return unescapeLatin(s);
    }
  }

  // unescapeLatin decodes %XX sequences as bytes read as UTF-8, leaving
  // invalid ones as they are (Node's unescapeBuffer, then toString).
  function unescapeLatin(s) {
    const { Buffer } = loadModule("buffer");
    const out = [];
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      if (c === 37 && i + 2 < s.length && /^[0-9a-fA-F]{2}$/.test(s.slice(i + 1, i + 3))) {
        out.push(parseInt(s.slice(i + 1, i + 3), 16));
        i += 2;
      } else {
        for (const b of Buffer.from(s[i])) out.push(b);
      }
    }
    return Buffer.from(out).toString();
  }

  function stringifyPrimitive(v) {
    if (typeof v === "string") return v;
    if (typeof v === "number" && Number.isFinite(v)) return "" + v;
    if (typeof v === "bigint") return "" + v;
    if (typeof v === "boolean") return v ? "true" : "false";
    return "";
  }

  function stringify(obj, sep, eq, options) {
    sep = sep || "&";
    eq = eq || "=";
    let encode = qsEscape;
    if (options && typeof options.encodeURIComponent === "function") encode = options.encodeURIComponent;
    const convert = (v) => encode(stringifyPrimitive(v));
    if (obj !== null && typeof obj === "object") {
      const keys = Object.keys(obj);
      const fields = [];
      for (const k of keys) {
        const v = obj[k];
        const ks = convert(k) + eq;
        if (Array.isArray(v)) {
          for (const item of v) fields.push(ks + convert(item));
        } else {
          fields.push(ks + convert(v));
        }
      }
      return fields.join(sep);
    }
    return "";
  }

  function parse(qs, sep, eq, options) {
    const obj = { __proto__: null };
    if (typeof qs !== "string" || qs.length === 0) return obj;
    sep = sep ? String(sep) : "&";
    eq = eq ? String(eq) : "=";
    let maxKeys = 1000;
    if (options && typeof options.maxKeys === "number") maxKeys = options.maxKeys;
    let decode = qsUnescape;
    if (options && typeof options.decodeURIComponent === "function") decode = options.decodeURIComponent;
    let parts = qs.split(sep);
    if (maxKeys > 0 && parts.length > maxKeys) parts = parts.slice(0, maxKeys);
    for (const part of parts) {
      if (part.length === 0 && parts.length > 1) continue;
      const idx = part.indexOf(eq);
      let k;
      let v;
      if (idx >= 0) {
        k = part.slice(0, idx);
        v = part.slice(idx + eq.length);
      } else {
        k = part;
        v = "";
      }
      k = decodeStr(k.replace(/\+/g, " "), decode);
      v = decodeStr(v.replace(/\+/g, " "), decode);
      if (!(k in obj)) obj[k] = v;
      else if (Array.isArray(obj[k])) obj[k].push(v);
      else obj[k] = [obj[k], v];
    }
    return obj;
  }

  function decodeStr(s, decoder) {
    try {
      return decoder(s);
    } catch {
      return qsUnescape(s);
    }
  }

  return {
    parse,
    decode: parse,
    stringify,
    encode: stringify,
    escape: qsEscape,
    unescape: qsUnescape,
    unescapeBuffer: (s) => loadModule("buffer").Buffer.from(unescapeLatin(s)),
  };
});
