// What Request and Response need of streams (streamsApi, see prelude.js):
// body streams over buffered bytes, reading a whole body (workerd's
// readAllBytes), moving a body to a new owner (detach), and the pump the Go
// side reads a streaming Response body through (bodystream.go).

const bytesNotReturned = () => new TypeError("This ReadableStream did not return bytes.");

Object.assign(streamsApi, {
  isStream: (v) => rsOf(v) !== null,
  isDisturbed: (s) => rsOf(s).disturbed,
  isLocked: (s) => rsOf(s).lock !== null,
  length: (s) => rsOf(s).length,

  // fromBytes is the stream of a buffered body.
  fromBytes: (u8) => newInternalStream(new MemorySource(u8), u8.byteLength),

  // fromSource is the stream of a body read from a source (a fetch()
  // response); length is its known length in bytes, if any.
  fromSource: (src, length) => newInternalStream(src, length),

  // usedStream is the stream of a buffered body that was read whole: closed,
  // disturbed and locked, as workerd leaves a body stream after text().
  usedStream() {
    const s = newInternalStream(new MemorySource(new Uint8Array(0)), 0);
    const rs = rsOf(s);
    rs.disturbed = true;
    rs.lock = LOCKED;
    readableDoClose(rs);
    return s;
  },

  // takeBuffered returns the bytes of a body stream that is still just its
  // buffer (not read, not locked), consuming the stream; else null.
  takeBuffered(s) {
    const rs = rsOf(s);
    if (rs.disturbed || rs.lock !== null || rs.state !== "readable") return null;
    const impl = rs.impl;
    if (!(impl instanceof InternalReadable) || !(impl.source instanceof MemorySource)) return null;
    const src = impl.source;
    const bytes = src.bytes.subarray(src.offset);
    rs.disturbed = true;
    rs.lock = LOCKED;
    readableDoClose(rs);
    return bytes;
  },

  // readAll reads a whole stream into one Uint8Array, leaving it locked and
  // disturbed.
  readAll(s) {
    const rs = rsOf(s);
    if (rs.lock !== null) return rejected(new TypeError("This ReadableStream is currently locked to a reader."));
    const taken = streamsApi.takeBuffered(s);
    if (taken !== null) return Promise.resolve(taken);
    rs.disturbed = true;
    if (rs.state === "closed") return Promise.resolve(new Uint8Array(0));
    if (rs.state === "errored") return rejected(rs.error);
    rs.lock = LOCKED;
    const parts = [];
    const step = () =>
      readableRead(rs, undefined).then((r) => {
        if (r.done) return concatBytes(parts.length === 0 ? [new Uint8Array(0)] : parts);
        const u8 = byteView(r.value);
        if (u8 === null) {
          const e = bytesNotReturned();
          return readableCancel(rs, e).then(() => {
            throw e;
          });
        }
        if (u8.byteLength > 0) parts.push(u8);
        return step();
      });
    return step();
  },

  // detach moves a stream's contents to a new stream (new Request(request)),
  // leaving the old one locked, disturbed and closed.
  detach(s) {
    const rs = rsOf(s);
    const impl = rs.impl;
    const out = newStreamWithImpl((nrs) => {
      nrs.state = rs.state;
      nrs.error = rs.error;
      if (impl !== null) impl.rs = nrs;
      return impl;
    }, rs.length);
    rs.impl = null;
    rs.lock = LOCKED;
    rs.disturbed = true;
    rs.state = "closed";
    return out;
  },

  // pump locks a Response body for the Go side to read: read(cb) calls
  // cb(bytes) with the next non-empty chunk, cb() at the end, or
  // cb(undefined, error); cancel(reason) cancels the stream.
  pump(s) {
    const rs = rsOf(s);
    rs.lock = LOCKED;
    rs.disturbed = true;
    let cb = null;
    const onRead = (r) => {
      if (r.done) return cb();
      const u8 = byteView(r.value);
      if (u8 === null) {
        const e = bytesNotReturned();
        handled(readableCancel(rs, e));
        return cb(undefined, e);
      }
      if (u8.byteLength === 0) return Promise.resolve().then(step);
      return cb(u8);
    };
    const onError = (e) => cb(undefined, e);
    // A value stream's consumer takes the callbacks as its read request
    // (no promise per chunk); they may run at once, or when a chunk comes.
    const request = { resolve: onRead, reject: onError };
    const step = () => {
      const impl = rs.impl;
      if (rs.state === "readable" && impl instanceof JsReadable && !impl.isBytes) {
        rs.disturbed = true;
        impl.consumer.read(request);
        return;
      }
      readableRead(rs, undefined).then(onRead, onError);
    };
    return {
      read(callback) {
        cb = callback;
        step();
      },
      cancel(reason) {
        if (rs.state === "readable") handled(readableCancel(rs, reason));
      },
    };
  },
});
