// ECMAScript built-ins V8 (in workerd) has and goja lacks, defined as the
// language defines them: methods are writable, configurable, not
// enumerable, with the spec's name and length. engine_test.go probes goja
// for each and lists what this file provides. Error.captureStackTrace is
// in Go (engine.go): it needs the call stack.

// defineMethods adds the functions of methods to target as built-in
// methods (non-enumerable), unless target already has them.
function defineMethods(target, methods) {
  for (const key of Reflect.ownKeys(methods)) {
    if (Object.prototype.hasOwnProperty.call(target, key)) continue;
    const d = Object.getOwnPropertyDescriptor(methods, key);
    if ("value" in d) {
      Object.defineProperty(target, key, { value: d.value, writable: true, configurable: true, enumerable: false });
    } else {
      Object.defineProperty(target, key, { get: d.get, set: d.set, configurable: true, enumerable: false });
    }
  }
}

const requireCallable = (fn, what) => {
  if (typeof fn !== "function") throw new TypeError(`${what} is not a function`);
  return fn;
};

// Symbol.asyncIterator, which goja lacks: the registered symbol esbuild's
// lowering falls back to (Symbol.for("Symbol.asyncIterator")), so bundles
// built with or without it agree. (Symbol.dispose and asyncDispose are the
// isolate's own: jsruntime defines them for `using` and RPC stubs.)
for (const name of ["asyncIterator"]) {
  if (Symbol[name] === undefined) {
    Object.defineProperty(Symbol, name, { value: Symbol.for("Symbol." + name) });
  }
}

// ---- V8's wording of engine errors in rejection handlers ----
// A reason an engine error (goja's wording) reaches a handler with is
// rewritten as V8 words it (jsruntime's __emu_v8error, which the Worker's
// catch clauses call too).
{
  const fix = globalThis.__emu_v8error;
  const then = Promise.prototype.then;
  if (typeof fix === "function") {
    Object.defineProperty(Promise.prototype, "then", {
      value: {
        then(onFulfilled, onRejected) {
          return then.call(this, onFulfilled, typeof onRejected === "function" ? (r) => onRejected(fix(r)) : onRejected);
        },
      }.then,
      writable: true,
      configurable: true,
      enumerable: false,
    });
  }
}

// ---- Promise (ES2024 withResolvers, ES2025 try) ----
defineMethods(Promise, {
  withResolvers() {
    let resolve, reject;
    const promise = new this((res, rej) => {
      resolve = res;
      reject = rej;
    });
    return { promise, resolve, reject };
  },
  try(fn, ...args) {
    return new this((resolve) => resolve(requireCallable(fn, String(fn))(...args)));
  },
});

// ---- Object.groupBy, Map.groupBy (ES2024) ----
function groupInto(items, callback, add) {
  requireCallable(callback, String(callback));
  let k = 0;
  for (const value of items) add(callback(value, k++), value);
}
defineMethods(Object, {
  groupBy(items, callback) {
    const out = Object.create(null);
    groupInto(items, callback, (key, value) => {
      const p = typeof key === "symbol" ? key : String(key);
      (out[p] ??= []).push(value);
    });
    return out;
  },
});
defineMethods(Map, {
  groupBy(items, callback) {
    const out = new Map();
    groupInto(items, callback, (key, value) => {
      const k = Object.is(key, -0) ? 0 : key;
      let list = out.get(k);
      if (list === undefined) out.set(k, (list = []));
      list.push(value);
    });
    return out;
  },
});

// ---- Array.fromAsync (ES2024) ----
{
  const fromAsync = {
    async fromAsync(items, mapFn = undefined, thisArg = undefined) {
      if (mapFn !== undefined) requireCallable(mapFn, String(mapFn));
      const C = typeof this === "function" ? this : Array;
      const out = C === Array ? [] : new C();
      let k = 0;
      const asyncIt = items?.[Symbol.asyncIterator];
      if (asyncIt != null) {
        const it = asyncIt.call(items);
        for (;;) {
          const r = await it.next();
          if (r.done) break;
          out[k] = mapFn === undefined ? r.value : await mapFn.call(thisArg, r.value, k);
          k++;
        }
      } else if (items?.[Symbol.iterator] != null) {
        for (const v of items) {
          const x = await v;
          out[k] = mapFn === undefined ? x : await mapFn.call(thisArg, x, k);
          k++;
        }
      } else {
        const o = Object(items);
        const len = Math.min(Math.max(Math.trunc(Number(o.length)) || 0, 0), Number.MAX_SAFE_INTEGER);
        for (; k < len; k++) {
          const x = await o[k];
          out[k] = mapFn === undefined ? x : await mapFn.call(thisArg, x, k);
        }
      }
      out.length = k;
      return out;
    },
  }.fromAsync;
  Object.defineProperty(fromAsync, "length", { value: 1 });
  defineMethods(Array, { fromAsync });
}

