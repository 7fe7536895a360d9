// WritableStream, its writer and its controller (workerd
// api/streams/writable.c++ and standard.c++ WritableImpl). The stream's
// record (wsOf(stream)) has state "writable", "closed" or "errored" and an
// impl: a JsWritable (an underlying sink given to the constructor) or an
// InternalWritable (streams_internal.js). The lock is null, PIPE, or the
// record of the writer holding it.

function newWritableState(stream) {
  return { stream, impl: null, state: "writable", error: undefined, lock: null, abortPromise: null };
}

function writableDoClose(ws) {
  if (ws.state !== "writable") return;
  ws.state = "closed";
  const lock = ws.lock;
  if (lock === PIPE) ws.lock = null;
  else if (lock !== null) {
    dResolve(lock.closed, undefined);
    dResolve(lock.ready, undefined);
  }
}

function writableDoError(ws, e) {
  if (ws.state !== "writable") return;
  ws.state = "errored";
  ws.error = e;
  const lock = ws.lock;
  if (lock === PIPE) ws.lock = null;
  else if (lock !== null) {
    dReject(lock.closed, e);
    dResolve(lock.ready, undefined);
  }
}

function writableUpdateBackpressure(ws, backpressure) {
  const wr = ws.lock;
  if (wr === null || wr === PIPE) return;
  if (backpressure) {
    wr.ready = newDeferred();
    handled(wr.ready.promise);
  } else {
    dResolve(wr.ready, undefined);
  }
}

function writableRejectReady(ws, reason) {
  const wr = ws.lock;
  if (wr === null || wr === PIPE) return;
  if (wr.ready.settled) {
    wr.ready = newDeferred();
    handled(wr.ready.promise);
  }
  dReject(wr.ready, reason);
}

function writableResolveReady(ws) {
  const wr = ws.lock;
  if (wr !== null && wr !== PIPE) dResolve(wr.ready, undefined);
}

// writableAbort is WritableStream.abort without the lock check; its promise
// is the same for every call.
function writableAbort(ws, reason) {
  if (ws.abortPromise !== null) return ws.abortPromise.then(noop);
  if (ws.state !== "writable") ws.abortPromise = resolvedUndefined();
  else ws.abortPromise = ws.impl.abort(reason);
  return ws.abortPromise.then(noop);
}

function writableClose(ws) {
  if (ws.state === "closed") return rejected(new TypeError("This WritableStream has been closed."));
  if (ws.state === "errored") return rejected(ws.error);
  return ws.impl.close();
}

function writableWrite(ws, chunk) {
  if (ws.state === "closed") return rejected(new TypeError("This WritableStream has been closed."));
  if (ws.state === "errored") return rejected(ws.error);
  return ws.impl.write(chunk);
}

// writableErroring is the reason of a stream that is erroring, or undefined.
const writableErroring = (ws) =>
  ws.state === "writable" && ws.impl instanceof JsWritable && ws.impl.state === "erroring" ? ws.impl.reason : undefined;

// A JsWritable runs an underlying sink as the Streams Standard's
// WritableStreamDefaultController does (workerd WritableImpl).
class JsWritable {
  constructor(ws, controller, sink, hwm, size) {
    this.ws = ws;
    this.controller = controller;
    this.sink = sink;
    this.writeFn = methodOf(sink, "write", "WritableStream");
    this.closeFn = methodOf(sink, "close", "WritableStream");
    this.abortFn = methodOf(sink, "abort", "WritableStream");
    this.hwm = hwm;
    this.size = size;
    this.state = "writable"; // "erroring", "errored", "closed"
    this.reason = undefined;
    this.queue = []; // {value, size, d}
    this.amountBuffered = 0;
    this.inFlightWrite = null;
    this.closeRequest = null;
    this.inFlightClose = null;
    this.pendingAbort = null; // {d, reason, reject}
    this.started = false;
    this.backpressure = false;
    this.signalObj = null; // controller.signal, made on first use
    this.aborted = false;
    this.abortReason = undefined;
    this.onWritten = () => {
      const w = this.inFlightWrite;
      this.amountBuffered -= w.size;
      this.inFlightWrite = null;
      w.d.resolve(undefined);
      if (!this.closeQueuedOrInFlight() && this.state === "writable") this.updateBackpressure();
      this.advanceQueueIfNeeded();
    };
    this.onWriteFailed = (e) => {
      const w = this.inFlightWrite;
      this.amountBuffered -= w.size;
      this.inFlightWrite = null;
      w.d.reject(e);
      this.dealWithRejection(e);
    };
  }

  get signal() {
    if (this.signalObj === null) {
      this.signalObj = newAbortSignal();
      if (this.aborted) abortSignalTrigger(this.signalObj, this.abortReason);
    }
    return this.signalObj;
  }

  setup(startFn) {
    this.backpressure = this.desiredSize() < 0;
    runAlgorithm1(
      startFn,
      this.sink,
      this.controller,
      () => {
        if (this.state === "writable") writableResolveReady(this.ws);
        this.started = true;
        this.advanceQueueIfNeeded();
      },
      (e) => {
        writableRejectReady(this.ws, e);
        this.started = true;
        this.dealWithRejection(e);
      },
    );
  }

