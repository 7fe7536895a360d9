// console (workerd prints through Node's inspect; see inspect.js): its
// methods, groups, counters and timers, and formatWithOptions, util.format's
// printf-style directives. Output goes to Options.Console through
// host.console.

// hasBuiltInToString reports whether %s should inspect an object rather
// than call its own toString (Node's rule: a toString of a built-in
// prototype does not count).
function hasBuiltInToString(value) {
  const proxyTarget = host.proxyTarget(value);
  if (proxyTarget !== undefined) {
    if (proxyTarget === null) return true;
    value = proxyTarget;
  }
  if (typeof value.toString !== "function") return true;
  if (hasOwn(value, "toString")) return false;
  let pointer = value;
  do {
    pointer = Object.getPrototypeOf(pointer);
  } while (!hasOwn(pointer, "toString"));
  const descriptor = Object.getOwnPropertyDescriptor(pointer, "constructor");
  return descriptor !== undefined && typeof descriptor.value === "function" && builtInObjects.has(descriptor.value.name);
}

function tryStringify(arg) {
  try {
    return JSON.stringify(arg);
  } catch (err) {
    if (err instanceof TypeError && /circular/i.test(err.message)) return "[Circular]";
    throw err;
  }
}

// formatWithOptions is Node's util.formatWithOptions: a leading string's
// printf-style directives (%s %d %i %f %j %o %O %c %%) take the following
// arguments; the rest are appended, strings bare and other values
// inspected.
function formatWithOptions(inspectOptions, ...args) {
  const first = args[0];
  let a = 0;
  let str = "";
  let join = "";
  if (typeof first === "string") {
    if (args.length === 1) return first;
    let tempStr;
    let lastPos = 0;
    for (let i = 0; i < first.length - 1; i++) {
      if (first.charCodeAt(i) !== 37) continue; // '%'
      const nextChar = first.charCodeAt(++i);
      if (a + 1 !== args.length) {
        switch (nextChar) {
          case 115: {
            // 's'
            const tempArg = args[++a];
            if (typeof tempArg === "number") tempStr = formatNumber(stylizeNoColor, tempArg, false);
            else if (typeof tempArg === "bigint") tempStr = formatBigInt(stylizeNoColor, tempArg, false);
            else if (typeof tempArg !== "object" || tempArg === null || !hasBuiltInToString(tempArg)) tempStr = String(tempArg);
            else tempStr = inspect(tempArg, { ...inspectOptions, depth: 0, colors: false, compact: 3 });
            break;
          }
          case 106: // 'j'
            tempStr = tryStringify(args[++a]);
            break;
          case 100: {
            // 'd'
            const tempNum = args[++a];
            if (typeof tempNum === "bigint") tempStr = formatBigInt(stylizeNoColor, tempNum, false);
            else if (typeof tempNum === "symbol") tempStr = "NaN";
            else tempStr = formatNumber(stylizeNoColor, Number(tempNum), false);
            break;
          }
          case 79: // 'O'
            tempStr = inspect(args[++a], inspectOptions);
            break;
          case 111: // 'o'
            tempStr = inspect(args[++a], { ...inspectOptions, showHidden: true, showProxy: true, depth: 4 });
            break;
          case 105: {
            // 'i'
            const tempInteger = args[++a];
            if (typeof tempInteger === "bigint") tempStr = formatBigInt(stylizeNoColor, tempInteger, false);
            else if (typeof tempInteger === "symbol") tempStr = "NaN";
            else tempStr = formatNumber(stylizeNoColor, Number.parseInt(tempInteger), false);
            break;
          }
          case 102: {
            // 'f'
            const tempFloat = args[++a];
            if (typeof tempFloat === "symbol") tempStr = "NaN";
            else tempStr = formatNumber(stylizeNoColor, Number.parseFloat(tempFloat), false);
            break;
          }
          case 99: // 'c'
            a += 1;
            tempStr = "";
            break;
          case 37: // '%'
            str += first.slice(lastPos, i);
            lastPos = i + 1;
            continue;
          default:
            continue;
        }
        if (lastPos !== i - 1) str += first.slice(lastPos, i - 1);
        str += tempStr;
        lastPos = i + 1;
      } else if (nextChar === 37) {
        str += first.slice(lastPos, i);
        lastPos = i + 1;
      }
    }
    if (lastPos !== 0) {
      a++;
      join = " ";
      if (lastPos < first.length) str += first.slice(lastPos);
    }
  }
  while (a < args.length) {
    const value = args[a];
    str += join;
    str += typeof value !== "string" ? inspect(value, inspectOptions) : value;
    join = " ";
    a++;
  }
  return str;
}

