// A small util.inspect: the format workerd (which uses Node's inspect for
// console output) and wrangler dev print. Strings are bare at the top level
// and quoted inside objects; objects print as `{ a: 1, b: 'x' }` on one line
// when they fit in 80 columns; Errors print as their stack.

const identRe = /^[a-zA-Z_][a-zA-Z_0-9]*$/;
const typedArrayProto = Object.getPrototypeOf(Uint8Array.prototype);
const typedArrayTag = Object.getOwnPropertyDescriptor(typedArrayProto, Symbol.toStringTag).get;

function quoteString(s) {
  let q = "'";
  if (s.includes("'")) {
    if (!s.includes('"')) q = '"';
    else if (!s.includes("`") && !s.includes("${")) q = "`";
  }
  let out = q;
  for (let i = 0; i < s.length; i++) {
    const ch = s[i];
    const c = s.charCodeAt(i);
    if (ch === q || ch === "\\") out += "\\" + ch;
    else if (ch === "\n") out += "\\n";
    else if (ch === "\t") out += "\\t";
    else if (ch === "\r") out += "\\r";
    else if (ch === "\b") out += "\\b";
    else if (ch === "\f") out += "\\f";
    else if (ch === "\v") out += "\\v";
    else if (c < 0x20 || c === 0x7f) out += "\\x" + c.toString(16).toUpperCase().padStart(2, "0");
    else out += ch;
  }
  return out + q;
}

const formatNumber = (n) => (Object.is(n, -0) ? "-0" : String(n));

function formatPrimitive(v) {
  switch (typeof v) {
    case "string":
      return quoteString(v);
    case "number":
      return formatNumber(v);
    case "bigint":
      return `${v}n`;
    case "symbol":
      return v.toString();
    default:
      return String(v);
  }
}

function ctorName(v) {
  let o = v;
  while (o !== null) {
    const d = Object.getOwnPropertyDescriptor(o, "constructor");
    if (d !== undefined && typeof d.value === "function" && d.value.name !== "") return d.value.name;
    o = Object.getPrototypeOf(o);
  }
  return null;
}

function formatErrorStack(err, indent) {
  let s;
  try {
    s = err.stack;
  } catch {
    s = undefined;
  }
  if (typeof s !== "string" || s === "") s = Error.prototype.toString.call(err);
  s = s.replace(/\tat /g, "    at ").replace(/(:\d+:\d+)\(\d+\)/g, "$1").replace(/\s+$/, "");
  if (indent > 0) s = s.split("\n").join("\n" + " ".repeat(indent));
  return s;
}

function functionBase(fn, name) {
  const src = Function.prototype.toString.call(fn);
  if (src.startsWith("class") && /^class\b/.test(src)) {
    let base = `[class ${fn.name || "(anonymous)"}`;
    const sup = Object.getPrototypeOf(fn);
    if (sup !== null && sup !== Function.prototype && sup.name) base += ` extends ${sup.name}`;
    return base + "]";
  }
  let type = "Function";
  if (name === "AsyncFunction") type = "AsyncFunction";
  else if (name === "GeneratorFunction") type = "GeneratorFunction";
  return fn.name ? `[${type}: ${fn.name}]` : `[${type} (anonymous)]`;
}

function propertyName(key) {
  if (typeof key === "symbol") return `[${key.toString()}]`;
  return identRe.test(key) ? key : quoteString(key);
}

function inspectValue(v, opts = undefined) {
  const ctx = {
    seen: [],
    circular: new Map(),
    depth: opts?.depth ?? 2,
    indentationLvl: 0,
    currentDepth: 0,
  };
  return formatValue(ctx, v, 0);
}

function formatValue(ctx, v, recurseTimes) {
  if (!isObject(v)) return formatPrimitive(v);
  if (ctx.seen.includes(v)) {
    let idx = ctx.circular.get(v);
    if (idx === undefined) {
      idx = ctx.circular.size + 1;
      ctx.circular.set(v, idx);
    }
    return `[Circular *${idx}]`;
  }
  return formatRaw(ctx, v, recurseTimes);
}

function ownKeys(v, skipIndices) {
  const keys = [];
  for (const k of Object.keys(v)) {
    if (skipIndices && /^(0|[1-9][0-9]*)$/.test(k) && Number(k) < v.length) continue;
    keys.push(k);
  }
  for (const s of Object.getOwnPropertySymbols(v)) {
    if (Object.getOwnPropertyDescriptor(v, s).enumerable) keys.push(s);
  }
  return keys;
}

