// The controllers of JavaScript-backed ReadableStreams (workerd
// api/streams/standard.c++ ReadableImpl and its two controllers, and
// ReadableStreamBYOBRequest). A ReadableImpl runs the underlying source's
// algorithms and owns the StreamQueue the streams' consumers read from.

const streamsToken = Symbol("streams");

class ReadableImpl {
  constructor(controller, source, hwm, size, bytes) {
    this.controller = controller;
    this.source = source;
    this.pullFn = methodOf(source, "pull", "ReadableStream");
    this.cancelFn = methodOf(source, "cancel", "ReadableStream");
    this.size = size;
    this.queue = new StreamQueue(hwm, bytes);
    this.state = "queue"; // "closed", "errored"
    this.reason = undefined;
    this.started = false;
    this.pulling = false;
    this.pullAgain = false;
    this.pendingCancel = null;
    this.byobRequest = null; // the ReadableStreamBYOBRequest handed out, if any
    this.onPulled = () => {
      this.pulling = false;
      if (this.pullAgain) {
        this.pullAgain = false;
        this.pullIfNeeded();
      }
    };
    this.onPullFailed = (e) => {
      this.pulling = false;
      this.doError(e);
    };
  }

  canCloseOrEnqueue() {
    return this.state === "queue";
  }

  desiredSize() {
    if (this.state === "closed") return 0;
    if (this.state === "errored") return null;
    return this.queue.desiredSize();
  }

  start(startFn) {
    runAlgorithm1(
      startFn,
      this.source,
      this.controller,
      () => {
        this.started = true;
        this.pullIfNeeded();
      },
      (e) => {
        this.started = true;
        this.doError(e);
      },
    );
  }

  shouldCallPull() {
    return this.started && this.state === "queue" && (this.queue.wantsRead() || this.queue.desiredSize() > 0);
  }

  pullIfNeeded() {
    if (!this.shouldCallPull()) return;
    if (this.pulling) {
      this.pullAgain = true;
      return;
    }
    this.pulling = true;
    runAlgorithm1(this.pullFn, this.source, this.controller, this.onPulled, this.onPullFailed);
  }

  enqueueEntry(entry) {
    if (!this.canCloseOrEnqueue()) throw new TypeError("This ReadableStream is closed.");
    this.queue.push(entry);
    this.pullIfNeeded();
  }

  close() {
    if (!this.canCloseOrEnqueue()) throw new TypeError("This ReadableStream is closed.");
    if (this.hasPartiallyFulfilledRead()) {
      const e = new TypeError("This ReadableStream was closed with a partial read pending.");
      this.doError(e);
      throw e;
    }
    if (this.queue.bytes) {
      for (const rec of this.queue.pendingByob) if (rec.req !== null) invalidateByob(rec.req);
      this.queue.pendingByob = [];
    }
    this.queue.close();
    this.state = "closed";
  }

  hasPartiallyFulfilledRead() {
    if (!this.queue.bytes) return false;
    for (const c of this.queue.consumers) {
      for (const r of c.reads) if (r.filled > 0 && r.elementSize > 1) return true;
    }
    return false;
  }

  doError(reason) {
    if (this.state !== "queue") return;
    this.state = "errored";
    this.reason = reason;
    this.queue.error(reason);
  }

  // cancel is a consumer's cancel: the source is canceled when the last
  // consumer goes.
  cancel(reason, consumerCount) {
    if (this.state === "closed") return resolvedUndefined();
    if (this.state === "errored") return rejected(this.reason);
    if (consumerCount > 1) return resolvedUndefined();
    if (this.pendingCancel !== null) return this.pendingCancel.promise;
    const d = (this.pendingCancel = newDeferred());
    this.state = "closed";
    runAlgorithm1(this.cancelFn, this.source, reason, () => d.resolve(undefined), (e) => d.reject(e));
    return d.promise;
  }
}

function setupController(impl, source) {
  impl.start(methodOf(source, "start", "ReadableStream"));
}

let defaultControllerImpl;