// formatLog is what workerd's console prints for a call's arguments.
function formatLog(args) {
  try {
    return formatWithOptions({}, ...args);
  } catch (err) {
    return `<Formatting threw (${isError(err) ? err.stack : String(err)})>`;
  }
}

const consoleState = { indent: "", counts: new Map(), timers: new Map() };

function consoleWrite(level, line) {
  if (consoleState.indent !== "") line = consoleState.indent + line.split("\n").join("\n" + consoleState.indent);
  host.console(level, line);
}

const consoleObject = {
  log: (...args) => consoleWrite("log", formatLog(args)),
  info: (...args) => consoleWrite("info", formatLog(args)),
  warn: (...args) => consoleWrite("warn", formatLog(args)),
  error: (...args) => consoleWrite("error", formatLog(args)),
  debug: (...args) => consoleWrite("debug", formatLog(args)),
  trace: (...args) => {
    const stack = new Error().stack.split("\n").slice(1).join("\n");
    const msg = "Trace" + (args.length > 0 ? ": " + formatLog(args) : "");
    consoleWrite("log", stack === "" ? msg : msg + "\n" + stack);
  },
  dir: (v, opts = undefined) => consoleWrite("log", inspect(v, { customInspect: false, ...opts })),
  dirxml: (...args) => consoleWrite("log", formatLog(args)),
  table: (...args) => consoleWrite("log", formatLog(args)),
  assert: (cond, ...args) => {
    if (cond) return;
    if (typeof args[0] === "string") args[0] = "Assertion failed: " + args[0];
    else args.unshift("Assertion failed");
    consoleWrite("error", formatLog(args));
  },
  count: (label = "default") => {
    const l = String(label);
    const n = (consoleState.counts.get(l) ?? 0) + 1;
    consoleState.counts.set(l, n);
    consoleWrite("info", `${l}: ${n}`);
  },
  countReset: (label = "default") => {
    consoleState.counts.delete(String(label));
  },
  group: (...args) => {
    if (args.length > 0) consoleWrite("log", formatLog(args));
    consoleState.indent += "  ";
  },
  groupCollapsed: (...args) => consoleObject.group(...args),
  groupEnd: () => {
    consoleState.indent = consoleState.indent.slice(2);
  },
  time: (label = "default") => {
    consoleState.timers.set(String(label), Date.now());
  },
  timeLog: (label = "default", ...args) => {
    const l = String(label);
    const t = consoleState.timers.get(l);
    if (t === undefined) return consoleWrite("warn", `Warning: No such label '${l}' for console.timeLog()`);
    const extra = args.length > 0 ? " " + formatLog(args) : "";
    consoleWrite("info", `${l}: ${Date.now() - t}ms${extra}`);
  },
  timeEnd: (label = "default") => {
    const l = String(label);
    const t = consoleState.timers.get(l);
    if (t === undefined) return consoleWrite("warn", `Warning: No such label '${l}' for console.timeEnd()`);
    consoleState.timers.delete(l);
    consoleWrite("info", `${l}: ${Date.now() - t}ms`);
  },
};
defineGlobal("console", consoleObject);
register("__inspect", inspect);
register("__format", (...args) => formatWithOptions({}, ...args));
register("__formatWithOptions", formatWithOptions);
