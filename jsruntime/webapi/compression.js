// CompressionStream and DecompressionStream (workerd
// api/streams/compression.c++): internal byte transforms whose writes are
// compressed or decompressed at once (by Go's compress/* through the
// zlib natives of compression.go) into an output buffer the readable side
// reads from.

function compressionFormat(format) {
  const f = format === noArg ? "undefined" : String(format);
  if (f !== "gzip" && f !== "deflate" && f !== "deflate-raw") {
    throw new TypeError("The compression format must be either 'deflate', 'deflate-raw' or 'gzip'.");
  }
  return f;
}

class CompressionImpl {
  constructor(handle) {
    this.h = handle;
    this.output = []; // Uint8Arrays not read yet
    this.outLen = 0;
    this.state = "open"; // "ended", "errored"
    this.error = undefined;
    this.pending = null; // {dest, atLeast, filled, d}
  }
  // The sink side.
  write(u8) {
    if (this.state === "ended") return rejected(new Error("Write after close."));
    if (this.state === "errored") return rejected(this.error);
    return this.pump(() => host.zlibWrite(this.h, u8));
  }
  close() {
    if (this.state === "errored") return rejected(this.error);
    this.state = "ended";
    return this.pump(() => host.zlibEnd(this.h));
  }
  abort(reason) {
    this.fail(reason);
  }
  pump(step) {
    let out;
    try {
      out = step();
    } catch (e) {
      this.fail(e);
      return rejected(e);
    }
    if (out.byteLength > 0) {
      this.output.push(new Uint8Array(out));
      this.outLen += out.byteLength;
    }
    this.fulfill();
    return resolvedUndefined();
  }
  fail(e) {
    if (this.state === "errored") return;
    this.state = "errored";
    this.error = e;
    this.output = [];
    this.outLen = 0;
    host.zlibClose(this.h);
    const p = this.pending;
    this.pending = null;
    if (p !== null) p.d.reject(e);
  }
  // The source side.
  tryRead(dest, atLeast) {
    if (this.state === "errored") return rejected(this.error);
    if (this.outLen >= atLeast || this.state === "ended") return Promise.resolve(this.take(dest, 0));
    const p = { dest, atLeast, filled: this.take(dest, 0), d: newDeferred() };
    this.pending = p;
    return p.d.promise;
  }
  cancel(reason) {
    this.fail(reason);
  }
  take(dest, at) {
    let n = 0;
    while (this.output.length > 0 && at + n < dest.byteLength) {
      const c = this.output[0];
      const m = Math.min(c.byteLength, dest.byteLength - at - n);
      dest.set(c.subarray(0, m), at + n);
      n += m;
      this.outLen -= m;
      if (m === c.byteLength) this.output.shift();
      else this.output[0] = c.subarray(m);
    }
    return n;
  }
  fulfill() {
    const p = this.pending;
    if (p === null) return;
    p.filled += this.take(p.dest, p.filled);
    if (p.filled >= p.atLeast || this.state === "ended") {
      this.pending = null;
      p.d.resolve(p.filled);
    }
  }
}

class CompressionStream extends TransformStream {
  constructor(format = noArg) {
    super(streamsToken);
    const f = compressionFormat(format);
    const [r, w] = newInternalPair(new CompressionImpl(host.zlibNew(true, f)), undefined, undefined);
    setTransformSides(this, r, w);
  }
}
setToStringTag(CompressionStream);
exposeClass(CompressionStream);

class DecompressionStream extends TransformStream {
  constructor(format = noArg) {
    super(streamsToken);
    const f = compressionFormat(format);
    const [r, w] = newInternalPair(new CompressionImpl(host.zlibNew(false, f)), undefined, undefined);
    setTransformSides(this, r, w);
  }
}
setToStringTag(DecompressionStream);
exposeClass(DecompressionStream);
