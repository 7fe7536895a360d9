// ReadableStream (workerd api/streams/readable.c++). Its state lives in a
// plain record (rsOf(stream)); the record's impl is a JsReadable (a
// consumer of a JavaScript-backed controller's queue) or an
// InternalReadable (a byte source read one request at a time, see
// streams_internal.js). Locks: null, LOCKED (tee, body reads), PIPE, or the
// record of the reader holding the stream.

const LOCKED = "locked";
const PIPE = "pipe";

function newReadableState(stream) {
  return { stream, impl: null, state: "readable", error: undefined, lock: null, disturbed: false, length: undefined };
}

function readableDoClose(rs) {
  if (rs.state !== "readable") return;
  rs.state = "closed";
  rs.impl = null;
  const lock = rs.lock;
  if (lock === PIPE) rs.lock = null;
  else if (lock !== null && lock !== LOCKED) dResolve(lock.closed, undefined);
}

function readableDoError(rs, e) {
  if (rs.state !== "readable") return;
  rs.state = "errored";
  rs.error = e;
  rs.impl = null;
  const lock = rs.lock;
  if (lock === PIPE) rs.lock = null;
  else if (lock !== null && lock !== LOCKED) dReject(lock.closed, e);
}

// readableRead is a reader's read; byob is undefined or {view, atLeast}.
function readableRead(rs, byob) {
  rs.disturbed = true;
  if (byob !== undefined) {
    const view = byob.view;
    if (view.byteLength === 0 || view.buffer.byteLength === 0) {
      return rejected(new TypeError("Unable to use a zero-length ArrayBuffer."));
    }
    if (rs.state === "closed") {
      const t = transferViewOf(view);
      return Promise.resolve({ value: makeView(t.ctor, t.buffer, t.byteOffset, 0, t.elementSize), done: true });
    }
  }
  if (rs.state === "closed") return Promise.resolve({ value: undefined, done: true });
  if (rs.state === "errored") return rejected(rs.error);
  return rs.impl.read(byob);
}

function readableCancel(rs, reason) {
  rs.disturbed = true;
  if (rs.state === "closed") return resolvedUndefined();
  if (rs.state === "errored") return rejected(rs.error);
  const p = rs.impl.cancel(reason);
  readableDoClose(rs);
  return p;
}

// A JsReadable connects a ReadableStream to its controller's queue.
class JsReadable {
  constructor(rs, impl, consumer, autoAllocateChunkSize) {
    this.rs = rs;
    this.impl = impl; // ReadableImpl
    this.consumer = consumer === null ? new Consumer(impl.queue, this) : consumer;
    this.consumer.listener = this;
    this.autoAllocateChunkSize = autoAllocateChunkSize;
  }
  get isBytes() {
    return this.impl.queue.bytes;
  }
  onConsumerClose() {
    readableDoClose(this.rs);
  }
  onConsumerError(e) {
    readableDoError(this.rs, e);
  }
  onConsumerWantsData() {
    this.impl.pullIfNeeded();
  }
  read(byob) {
    const c = this.consumer;
    if (!this.isBytes) {
      return new Promise((resolve, reject) => c.read({ resolve, reject }));
    }
    return new Promise((resolve, reject) => {
      if (byob === undefined) {
        const n = this.autoAllocateChunkSize;
        c.read(byteReadRequest(resolve, reject, new ArrayBuffer(n), 0, n, 1, Uint8Array, 1));
        return;
      }
      const t = transferViewOf(byob.view);
      let atLeast = Math.max(t.elementSize, byob.atLeast);
      atLeast = Math.max(1, atLeast - (atLeast % t.elementSize));
      c.read(byteReadRequest(resolve, reject, t.buffer, t.byteOffset, t.byteLength, atLeast, t.ctor, t.elementSize));
    });
  }
  cancel(reason) {
    const q = this.impl.queue;
    const n = q.has(this.consumer) ? q.consumers.length : 1;
    this.consumer.cancel();
    return this.impl.cancel(reason, n);
  }
  cancelPendingReads(e) {
    this.consumer.cancelPendingReads(e);
  }
  hasPendingReads() {
    return this.consumer.reads.length > 0;
  }
  // tee makes two branches that read on from this consumer's position.
  tee(rs1, rs2) {
    const a = new JsReadable(rs1, this.impl, this.consumer.clone(null), this.autoAllocateChunkSize);
    const b = new JsReadable(rs2, this.impl, this.consumer.clone(null), this.autoAllocateChunkSize);
    this.consumer.detach();
    this.consumer.state = "closed";
    return [a, b];
  }
}

