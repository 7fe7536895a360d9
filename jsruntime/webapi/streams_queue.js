// The queues behind JavaScript-backed ReadableStreams, after workerd's
// api/streams/queue.c++. A controller owns one StreamQueue; every stream
// reading from it (two after a tee) owns a Consumer with its own buffer and
// read requests, so tee branches share chunks instead of copying them.
// Backpressure is the largest consumer buffer. A byte queue copies enqueued
// bytes into the buffers of read requests (default reads get a fresh buffer
// of autoAllocateChunkSize bytes), joining or splitting chunks.

const CLOSE = Symbol("close");

class StreamQueue {
  constructor(highWaterMark, bytes) {
    this.hwm = highWaterMark;
    this.bytes = bytes;
    this.consumers = []; // rarely more than one (two after a tee)
    this.state = "ready"; // "closed", "errored"
    this.total = 0;
    this.pendingByob = []; // ByobRequest records of pending byte reads
  }
  desiredSize() {
    return this.hwm - this.total;
  }
  wantsRead() {
    const cs = this.consumers;
    for (let i = 0; i < cs.length; i++) if (cs[i].reads.length > 0) return true;
    return false;
  }
  has(c) {
    return this.consumers.indexOf(c) >= 0;
  }
  add(c) {
    this.consumers.push(c);
  }
  remove(c) {
    const i = this.consumers.indexOf(c);
    if (i >= 0) this.consumers.splice(i, 1);
  }
  push(entry, skip = null) {
    const cs = this.consumers;
    if (cs.length === 1) {
      if (cs[0] !== skip) cs[0].push(entry);
    } else {
      for (const c of cs.slice()) if (c !== skip) c.push(entry);
    }
    this.updateBackpressure();
  }
  close() {
    this.state = "closed";
    for (const c of this.consumers.slice()) c.close();
  }
  error(reason) {
    this.state = "errored";
    for (const c of this.consumers.slice()) c.error(reason);
  }
  updateBackpressure() {
    const cs = this.consumers;
    let t = 0;
    for (let i = 0; i < cs.length; i++) if (cs[i].size > t) t = cs[i].size;
    this.total = t;
  }
  nextByobRequest() {
    while (this.pendingByob.length > 0 && this.pendingByob[0].req === null) this.pendingByob.shift();
    return this.pendingByob.length > 0 ? this.pendingByob[0] : null;
  }
}

// A read request of a byte consumer: bytes go into buffer[byteOffset ..
// byteOffset+byteLength), the read resolves once filled >= atLeast.
function byteReadRequest(resolve, reject, buffer, byteOffset, byteLength, atLeast, ctor, elementSize) {
  return { resolve, reject, buffer, byteOffset, byteLength, filled: 0, atLeast, ctor, elementSize, byob: null };
}

function resolveByteRead(req) {
  const es = req.elementSize;
  req.resolve({ value: makeView(req.ctor, req.buffer, req.byteOffset, req.filled - (req.filled % es), es), done: false });
  invalidateByob(req);
}

// resolveByteReadAsDone ends a read at the end of the stream: with the bytes
// it has, or an empty view and done.
function resolveByteReadAsDone(req) {
  if (req.filled > 0) return resolveByteRead(req);
  req.resolve({ value: makeView(req.ctor, req.buffer, req.byteOffset, 0, req.elementSize), done: true });
  invalidateByob(req);
}

function invalidateByob(req) {
  if (req.byob !== null) {
    req.byob.req = null;
    req.byob = null;
  }
}

class Consumer {
  constructor(queue, listener) {
    this.queue = queue;
    this.listener = listener;
    this.state = "ready"; // "closed", "errored"
    this.reason = undefined;
    this.buffer = []; // entries ({value, size} or {entry, offset}) and CLOSE
    this.size = 0;
    this.reads = [];
    this.closing = false;
    if (queue !== null) {
      if (queue.state === "ready") queue.add(this);
    }
  }

  push(entry) {
    if (this.state !== "ready" || this.closing || this.queue === null) return;
    if (this.queue.bytes) return this.pushBytes(entry);
    if (entry.size === 0) return; // workerd drops chunks of size 0
    if (this.reads.length === 0) {
      this.buffer.push(entry);
      this.size += entry.size;
      return;
    }
    this.reads.shift().resolve({ value: entry.value, done: false });
  }

  pushBytes(e) {
    const entrySize = e.u8.byteLength;
    if (entrySize === 0) return;
    if (this.reads.length === 0) {
      this.buffer.push({ entry: e, offset: 0 });
      this.size += entrySize;
      return;
    }
    let available = this.size + entrySize;
    let offset = 0;
    while (this.reads.length > 0 && available > 0) {
      const req = this.reads[0];
      if (available < req.atLeast) break;
      // The buffered bytes are fewer than atLeast: they all go in first.
      while (this.buffer.length > 0) {
        const q = this.buffer[0];
        const n = q.entry.u8.byteLength - q.offset;
        copyInto(req, q.entry.u8, q.offset, n);
        this.buffer.shift();
        this.size -= n;
        available -= n;
      }
      const n = Math.min(available, req.byteLength - req.filled);
      copyInto(req, e.u8, offset, n);
      available -= n;
      offset += n;
      this.reads.shift();
      resolveByteRead(req);
    }
    if (offset < entrySize) {
      this.buffer.push({ entry: e, offset });
      this.size += entrySize - offset;
    }
  }

