// AbortController and AbortSignal (workerd api/basics.c++). A signal is an
// EventTarget (events.js); its abort reason is a DOMException by default.

let newAbortSignal, abortSignalTrigger;
const abortSignalToken = Symbol("AbortSignal");

class AbortSignal extends EventTarget {
  #aborted = false;
  #reason = undefined;
  #onabort = null;

  constructor(token = undefined) {
    if (token !== abortSignalToken) throw new TypeError("Illegal constructor");
    super();
  }

  static {
    newAbortSignal = () => new AbortSignal(abortSignalToken);
    abortSignalTrigger = (s, reason) => {
      if (s.#aborted) return;
      s.#aborted = true;
      s.#reason =
        reason === undefined ? domError("The operation was aborted", "AbortError") : reason;
      const ev = eventSetTrusted(new Event("abort"));
      try {
        if (typeof s.#onabort === "function") s.#onabort.call(s, ev);
        s.dispatchEvent(ev);
      } finally {
        eventTargetRemoveAll(s);
      }
    };
  }

  static abort(reason = undefined) {
    const s = newAbortSignal();
    s.#aborted = true;
    s.#reason = reason === undefined ? domError("The operation was aborted", "AbortError") : reason;
    return s;
  }

  static timeout(delay) {
    const ms = Number(delay);
    if (!(ms >= 0) || ms > Number.MAX_SAFE_INTEGER) {
      throw new TypeError(
        "Failed to execute 'timeout' on 'AbortSignal': Value is outside the 'unsigned long long' value range.",
      );
    }
    const setTimeout = globalThis.setTimeout;
    const s = newAbortSignal();
    setTimeout(() => {
      abortSignalTrigger(s, domError("The operation was aborted due to timeout", "TimeoutError"));
    }, ms);
    return s;
  }

  static any(signals) {
    const list = Array.from(signals);
    for (const sig of list) {
      if (!(sig instanceof AbortSignal)) {
        throw new TypeError(
          "Failed to execute 'any' on 'AbortSignal': Failed to convert value to 'AbortSignal'.",
        );
      }
    }
    for (const sig of list) {
      if (sig.aborted) return AbortSignal.abort(sig.reason);
    }
    const s = newAbortSignal();
    for (const sig of list) {
      sig.addEventListener("abort", () => abortSignalTrigger(s, sig.reason), { once: true });
    }
    return s;
  }

  get aborted() {
    return this.#aborted;
  }
  get reason() {
    return this.#reason;
  }
  get onabort() {
    return this.#onabort;
  }
  set onabort(v) {
    this.#onabort = isObject(v) ? v : null;
  }
  throwIfAborted() {
    if (this.#aborted) throw this.#reason;
  }
}
exposeClass(AbortSignal);

class AbortController {
  #signal = newAbortSignal();
  get signal() {
    return this.#signal;
  }
  abort(reason = undefined) {
    abortSignalTrigger(this.#signal, reason);
  }
}
exposeClass(AbortController);
