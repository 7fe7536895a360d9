// workerd's "internal" byte streams (api/streams/internal.c++): the bodies of
// Requests and Responses, IdentityTransformStream, FixedLengthStream and the
// compression streams. The readable side reads a source one request at a
// time into a buffer (4096 bytes for a default read); the writable side
// takes only bytes and writes them to a sink in order.
//
// A source has tryRead(u8, atLeast) -> Promise<bytes read, 0 at the end>
// and cancel(reason). A sink has write(u8) -> Promise, close() -> Promise
// and abort(reason).

const defaultReadSize = 4096;

class InternalReadable {
  constructor(rs, source) {
    this.rs = rs;
    this.source = source;
    this.readPending = false;
  }
  get isBytes() {
    return true;
  }
  read(byob) {
    if (this.readPending) {
      return rejected(new TypeError("This ReadableStream only supports a single pending read request at a time."));
    }
    let buffer, off, len;
    let atLeast = 1;
    if (byob !== undefined) {
      const t = transferViewOf(byob.view);
      buffer = t.buffer;
      off = t.byteOffset;
      len = t.byteLength;
      atLeast = byob.atLeast;
    } else {
      len = defaultReadSize;
      buffer = new ArrayBuffer(len);
      off = 0;
    }
    this.readPending = true;
    let p;
    try {
      p = this.source.tryRead(new Uint8Array(buffer, off, len), atLeast);
    } catch (e) {
      p = rejected(e);
    }
    return p.then(
      (n) => {
        this.readPending = false;
        if (n === 0) {
          readableDoClose(this.rs);
          return byob !== undefined ? { value: new Uint8Array(buffer, off, 0), done: true } : { value: undefined, done: true };
        }
        return { value: new Uint8Array(buffer, off, n), done: false };
      },
      (e) => {
        this.readPending = false;
        readableDoError(this.rs, e);
        throw e;
      },
    );
  }
  cancel(reason) {
    this.source.cancel(reason);
    return resolvedUndefined();
  }
  cancelPendingReads() {}
  hasPendingReads() {
    return this.readPending;
  }
  tee(rs1, rs2) {
    const [a, b] = teeSource(this.source);
    return [new InternalReadable(rs1, a), new InternalReadable(rs2, b)];
  }
}

// newInternalStream makes a ReadableStream reading source; length is its
// known length in bytes, if any.
const newInternalStream = (source, length = undefined) =>
  newStreamWithImpl((rs) => new InternalReadable(rs, source), length);

// A MemorySource reads a buffered body.
class MemorySource {
  constructor(u8) {
    this.bytes = u8;
    this.offset = 0;
  }
  tryRead(dest) {
    const n = Math.min(dest.byteLength, this.bytes.byteLength - this.offset);
    if (n > 0) {
      dest.set(this.bytes.subarray(this.offset, this.offset + n));
      this.offset += n;
    }
    return Promise.resolve(n);
  }
  cancel() {
    this.bytes = new Uint8Array(0);
    this.offset = 0;
  }
}

// teeSource splits a source: each branch gets every byte; the slower branch
// keeps what the faster one read ahead.
function teeSource(src) {
  if (src instanceof MemorySource) {
    const rest = src.bytes.subarray(src.offset);
    return [new MemorySource(rest), new MemorySource(rest)];
  }
  const shared = { src, reading: null, done: false, errored: false, error: undefined, branches: [] };
  const a = new TeeBranch(shared);
  const b = new TeeBranch(shared);
  shared.branches = [a, b];
  return [a, b];
}

