// node:async_hooks: AsyncLocalStorage and AsyncResource on the isolate's
// async context (jsruntime's asynccontext.go), which follows awaits,
// promise reactions and timers as workerd's async context frame does. The
// context is a frame: a Map from storage to store, replaced (never changed)
// by run() and enterWith(). createHook and the async ids are not
// implemented, as in workerd.

defineModule("async_hooks", () => {
  const currentFrame = () => host.asyncContext();

  // runInFrame runs fn(...args) with frame current and puts back the frame
  // it replaced.
  function runInFrame(frame, fn, thisArg, args) {
    const prev = host.setAsyncContext(frame);
    try {
      return Reflect.apply(fn, thisArg, args);
    } finally {
      host.setAsyncContext(prev);
    }
  }

  function withStore(storage, store) {
    const frame = new Map(currentFrame());
    frame.set(storage, store);
    return frame;
  }

  class AsyncLocalStorage {
    static bind(fn) {
      validateFunction(fn, "fn");
      return AsyncLocalStorage.snapshot().bind(null, fn);
    }

    static snapshot() {
      const frame = currentFrame();
      return function runInAsyncScope(fn, ...args) {
        return runInFrame(frame, fn, this, args);
      };
    }

    run(store, fn, ...args) {
      validateFunction(fn, "callback");
      return runInFrame(withStore(this, store), fn, undefined, args);
    }

    exit(fn, ...args) {
      validateFunction(fn, "callback");
      const frame = currentFrame();
      if (frame === undefined || !frame.has(this)) return Reflect.apply(fn, undefined, args);
      const without = new Map(frame);
      without.delete(this);
      return runInFrame(without, fn, undefined, args);
    }

    getStore() {
      return currentFrame()?.get(this);
    }

    enterWith(store) {
      host.setAsyncContext(withStore(this, store));
    }

    disable() {
      const frame = currentFrame();
      if (frame !== undefined && frame.has(this)) {
        const without = new Map(frame);
        without.delete(this);
        host.setAsyncContext(without);
      }
    }
  }

  class AsyncResource {
    #frame;
    #type;
    constructor(type, options = {}) {
      validateString(type, "type");
      this.#type = type;
      this.#frame = currentFrame();
    }

    runInAsyncScope(fn, thisArg, ...args) {
      return runInFrame(this.#frame, fn, thisArg, args);
    }

    bind(fn, thisArg) {
      validateFunction(fn, "fn");
      const bound = (...args) => this.runInAsyncScope(fn, thisArg === undefined ? this : thisArg, ...args);
      Object.defineProperties(bound, {
        length: { configurable: true, enumerable: false, value: fn.length, writable: false },
        asyncResource: { configurable: true, enumerable: true, value: this, writable: true },
      });
      return bound;
    }

    static bind(fn, type, thisArg) {
      type = type || fn.name || "bound-anonymous-fn";
      return new AsyncResource(type).bind(fn, thisArg);
    }

    emitDestroy() {
      return this;
    }

    asyncId() {
      return 0;
    }

    triggerAsyncId() {
      return 0;
    }
  }

  return {
    AsyncLocalStorage,
    AsyncResource,
    executionAsyncId: () => 0,
    triggerAsyncId: () => 0,
    executionAsyncResource: () => ({}),
    asyncWrapProviders: {},
  };
});
