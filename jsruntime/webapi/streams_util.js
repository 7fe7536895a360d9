// Helpers of the streams tier (streams_*.js, compression.js): promises with
// their resolvers, algorithm calls, queuing strategies, and buffer transfer.
// The streams follow workerd's implementation of the WHATWG Streams
// Standard (api/streams/*.c++): its queues, its messages, and its
// "internal" byte streams beside the JavaScript-backed "standard" ones.

const noop = () => {};

// newDeferred returns a promise with its resolve and reject. settled is
// kept by dResolve and dReject, for the promises that need it (a reader's
// closed, a writer's ready).
function newDeferred() {
  const d = { promise: null, resolve: null, reject: null, settled: false };
  d.promise = new Promise((res, rej) => {
    d.resolve = res;
    d.reject = rej;
  });
  return d;
}

function dResolve(d, v) {
  d.settled = true;
  d.resolve(v);
}

function dReject(d, e) {
  d.settled = true;
  d.reject(e);
}

// handled marks a promise as handled (no unhandled-rejection report) and
// returns it.
function handled(p) {
  p.then(undefined, noop);
  return p;
}

const rejected = (e) => Promise.reject(e);
const rejectedHandled = (e) => handled(Promise.reject(e));
const resolvedUndefined = () => Promise.resolve(undefined);

// runAlgorithm calls fn on thisArg with the arguments args as workerd's
// maybeRunAlgorithm does: a missing algorithm is a success now, a
// synchronous throw becomes a rejection, and the result is settled through
// onOk/onErr in a reaction. runAlgorithm1 and runAlgorithm2 are the same
// with one and two arguments (the hot paths: pull, write, transform).
// settledPromise is the promise runAlgorithm chains from when an algorithm
// returns undefined (most do): one promise less per call. Never handed to
// scripts.
const settledPromise = Promise.resolve(undefined);
const promiseOf = (r) => (r === undefined ? settledPromise : Promise.resolve(r));

function runAlgorithm(fn, thisArg, args, onOk, onErr) {
  if (typeof fn !== "function") {
    onOk();
    return Promise.resolve(undefined);
  }
  let r;
  try {
    r = fn.apply(thisArg, args);
  } catch (e) {
    return Promise.reject(e).then(onOk, onErr);
  }
  return promiseOf(r).then(onOk, onErr);
}

function runAlgorithm1(fn, thisArg, a, onOk, onErr) {
  if (typeof fn !== "function") {
    onOk();
    return Promise.resolve(undefined);
  }
  let r;
  try {
    r = fn.call(thisArg, a);
  } catch (e) {
    return Promise.reject(e).then(onOk, onErr);
  }
  return promiseOf(r).then(onOk, onErr);
}

function runAlgorithm2(fn, thisArg, a, b, onOk, onErr) {
  if (typeof fn !== "function") {
    onOk();
    return Promise.resolve(undefined);
  }
  let r;
  try {
    r = fn.call(thisArg, a, b);
  } catch (e) {
    return Promise.reject(e).then(onOk, onErr);
  }
  return promiseOf(r).then(onOk, onErr);
}

// methodOf reads an optional callback member of a dictionary (a source,
// sink or transformer) and checks that it is callable.
function methodOf(dict, name, what) {
  if (dict === undefined || dict === null) return undefined;
  const f = dict[name];
  if (f === undefined || f === null) return undefined;
  if (typeof f !== "function") {
    throw new TypeError(`Failed to construct '${what}': member ${name} is not a function.`);
  }
  return f;
}

// Queuing strategies (workerd StreamQueuingStrategy: an integer
// highWaterMark and a size function).
function strategyHighWaterMark(strategy, defaultHWM) {
  if (strategy === undefined || strategy === null) return defaultHWM;
  const v = strategy.highWaterMark;
  if (v === undefined) return defaultHWM;
  const n = Number(v);
  if (Number.isNaN(n) || n < 0) throw new RangeError("Invalid highWaterMark");
  return n === Infinity ? n : Math.trunc(n);
}

function strategySize(strategy, what) {
  if (strategy === undefined || strategy === null) return undefined;
  const f = strategy.size;
  if (f === undefined || f === null) return undefined;
  if (typeof f !== "function") {
    throw new TypeError(`Failed to construct '${what}': member size is not a function.`);
  }
  return (chunk) => {
    const n = Number(f.call(undefined, chunk));
    if (Number.isNaN(n) || n < 0 || n === Infinity) throw new RangeError("Invalid size");
    return Math.trunc(n);
  };
}

class ByteLengthQueuingStrategy {
  #hwm;
  constructor(init = noArg) {
    if (init === noArg || init === undefined || init === null || init.highWaterMark === undefined) {
      throw new TypeError(
        "Failed to construct 'ByteLengthQueuingStrategy': required member highWaterMark is undefined.",
      );
    }
    this.#hwm = Number(init.highWaterMark);
  }
  get highWaterMark() {
    return this.#hwm;
  }
  get size() {
    return byteLengthSize;
  }
}
// size reads the byteLength of any object (workerd: GetV(chunk, "byteLength")).
const byteLengthSize = {
  size(chunk = undefined) {
    if (isObject(chunk)) {
      const n = chunk.byteLength;
      if (typeof n === "number") return n;
    }
    return undefined;
  },
}.size;
setToStringTag(ByteLengthQueuingStrategy);
exposeClass(ByteLengthQueuingStrategy);

class CountQueuingStrategy {
  #hwm;
  constructor(init = noArg) {
    if (init === noArg || init === undefined || init === null || init.highWaterMark === undefined) {
      throw new TypeError(
        "Failed to construct 'CountQueuingStrategy': required member highWaterMark is undefined.",
      );
    }
    this.#hwm = Number(init.highWaterMark);
  }
  get highWaterMark() {
    return this.#hwm;
  }
  get size() {
    return countSize;
  }
}
const countSize = {
  size() {
    return 1;
  },
}.size;
setToStringTag(CountQueuingStrategy);
exposeClass(CountQueuingStrategy);

// transferView detaches the buffer of a view (or an ArrayBuffer) and returns
// a Uint8Array over the same bytes in a new ArrayBuffer, as V8's
// ArrayBuffer::Detach on a transfer does.
function transferBytes(v) {
  if (v instanceof ArrayBuffer) return new Uint8Array(host.transferBuffer(v));
  const off = v.byteOffset;
  const len = v.byteLength;
  return new Uint8Array(host.transferBuffer(v.buffer), off, len);
}

// transferViewOf is transferBytes for a typed array or DataView that keeps
// the view's type; it returns {buffer, byteOffset, byteLength, ctor,
// elementSize}.
function transferViewOf(view) {
  const ctor = view instanceof DataView ? DataView : view.constructor;
  const elementSize = view instanceof DataView ? 1 : view.BYTES_PER_ELEMENT;
  const byteOffset = view.byteOffset;
  const byteLength = view.byteLength;
  return { buffer: host.transferBuffer(view.buffer), byteOffset, byteLength, ctor, elementSize };
}

const isDetached = (ab) => host.isDetached(ab);

// makeView builds a view of type ctor over len bytes at off of buffer.
function makeView(ctor, buffer, off, len, elementSize) {
  if (ctor === DataView) return new DataView(buffer, off, len);
  return new ctor(buffer, off, Math.floor(len / elementSize));
}

const isBufferSource = (v) => v instanceof ArrayBuffer || ArrayBuffer.isView(v);