function formatRaw(ctx, v, recurseTimes) {
  const ctor = ctorName(v);
  let tag = v[Symbol.toStringTag];
  if (typeof tag !== "string" || tag === ctor) tag = "";
  const prefixFor = (fallback, size) => {
    let p = ctor === null ? `[${fallback}: null prototype]` : ctor;
    if (size !== undefined) p += `(${size})`;
    if (tag !== "") p += ` [${tag}]`;
    return p + " ";
  };
  let keys;
  let base = "";
  let braces;
  let formatter = () => [];
  let isArrayLike = false;

  if (Array.isArray(v)) {
    keys = ownKeys(v, true);
    const p = ctor === "Array" && tag === "" ? "" : prefixFor("Array", v.length);
    braces = [`${p}[`, "]"];
    if (v.length === 0 && keys.length === 0) return `${braces[0]}]`;
    isArrayLike = true;
    formatter = (c, r) => formatArray(c, v, r);
  } else if (v instanceof Map) {
    keys = ownKeys(v, false);
    braces = [`${prefixFor("Map", v.size)}{`, "}"];
    if (v.size === 0 && keys.length === 0) return `${braces[0]}}`;
    formatter = (c, r) => formatMap(c, v, r);
  } else if (v instanceof Set) {
    keys = ownKeys(v, false);
    braces = [`${prefixFor("Set", v.size)}{`, "}"];
    if (v.size === 0 && keys.length === 0) return `${braces[0]}}`;
    formatter = (c, r) => formatSet(c, v, r);
  } else if (typedArrayTag.call(v) !== undefined) {
    keys = ownKeys(v, true);
    braces = [`${ctor ?? typedArrayTag.call(v)}(${v.length}) [`, "]"];
    if (v.length === 0 && keys.length === 0) return `${braces[0]}]`;
    isArrayLike = true;
    formatter = () => {
      const out = [];
      const n = Math.min(v.length, 100);
      for (let i = 0; i < n; i++) out.push(typeof v[i] === "bigint" ? `${v[i]}n` : formatNumber(v[i]));
      if (v.length > n) out.push(`... ${v.length - n} more item${v.length - n > 1 ? "s" : ""}`);
      return out;
    };
  } else if (v instanceof ArrayBuffer) {
    keys = ownKeys(v, false);
    braces = [`${prefixFor("ArrayBuffer")}{`, "}"];
    formatter = () => {
      const u8 = new Uint8Array(v);
      const n = Math.min(u8.length, 50);
      let hex = "";
      for (let i = 0; i < n; i++) hex += (i ? " " : "") + u8[i].toString(16).padStart(2, "0");
      if (u8.length > n) hex += ` ... ${u8.length - n} more byte${u8.length - n > 1 ? "s" : ""}`;
      return [`[Uint8Contents]: <${hex}>`, `byteLength: ${v.byteLength}`];
    };
  } else {
    keys = ownKeys(v, false);
    braces = ["{", "}"];
    if (v instanceof Error) {
      base = formatErrorStack(v, ctx.indentationLvl);
      keys = keys.filter((k) => k !== "stack" && k !== "message");
      if (keys.length === 0) return base;
    } else if (typeof v === "function") {
      base = functionBase(v, ctor);
      if (keys.length === 0) return base;
    } else if (v instanceof RegExp) {
      base = RegExp.prototype.toString.call(v);
      if (keys.length === 0) return base;
    } else if (v instanceof Date) {
      base = Number.isNaN(v.getTime()) ? "Invalid Date" : v.toISOString();
      if (keys.length === 0) return base;
    } else if (v instanceof Promise) {
      const [state, result] = host.promiseState(v);
      braces[0] = `${prefixFor("Promise")}{`;
      formatter = (c, r) => {
        if (state === "pending") return ["<pending>"];
        c.indentationLvl += 2;
        const s = formatValue(c, result, r);
        c.indentationLvl -= 2;
        return [state === "rejected" ? `<rejected> ${s}` : s];
      };
    } else if (v instanceof WeakMap || v instanceof WeakSet) {
      return `${prefixFor(ctor ?? "Object")}{ <items unknown> }`;
    } else if (v instanceof Number || v instanceof String || v instanceof Boolean) {
      const prim = v.valueOf();
      const t = typeof prim === "number" ? "Number" : typeof prim === "string" ? "String" : "Boolean";
      base = `[${t}: ${formatPrimitive(prim)}]`;
      if (t === "String") keys = keys.filter((k) => !(/^[0-9]+$/.test(k) && Number(k) < prim.length));
      if (keys.length === 0) return base;
    } else {
      if (ctor === null) braces[0] = `${prefixFor("Object")}{`;
      else if (ctor !== "Object" || tag !== "") braces[0] = `${prefixFor("Object")}{`;
      if (keys.length === 0) return `${braces[0]}}`;
    }
  }

  if (recurseTimes > ctx.depth) {
    return `[${isArrayLike ? "Array" : ctor === null ? "Object: null prototype" : ctor}]`;
  }
  ctx.seen.push(v);
  ctx.currentDepth = recurseTimes;
  let output;
  try {
    output = formatter(ctx, recurseTimes);
    for (const k of keys) output.push(formatProperty(ctx, v, recurseTimes, k, false));
  } finally {
    ctx.seen.pop();
  }
  let res = reduceToSingleString(ctx, output, base, braces, recurseTimes);
  const idx = ctx.circular.get(v);
  if (idx !== undefined) res = `<ref *${idx}> ${res}`;
  return res;
}

