// ReadableStreamDefaultReader and ReadableStreamBYOBReader (workerd
// api/streams/readable.c++ ReaderImpl). A reader's record {rs, closed,
// released} is the lock of the stream it reads.

function attachReader(rs, byob) {
  const rd = { rs, closed: newDeferred(), released: false, byob };
  handled(rd.closed.promise);
  if (rs.state === "closed") dResolve(rd.closed, undefined);
  else if (rs.state === "errored") dReject(rd.closed, rs.error);
  rs.lock = rd;
  return rd;
}

const readerReleased = () => new TypeError("This ReadableStream reader has been released.");

function releaseReader(rd) {
  if (rd.released) return;
  const rs = rd.rs;
  if (rs.lock !== rd) {
    rd.released = true;
    return;
  }
  if (rs.state === "readable" && rs.impl instanceof InternalReadable && rs.impl.hasPendingReads()) {
    throw new TypeError("Cannot call releaseLock() on a reader with outstanding read promises.");
  }
  const reason = readerReleased();
  if (rs.state === "readable") rs.impl.cancelPendingReads(reason);
  if (!rd.closed.settled) dReject(rd.closed, reason);
  rs.lock = null;
  rd.released = true;
}

function readerCancel(rd, reason) {
  if (rd.released) return rejected(readerReleased());
  return readableCancel(rd.rs, reason);
}

let readerRecord;

class ReadableStreamDefaultReader {
  #rd;
  constructor(stream = noArg) {
    const rs = rsOf(stream);
    if (rs === null) {
      throw new TypeError(
        "Failed to construct 'ReadableStreamDefaultReader': parameter 1 is not of type 'ReadableStream'.",
      );
    }
    if (rs.lock !== null) throw new TypeError("This ReadableStream is currently locked to a reader.");
    this.#rd = attachReader(rs, false);
  }
  static {
    readerRecord = (r) => r.#rd;
  }
  get closed() {
    return this.#rd.closed.promise;
  }
  read() {
    const rd = this.#rd;
    if (rd.released) return rejected(readerReleased());
    return readableRead(rd.rs, undefined);
  }
  cancel(reason = undefined) {
    return readerCancel(this.#rd, reason);
  }
  releaseLock() {
    releaseReader(this.#rd);
  }
}
setToStringTag(ReadableStreamDefaultReader);
exposeClass(ReadableStreamDefaultReader);

class ReadableStreamBYOBReader {
  #rd;
  constructor(stream = noArg) {
    const rs = rsOf(stream);
    if (rs === null) {
      throw new TypeError(
        "Failed to construct 'ReadableStreamBYOBReader': parameter 1 is not of type 'ReadableStream'.",
      );
    }
    if (rs.lock !== null) throw new TypeError("This ReadableStream is currently locked to a reader.");
    if (rs.state === "readable" && !rs.impl.isBytes) {
      throw new TypeError("This ReadableStream does not support BYOB reads.");
    }
    this.#rd = attachReader(rs, true);
  }
  get closed() {
    return this.#rd.closed.promise;
  }
  read(view = noArg, options = undefined) {
    let min = 1;
    if (options !== undefined && options !== null && options.min !== undefined) min = Number(options.min);
    return this.#read(view, min);
  }
  // readAtLeast is workerd's: read(view, {min: minElements}).
  readAtLeast(minElements = noArg, view = noArg) {
    return this.#read(view, Number(minElements));
  }
  #read(view, minElements) {
    if (!ArrayBuffer.isView(view)) {
      return rejected(
        new TypeError(
          "Failed to execute 'read' on 'ReadableStreamBYOBReader': parameter 1 is not of type 'ArrayBufferView'.",
        ),
      );
    }
    const rd = this.#rd;
    if (rd.released) return rejected(readerReleased());
    const byteLength = view.byteLength;
    if (byteLength === 0) {
      return rejected(
        new TypeError('You must call read() on a "byob" reader with a positive-sized TypedArray object.'),
      );
    }
    let atLeast = Math.trunc(minElements);
    if (!(atLeast > 0)) {
      return rejected(new TypeError(`Requested invalid minimum number of bytes to read (${atLeast}).`));
    }
    const tooMany = () =>
      rejected(new TypeError(`Minimum bytes to read (${atLeast}) exceeds size of buffer (${byteLength}).`));
    if (atLeast > byteLength) return tooMany();
    atLeast *= view instanceof DataView ? 1 : view.BYTES_PER_ELEMENT;
    if (atLeast > byteLength) return tooMany();
    return readableRead(rd.rs, { view, atLeast });
  }
  cancel(reason = undefined) {
    return readerCancel(this.#rd, reason);
  }
  releaseLock() {
    releaseReader(this.#rd);
  }
}
setToStringTag(ReadableStreamBYOBReader);
exposeClass(ReadableStreamBYOBReader);