class TeeBranch {
  constructor(shared) {
    this.shared = shared;
    this.chunks = [];
    this.offset = 0;
    this.live = true;
  }
  async tryRead(dest, atLeast) {
    const sh = this.shared;
    let filled = 0;
    for (;;) {
      filled += this.take(dest, filled);
      if (filled >= atLeast || filled === dest.byteLength) return filled;
      if (sh.errored) throw sh.error;
      if (sh.done) return filled;
      await this.fetch();
    }
  }
  take(dest, at) {
    let n = 0;
    while (this.chunks.length > 0 && at + n < dest.byteLength) {
      const c = this.chunks[0];
      const m = Math.min(c.byteLength - this.offset, dest.byteLength - at - n);
      dest.set(c.subarray(this.offset, this.offset + m), at + n);
      n += m;
      this.offset += m;
      if (this.offset === c.byteLength) {
        this.chunks.shift();
        this.offset = 0;
      }
    }
    return n;
  }
  fetch() {
    const sh = this.shared;
    if (sh.reading !== null) return sh.reading;
    const buf = new Uint8Array(defaultReadSize);
    sh.reading = sh.src.tryRead(buf, 1).then(
      (n) => {
        sh.reading = null;
        if (n === 0) sh.done = true;
        else for (const b of sh.branches) if (b.live) b.chunks.push(buf.subarray(0, n));
      },
      (e) => {
        sh.reading = null;
        sh.errored = true;
        sh.error = e;
      },
    );
    return sh.reading;
  }
  cancel(reason) {
    this.live = false;
    this.chunks = [];
    const sh = this.shared;
    if (sh.branches.every((b) => !b.live)) sh.src.cancel(reason);
  }
}

// An IdentityPipe is both the source and the sink of an
// IdentityTransformStream: a write waits until reads took all its bytes. A
// FixedLengthStream's pipe has a limit.
class IdentityPipe {
  constructor(limit = undefined) {
    this.limit = limit;
    this.state = { kind: "idle" }; // "read", "write", "errored", "closed"
  }
  async tryRead(dest, atLeast) {
    let total = 0;
    while (total < atLeast) {
      const n = await this.readOnce(dest.subarray(total));
      if (n === 0) break;
      total += n;
    }
    return total;
  }
  readOnce(dest) {
    const p = this.readHelper(dest);
    if (this.limit === undefined) return p;
    return p.then((n) => {
      if (n > this.limit) {
        const e = new TypeError("Attempt to write too many bytes through a FixedLengthStream.");
        this.cancel(e);
        throw e;
      }
      if (n === 0 && this.limit !== 0) {
        const e = new TypeError("FixedLengthStream did not see all expected bytes before close().");
        this.cancel(e);
        throw e;
      }
      this.limit -= n;
      return n;
    });
  }
  readHelper(dest) {
    const st = this.state;
    switch (st.kind) {
      case "idle": {
        const d = newDeferred();
        this.state = { kind: "read", dest, d };
        return d.promise;
      }
      case "write": {
        const n = Math.min(dest.byteLength, st.bytes.byteLength);
        dest.set(st.bytes.subarray(0, n));
        if (n === st.bytes.byteLength) {
          this.state = { kind: "idle" };
          st.d.resolve(undefined);
        } else {
          st.bytes = st.bytes.subarray(n);
        }
        return Promise.resolve(n);
      }
      case "errored":
        return rejected(st.error);
      case "closed":
        return Promise.resolve(0);
    }
    return rejected(new Error("read operation already in flight"));
  }
  write(bytes) {
    if (bytes.byteLength === 0) return resolvedUndefined();
    return this.writeHelper(bytes);
  }
  close() {
    if (this.state.kind === "closed") return resolvedUndefined();
    return this.writeHelper(new Uint8Array(0));
  }
  writeHelper(bytes) {
    const st = this.state;
    switch (st.kind) {
      case "idle":
        if (bytes.byteLength === 0) {
          this.state = { kind: "closed" };
          return resolvedUndefined();
        }
        return this.pendWrite(bytes);
      case "read": {
        if (bytes.byteLength === 0) {
          this.state = { kind: "closed" };
          st.d.resolve(0);
          return resolvedUndefined();
        }
        const n = Math.min(st.dest.byteLength, bytes.byteLength);
        st.dest.set(bytes.subarray(0, n));
        this.state = { kind: "idle" };
        st.d.resolve(n);
        if (n === bytes.byteLength) return resolvedUndefined();
        return this.pendWrite(bytes.subarray(n));
      }
      case "errored":
        return rejected(st.error);
    }
    return rejected(new Error("write operation already in flight"));
  }
  pendWrite(bytes) {
    const d = newDeferred();
    this.state = { kind: "write", bytes, d };
    return d.promise;
  }
  cancel(reason) {
    const st = this.state;
    if (st.kind === "errored" || st.kind === "closed") return;
    if (st.kind === "read") st.d.resolve(0);
    else if (st.kind === "write") st.d.reject(reason);
    this.state = { kind: "errored", error: reason };
  }
  abort(reason) {
    const st = this.state;
    if (st.kind === "errored") return;
    if (st.kind === "read") st.d.reject(reason);
    else if (st.kind === "write") st.d.reject(reason);
    this.state = { kind: "errored", error: reason };
  }
}

