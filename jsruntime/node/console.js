// node:console: the global console's methods.

defineModule("console", () => {
  const c = globalThis.console;
  const out = {};
  for (const key of Object.keys(c)) {
    if (typeof c[key] === "function") out[key] = c[key].bind(c);
  }
  return out;
});