  desiredSize() {
    return this.hwm - this.amountBuffered;
  }

  closeQueuedOrInFlight() {
    return this.closeRequest !== null || this.inFlightClose !== null;
  }

  write(value) {
    const d = newDeferred();
    this.writeThen(value, d.resolve, d.reject);
    return d.promise;
  }

  // writeThen is write with callbacks for its outcome (the pipe's way,
  // without a promise per chunk); they run at once for an early failure.
  writeThen(value, resolve, reject) {
    let size = 1;
    if (this.size !== undefined) {
      try {
        size = this.size(value);
      } catch (e) {
        if (this.state === "writable") this.startErroring(e);
        return reject(e);
      }
    }
    if (this.state === "errored") return reject(this.reason);
    if (this.closeQueuedOrInFlight() || this.state === "closed") {
      return reject(new TypeError("This ReadableStream is closed."));
    }
    if (this.state === "erroring") return reject(this.reason);
    this.queue.push({ value, size, d: { resolve, reject } });
    this.amountBuffered += size;
    this.updateBackpressure();
    this.advanceQueueIfNeeded();
    return undefined;
  }

  close() {
    if (this.closeQueuedOrInFlight()) {
      return rejected(new TypeError("Cannot close a writer that is already being closed"));
    }
    const d = newDeferred();
    this.closeRequest = d;
    if (this.backpressure && this.state === "writable") writableResolveReady(this.ws);
    this.advanceQueueIfNeeded();
    return d.promise;
  }

  abort(reason) {
    if (!this.aborted) {
      this.aborted = true;
      this.abortReason = reason;
      if (this.signalObj !== null) abortSignalTrigger(this.signalObj, reason);
    }
    if (this.state === "closed" || this.state === "errored") return resolvedUndefined();
    if (this.pendingAbort !== null) return this.pendingAbort.d.promise;
    const wasErroring = this.state === "erroring";
    const pa = { d: newDeferred(), reason: wasErroring ? undefined : reason, reject: wasErroring };
    this.pendingAbort = pa;
    if (!wasErroring) this.startErroring(reason);
    return pa.d.promise;
  }

  // error is controller.error().
  error(reason) {
    if (this.state === "writable") this.startErroring(reason);
  }

  cancelPendingWrites(reason) {
    const q = this.queue;
    this.queue = [];
    for (const w of q) {
      this.amountBuffered -= w.size;
      w.d.reject(reason);
    }
  }

  advanceQueueIfNeeded() {
    if (!this.started || this.inFlightWrite !== null) return;
    if (this.state === "erroring") return this.finishErroring();
    if (this.state !== "writable") return;
    if (this.queue.length === 0) {
      if (this.closeRequest !== null) {
        this.inFlightClose = this.closeRequest;
        this.closeRequest = null;
        runAlgorithm(
          this.closeFn,
          this.sink,
          [],
          () => this.finishInFlightClose(undefined, false),
          (e) => this.finishInFlightClose(e, true),
        );
      }
      return;
    }
    const w = this.queue.shift();
    this.inFlightWrite = w;
    runAlgorithm2(this.writeFn, this.sink, w.value, this.controller, this.onWritten, this.onWriteFailed);
  }

  finishInFlightClose(e, failed) {
    const d = this.inFlightClose;
    this.inFlightClose = null;
    if (failed) {
      d.reject(e);
      const pa = this.pendingAbort;
      this.pendingAbort = null;
      if (pa !== null) pa.d.reject(e);
      return this.dealWithRejection(e);
    }
    d.resolve(undefined);
    if (this.state === "erroring" && this.pendingAbort !== null) {
      this.pendingAbort.d.resolve(undefined);
    }
    this.pendingAbort = null;
    this.state = "closed";
    writableDoClose(this.ws);
  }

  dealWithRejection(e) {
    if (this.state === "writable") return this.startErroring(e);
    if (this.state === "erroring") this.finishErroring();
  }

  startErroring(reason) {
    writableRejectReady(this.ws, reason);
    this.state = "erroring";
    this.reason = reason;
    if (this.inFlightWrite === null && this.inFlightClose === null && this.started) this.finishErroring();
  }

  finishErroring() {
    const reason = this.reason;
    this.state = "errored";
    const q = this.queue;
    this.queue = [];
    for (const w of q) w.d.reject(reason);
    const pa = this.pendingAbort;
    if (pa === null) return this.rejectCloseAndClosed();
    if (pa.reject) {
      pa.d.reject(reason);
      return this.rejectCloseAndClosed();
    }
    runAlgorithm1(
      this.abortFn,
      this.sink,
      reason,
      () => {
        pa.d.resolve(undefined);
        this.rejectCloseAndClosed();
      },
      (e) => {
        pa.d.reject(e);
        this.rejectCloseAndClosed();
      },
    );
  }