// ---- String.prototype.isWellFormed / toWellFormed (ES2024) ----
defineMethods(String.prototype, {
  isWellFormed() {
    if (this == null) throw new TypeError("String.prototype.isWellFormed called on null or undefined");
    const s = String(this);
    return !surrogateRe.test(s) || toUSVString(s) === s;
  },
  toWellFormed() {
    if (this == null) throw new TypeError("String.prototype.toWellFormed called on null or undefined");
    return toUSVString(String(this));
  },
});

// ---- RegExp.escape (ES2025) ----
defineMethods(RegExp, {
  escape(s) {
    if (typeof s !== "string") throw new TypeError("RegExp.escape requires a string");
    let out = "";
    for (let i = 0; i < s.length; i++) {
      const c = s[i];
      const code = s.charCodeAt(i);
      if (i === 0 && /[0-9A-Za-z]/.test(c)) {
        out += "\\x" + code.toString(16).padStart(2, "0");
      } else if ("^$\\.*+?()[]{}|/".includes(c)) {
        out += "\\" + c;
      } else if (",-=<>#&!%:;@~'`\"".includes(c) || /[\t\n\v\f\r \u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff]/.test(c)) {
        out += code <= 0xff ? "\\x" + code.toString(16).padStart(2, "0") : "\\u" + code.toString(16).padStart(4, "0");
      } else if (code >= 0xd800 && code <= 0xdfff && !(code <= 0xdbff && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00) && !((code & 0xfc00) === 0xdc00 && (s.charCodeAt(i - 1) & 0xfc00) === 0xd800)) {
        out += "\\u" + code.toString(16);
      } else {
        out += c;
      }
    }
    return out;
  },
});

// ---- Math.f16round (ES2025) ----
defineMethods(Math, {
  f16round(x) {
    const n = Number(x);
    if (!Number.isFinite(n) || n === 0) return n;
    const a = Math.abs(n);
    if (a >= 65520) return n > 0 ? Infinity : -Infinity;
    // Round to 11 significant bits (10 below 2^-14: subnormals), ties to even.
    const e = Math.max(Math.floor(Math.log2(a)), -14);
    const ulp = 2 ** (e - 10);
    let q = a / ulp;
    const f = Math.floor(q);
    q = q - f > 0.5 || (q - f === 0.5 && f % 2 === 1) ? f + 1 : f;
    return Math.sign(n) * q * ulp;
  },
});

// ---- Error.stackTraceLimit and Error.captureStackTrace are the isolate's
// (jsruntime/stack.go); here they get V8's name and length ----
Object.defineProperty(Error.captureStackTrace, "name", { value: "captureStackTrace" });
Object.defineProperty(Error.captureStackTrace, "length", { value: 2 });

// ---- SuppressedError (explicit resource management) ----
if (typeof SuppressedError !== "function") {
  class SuppressedError extends Error {
    constructor(error, suppressed, message = undefined) {
      super(message);
      if (message === undefined) delete this.message;
      Object.defineProperty(this, "error", { value: error, writable: true, configurable: true });
      Object.defineProperty(this, "suppressed", { value: suppressed, writable: true, configurable: true });
    }
  }
  Object.defineProperty(SuppressedError.prototype, "name", { value: "SuppressedError", writable: true, configurable: true });
  Object.defineProperty(SuppressedError.prototype, "message", { value: "", writable: true, configurable: true });
  defineGlobal("SuppressedError", SuppressedError);
}

// ---- WeakRef, FinalizationRegistry ----
// goja has neither. A WeakRef here holds its target strongly (deref always
// returns it) and a FinalizationRegistry never calls back: what a program
// observes is what it would if the collector never ran.
if (typeof WeakRef !== "function") {
  const targets = new WeakMap();
  const canBeHeldWeakly = (v) => isObject(v) || (typeof v === "symbol" && Symbol.keyFor(v) === undefined);
  class WeakRef {
    constructor(target) {
      if (!canBeHeldWeakly(target)) throw new TypeError("WeakRef: invalid target");
      targets.set(this, target);
    }
    deref() {
      if (!targets.has(this)) throw new TypeError("WeakRef.prototype.deref: 'this' is not a WeakRef");
      return targets.get(this);
    }
  }
  setToStringTag(WeakRef);
  defineGlobal("WeakRef", WeakRef);
  class FinalizationRegistry {
    #cleanup;
    constructor(cleanup) {
      this.#cleanup = requireCallable(cleanup, "FinalizationRegistry: cleanup must be callable");
    }
    register(target, heldValue, unregisterToken = undefined) {
      if (!canBeHeldWeakly(target)) throw new TypeError("FinalizationRegistry.prototype.register: invalid target");
      if (target === heldValue) throw new TypeError("FinalizationRegistry.prototype.register: target and holdings must not be same");
    }
    unregister(token) {
      if (!canBeHeldWeakly(token)) throw new TypeError("Invalid unregisterToken ('" + String(token) + "')");
      return false;
    }
  }
  setToStringTag(FinalizationRegistry);
  defineGlobal("FinalizationRegistry", FinalizationRegistry);
}

