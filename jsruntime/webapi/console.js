// console (workerd prints through Node's inspect; see inspect.js): its
// methods, groups, counters and timers, and formatLog, util.format's
// printf-style directives. Output goes to Options.Console through
// host.console.

// formatLog joins console arguments as Node's util.format does, including
// the printf-style directives of a leading string.
function formatLog(args) {
  if (args.length === 0) return "";
  let out = "";
  let next = 0;
  const first = args[0];
  if (typeof first === "string" && args.length > 1 && first.includes("%")) {
    next = 1;
    let last = 0;
    for (let i = 0; i < first.length - 1; i++) {
      if (first[i] !== "%") continue;
      const d = first[i + 1];
      if (d === "%") {
        out += first.slice(last, i) + "%";
        last = i + 2;
        i++;
        continue;
      }
      if (next >= args.length || !"sdifjoOc".includes(d)) continue;
      const a = args[next];
      let rep;
      switch (d) {
        case "s":
          rep =
            typeof a === "string" ? a
            : typeof a === "bigint" ? `${a}n`
            : typeof a === "number" ? formatNumber(a)
            : isObject(a) ? inspectValue(a, { depth: 0 })
            : String(a);
          break;
        case "d":
          rep = typeof a === "bigint" ? `${a}n` : typeof a === "symbol" ? "NaN" : formatNumber(Number(a));
          break;
        case "i":
          rep = typeof a === "bigint" ? `${a}n` : typeof a === "symbol" ? "NaN" : formatNumber(parseInt(a));
          break;
        case "f":
          rep = typeof a === "symbol" ? "NaN" : formatNumber(parseFloat(a));
          break;
        case "j":
          try {
            rep = JSON.stringify(a);
          } catch {
            rep = "[Circular]";
          }
          break;
        case "o":
        case "O":
          rep = inspectValue(a, { depth: d === "o" ? 4 : 2 });
          break;
        case "c":
          rep = "";
          break;
      }
      out += first.slice(last, i) + rep;
      last = i + 2;
      i++;
      next++;
    }
    out += first.slice(last);
  }
  for (; next < args.length; next++) {
    const a = args[next];
    if (out !== "" || next > 0) out += " ";
    out += typeof a === "string" ? a : inspectValue(a);
  }
  return out;
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
    const stack = formatErrorStack(new Error(), 0).split("\n").slice(2).join("\n");
    const msg = "Trace" + (args.length > 0 ? ": " + formatLog(args) : "");
    consoleWrite("log", stack === "" ? msg : msg + "\n" + stack);
  },
  dir: (v, opts = undefined) => consoleWrite("log", inspectValue(v, opts)),
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
register("__inspect", inspectValue);
register("__format", formatLog);
