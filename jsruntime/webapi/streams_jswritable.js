// The controller of a WritableStream made with an underlying sink: a
// JsWritable runs the sink's algorithms with the queue, backpressure and
// erroring of the Streams Standard (workerd api/streams/standard.c++
// WritableImpl). streams_writable.js has the stream, writer and controller
// classes it serves.

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