  rejectCloseAndClosed() {
    const reason = this.reason;
    if (this.closeRequest !== null) {
      this.closeRequest.reject(reason);
      this.closeRequest = null;
    }
    this.pendingAbort = null;
    writableDoError(this.ws, reason);
  }

  updateBackpressure() {
    const bp = this.desiredSize() < 0;
    if (bp !== this.backpressure) {
      this.backpressure = bp;
      writableUpdateBackpressure(this.ws, bp);
    }
  }
}

let wcImpl;

class WritableStreamDefaultController {
  #impl;
  constructor(token = undefined, impl = undefined) {
    if (token !== streamsToken) throw new TypeError("Illegal constructor");
    this.#impl = impl;
  }
  static {
    wcImpl = (c, impl) => (c.#impl = impl);
  }
  get signal() {
    return this.#impl.signal;
  }
  error(reason = undefined) {
    this.#impl.error(reason);
  }
}
setToStringTag(WritableStreamDefaultController);
exposeClass(WritableStreamDefaultController);

let wsOf, newWritableWithImpl;

class WritableStream {
  #ws;
  constructor(underlyingSink = undefined, strategy = undefined) {
    const ws = (this.#ws = newWritableState(this));
    if (underlyingSink === streamsToken) return; // made by newWritableWithImpl
    const sink = underlyingSink ?? {};
    const hwm = strategyHighWaterMark(strategy, 1);
    const size = strategySize(strategy, "WritableStream");
    const controller = new WritableStreamDefaultController(streamsToken);
    const impl = new JsWritable(ws, controller, sink, hwm, size);
    wcImpl(controller, impl);
    ws.impl = impl;
    impl.setup(methodOf(sink, "start", "WritableStream"));
  }
  static {
    wsOf = (o) => (isObject(o) && #ws in o ? o.#ws : null);
    newWritableWithImpl = (makeImpl) => {
      const s = new WritableStream(streamsToken);
      s.#ws.impl = makeImpl(s.#ws);
      return s;
    };
  }
  get locked() {
    return this.#ws.lock !== null;
  }
  abort(reason = undefined) {
    const ws = this.#ws;
    if (ws.lock !== null) return rejected(new TypeError("This WritableStream is currently locked to a writer."));
    return writableAbort(ws, reason);
  }
  close() {
    const ws = this.#ws;
    if (ws.lock !== null) return rejected(new TypeError("This WritableStream is currently locked to a writer."));
    return writableClose(ws);
  }
  getWriter() {
    return new WritableStreamDefaultWriter(this);
  }
}
setToStringTag(WritableStream);
exposeClass(WritableStream);

const writerReleased = () => new TypeError("This WritableStream writer has been released.");

class WritableStreamDefaultWriter {
  #wr;
  constructor(stream = noArg) {
    const ws = wsOf(stream);
    if (ws === null) {
      throw new TypeError(
        "Failed to construct 'WritableStreamDefaultWriter': parameter 1 is not of type 'WritableStream'.",
      );
    }
    if (ws.lock !== null) throw new TypeError("This WritableStream is currently locked to a writer.");
    const wr = { ws, closed: newDeferred(), ready: newDeferred(), released: false };
    handled(wr.closed.promise);
    handled(wr.ready.promise);
    if (ws.state === "closed") {
      dResolve(wr.closed, undefined);
      dResolve(wr.ready, undefined);
    } else if (ws.state === "errored") {
      dReject(wr.closed, ws.error);
      dReject(wr.ready, ws.error);
    } else if (ws.impl.started) {
      dResolve(wr.ready, undefined);
    }
    ws.lock = wr;
    this.#wr = wr;
  }
  get closed() {
    return this.#wr.closed.promise;
  }
  get ready() {
    return this.#wr.ready.promise;
  }
  get desiredSize() {
    const wr = this.#wr;
    if (wr.released) throw writerReleased();
    const ws = wr.ws;
    if (ws.state === "closed") return 0;
    if (ws.state === "errored") return null;
    return ws.impl.desiredSize();
  }
  abort(reason = undefined) {
    const wr = this.#wr;
    if (wr.released) return rejected(writerReleased());
    return writableAbort(wr.ws, reason);
  }
  close() {
    const wr = this.#wr;
    if (wr.released) return rejected(writerReleased());
    return writableClose(wr.ws);
  }
  write(chunk = undefined) {
    const wr = this.#wr;
    if (wr.released) return rejected(writerReleased());
    return writableWrite(wr.ws, chunk);
  }
  releaseLock() {
    const wr = this.#wr;
    if (wr.released) return;
    const ws = wr.ws;
    wr.released = true;
    if (ws.lock !== wr) return;
    if (ws.state === "writable" && ws.impl instanceof JsWritable) ws.impl.cancelPendingWrites(writerReleased());
    if (!wr.closed.settled) dReject(wr.closed, writerReleased());
    ws.lock = null;
  }
}
setToStringTag(WritableStreamDefaultWriter);
exposeClass(WritableStreamDefaultWriter);
