// node:util (and node:sys): format and inspect (the ones console.log
// prints with), promisify, callbackify, inherits, deprecate, debuglog,
// isDeepStrictEqual, types, TextEncoder/TextDecoder and the old is*
// checks.

defineModule("util", () => {
  const kCustomPromisifiedSymbol = Symbol.for("nodejs.util.promisify.custom");
  const kCustomPromisifyArgsSymbol = Symbol("customPromisifyArgs");
  const types = loadModule("util/types");
  const [inspect, formatWithOptions] = utilInspect();

  function format(...args) {
    return formatWithOptions({}, ...args);
  }

  function formatWithOptionsChecked(inspectOptions, ...args) {
    validateObject(inspectOptions, "inspectOptions", { allowArray: true });
    return formatWithOptions(inspectOptions, ...args);
  }

  function inherits(ctor, superCtor) {
    if (ctor === undefined || ctor === null) throw new ERR_INVALID_ARG_TYPE("ctor", "Function", ctor);
    if (superCtor === undefined || superCtor === null) throw new ERR_INVALID_ARG_TYPE("superCtor", "Function", superCtor);
    if (superCtor.prototype === undefined) {
      throw new ERR_INVALID_ARG_TYPE("superCtor.prototype", "Object", superCtor.prototype);
    }
    Object.defineProperty(ctor, "super_", { value: superCtor, writable: true, configurable: true });
    Object.setPrototypeOf(ctor.prototype, superCtor.prototype);
  }

  function copyProperties(to, from) {
    const descriptors = Object.getOwnPropertyDescriptors(from);
    for (const d of Object.values(descriptors)) Object.setPrototypeOf(d, null);
    return Object.defineProperties(to, descriptors);
  }

  function promisify(original) {
    validateFunction(original, "original");
    if (original[kCustomPromisifiedSymbol]) {
      const fn = original[kCustomPromisifiedSymbol];
      validateFunction(fn, "util.promisify.custom");
      return Object.defineProperty(fn, kCustomPromisifiedSymbol, {
        value: fn,
        enumerable: false,
        writable: false,
        configurable: true,
      });
    }
    const argumentNames = original[kCustomPromisifyArgsSymbol];
    function fn(...args) {
      return new Promise((resolve, reject) => {
        args.push((err, ...values) => {
          if (err) return reject(err);
          if (argumentNames !== undefined && values.length > 1) {
            const obj = {};
            for (let i = 0; i < argumentNames.length; i++) obj[argumentNames[i]] = values[i];
            resolve(obj);
          } else {
            resolve(values[0]);
          }
        });
        Reflect.apply(original, this, args);
      });
    }
    Object.setPrototypeOf(fn, Object.getPrototypeOf(original));
    Object.defineProperty(fn, kCustomPromisifiedSymbol, {
      value: fn,
      enumerable: false,
      writable: false,
      configurable: true,
    });
    return copyProperties(fn, original);
  }
  promisify.custom = kCustomPromisifiedSymbol;

  function callbackifyOnRejected(reason, cb) {
    if (!reason) reason = new ERR_FALSY_VALUE_REJECTION(reason);
    return cb(reason);
  }

  function callbackify(original) {
    validateFunction(original, "original");
    function callbackified(...args) {
      const maybeCb = args.pop();
      validateFunction(maybeCb, "last argument");
      const cb = maybeCb.bind(this);
      Reflect.apply(original, this, args).then(
        (ret) => queueMicrotask(() => cb(null, ret)),
        (rej) => queueMicrotask(() => callbackifyOnRejected(rej, cb)),
      );
    }
    const descriptors = Object.getOwnPropertyDescriptors(original);
    if (typeof descriptors.length.value === "number") descriptors.length.value++;
    if (typeof descriptors.name.value === "string") descriptors.name.value += "Callbackified";
    for (const d of Object.values(descriptors)) Object.setPrototypeOf(d, null);
    Object.defineProperties(callbackified, descriptors);
    return callbackified;
  }

  const codesWarned = new Set();
  function deprecate(fn, msg, code) {
    validateFunction(fn, "fn");
    if (code !== undefined) validateString(code, "code");
    let warned = false;
    function deprecated(...args) {
      if (!warned) {
        warned = true;
        if (code !== undefined) {
          if (!codesWarned.has(code)) {
            codesWarned.add(code);
            loadModule("process").emitWarning(msg, "DeprecationWarning", code, deprecated);
          }
        } else {
          loadModule("process").emitWarning(msg, "DeprecationWarning", deprecated);
        }
      }
      if (new.target) return Reflect.construct(fn, args, new.target);
      return Reflect.apply(fn, this, args);
    }
    Object.setPrototypeOf(deprecated, fn);
    if (fn.prototype) deprecated.prototype = fn.prototype;
    return deprecated;
  }

  function debuglog(set, cb) {
    function debug() {}
    Object.defineProperty(debug, "enabled", { get: () => false, configurable: true, enumerable: true });
    return debug;
  }

  const ansi = new RegExp(
    "[\\u001B\\u009B][[\\]()#;?]*" +
      "(?:(?:(?:(?:;[-a-zA-Z\\d\\/\\#&.:=?%@~_]+)*" +
      "|[a-zA-Z\\d]+(?:;[-a-zA-Z\\d\\/\\#&.:=?%@~_]*)*)?" +
      "(?:\\u0007|\\u001B\\u005C|\\u009C))" +
      "|(?:(?:\\d{1,4}(?:;\\d{0,4})*)?" +
      "[\\dA-PR-TZcf-nq-uy=><~]))",
    "g",
  );

  function stripVTControlCharacters(str) {
    validateString(str, "str");
    return str.replace(ansi, "");
  }

  function toUSVString(input) {
    const s = `${input}`;
    let out = "";
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
        const d = s.charCodeAt(i + 1);
        if (d >= 0xdc00 && d <= 0xdfff) {
          out += s[i] + s[i + 1];
          i++;
          continue;
        }
      }
      out += c >= 0xd800 && c <= 0xdfff ? "\uFFFD" : s[i];
    }
    return out;
  }

  function styleText(format, text) {
    validateString(text, "text");
    const formats = Array.isArray(format) ? format : [format];
    let left = "";
    let right = "";
    for (const key of formats) {
      const code = inspect.colors[key];
      if (code === undefined) validateOneOf(key, "format", Object.keys(inspect.colors));
      left += `\u001b[${code[0]}m`;
      right = `\u001b[${code[1]}m${right}`;
    }
    return `${left}${text}${right}`;
  }

  function aborted(signal, resource) {
    if (signal === undefined) throw new ERR_INVALID_ARG_TYPE("signal", "AbortSignal", signal);
    validateAbortSignal(signal, "signal");
    validateObject(resource, "resource", { nullable: false, allowFunction: true, allowArray: true });
    if (signal.aborted) return Promise.resolve();
    return new Promise((resolve) => signal.addEventListener("abort", () => resolve(), { once: true }));
  }

  function _extend(target, source) {
    if (source === null || typeof source !== "object") return target;
    const keys = Object.keys(source);
    let i = keys.length;
    while (i--) target[keys[i]] = source[keys[i]];
    return target;
  }

  return {
    format,
    formatWithOptions: formatWithOptionsChecked,
    inspect,
    inherits,
    promisify,
    callbackify,
    deprecate,
    debuglog,
    debug: debuglog,
    isDeepStrictEqual: (a, b) => isDeepEqual(a, b, true),
    types,
    stripVTControlCharacters,
    toUSVString,
    styleText,
    aborted,
    _extend,
    TextEncoder: globalThis.TextEncoder,
    TextDecoder: globalThis.TextDecoder,
    isArray: Array.isArray,
    isBoolean: (arg) => typeof arg === "boolean",
    isBuffer: (arg) => loadModule("buffer").Buffer.isBuffer(arg),
    isDate: types.isDate,
    isError: (e) => types.isNativeError(e) || e instanceof Error,
    isFunction: (arg) => typeof arg === "function",
    isNull: (arg) => arg === null,
    isNullOrUndefined: (arg) => arg === null || arg === undefined,
    isNumber: (arg) => typeof arg === "number",
    isObject: (arg) => arg !== null && typeof arg === "object",
    isPrimitive: (arg) => arg === null || (typeof arg !== "object" && typeof arg !== "function"),
    isRegExp: types.isRegExp,
    isString: (arg) => typeof arg === "string",
    isSymbol: (arg) => typeof arg === "symbol",
    isUndefined: (arg) => arg === undefined,
  };
});

defineModule("sys", () => loadModule("util"));
