// The global scope as workerd's ServiceWorkerGlobalScope: an event target
// (addEventListener, removeEventListener, dispatchEvent, with globalThis as
// the events' target), the "unhandledrejection" and "rejectionhandled"
// events of the isolate's rejection tracking (PromiseRejectionEvent),
// reportError and the "error" event, and the Cloudflare object.

const globalEvents = new EventTarget();

defineGlobal("addEventListener", function addEventListener(type, handler, options = undefined) {
  globalEvents.addEventListener(type, handler, options);
});
defineGlobal("removeEventListener", function removeEventListener(type, handler, options = undefined) {
  globalEvents.removeEventListener(type, handler, options);
});
defineGlobal("dispatchEvent", function dispatchEvent(event) {
  if (!(event instanceof Event)) {
    throw new TypeError(
      "Failed to execute 'dispatchEvent' on 'EventTarget': parameter 1 is not of type 'Event'.",
    );
  }
  return eventTargetDispatch(globalEvents, event, globalThis);
});

const rejectionToken = Symbol("PromiseRejectionEvent");

class PromiseRejectionEvent extends Event {
  #promise;
  #reason;
  constructor(type = noArg, init = undefined, token = undefined) {
    if (token !== rejectionToken) throw new TypeError("Illegal constructor");
    super(type, { cancelable: true });
    this.#promise = init.promise;
    this.#reason = init.reason;
  }
  get promise() {
    return this.#promise;
  }
  get reason() {
    return this.#reason;
  }
}
setToStringTag(PromiseRejectionEvent);
exposeClass(PromiseRejectionEvent);

// dispatchGlobal dispatches ev on the global scope; an exception from a
// listener is reported as uncaught and does not stop the caller. It
// returns whether a listener prevented the default.
function dispatchGlobal(ev) {
  if (!eventTargetHasListeners(globalEvents, ev.type)) return false;
  try {
    eventTargetDispatch(globalEvents, eventSetTrusted(ev), globalThis);
  } catch (e) {
    host.logUncaught(e);
  }
  return ev.defaultPrevented;
}

// Called by the isolate (scope.go) at the end of a task for a promise
// rejected without a handler, or one that got a handler after that was
// reported; true keeps the "Uncaught (in promise)" line from the log.
register("__dispatchRejection", (promise, reason, handled) =>
  dispatchGlobal(
    new PromiseRejectionEvent(handled ? "rejectionhandled" : "unhandledrejection", { promise, reason }, rejectionToken),
  ),
);

// errorEvent makes the "error" event for an exception.
function errorEvent(error) {
  const ErrorEvent = registry.ErrorEvent;
  const message = isObject(error) && "message" in error ? String(error.message) : String(error);
  return new ErrorEvent("error", { message, error, cancelable: true });
}

// Called by the isolate for an exception thrown by a queueMicrotask
// callback.
register("__dispatchError", (error) => dispatchGlobal(errorEvent(error)));

defineGlobal("reportError", function reportError(error = noArg) {
  if (error === noArg) {
    throw new TypeError(
      "Failed to execute 'reportError' on 'ServiceWorkerGlobalScope': 1 argument required, but only 0 present.",
    );
  }
  if (!dispatchGlobal(errorEvent(error))) host.logUncaught(error);
});

// Cloudflare.compatibilityFlags: every flag emu knows, on or off, as the
// Worker's compatibility date and flags set them (read-only, sealed).
class Cloudflare {
  #flags = null;
  constructor(token = undefined) {
    if (token !== rejectionToken) throw new TypeError("Illegal constructor");
  }
  get compatibilityFlags() {
    return (this.#flags ??= Object.seal(host.compatibilityFlags()));
  }
}
setToStringTag(Cloudflare);
defineGlobal("Cloudflare", new Cloudflare(rejectionToken));
