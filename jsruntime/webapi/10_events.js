// DOMException, Event and its subclasses, EventTarget, AbortController and
// AbortSignal. Behaviour follows workerd's api/basics.c++: listeners run in
// insertion order, an exception thrown by a listener stops the dispatch and
// propagates out of dispatchEvent, and capture/passive must be false.

// DOMException is made on first use (it is thrown rarely).
const loadDOMException = lazyClass("DOMException", () => {
  const domExceptionCodes = {
    IndexSizeError: 1,
    DOMStringSizeError: 2,
    HierarchyRequestError: 3,
    WrongDocumentError: 4,
    InvalidCharacterError: 5,
    NoDataAllowedError: 6,
    NoModificationAllowedError: 7,
    NotFoundError: 8,
    NotSupportedError: 9,
    InUseAttributeError: 10,
    InvalidStateError: 11,
    SyntaxError: 12,
    InvalidModificationError: 13,
    NamespaceError: 14,
    InvalidAccessError: 15,
    ValidationError: 16,
    TypeMismatchError: 17,
    SecurityError: 18,
    NetworkError: 19,
    AbortError: 20,
    URLMismatchError: 21,
    QuotaExceededError: 22,
    TimeoutError: 23,
    InvalidNodeTypeError: 24,
    DataCloneError: 25,
  };

  const domExceptionConstants = {
    INDEX_SIZE_ERR: 1,
    DOMSTRING_SIZE_ERR: 2,
    HIERARCHY_REQUEST_ERR: 3,
    WRONG_DOCUMENT_ERR: 4,
    INVALID_CHARACTER_ERR: 5,
    NO_DATA_ALLOWED_ERR: 6,
    NO_MODIFICATION_ALLOWED_ERR: 7,
    NOT_FOUND_ERR: 8,
    NOT_SUPPORTED_ERR: 9,
    INUSE_ATTRIBUTE_ERR: 10,
    INVALID_STATE_ERR: 11,
    SYNTAX_ERR: 12,
    INVALID_MODIFICATION_ERR: 13,
    NAMESPACE_ERR: 14,
    INVALID_ACCESS_ERR: 15,
    VALIDATION_ERR: 16,
    TYPE_MISMATCH_ERR: 17,
    SECURITY_ERR: 18,
    NETWORK_ERR: 19,
    ABORT_ERR: 20,
    URL_MISMATCH_ERR: 21,
    QUOTA_EXCEEDED_ERR: 22,
    TIMEOUT_ERR: 23,
    INVALID_NODE_TYPE_ERR: 24,
    DATA_CLONE_ERR: 25,
  };

  class DOMException extends Error {
    #name;
    #message;
    constructor(message = "", options = "Error") {
      const msg = String(message);
      super(msg);
      this.#message = msg;
      if (isObject(options)) {
        this.#name = options.name === undefined ? "Error" : String(options.name);
        if ("cause" in options) {
          Object.defineProperty(this, "cause", {
            value: options.cause,
            writable: true,
            configurable: true,
          });
        }
      } else {
        this.#name = String(options);
      }
      // Error's constructor made an own "message"; the spec has a getter.
      delete this.message;
    }
    get name() {
      return this.#name;
    }
    get message() {
      return this.#message;
    }
    get code() {
      return domExceptionCodes[this.#name] ?? 0;
    }
  }
  for (const [k, v] of Object.entries(domExceptionConstants)) {
    Object.defineProperty(DOMException, k, { value: v, enumerable: true });
    Object.defineProperty(DOMException.prototype, k, { value: v, enumerable: true });
  }
  exposeClass(DOMException);
  return DOMException;
});

const domError = (message, name) => new (loadDOMException())(message, name);

// ---------------------------------------------------------------------------

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

let eventTargetRemoveAll;

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
    eventBeginDispatch(event, this);
    try {
      const list = this.#listeners.get(event.type);
      if (list !== undefined && list.length > 0) {
        // Listeners added during the dispatch do not run; removed ones are
        // skipped. (A single listener needs no copy.)
        const snap = list.length === 1 ? list : list.slice();
        const n = snap.length;
        for (let i = 0; i < n; i++) {
          const l = snap[i];
          if (eventIsStopped(event)) break;
          if (snap !== list && !list.includes(l)) continue;
          if (l.once) this.removeEventListener(event.type, l.identity);
          const ret = l.callback.call(l.thisArg ?? this, event);
          if (ret === true) event.preventDefault();
        }
      }
    } finally {
      eventEndDispatch(event);
    }
    return !event.defaultPrevented;
  }
}
exposeClass(EventTarget);

// ---------------------------------------------------------------------------

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
    if (typeof setTimeout !== "function") throw notImplemented("AbortSignal.timeout()");
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
