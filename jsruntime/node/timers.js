// node:timers and node:timers/promises. node:timers' functions return
// Timeout and Immediate objects (ref, unref, refresh, [Symbol.toPrimitive]
// to the id), as in workerd; they run on the isolate's timers, so
// AsyncLocalStorage follows them.

defineModule("timers", () => {
  class Timeout {
    #id;
    #callback;
    #after;
    #args;
    #repeat;
    #ref = true;
    constructor(callback, after, args, repeat) {
      this.#callback = callback;
      this.#after = after;
      this.#args = args;
      this.#repeat = repeat;
      this.#schedule();
    }
    #schedule() {
      const set = this.#repeat ? globalThis.setInterval : globalThis.setTimeout;
      this.#id = set(this.#callback, this.#after, ...this.#args);
    }
    refresh() {
      globalThis.clearTimeout(this.#id);
      this.#schedule();
      return this;
    }
    ref() {
      this.#ref = true;
      return this;
    }
    unref() {
      this.#ref = false;
      return this;
    }
    hasRef() {
      return this.#ref;
    }
    close() {
      globalThis.clearTimeout(this.#id);
      return this;
    }
    [Symbol.toPrimitive]() {
      return this.#id;
    }
    [Symbol.dispose || Symbol.for("nodejs.dispose")]() {
      this.close();
    }
  }

  class Immediate {
    #id;
    #ref = true;
    constructor(callback, args) {
      this.#id = globalThis.setTimeout(callback, 0, ...args);
    }
    ref() {
      this.#ref = true;
      return this;
    }
    unref() {
      this.#ref = false;
      return this;
    }
    hasRef() {
      return this.#ref;
    }
    [Symbol.toPrimitive]() {
      return this.#id;
    }
  }

  const clear = (timer) => {
    if (timer === null || timer === undefined) return;
    if (timer instanceof Timeout) timer.close();
    else if (timer instanceof Immediate) globalThis.clearTimeout(timer[Symbol.toPrimitive]());
    else globalThis.clearTimeout(timer);
  };

  return {
    setTimeout(callback, after, ...args) {
      validateFunction(callback, "callback");
      return new Timeout(callback, after, args, false);
    },
    setInterval(callback, repeat, ...args) {
      validateFunction(callback, "callback");
      return new Timeout(callback, repeat, args, true);
    },
    setImmediate(callback, ...args) {
      validateFunction(callback, "callback");
      return new Immediate(callback, args);
    },
    clearTimeout: clear,
    clearInterval: clear,
    clearImmediate: clear,
    get promises() {
      return loadModule("timers/promises");
    },
  };
});

defineModule("timers/promises", () => {
  function abortError(signal) {
    return new AbortError(undefined, { cause: signal?.reason });
  }

  function timeout(delay, value, options, immediate) {
    validateObject(options, "options");
    const { signal, ref = true } = options;
    validateAbortSignal(signal, "options.signal");
    validateBoolean(ref, "options.ref");
    if (signal?.aborted) return Promise.reject(abortError(signal));
    return new Promise((resolve, reject) => {
      const onAbort = () => {
        globalThis.clearTimeout(id);
        reject(abortError(signal));
      };
      const id = globalThis.setTimeout(() => {
        signal?.removeEventListener("abort", onAbort);
        resolve(value);
      }, immediate ? 0 : delay);
      signal?.addEventListener("abort", onAbort, { once: true });
    });
  }

  function setInterval(delay, value, options = {}) {
    validateObject(options, "options");
    const { signal } = options;
    validateAbortSignal(signal, "options.signal");
    let notYielded = 0;
    let waiting = null;
    let done = false;
    const id = globalThis.setInterval(() => {
      notYielded++;
      if (waiting !== null) {
        const w = waiting;
        waiting = null;
        notYielded--;
        w.resolve({ value, done: false });
      }
    }, delay);
    const finish = () => {
      done = true;
      globalThis.clearInterval(id);
    };
    signal?.addEventListener(
      "abort",
      () => {
        finish();
        if (waiting !== null) waiting.reject(abortError(signal));
      },
      { once: true },
    );
    return {
      next() {
        if (signal?.aborted) {
          finish();
          return Promise.reject(abortError(signal));
        }
        if (done) return Promise.resolve({ value: undefined, done: true });
        if (notYielded > 0) {
          notYielded--;
          return Promise.resolve({ value, done: false });
        }
        return new Promise((resolve, reject) => {
          waiting = { resolve, reject };
        });
      },
      return() {
        finish();
        return Promise.resolve({ value: undefined, done: true });
      },
      [asyncIteratorSymbol]() {
        return this;
      },
    };
  }

  return {
    setTimeout: (delay, value, options = {}) => timeout(delay, value, options, false),
    setImmediate: (value, options = {}) => timeout(0, value, options, true),
    setInterval,
    scheduler: {
      wait: (delay, options) => timeout(delay, undefined, options ?? {}, false),
      yield: () => timeout(0, undefined, {}, true),
    },
  };
});