class ReadableStreamDefaultController {
  #impl;
  constructor(token = undefined, source = undefined, hwm = 1, size = undefined) {
    if (token !== streamsToken) throw new TypeError("Illegal constructor");
    this.#impl = new ReadableImpl(this, source, hwm, size, false);
  }
  static {
    defaultControllerImpl = (c) => c.#impl;
  }
  get desiredSize() {
    return this.#impl.desiredSize();
  }
  close() {
    this.#impl.close();
  }
  enqueue(chunk = undefined) {
    const impl = this.#impl;
    if (!impl.canCloseOrEnqueue()) throw new TypeError("Unable to enqueue");
    let size = 1;
    if (impl.size !== undefined) {
      try {
        size = impl.size(chunk);
      } catch (e) {
        impl.doError(e);
        return;
      }
    }
    impl.enqueueEntry({ value: chunk, size });
  }
  error(reason = undefined) {
    this.#impl.doError(reason);
  }
}
setToStringTag(ReadableStreamDefaultController);
exposeClass(ReadableStreamDefaultController);

let byteControllerImpl;

class ReadableByteStreamController {
  #impl;
  constructor(token = undefined, source = undefined, hwm = 0) {
    if (token !== streamsToken) throw new TypeError("Illegal constructor");
    this.#impl = new ReadableImpl(this, source, hwm, undefined, true);
  }
  static {
    byteControllerImpl = (c) => c.#impl;
  }
  get byobRequest() {
    const impl = this.#impl;
    if (impl.byobRequest !== null && !byobLive(impl.byobRequest)) byobInvalidate(impl.byobRequest);
    if (impl.byobRequest === null) {
      if (impl.state !== "queue") return null;
      const rec = impl.queue.nextByobRequest();
      if (rec === null) return null;
      impl.byobRequest = new ReadableStreamBYOBRequest(streamsToken, impl, rec);
    }
    return impl.byobRequest;
  }
  get desiredSize() {
    return this.#impl.desiredSize();
  }
  close() {
    const impl = this.#impl;
    if (impl.byobRequest !== null && byobPartiallyFilled(impl.byobRequest)) {
      throw new TypeError("This ReadableStream was closed with a partial read pending.");
    }
    impl.close();
  }
  enqueue(chunk = noArg) {
    if (!isBufferSource(chunk)) {
      throw new TypeError(
        "Failed to execute 'enqueue' on 'ReadableByteStreamController': parameter 1 is not of type 'ArrayBuffer or ArrayBufferView'.",
      );
    }
    if (chunk.byteLength === 0) throw new TypeError("Cannot enqueue a zero-length ArrayBuffer.");
    const impl = this.#impl;
    if (!impl.canCloseOrEnqueue()) throw new TypeError("This ReadableByteStreamController is closed.");
    if (impl.byobRequest !== null) {
      const view = impl.byobRequest.view;
      if (view !== null && view.byteLength === 0) {
        throw new TypeError("The byobRequest.view is zero-length or was detached");
      }
      byobInvalidate(impl.byobRequest);
    }
    impl.enqueueEntry({ u8: transferBytes(chunk) });
  }
  error(reason = undefined) {
    this.#impl.doError(reason);
  }
}
setToStringTag(ReadableByteStreamController);
exposeClass(ReadableByteStreamController);

let byobPartiallyFilled, byobInvalidate, byobLive;

class ReadableStreamBYOBRequest {
  #impl; // the ReadableImpl, null once invalidated
  #rec; // {req, consumer}
  #alias = null; // an ArrayBuffer sharing the read's bytes, detached on invalidation
  #view = null;

  constructor(token = undefined, impl = undefined, rec = undefined) {
    if (token !== streamsToken) throw new TypeError("Illegal constructor");
    this.#impl = impl;
    this.#rec = rec;
    this.#updateView();
  }

  #updateView() {
    if (this.#alias !== null) host.detachBuffer(this.#alias);
    const req = this.#rec.req;
    if (req === null) {
      this.#alias = null;
      this.#view = null;
      return;
    }
    this.#alias = host.aliasBuffer(req.buffer);
    this.#view = new Uint8Array(this.#alias, req.byteOffset + req.filled, req.byteLength - req.filled);
  }