  read(req) {
    if (this.state === "closed") {
      if (this.queue !== null && this.queue.bytes) resolveByteReadAsDone(req);
      else req.resolve({ value: undefined, done: true });
      return;
    }
    if (this.state === "errored") {
      req.reject(this.reason);
      return;
    }
    if (this.queue === null || !this.queue.bytes) this.readValue(req);
    else this.readBytes(req);
    this.maybeDrainAndClose();
  }

  readValue(req) {
    if (this.reads.length === 0 && this.buffer.length > 0) {
      const e = this.buffer[0];
      if (e === CLOSE) {
        req.resolve({ value: undefined, done: true });
        return;
      }
      this.buffer.shift();
      this.size -= e.size;
      if (this.queue !== null) this.queue.updateBackpressure();
      req.resolve({ value: e.value, done: false });
      return;
    }
    this.reads.push(req);
    this.listener.onConsumerWantsData();
  }

  readBytes(req) {
    if (this.reads.length === 0 && this.size > 0) {
      if (this.size < req.atLeast) {
        if (this.consume(req, this.size)) return resolveByteReadAsDone(req);
        return this.pendRead(req);
      }
      if (this.consume(req, Math.min(this.size, req.byteLength - req.filled))) {
        return resolveByteReadAsDone(req);
      }
      if (this.queue !== null) this.queue.updateBackpressure();
      return resolveByteRead(req);
    }
    if (this.size === 0 && this.closing) return resolveByteReadAsDone(req);
    this.pendRead(req);
  }

  pendRead(req) {
    this.reads.push(req);
    const q = this.queue;
    if (q !== null && q.state === "ready") {
      const rec = { req, consumer: this };
      req.byob = rec;
      q.pendingByob.push(rec);
    }
    this.listener.onConsumerWantsData();
  }

  // consume copies up to n buffered bytes into req; true if it reached the
  // end of the stream.
  consume(req, n) {
    const es = req.elementSize;
    while (n > 0 && this.buffer.length > 0) {
      const q = this.buffer[0];
      if (q === CLOSE) return true;
      let m = Math.min(q.entry.u8.byteLength - q.offset, req.byteLength - req.filled, n);
      if (m > es) m -= m % es;
      copyInto(req, q.entry.u8, q.offset, m);
      req.atLeast = req.atLeast > m ? req.atLeast - m : 1;
      q.offset += m;
      n -= m;
      this.size -= m;
      if (q.offset === q.entry.u8.byteLength) this.buffer.shift();
      else break;
    }
    return false;
  }

  close() {
    if (this.state !== "ready") return;
    if (!this.closing) {
      this.closing = true;
      this.buffer.push(CLOSE);
    }
    this.maybeDrainAndClose();
  }

  error(reason) {
    if (this.state !== "ready") return;
    this.state = "errored";
    this.reason = reason;
    this.buffer = [];
    this.size = 0;
    const reads = this.reads;
    this.reads = [];
    for (const r of reads) {
      if (r.byob !== undefined) invalidateByob(r);
      r.reject(reason);
    }
    this.detach();
    this.listener.onConsumerError(reason);
  }

  // cancel ends this consumer: pending reads see the end of the stream.
  cancel() {
    if (this.state !== "ready") return;
    this.state = "closed";
    this.buffer = [];
    this.size = 0;
    const reads = this.reads;
    this.reads = [];
    for (const r of reads) {
      if (r.byob !== undefined) invalidateByob(r);
      r.resolve({ value: undefined, done: true });
    }
    this.detach();
  }

  cancelPendingReads(reason) {
    const reads = this.reads;
    this.reads = [];
    for (const r of reads) {
      if (r.byob !== undefined) invalidateByob(r);
      r.reject(reason);
    }
  }

  detach() {
    if (this.queue !== null) {
      this.queue.remove(this);
      this.queue.updateBackpressure();
    }
  }

  // maybeDrainAndClose finishes a close once the buffered data is read:
  // bytes still buffered go to pending reads first.
  maybeDrainAndClose() {
    if (this.state !== "ready" || !this.closing) return;
    if (this.size > 0) {
      if (this.queue === null || !this.queue.bytes) return;
      while (this.reads.length > 0 && this.size > 0) {
        const req = this.reads.shift();
        this.consume(req, Math.min(this.size, req.byteLength - req.filled));
        resolveByteRead(req);
      }
      if (this.size > 0) return;
    }
    this.state = "closed";
    this.buffer = [];
    const reads = this.reads;
    this.reads = [];
    const bytes = this.queue !== null && this.queue.bytes;
    for (const r of reads) {
      if (bytes) resolveByteReadAsDone(r);
      else r.resolve({ value: undefined, done: true });
    }
    this.detach();
    this.listener.onConsumerClose();
  }

  // clone makes a consumer of the same queue with a copy of this one's
  // buffer (a tee branch).
  clone(listener) {
    const c = new Consumer(this.state === "ready" ? this.queue : null, listener);
    c.queue = this.queue;
    c.state = this.state;
    c.reason = this.reason;
    c.closing = this.closing;
    c.size = this.size;
    c.buffer = this.buffer.map((e) => (e === CLOSE || !("offset" in e) ? e : { entry: e.entry, offset: e.offset }));
    return c;
  }
}

function copyInto(req, src, offset, n) {
  if (n <= 0) return;
  new Uint8Array(req.buffer, req.byteOffset + req.filled, n).set(src.subarray(offset, offset + n));
  req.filled += n;
}
