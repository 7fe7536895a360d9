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
  get language() {
    return "en";
  }
}
setToStringTag(Navigator);
exposeClass(Navigator);
defineGlobal("navigator", new Navigator(cryptoToken));

defineGlobal("self", globalThis);

// scheduler.wait(ms, {signal}) is setTimeout as a promise; an aborted
// signal rejects it with the signal's reason.
class Scheduler {
  constructor(token = undefined) {
    if (token !== cryptoToken) throw new TypeError("Illegal constructor");
  }
  wait(delay = 0, options = undefined) {
    const signal = options?.signal;
    if (signal !== undefined && signal !== null && !(signal instanceof AbortSignal)) {
      return Promise.reject(
        new TypeError("Failed to execute 'wait' on 'Scheduler': parameter 2 is not of type 'WaitOptions'."),
      );
    }
    if (signal?.aborted) return Promise.reject(signal.reason);
    return new Promise((resolve, reject) => {
      const onAbort = () => {
        clearTimeout(id);
        reject(signal.reason);
      };
      const id = setTimeout(() => {
        signal?.removeEventListener("abort", onAbort);
        resolve();
      }, delay);
      signal?.addEventListener("abort", onAbort, { once: true });
    });
  }
}
setToStringTag(Scheduler);
defineGlobal("scheduler", new Scheduler(cryptoToken));