  #invalidate() {
    if (this.#impl === null) return;
    if (this.#alias !== null) host.detachBuffer(this.#alias);
    this.#alias = null;
    this.#view = null;
    this.#impl.byobRequest = null;
    this.#impl = null;
  }

  static {
    byobPartiallyFilled = (b) => {
      const req = b.#rec.req;
      return b.#impl !== null && req !== null && req.filled > 0 && req.elementSize > 1;
    };
    byobInvalidate = (b) => b.#invalidate();
    byobLive = (b) => b.#rec.req !== null;
  }

  get view() {
    return this.#view;
  }

  // atLeast is workerd's: the bytes still needed to fulfill the read.
  get atLeast() {
    const req = this.#impl === null ? null : this.#rec.req;
    return req === null ? null : req.atLeast;
  }

  respond(bytesWritten = noArg) {
    const impl = this.#impl;
    if (impl === null) throw new TypeError("This ReadableStreamBYOBRequest has been invalidated.");
    const n = Number(bytesWritten);
    if (this.#view === null || this.#view.byteLength === 0) {
      throw new TypeError("Cannot respond with a zero-length or detached view");
    }
    if (!impl.canCloseOrEnqueue()) {
      if (n !== 0) throw new TypeError("The bytesWritten must be zero after the stream is closed.");
      this.#invalidate();
      return;
    }
    this.#answer(impl, n, null);
  }

  respondWithNewView(view = noArg) {
    const impl = this.#impl;
    if (impl === null) throw new TypeError("This ReadableStreamBYOBRequest has been invalidated.");
    if (!ArrayBuffer.isView(view)) {
      throw new TypeError(
        "Failed to execute 'respondWithNewView' on 'ReadableStreamBYOBRequest': parameter 1 is not of type 'ArrayBufferView'.",
      );
    }
    if (!impl.canCloseOrEnqueue()) {
      if (view.byteLength !== 0) {
        throw new TypeError("The view byte length must be zero after the stream is closed.");
      }
      this.#invalidate();
      return;
    }
    this.#answer(impl, view.byteLength, view);
  }

  // answer is respond and respondWithNewView on an open stream (workerd's
  // ByteQueue::ByobRequest::respond).
  #answer(impl, n, newView) {
    const rec = this.#rec;
    const req = rec.req;
    if (req === null && impl.queue.consumers.length >= 1) {
      // The read went away; the bytes go to the other branches.
      const src = newView !== null ? newView : this.#view;
      impl.queue.push({ u8: transferBytes(src) });
      impl.pullIfNeeded();
      return;
    }
    if (newView !== null) {
      if (n <= 0) throw new TypeError("The view byte length must be more than zero while the stream is open.");
      if (req.byteOffset + req.filled !== newView.byteOffset) {
        throw new RangeError("The given view has an invalid byte offset.");
      }
      if (req.byteLength !== newView.buffer.byteLength) {
        throw new RangeError("The underlying ArrayBuffer is not the correct length.");
      }
      if (req.filled + n > req.byteLength) throw new RangeError("The view is not the correct length.");
      req.buffer = host.transferBuffer(newView.buffer);
    } else if (n <= 0) {
      throw new TypeError("The bytesWritten must be more than zero while the stream is open.");
    }
    if (req.filled + n > req.byteLength) {
      throw new RangeError(`Too many bytes [${n}] in response to a BYOB read request.`);
    }
    const consumer = rec.consumer;
    if (impl.queue.consumers.length > 1) {
      const copy = new Uint8Array(n);
      copy.set(new Uint8Array(req.buffer, req.byteOffset + req.filled, n));
      impl.queue.push({ u8: copy }, consumer);
    }
    req.filled += n;
    let fulfilled = false;
    if (n < req.atLeast) {
      req.atLeast -= n;
    } else {
      const unaligned = req.filled % req.elementSize;
      req.filled -= unaligned;
      const i = consumer.reads.indexOf(req);
      if (i >= 0) consumer.reads.splice(i, 1);
      resolveByteRead(req);
      if (unaligned > 0) {
        const excess = new Uint8Array(unaligned);
        excess.set(new Uint8Array(req.buffer, req.byteOffset + req.filled, unaligned));
        consumer.pushBytes({ u8: excess });
      }
      fulfilled = true;
    }
    if (!fulfilled) this.#updateView();
    impl.pullIfNeeded();
    if (fulfilled) this.#invalidate();
  }
}
setToStringTag(ReadableStreamBYOBRequest);
exposeClass(ReadableStreamBYOBRequest);
