// Event and its subclasses (CustomEvent, MessageEvent, CloseEvent,
// ErrorEvent) and EventTarget. Behaviour follows workerd's api/basics.c++:
// listeners run in insertion order, an exception thrown by a listener stops
// the dispatch and propagates out of dispatchEvent, and capture/passive must
// be false.

let eventBeginDispatch, eventEndDispatch, eventIsStopped, eventSetTrusted;

// Event state bits (one private field is cheaper than eight in goja, and
// the WebSocket message path makes an event per message).
const BUBBLES = 1, CANCELABLE = 2, COMPOSED = 4, DEFAULT_PREVENTED = 8, STOPPED = 16,
  PROPAGATION_STOPPED = 32, TRUSTED = 64, DISPATCHING = 128;

class Event {
  #type;
  #flags = 0;
  #target = undefined;

  constructor(type = noArg, init = undefined) {
    if (type === noArg) {
      throw new TypeError("Failed to construct 'Event': 1 argument required, but only 0 present.");
    }
    this.#type = typeof type === "string" ? type : String(type);
    if (init !== undefined && init !== null) {
      this.#flags = (init.bubbles ? BUBBLES : 0) | (init.cancelable ? CANCELABLE : 0) | (init.composed ? COMPOSED : 0);
    }
  }