function formatProperty(ctx, v, recurseTimes, key, arrayIndex) {
  const d = Object.getOwnPropertyDescriptor(v, key) ?? { value: v[key], enumerable: true };
  let str;
  if (d.get !== undefined || d.set !== undefined) {
    str = d.get !== undefined && d.set !== undefined ? "[Getter/Setter]" : d.get !== undefined ? "[Getter]" : "[Setter]";
  } else {
    ctx.indentationLvl += 2;
    str = formatValue(ctx, d.value, recurseTimes + 1);
    ctx.indentationLvl -= 2;
  }
  if (arrayIndex) return str;
  return `${propertyName(key)}: ${str}`;
}

function formatArray(ctx, v, recurseTimes) {
  const out = [];
  const n = Math.min(v.length, 100);
  for (let i = 0; i < n; i++) {
    if (!Object.prototype.hasOwnProperty.call(v, i)) {
      let j = i;
      while (j < n && !Object.prototype.hasOwnProperty.call(v, j)) j++;
      const holes = j - i;
      out.push(`<${holes} empty item${holes > 1 ? "s" : ""}>`);
      i = j - 1;
      continue;
    }
    out.push(formatProperty(ctx, v, recurseTimes, String(i), true));
  }
  if (v.length > n) out.push(`... ${v.length - n} more item${v.length - n > 1 ? "s" : ""}`);
  return out;
}

function formatMap(ctx, v, recurseTimes) {
  const out = [];
  ctx.indentationLvl += 2;
  for (const [k, val] of v) {
    out.push(`${formatValue(ctx, k, recurseTimes + 1)} => ${formatValue(ctx, val, recurseTimes + 1)}`);
  }
  ctx.indentationLvl -= 2;
  return out;
}

function formatSet(ctx, v, recurseTimes) {
  const out = [];
  ctx.indentationLvl += 2;
  for (const val of v) out.push(formatValue(ctx, val, recurseTimes + 1));
  ctx.indentationLvl -= 2;
  return out;
}

function reduceToSingleString(ctx, output, base, braces, recurseTimes) {
  const entries = output.length;
  if (ctx.currentDepth - recurseTimes < 3 && entries === output.length) {
    const start = output.length + ctx.indentationLvl + braces[0].length + base.length + 10;
    if (isBelowBreakLength(output, start, base)) {
      const joined = output.join(", ");
      if (!joined.includes("\n")) {
        return `${base ? `${base} ` : ""}${braces[0]} ${joined} ${braces[1]}`;
      }
    }
  }
  const indentation = `\n${" ".repeat(ctx.indentationLvl)}`;
  return `${base ? `${base} ` : ""}${braces[0]}${indentation}  ${output.join(`,${indentation}  `)}${indentation}${braces[1]}`;
}

function isBelowBreakLength(output, start, base) {
  let total = output.length + start;
  if (total + output.length > 80) return false;
  for (const s of output) {
    total += s.length;
    if (total > 80) return false;
  }
  return base === "" || !base.includes("\n");
}
