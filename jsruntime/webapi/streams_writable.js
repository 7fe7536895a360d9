// WritableStream, its writer and its controller (workerd
// api/streams/writable.c++). The stream's record (wsOf(stream)) has state
// "writable", "closed" or "errored" and an impl: a JsWritable (an
// underlying sink given to the constructor, streams_jswritable.js) or an
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
