// pipeTo and pipeThrough (workerd api/streams/standard.c++
// WritableStreamJsController::pipeLoop): both streams are locked for the
// pipe; each step first propagates an abort signal, errors and closes in
// either direction, then reads one chunk and writes it.

function pipeOptions(options) {
  const o = { preventClose: false, preventAbort: false, preventCancel: false, signal: undefined };
  if (options === undefined || options === null) return o;
  if (!isObject(options)) {
    throw new TypeError("Failed to execute 'pipeTo' on 'ReadableStream': parameter 2 is not of type 'StreamPipeOptions'.");
  }
  o.preventClose = !!options.preventClose;
  o.preventAbort = !!options.preventAbort;
  o.preventCancel = !!options.preventCancel;
  const signal = options.signal;
  if (signal !== undefined) {
    if (!(signal instanceof AbortSignal)) {
      throw new TypeError("Failed to execute 'pipeTo' on 'ReadableStream': member signal is not of type 'AbortSignal'.");
    }
    o.signal = signal;
  }
  return o;
}

function pipeStreams(rs, ws, opts, pipeThrough) {
  rs.disturbed = true;
  rs.lock = PIPE;
  ws.lock = PIPE;
  const { preventClose, preventAbort, preventCancel, signal } = opts;
  const fail = (e) => (pipeThrough ? rejectedHandled(e) : rejected(e));
  const releaseDest = () => {
    if (ws.lock === PIPE) ws.lock = null;
  };
  // releaseSource unlocks the source, canceling it when given a reason.
  const releaseSource = (cancel, reason) => {
    if (cancel && rs.state === "readable") handled(readableCancel(rs, reason));
    if (rs.lock === PIPE) rs.lock = null;
  };
  const piping = () => ws.lock === PIPE;

  const checkSignal = () => {
    if (signal === undefined || !signal.aborted) return null;
    const reason = signal.reason;
    releaseSource(!preventCancel, reason);
    releaseDest();
    if (!preventAbort) return writableAbort(ws, reason).then(() => fail(reason));
    return fail(reason);
  };

  // The pipe's promise settles once, with the outcome of the step that ends
  // it; the steps in between chain through callbacks, not promises.
  const result = newDeferred();
  let ended = false;
  const end = (v) => {
    if (ended) return;
    ended = true;
    Promise.resolve(v).then(() => result.resolve(undefined), result.reject);
  };

  const step = () => {
    if (!piping()) return end(undefined);
    const aborted = checkSignal();
    if (aborted !== null) return end(aborted);
    if (rs.state === "errored") {
      const e = rs.error;
      releaseSource(false);
      releaseDest();
      if (!preventAbort) return end(writableAbort(ws, e).then(() => fail(e)));
      return end(fail(e));
    }
    let destError;
    if (ws.state === "errored") destError = ws.error;
    else destError = writableErroring(ws);
    if (ws.state === "errored" || destError !== undefined) {
      releaseDest();
      releaseSource(!preventCancel, destError);
      return end(fail(destError));
    }
    if (rs.state === "closed") {
      releaseSource(false);
      releaseDest();
      if (!preventClose) {
        const p = writableClose(ws);
        return end(pipeThrough ? handled(p) : p);
      }
      return end(undefined);
    }
    if (ws.state === "closed") {
      releaseDest();
      const e = new TypeError("This destination writable stream is closed.");
      releaseSource(!preventCancel, e);
      return end(fail(e));
    }
    const impl = rs.impl;
    if (impl instanceof JsReadable && !impl.isBytes) {
      // A value stream's consumer takes the callbacks as its read request.
      impl.consumer.read(readRequest);
      return undefined;
    }
    impl.read(undefined).then(onRead, onReadFailed);
    return undefined;
  };
  const onWriteFailed = (e) => {
    releaseSource(!preventCancel, e);
    end(fail(e));
  };
  const onRead = (r) => {
    if (!piping()) return end(undefined);
    const aborted = checkSignal();
    if (aborted !== null) return end(aborted);
    // The end of the source is seen by the next step, once the stream has
    // closed (the read resolves just before).
    if (r.done) return void Promise.resolve().then(step);
    const impl = ws.state === "writable" ? ws.impl : null;
    if (impl instanceof JsWritable) {
      // The write settles through the callbacks too.
      impl.writeThen(r.value, step, onWriteFailed);
      return undefined;
    }
    writableWrite(ws, r.value).then(step, onWriteFailed);
    return undefined;
  };
  const onReadFailed = () => void Promise.resolve().then(step);
  const readRequest = { resolve: onRead, reject: onReadFailed };
  step();
  return pipeThrough ? handled(result.promise) : result.promise;
}
