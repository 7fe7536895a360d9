// navigator, self, scheduler and the other small globals. Navigator's constructor is
// guarded by crypto.js's cryptoToken, so crypto.js runs first.

class Navigator {
  constructor(token = undefined) {
    if (token !== cryptoToken) throw new TypeError("Illegal constructor");
  }
  get userAgent() {
    return "Cloudflare-Workers";
  }
  get hardwareConcurrency() {
    return 1;
  }
}
setToStringTag(Navigator);
exposeClass(Navigator);
defineGlobal("navigator", new Navigator(cryptoToken));

defineGlobal("self", globalThis);

// scheduler.wait(ms) is setTimeout as a promise.
defineGlobal("scheduler", { wait: (ms) => new Promise((resolve) => setTimeout(resolve, ms)) });