// ---- ArrayBuffer: transfer, detached, resizable (ES2024) ----
// goja's buffers cannot be detached or resized: transfer copies (the source
// stays usable), detached is always false and no buffer is resizable.
defineMethods(ArrayBuffer.prototype, {
  transfer(newLength = undefined) {
    const n = newLength === undefined ? this.byteLength : Math.trunc(Number(newLength)) || 0;
    const out = new ArrayBuffer(n);
    new Uint8Array(out).set(new Uint8Array(this, 0, Math.min(n, this.byteLength)));
    return out;
  },
  transferToFixedLength(newLength = undefined) {
    return ArrayBuffer.prototype.transfer.call(this, newLength);
  },
  get detached() {
    return false;
  },
  get resizable() {
    return false;
  },
  get maxByteLength() {
    return this.byteLength;
  },
  resize() {
    throw new TypeError("Method ArrayBuffer.prototype.resize called on incompatible receiver #<ArrayBuffer>");
  },
});

// ---- Atomics (single agent: no SharedArrayBuffer in goja) ----
if (typeof Atomics !== "object") {
  const intArray = (ta) => {
    if (!ArrayBuffer.isView(ta) || ta instanceof DataView || ta instanceof Float32Array || ta instanceof Float64Array || ta instanceof Uint8ClampedArray) {
      throw new TypeError("[object Object] is not an integer shared typed array.");
    }
    return ta;
  };
  const index = (ta, i) => {
    const n = Math.trunc(Number(i)) || 0;
    if (n < 0 || n >= ta.length) throw new RangeError("Invalid atomic access index");
    return n;
  };
  const rmw = (op) =>
    function (ta, i, v) {
      intArray(ta);
      const k = index(ta, i);
      const old = ta[k];
      ta[k] = op(old, ta instanceof BigInt64Array || ta instanceof BigUint64Array ? BigInt(v) : Number(v));
      return old;
    };
  const A = {
    add: rmw((a, b) => a + b),
    and: rmw((a, b) => a & b),
    compareExchange(ta, i, expected, replacement) {
      intArray(ta);
      const k = index(ta, i);
      const old = ta[k];
      const big = ta instanceof BigInt64Array || ta instanceof BigUint64Array;
      const probe = ta.constructor.of(big ? BigInt(expected) : Number(expected))[0];
      if (old === probe) ta[k] = big ? BigInt(replacement) : Number(replacement);
      return old;
    },
    exchange: rmw((_, b) => b),
    isLockFree: (n) => [1, 2, 4, 8].includes(Number(n)),
    load(ta, i) {
      intArray(ta);
      return ta[index(ta, i)];
    },
    or: rmw((a, b) => a | b),
    store(ta, i, v) {
      intArray(ta);
      const k = index(ta, i);
      ta[k] = v;
      return ta[k];
    },
    sub: rmw((a, b) => a - b),
    xor: rmw((a, b) => a ^ b),
    notify(ta, i) {
      intArray(ta);
      index(ta, i);
      return 0;
    },
    wait() {
      throw new TypeError("[object Int32Array] is not a shared typed array.");
    },
    waitAsync() {
      throw new TypeError("[object Int32Array] is not a shared typed array.");
    },
    pause() {},
  };
  const atomics = {};
  defineMethods(atomics, A);
  Object.defineProperty(atomics, Symbol.toStringTag, { value: "Atomics", configurable: true });
  defineGlobal("Atomics", atomics);
}

// ---- JSON.parse: V8's wording of its SyntaxErrors ----
{
  const parse = JSON.parse;
  const special = new Set(["NaN", "Infinity", "undefined", "[object Object]"]);
  const v8Message = (text, msg) => {
    if (/^(Unexpected end of JSON input|unexpected EOF)/.test(msg)) return "Unexpected end of JSON input";
    if (special.has(text)) return `"${text}" is not valid JSON`;
    const m = /^invalid character '(.+?)'/.exec(msg);
    if (m !== null && text.length <= 40) {
      const tok = m[1] === "\\''" || m[1] === "\\'" ? "'" : m[1];
      return `Unexpected token '${tok}', "${text}" is not valid JSON`;
    }
    return msg;
  };
  Object.defineProperty(JSON, "parse", {
    value: {
      parse(text, reviver) {
        try {
          return parse(text, reviver);
        } catch (e) {
          if (e instanceof SyntaxError) e.message = v8Message(String(text), e.message);
          throw e;
        }
      },
    }.parse,
    writable: true,
    configurable: true,
    enumerable: false,
  });
}