const notBytesString =
  "This TransformStream is being used as a byte stream, but received a string on its writable side. If you wish to write a string, you'll probably want to explicitly UTF-8-encode it with TextEncoder.";
const notBytesObject =
  "This TransformStream is being used as a byte stream, but received an object of non-ArrayBuffer/ArrayBufferView type on its writable side.";

// InternalWritable writes bytes to a sink in order (workerd
// WritableStreamInternalController). Without a highWaterMark its desiredSize
// is always 1; with one, it counts the bytes not yet written.
class InternalWritable {
  constructor(ws, sink, hwm) {
    this.ws = ws;
    this.sink = sink;
    this.hwm = hwm;
    this.queue = [];
    this.writing = false;
    this.buffered = 0;
  }
  get started() {
    return true;
  }
  closingOrClosed() {
    const q = this.queue;
    return this.ws.state === "closed" || (q.length > 0 && q[q.length - 1].kind === "close");
  }
  desiredSize() {
    const st = this.ws.state;
    if (st === "closed") return 0;
    if (st === "errored") return null;
    return this.hwm === undefined ? 1 : this.hwm - this.buffered;
  }
  write(chunk) {
    const ws = this.ws;
    if (this.closingOrClosed()) return rejected(new TypeError("This WritableStream has been closed."));
    if (ws.state === "errored") return rejected(ws.error);
    if (chunk === undefined) return resolvedUndefined();
    if (typeof chunk === "string") return rejected(new TypeError(notBytesString));
    const u8 = byteView(chunk);
    if (u8 === null) return rejected(new TypeError(notBytesObject));
    if (u8.byteLength === 0) return resolvedUndefined();
    const d = newDeferred();
    this.adjust(u8.byteLength);
    this.queue.push({ kind: "write", bytes: u8, d });
    this.run();
    return d.promise;
  }
  close() {
    const ws = this.ws;
    if (this.closingOrClosed()) return resolvedUndefined();
    if (ws.state === "errored") return rejected(ws.error);
    const d = newDeferred();
    this.queue.push({ kind: "close", d });
    this.run();
    return d.promise;
  }
  abort(reason) {
    if (this.ws.state !== "writable") return resolvedUndefined();
    this.sink.abort(reason);
    this.drain(reason);
    return resolvedUndefined();
  }
  // error is the pipe's way to error the destination.
  error(reason) {
    this.abort(reason);
  }
  drain(reason) {
    const q = this.queue;
    this.queue = [];
    for (const ev of q) ev.d.reject(reason);
    writableDoError(this.ws, reason);
  }
  adjust(n) {
    this.buffered += n;
    if (this.hwm !== undefined) writableUpdateBackpressure(this.ws, this.hwm - this.buffered <= 0);
  }
  async run() {
    if (this.writing) return;
    this.writing = true;
    while (this.queue.length > 0 && this.ws.state === "writable") {
      const ev = this.queue[0];
      try {
        if (ev.kind === "write") {
          await this.sink.write(ev.bytes);
          this.adjust(-ev.bytes.byteLength);
        } else {
          await this.sink.close();
        }
      } catch (e) {
        if (this.queue[0] === ev) {
          this.queue.shift();
          ev.d.reject(e);
        }
        if (this.ws.state === "writable") this.drain(e);
        break;
      }
      if (this.queue[0] !== ev) continue; // aborted meanwhile
      this.queue.shift();
      ev.d.resolve(undefined);
      if (ev.kind === "close") writableDoClose(this.ws);
    }
    this.writing = false;
  }
}

// newInternalPair makes the readable and writable sides of an internal
// transform over impl (a source and sink in one object).
function newInternalPair(impl, length, hwm) {
  const readable = newInternalStream(impl, length);
  const writable = newWritableWithImpl((ws) => new InternalWritable(ws, impl, hwm));
  return [readable, writable];
}
