// TransformStream and its controller (workerd api/streams/transform.c++ and
// standard.c++ TransformStreamDefaultController; the standard constructor,
// as with transformstream_enable_standard_constructor), and the internal
// byte transforms IdentityTransformStream and FixedLengthStream.

let transformRecord;

class TransformStreamDefaultController {
  #t;
  constructor(token = undefined, t = undefined) {
    if (token !== streamsToken) throw new TypeError("Illegal constructor");
    this.#t = t;
  }
  static {
    transformRecord = (c) => c.#t;
  }
  get desiredSize() {
    const r = this.#t.readable;
    return r === null ? null : r.desiredSize();
  }
  enqueue(chunk = undefined) {
    transformEnqueue(this.#t, chunk);
  }
  error(reason = undefined) {
    transformError(this.#t, reason);
  }
  terminate() {
    const t = this.#t;
    if (t.readable !== null) {
      const r = t.readable;
      t.readable = null;
      r.close();
    }
    transformErrorWritable(t, new TypeError("The transform stream has been terminated"));
  }
}
setToStringTag(TransformStreamDefaultController);
exposeClass(TransformStreamDefaultController);

const readableHasBackpressure = (impl) =>
  !(impl.state === "queue" && (impl.queue.wantsRead() || impl.queue.desiredSize() > 0));

function transformEnqueue(t, chunk) {
  const r = t.readable;
  if (r === null || !r.canCloseOrEnqueue()) {
    throw new TypeError("The readable side of this TransformStream is no longer readable.");
  }
  try {
    r.controller.enqueue(chunk);
  } catch (e) {
    transformErrorWritable(t, e);
    throw e;
  }
  if (readableHasBackpressure(r) !== t.backpressure && host.compatFlag("fixupTransformStreamBackpressure")) {
    transformSetBackpressure(t, true);
  }
}

function transformError(t, reason) {
  if (t.readable !== null) {
    t.readable.doError(reason);
    t.readable = null;
  }
  transformErrorWritable(t, reason);
}

// transformErrorWritable errors the writable side and lets a write waiting
// for backpressure go.
function transformErrorWritable(t, reason) {
  t.transformFn = t.flushFn = t.cancelFn = undefined;
  if (t.writable !== null) {
    writableDoError(t.writable, reason);
    t.writable = null;
  }
  if (t.backpressure) transformSetBackpressure(t, false);
}

// transformSetBackpressure settles the promise of the backpressure change
// that a write or a pull waits for; the next such promise is made when one
// waits (bpChange).
function transformSetBackpressure(t, bp) {
  if (t.backpressureChange !== null) {
    t.backpressureChange.resolve(undefined);
    t.backpressureChange = null;
  }
  t.backpressure = bp;
}

const bpChange = (t) => (t.backpressureChange ??= newDeferred()).promise;

function transformPerform(t, chunk) {
  if (t.transformFn !== undefined) {
    return runAlgorithm2(t.transformFn, t.transformer, chunk, t.controller, noop, t.onTransformFailed);
  }
  try {
    transformEnqueue(t, chunk);
    return resolvedUndefined();
  } catch (e) {
    return rejected(e);
  }
}

const writableErroredOrErroring = (ws) => (ws.state === "errored" ? ws.error : writableErroring(ws));

// The underlying sink and source the TransformStream gives its two sides.
function transformSink(t) {
  return {
    start: () => t.started.promise,
    write(chunk) {
      const ws = t.writable;
      if (ws === null) return rejected(new TypeError("Writing to the TransformStream failed."));
      const err = writableErroredOrErroring(ws);
      if (err !== undefined) return rejected(err);
      if (!t.backpressure) return transformPerform(t, chunk);
      return bpChange(t).then(() => {
        if (t.writable !== null) {
          const e = writableErroring(t.writable);
          if (e !== undefined) throw e;
        }
        if (t.transformFn === undefined) {
          transformEnqueue(t, chunk); // no promise to adopt on the hot path
          return undefined;
        }
        return transformPerform(t, chunk);
      });
    },
    abort(reason) {
      if (t.finish !== null) return t.finish;
      t.finish = runAlgorithm(
        t.cancelFn,
        t.transformer,
        [reason],
        () => {
          if (t.readable !== null && t.readable.state === "errored") return rejected(t.readable.reason);
          transformError(t, reason);
          return undefined;
        },
        (e) => {
          transformError(t, e);
          throw e;
        },
      );
      return t.finish;
    },
    close() {
      return runAlgorithm(
        t.flushFn,
        t.transformer,
        [t.controller],
        () => {
          if (t.readable !== null) t.readable.close();
        },
        (e) => {
          transformError(t, e);
          throw e;
        },
      );
    },
  };
}

function transformSource(t) {
  return {
    start: () => t.started.promise,
    pull() {
      if (!t.backpressure) return undefined;
      transformSetBackpressure(t, false);
      return bpChange(t);
    },
    cancel(reason) {
      if (t.finish !== null) return t.finish;
      t.finish = runAlgorithm(
        t.cancelFn,
        t.transformer,
        [reason],
        () => {
          t.readable = null;
          transformErrorWritable(t, reason);
        },
        (e) => {
          t.readable = null;
          transformErrorWritable(t, e);
          throw e;
        },
      );
      return t.finish;
    },
  };
}

let setTransformSides;

class TransformStream {
  #readable;
  #writable;
  constructor(transformer = undefined, writableStrategy = undefined, readableStrategy = undefined) {
    if (transformer === streamsToken) return; // a subclass's own sides
    const tr = transformer ?? {};
    const t = {
      transformer: tr,
      controller: null,
      readable: null, // the ReadableImpl of the readable side
      writable: null, // the record of the writable side
      backpressure: false,
      backpressureChange: null,
      started: newDeferred(),
      transformFn: undefined,
      flushFn: undefined,
      cancelFn: undefined,
      finish: null,
    };
    t.controller = new TransformStreamDefaultController(streamsToken, t);
    t.onTransformFailed = (e) => {
      transformError(t, e);
      throw e;
    };
    const source = transformSource(t);
    if (tr.expectedLength !== undefined) source.expectedLength = tr.expectedLength;
    const readable = new ReadableStream(source, readableStrategy ?? { highWaterMark: 0 });
    const writable = new WritableStream(transformSink(t), writableStrategy);
    t.readable = rsOf(readable).impl.impl;
    t.writable = wsOf(writable);
    if (tr.readableType !== undefined) throw new TypeError("transformer.readableType must be undefined.");
    if (tr.writableType !== undefined) throw new TypeError("transformer.writableType must be undefined.");
    t.transformFn = methodOf(tr, "transform", "TransformStream");
    t.flushFn = methodOf(tr, "flush", "TransformStream");
    t.cancelFn = methodOf(tr, "cancel", "TransformStream");
    transformSetBackpressure(t, true);
    runAlgorithm(
      methodOf(tr, "start", "TransformStream"),
      tr,
      [t.controller],
      () => t.started.resolve(undefined),
      (e) => t.started.reject(e),
    );
    this.#readable = readable;
    this.#writable = writable;
  }
  static {
    setTransformSides = (ts, readable, writable) => {
      ts.#readable = readable;
      ts.#writable = writable;
    };
  }
  get readable() {
    return this.#readable;
  }
  get writable() {
    return this.#writable;
  }
}
setToStringTag(TransformStream);
exposeClass(TransformStream);

// IdentityTransformStream passes bytes through unchanged: a write waits
// until reads have taken its bytes.
class IdentityTransformStream extends TransformStream {
  constructor(strategy = undefined) {
    super(streamsToken);
    if (strategy === streamsToken) return; // a subclass's own sides
    const [r, w] = newInternalPair(new IdentityPipe(), undefined, internalHighWaterMark(strategy));
    setTransformSides(this, r, w);
  }
}
setToStringTag(IdentityTransformStream);
exposeClass(IdentityTransformStream);

// FixedLengthStream is an IdentityTransformStream of exactly expectedLength
// bytes; a Response or Request with it as body has that Content-Length.
class FixedLengthStream extends IdentityTransformStream {
  constructor(expectedLength = noArg, strategy = undefined) {
    super(streamsToken);
    const n = expectedLength === noArg ? NaN : Number(expectedLength);
    if (!Number.isInteger(n) || n < 0 || n > Number.MAX_SAFE_INTEGER) {
      throw new TypeError("FixedLengthStream requires an integer expected length less than 2^53.");
    }
    let hwm = internalHighWaterMark(strategy);
    if (hwm !== undefined) hwm = Math.min(hwm, n);
    const [r, w] = newInternalPair(new IdentityPipe(n), n, hwm);
    setTransformSides(this, r, w);
  }
}
setToStringTag(FixedLengthStream);
exposeClass(FixedLengthStream);

function internalHighWaterMark(strategy) {
  if (strategy === undefined || strategy === null || strategy.highWaterMark === undefined) return undefined;
  return strategyHighWaterMark(strategy, 0);
}
