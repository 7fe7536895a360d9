// A minimal ReadableStream: underlying sources with start/pull/cancel, a
// default reader, tee() and async iteration. Byte readers (BYOB), pipeTo and
// the other stream classes are not implemented.

let streamIsDisturbed, streamDrainSync, streamController, readerAttach, readerClosed;
const streamToken = Symbol("stream");

class ReadableStreamDefaultController {
  #stream;
  constructor(token = undefined, stream = undefined) {
    if (token !== streamToken) throw new TypeError("Illegal constructor");
    this.#stream = stream;
  }
  get desiredSize() {
    return streamController.desiredSize(this.#stream);
  }
  enqueue(chunk) {
    streamController.enqueue(this.#stream, chunk);
  }
  close() {
    streamController.close(this.#stream);
  }
  error(e) {
    streamController.error(this.#stream, e);
  }
}
setToStringTag(ReadableStreamDefaultController);
exposeClass(ReadableStreamDefaultController);

class ReadableStream {
  #state = "readable"; // "closed" or "errored"
  #closeRequested = false;
  #queue = [];
  #storedError = undefined;
  #reader = null;
  #disturbed = false;
  #source;
  #controller;
  #highWaterMark;
  #started = false;
  #pulling = false;
  #pullAgain = false;
  #reads = []; // pending read requests: {resolve, reject}

  constructor(underlyingSource = undefined, strategy = undefined) {
    if (underlyingSource === null) {
      throw new TypeError("Failed to construct 'ReadableStream': underlyingSource must not be null.");
    }
    const src = underlyingSource ?? {};
    this.#source = src;
    const bytes = src.type !== undefined && String(src.type) === "bytes";
    this.#highWaterMark = strategy?.highWaterMark !== undefined ? Number(strategy.highWaterMark) : bytes ? 0 : 1;
    this.#controller = new ReadableStreamDefaultController(streamToken, this);
    const start = src.start;
    let r;
    if (typeof start === "function") r = start.call(src, this.#controller);
    Promise.resolve(r).then(
      () => {
        this.#started = true;
        this.#pullIfNeeded();
      },
      (e) => this.#error(e),
    );
  }

  static {
    streamIsDisturbed = (s) => s.#disturbed;
    // The stream's state and whether it is a byte stream (BYOB readers
    // are not implemented yet), as console.log shows them.
    inspectInternals(ReadableStream, (s) => [
      ["state", s.#state],
      ["supportsBYOB", s.#source.type !== undefined && String(s.#source.type) === "bytes"],
    ]);
    // streamDrainSync reads a stream whose chunks are all queued and which
    // is closed; it returns the chunks, or undefined if more may come.
    streamDrainSync = (s) => {
      if (s.#state === "errored") throw s.#storedError;
      if (s.#state === "readable" && !s.#closeRequested) return undefined;
      s.#disturbed = true;
      const chunks = s.#queue;
      s.#queue = [];
      s.#state = "closed";
      return chunks;
    };
    streamController = {
      desiredSize: (s) =>
        s.#state === "errored" ? null : s.#state === "closed" ? 0 : s.#highWaterMark - s.#queue.length,
      enqueue: (s, chunk) => {
        if (s.#closeRequested || s.#state !== "readable") {
          throw new TypeError("This ReadableStream is closed.");
        }
        if (s.#reads.length > 0) s.#reads.shift().resolve({ value: chunk, done: false });
        else s.#queue.push(chunk);
        s.#pullIfNeeded();
      },
      close: (s) => {
        if (s.#closeRequested || s.#state !== "readable") {
          throw new TypeError("This ReadableStream is closed.");
        }
        s.#closeRequested = true;
        if (s.#queue.length === 0) s.#finishClose();
      },
      error: (s, e) => s.#error(e),
    };
  }

  #finishClose() {
    this.#state = "closed";
    for (const r of this.#reads.splice(0)) r.resolve({ value: undefined, done: true });
    if (this.#reader !== null) readerClosed(this.#reader, null);
  }

  #error(e) {
    if (this.#state !== "readable") return;
    this.#state = "errored";
    this.#storedError = e;
    this.#queue = [];
    for (const r of this.#reads.splice(0)) r.reject(e);
    if (this.#reader !== null) readerClosed(this.#reader, e);
  }

  #pullIfNeeded() {
    const pull = this.#source.pull;
    if (typeof pull !== "function" || !this.#started || this.#state !== "readable" || this.#closeRequested) return;
    if (this.#reads.length === 0 && this.#queue.length >= this.#highWaterMark) return;
    if (this.#pulling) {
      this.#pullAgain = true;
      return;
    }
    this.#pulling = true;
    let r;
    try {
      r = pull.call(this.#source, this.#controller);
    } catch (e) {
      this.#error(e);
      return;
    }
    Promise.resolve(r).then(
      () => {
        this.#pulling = false;
        if (this.#pullAgain) {
          this.#pullAgain = false;
          this.#pullIfNeeded();
        }
      },
      (e) => this.#error(e),
    );
  }

  // #read is the reader's read(): a promise of {value, done}.
  #read() {
    this.#disturbed = true;
    if (this.#queue.length > 0) {
      const value = this.#queue.shift();
      if (this.#closeRequested && this.#queue.length === 0) this.#finishClose();
      else this.#pullIfNeeded();
      return Promise.resolve({ value, done: false });
    }
    if (this.#state === "closed") return Promise.resolve({ value: undefined, done: true });
    if (this.#state === "errored") return Promise.reject(this.#storedError);
    return new Promise((resolve, reject) => {
      this.#reads.push({ resolve, reject });
      this.#pullIfNeeded();
    });
  }

  #cancel(reason) {
    this.#disturbed = true;
    if (this.#state === "closed") return Promise.resolve(undefined);
    if (this.#state === "errored") return Promise.reject(this.#storedError);
    this.#queue = [];
    this.#finishClose();
    const cancel = this.#source.cancel;
    try {
      return Promise.resolve(typeof cancel === "function" ? cancel.call(this.#source, reason) : undefined).then(
        () => undefined,
      );
    } catch (e) {
      return Promise.reject(e);
    }
  }

  get locked() {
    return this.#reader !== null;
  }

  cancel(reason = undefined) {
    if (this.#reader !== null) {
      return Promise.reject(new TypeError("This ReadableStream is currently locked to a reader."));
    }
    return this.#cancel(reason);
  }

  getReader(options = undefined) {
    if (options?.mode !== undefined) {
      if (String(options.mode) === "byob") throw notImplemented("ReadableStreamBYOBReader");
      throw new TypeError(`Failed to execute 'getReader' on 'ReadableStream': invalid mode ${options.mode}.`);
    }
    if (this.#reader !== null) throw new TypeError("This ReadableStream is currently locked to a reader.");
    const reader = new ReadableStreamDefaultReader(this);
    return reader;
  }

  static {
    readerAttach = (s, reader, ops) => {
      s.#reader = reader;
      ops.read = () => s.#read();
      ops.cancel = (reason) => s.#cancel(reason);
      ops.release = () => {
        s.#reader = null;
      };
      ops.state = () => [s.#state, s.#storedError];
    };
  }

  tee() {
    const reader = this.getReader();
    const controllers = [];
    const canceled = [false, false];
    let reading = false;
    const pull = () => {
      if (reading) return undefined;
      reading = true;
      return reader.read().then(
        ({ value, done }) => {
          reading = false;
          for (let i = 0; i < 2; i++) {
            if (canceled[i]) continue;
            if (done) controllers[i].close();
            else controllers[i].enqueue(value);
          }
        },
        (e) => {
          reading = false;
          for (const c of controllers) c.error(e);
        },
      );
    };
    const branch = (i) =>
      new ReadableStream({
        start(c) {
          controllers[i] = c;
        },
        pull,
        cancel(reason) {
          canceled[i] = true;
          if (canceled[0] && canceled[1]) return reader.cancel(reason);
          return undefined;
        },
      });
    return [branch(0), branch(1)];
  }

  pipeTo() {
    return Promise.reject(notImplemented("ReadableStream.pipeTo()"));
  }
  pipeThrough() {
    throw notImplemented("ReadableStream.pipeThrough()");
  }

  values(options = undefined) {
    const reader = this.getReader();
    const preventCancel = !!options?.preventCancel;
    const it = {
      next: () => reader.read(),
      return: (value) => {
        const done = () => ({ value, done: true });
        if (preventCancel) {
          reader.releaseLock();
          return Promise.resolve(done());
        }
        const p = reader.cancel(value);
        reader.releaseLock();
        return p.then(done);
      },
      [asyncIteratorSymbol]() {
        return it;
      },
    };
    return it;
  }
  [asyncIteratorSymbol](options = undefined) {
    return this.values(options);
  }
}
setToStringTag(ReadableStream);
exposeClass(ReadableStream);

class ReadableStreamDefaultReader {
  #ops = null;
  #closed;
  #resolveClosed;
  #rejectClosed;

  constructor(stream) {
    if (!(stream instanceof ReadableStream)) {
      throw new TypeError(
        "Failed to construct 'ReadableStreamDefaultReader': parameter 1 is not of type 'ReadableStream'.",
      );
    }
    if (stream.locked) throw new TypeError("This ReadableStream is currently locked to a reader.");
    this.#closed = new Promise((resolve, reject) => {
      this.#resolveClosed = resolve;
      this.#rejectClosed = reject;
    });
    this.#closed.catch(() => {});
    const ops = {};
    readerAttach(stream, this, ops);
    this.#ops = ops;
    const [state, err] = ops.state();
    if (state === "closed") this.#resolveClosed(undefined);
    else if (state === "errored") this.#rejectClosed(err);
  }

  static {
    readerClosed = (r, err) => {
      if (err === null) r.#resolveClosed(undefined);
      else r.#rejectClosed(err);
    };
  }

  get closed() {
    return this.#closed;
  }
  read() {
    if (this.#ops === null) {
      return Promise.reject(new TypeError("This ReadableStream reader has been released."));
    }
    return this.#ops.read();
  }
  cancel(reason = undefined) {
    if (this.#ops === null) {
      return Promise.reject(new TypeError("This ReadableStream reader has been released."));
    }
    return this.#ops.cancel(reason);
  }
  releaseLock() {
    if (this.#ops === null) return;
    this.#ops.release();
    this.#ops = null;
    this.#rejectClosed(new TypeError("This ReadableStream reader has been released."));
  }
}
setToStringTag(ReadableStreamDefaultReader);
exposeClass(ReadableStreamDefaultReader);

// streamFromBytes makes the stream of a buffered body: one Uint8Array chunk.
function streamFromBytes(u8) {
  return new ReadableStream({
    type: "bytes",
    start(c) {
      if (u8.byteLength > 0) c.enqueue(u8);
      c.close();
    },
  });
}

// streamReadAll reads every chunk of a stream into one Uint8Array.
function streamReadAll(stream) {
  const reader = stream.getReader();
  const chunks = [];
  const step = () =>
    reader.read().then(({ value, done }) => {
      if (done) {
        reader.releaseLock();
        return concatBytes(chunks.length === 0 ? [new Uint8Array(0)] : chunks);
      }
      const u8 = byteView(value);
      if (u8 === null) throw new TypeError("This ReadableStream did not return bytes.");
      chunks.push(u8);
      return step();
    });
  return step();
}