  static {
    eventBeginDispatch = (ev, target) => {
      if (ev.#flags & DISPATCHING) {
        throw domError("The event is already being dispatched.", "InvalidStateError");
      }
      ev.#flags = (ev.#flags | DISPATCHING) & ~DEFAULT_PREVENTED;
      ev.#target = target;
    };
    eventEndDispatch = (ev) => {
      ev.#flags &= ~(DISPATCHING | STOPPED);
    };
    eventIsStopped = (ev) => (ev.#flags & STOPPED) !== 0;
    eventSetTrusted = (ev) => {
      ev.#flags |= TRUSTED;
      return ev;
    };
  }

  get type() {
    return this.#type;
  }
  get bubbles() {
    return (this.#flags & BUBBLES) !== 0;
  }
  get cancelable() {
    return (this.#flags & CANCELABLE) !== 0;
  }
  get composed() {
    return (this.#flags & COMPOSED) !== 0;
  }
  get defaultPrevented() {
    return (this.#flags & (CANCELABLE | DEFAULT_PREVENTED)) === (CANCELABLE | DEFAULT_PREVENTED);
  }
  get returnValue() {
    return !this.defaultPrevented;
  }
  get isTrusted() {
    return (this.#flags & TRUSTED) !== 0;
  }
  get timeStamp() {
    return 0;
  }
  get eventPhase() {
    return this.#flags & DISPATCHING ? 2 : 0;
  }
  get target() {
    return this.#target;
  }
  get currentTarget() {
    return this.#target;
  }
  get srcElement() {
    return this.#target;
  }
  get cancelBubble() {
    return (this.#flags & PROPAGATION_STOPPED) !== 0;
  }
  set cancelBubble(v) {
    if (v) this.#flags |= PROPAGATION_STOPPED;
  }
  composedPath() {
    return this.#flags & DISPATCHING ? [this.#target] : [];
  }
  preventDefault() {
    this.#flags |= DEFAULT_PREVENTED;
  }
  stopPropagation() {
    this.#flags |= PROPAGATION_STOPPED;
  }
  stopImmediatePropagation() {
    this.#flags |= PROPAGATION_STOPPED | STOPPED;
  }
}
for (const [k, v] of Object.entries({ NONE: 0, CAPTURING_PHASE: 1, AT_TARGET: 2, BUBBLING_PHASE: 3 })) {
  Object.defineProperty(Event, k, { value: v, enumerable: true });
  Object.defineProperty(Event.prototype, k, { value: v, enumerable: true });
}
exposeClass(Event);

lazyClass("CustomEvent", () => {
  class CustomEvent extends Event {
    #detail;
    constructor(type, init = undefined) {
      super(type, init);
      this.#detail = init?.detail ?? null;
    }
    get detail() {
      return this.#detail;
    }
  }
  exposeClass(CustomEvent);
  return CustomEvent;
});

lazyClass("MessageEvent", () => {
  class MessageEvent extends Event {
    #data = null;
    #extra = null; // [origin, lastEventId, source, ports] when given
    constructor(type, init = undefined) {
      super(type, init);
      if (init === undefined || init === null) return;
      if (init.data !== undefined) this.#data = init.data;
      if (init.origin !== undefined || init.lastEventId !== undefined || init.source != null || init.ports !== undefined) {
        this.#extra = [
          init.origin === undefined ? "" : String(init.origin),
          init.lastEventId === undefined ? "" : String(init.lastEventId),
          init.source ?? null,
          init.ports === undefined ? [] : Array.from(init.ports),
        ];
      }
    }
    get data() {
      return this.#data;
    }
    get origin() {
      return this.#extra === null ? "" : this.#extra[0];
    }
    get lastEventId() {
      return this.#extra === null ? "" : this.#extra[1];
    }
    get source() {
      return this.#extra === null ? null : this.#extra[2];
    }
    get ports() {
      return (this.#extra ??= ["", "", null, []])[3];
    }
  }
  exposeClass(MessageEvent);
  return MessageEvent;
});

lazyClass("CloseEvent", () => {
  class CloseEvent extends Event {
    #code;
    #reason;
    #wasClean;
    constructor(type, init = undefined) {
      super(type, init);
      const i = init ?? {};
      this.#code = i.code === undefined ? 0 : Number(i.code) & 0xffff;
      this.#reason = i.reason === undefined ? "" : toUSVString(i.reason);
      this.#wasClean = !!i.wasClean;
    }
    get code() {
      return this.#code;
    }
    get reason() {
      return this.#reason;
    }
    get wasClean() {
      return this.#wasClean;
    }
  }
  exposeClass(CloseEvent);
  return CloseEvent;
});

lazyClass("ErrorEvent", () => {
  class ErrorEvent extends Event {
    #message;
    #filename;
    #lineno;
    #colno;
    #error;
    constructor(type, init = undefined) {
      super(type, init);
      const i = init ?? {};
      this.#message = i.message === undefined ? "" : String(i.message);
      this.#filename = i.filename === undefined ? "" : String(i.filename);
      this.#lineno = i.lineno === undefined ? 0 : Number(i.lineno) >>> 0;
      this.#colno = i.colno === undefined ? 0 : Number(i.colno) >>> 0;
      this.#error = i.error;
    }
    get message() {
      return this.#message;
    }
    get filename() {
      return this.#filename;
    }
    get lineno() {
      return this.#lineno;
    }
    get colno() {
      return this.#colno;
    }
    get error() {
      return this.#error;
    }
  }
  exposeClass(ErrorEvent);
  return ErrorEvent;
});

// ---------------------------------------------------------------------------

let eventTargetRemoveAll, eventTargetDispatch, eventTargetHasListeners;

class EventTarget {
  // type -> array of {callback, thisArg, once, identity}
  #listeners = new Map();

  static {
    eventTargetRemoveAll = (t) => t.#listeners.clear();
  }

  addEventListener(type, handler, options = undefined) {
    if (handler === null || handler === undefined) return;
    let callback;
    if (typeof handler === "function") {
      callback = handler;
    } else if (isObject(handler)) {
      callback = handler.handleEvent;
      if (typeof callback !== "function") {
        throw new TypeError(
          "Failed to execute 'addEventListener' on 'EventTarget': The handler's handleEvent member is not a function.",
        );
      }
    } else {
      throw new TypeError(
        "Failed to execute 'addEventListener' on 'EventTarget': parameter 2 is not of type 'EventListener'.",
      );
    }
    let once = false;
    let signal;
    if (typeof options === "boolean") {
      if (options) throw new TypeError("addEventListener(): useCapture must be false.");
    } else if (isObject(options)) {
      if (options.capture) throw new TypeError("addEventListener(): options.capture must be false.");
      if (options.passive) throw new TypeError("addEventListener(): options.passive must be false.");
      once = !!options.once;
      signal = options.signal ?? undefined;
    }
    if (signal !== undefined && signal.aborted) return;
    type = String(type);
    let list = this.#listeners.get(type);
    if (!list) {
      list = [];
      this.#listeners.set(type, list);
    }
    if (list.some((l) => l.identity === handler)) return;
    list.push({ identity: handler, callback, thisArg: typeof handler === "function" ? undefined : handler, once });
    if (signal !== undefined) {
      signal.addEventListener("abort", () => this.removeEventListener(type, handler), { once: true });
    }
  }

  removeEventListener(type, handler, options = undefined) {
    if (typeof options === "boolean") {
      if (options) throw new TypeError("removeEventListener(): useCapture must be false.");
    } else if (isObject(options) && options.capture) {
      throw new TypeError("removeEventListener(): options.capture must be false.");
    }
    const list = this.#listeners.get(String(type));
    if (!list) return;
    const i = list.findIndex((l) => l.identity === handler);
    if (i >= 0) list.splice(i, 1);
  }

  dispatchEvent(event) {
    if (!(event instanceof Event)) {
      throw new TypeError(
        "Failed to execute 'dispatchEvent' on 'EventTarget': parameter 1 is not of type 'Event'.",
      );
    }
    return eventTargetDispatch(this, event, this);
  }

  static {
    // eventTargetDispatch runs et's listeners for event with target as the
    // event's target and the listeners' this (the global scope dispatches
    // through a hidden EventTarget as globalThis).
    eventTargetDispatch = (et, event, target) => {
      eventBeginDispatch(event, target);
      try {
        const list = et.#listeners.get(event.type);
        if (list !== undefined && list.length > 0) {
          // Listeners added during the dispatch do not run; removed ones are
          // skipped. (A single listener needs no copy.)
          const snap = list.length === 1 ? list : list.slice();
          const n = snap.length;
          for (let i = 0; i < n; i++) {
            const l = snap[i];
            if (eventIsStopped(event)) break;
            if (snap !== list && !list.includes(l)) continue;
            if (l.once) et.removeEventListener(event.type, l.identity);
            const ret = l.callback.call(l.thisArg ?? target, event);
            if (ret === true) event.preventDefault();
          }
        }
      } finally {
        eventEndDispatch(event);
      }
      return !event.defaultPrevented;
    };
    eventTargetHasListeners = (et, type) => (et.#listeners.get(type)?.length ?? 0) > 0;
  }
}
exposeClass(EventTarget);