let rsOf, newStreamWithImpl;
const asyncIteratorProto = iteratorProtoAsync("ReadableStream Async Iterator");

class ReadableStream {
  #rs;

  constructor(underlyingSource = undefined, strategy = undefined) {
    this.#rs = newReadableState(this);
    if (underlyingSource === streamsToken) return; // made by newStreamWithImpl
    if (underlyingSource === null) {
      throw new TypeError("Failed to construct 'ReadableStream': underlyingSource must not be null.");
    }
    setupJsReadable(this.#rs, underlyingSource ?? {}, strategy);
  }

  static {
    // The stream's state and whether it is a byte stream, as console.log
    // shows them.
    inspectInternals(ReadableStream, (s) => [
      ["state", s.#rs.state],
      ["supportsBYOB", s.#rs.impl !== null && s.#rs.impl.isBytes === true],
    ]);
    rsOf = (o) => (isObject(o) && #rs in o ? o.#rs : null);
    newStreamWithImpl = (makeImpl, length = undefined) => {
      const s = new ReadableStream(streamsToken);
      const rs = s.#rs;
      rs.impl = makeImpl(rs);
      rs.length = length;
      return s;
    };
  }

  get locked() {
    return this.#rs.lock !== null;
  }

  cancel(reason = undefined) {
    const rs = this.#rs;
    if (rs.lock !== null) return rejected(new TypeError("This ReadableStream is currently locked to a reader."));
    return readableCancel(rs, reason);
  }

  getReader(options = undefined) {
    const rs = this.#rs;
    if (rs.lock !== null) throw new TypeError("This ReadableStream is currently locked to a reader.");
    if (options !== undefined && options !== null) {
      const mode = options.mode;
      if (mode !== undefined) {
        if (String(mode) !== "byob") {
          throw new TypeError("mode must be undefined or 'byob' in call to getReader().");
        }
        return new ReadableStreamBYOBReader(this);
      }
    }
    return new ReadableStreamDefaultReader(this);
  }

  pipeThrough(transform = noArg, options = undefined) {
    const rs = this.#rs;
    const readable = isObject(transform) ? transform.readable : undefined;
    const writable = isObject(transform) ? transform.writable : undefined;
    const ws = wsOf(writable);
    if (rsOf(readable) === null || ws === null) {
      throw new TypeError(
        "Failed to execute 'pipeThrough' on 'ReadableStream': parameter 1 is not of type 'ReadableWritablePair'.",
      );
    }
    if (rs.lock !== null) throw new TypeError("This ReadableStream is currently locked to a reader.");
    if (ws.lock !== null) throw new TypeError("This WritableStream is currently locked to a writer.");
    handled(pipeStreams(rs, ws, pipeOptions(options), true));
    return readable;
  }

  pipeTo(destination = noArg, options = undefined) {
    const rs = this.#rs;
    const ws = wsOf(destination);
    if (ws === null) {
      return rejected(
        new TypeError("Failed to execute 'pipeTo' on 'ReadableStream': parameter 1 is not of type 'WritableStream'."),
      );
    }
    if (rs.lock !== null) return rejected(new TypeError("This ReadableStream is currently locked to a reader."));
    if (ws.lock !== null) return rejected(new TypeError("This WritableStream is currently locked to a writer"));
    let opts;
    try {
      opts = pipeOptions(options);
    } catch (e) {
      return rejected(e);
    }
    return pipeStreams(rs, ws, opts, false);
  }

  tee() {
    const rs = this.#rs;
    if (rs.lock !== null) throw new TypeError("This ReadableStream is currently locked to a reader,");
    rs.lock = LOCKED;
    rs.disturbed = true;
    const a = new ReadableStream(streamsToken);
    const b = new ReadableStream(streamsToken);
    const ra = a.#rs;
    const rb = b.#rs;
    if (rs.state === "readable") {
      [ra.impl, rb.impl] = rs.impl.tee(ra, rb);
      if (rs.impl instanceof InternalReadable) ra.length = rb.length = rs.length;
      rs.state = "closed";
      rs.impl = null;
    } else {
      for (const r of [ra, rb]) {
        r.state = rs.state;
        r.error = rs.error;
      }
    }
    return [a, b];
  }

  values(options = undefined) {
    const preventCancel = options !== undefined && options !== null && !!options.preventCancel;
    const reader = new ReadableStreamDefaultReader(this);
    const it = Object.create(asyncIteratorProto());
    Object.defineProperty(it, "_state", { value: { reader, preventCancel, done: false, ongoing: null } });
    return it;
  }

  [asyncIteratorSymbol](options = undefined) {
    return this.values(options);
  }

  static from(iterable = noArg) {
    return readableFrom(iterable);
  }
}
setToStringTag(ReadableStream);
exposeClass(ReadableStream);

function setupJsReadable(rs, src, strategy) {
  let bytes = false;
  if (src.type !== undefined) {
    const t = String(src.type);
    if (t === "bytes") bytes = true;
    else if (t !== "") throw new TypeError(`"${t}" is not a valid type of ReadableStream.`);
  }
  if (src.expectedLength !== undefined) rs.length = Number(src.expectedLength);
  const hwm = strategyHighWaterMark(strategy, bytes ? 0 : 1);
  if (bytes) {
    const controller = new ReadableByteStreamController(streamsToken, src, hwm);
    const n = src.autoAllocateChunkSize === undefined ? 4096 : Math.trunc(Number(src.autoAllocateChunkSize));
    if (!(n > 0)) throw new TypeError("The autoAllocateChunkSize option cannot be zero.");
    const impl = byteControllerImpl(controller);
    rs.impl = new JsReadable(rs, impl, null, n);
    setupController(impl, src);
    return;
  }
  const controller = new ReadableStreamDefaultController(streamsToken, src, hwm, strategySize(strategy, "ReadableStream"));
  const impl = defaultControllerImpl(controller);
  rs.impl = new JsReadable(rs, impl, null, 0);
  setupController(impl, src);
}

// The async iterator of values() and for await.
function iteratorProtoAsync(name) {
  let proto = null;
  return () => (proto ??= makeAsyncIteratorProto(name));
}

function makeAsyncIteratorProto(name) {
  const proto = {
    next() {
      const st = this._state;
      const step = () => {
        if (st.done) return { value: undefined, done: true };
        return st.reader.read().then((r) => {
          if (r.done) {
            st.done = true;
            st.reader.releaseLock();
            return { value: undefined, done: true };
          }
          return { value: r.value, done: false };
        });
      };
      st.ongoing = st.ongoing === null ? Promise.resolve(step()) : st.ongoing.then(step, step);
      return st.ongoing;
    },
    return(value = undefined) {
      const st = this._state;
      if (st.done) return Promise.resolve({ value, done: true });
      st.done = true;
      const reader = st.reader;
      if (!st.preventCancel) {
        const p = reader.cancel(value);
        reader.releaseLock();
        return handled(p.then(() => ({ value, done: true })));
      }
      reader.releaseLock();
      return Promise.resolve({ value, done: true });
    },
    [asyncIteratorSymbol]() {
      return this;
    },
  };
  for (const k of ["next", "return"]) Object.defineProperty(proto, k, { enumerable: false });
  Object.defineProperty(proto, Symbol.toStringTag, { value: name, configurable: true });
  return proto;
}

// readableFrom is ReadableStream.from: an async iterable, or a sync iterable
// whose values are awaited.
function readableFrom(iterable) {
  const asyncMethod = isObject(iterable) ? iterable[asyncIteratorSymbol] : undefined;
  let it;
  let sync = false;
  if (asyncMethod !== undefined && asyncMethod !== null) {
    it = asyncMethod.call(iterable);
  } else {
    const m = iterable === null || iterable === undefined ? undefined : iterable[Symbol.iterator];
    if (typeof m !== "function") {
      throw new TypeError("Failed to execute 'from' on 'ReadableStream': parameter 1 is not iterable.");
    }
    it = m.call(iterable);
    sync = true;
  }
  if (!isObject(it)) throw new TypeError("The iterator is not an object.");
  const next = it.next;
  const step = () => {
    const r = next.call(it);
    if (!sync) return Promise.resolve(r);
    if (!isObject(r)) throw new TypeError("The iterator result is not an object.");
    return Promise.resolve(r.value).then((value) => ({ value, done: r.done }));
  };
  return new ReadableStream(
    {
      pull(c) {
        return step().then((r) => {
          if (!isObject(r)) throw new TypeError("The iterator result is not an object.");
          if (r.done) c.close();
          else c.enqueue(r.value);
        });
      },
      cancel(reason) {
        const ret = it.return;
        if (ret === undefined || ret === null) return undefined;
        return Promise.resolve(ret.call(it, reason)).then((r) => {
          if (!isObject(r)) throw new TypeError("The iterator result is not an object.");
        });
      },
    },
    { highWaterMark: 0 },
  );
}
