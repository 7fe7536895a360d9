// Outgoing fetch() (workerd api/http.c++ fetchImpl): the Request is built
// as the spec says, sent by outbound.go off the loop, and its response body
// is a byte stream read from Go as the script reads it.

function fetch(input, init = undefined) {
  let req;
  try {
    req = new Request(input, init);
    return fetchSend(req, init);
  } catch (e) {
    return Promise.reject(e);
  }
}
defineGlobal("fetch", fetch);

// noSignal stands for the signal of a Request given none: it never aborts.
const noSignal = { aborted: false, reason: undefined, addEventListener() {}, removeEventListener() {} };

function fetchSend(req, init) {
  const url = req.url;
  if (!url.startsWith("http:") && !url.startsWith("https:")) {
    throw new TypeError(`Fetch API cannot load: ${url}`);
  }
  let decode = true;
  if (isObject(init) && !(init instanceof Request) && init.encodeResponseBody !== undefined) {
    decode = String(init.encodeResponseBody) !== "manual";
  }
  const signal = requestSignal(req) ?? noSignal;
  if (signal.aborted) return Promise.reject(signal.reason);
  const headers = headersRawEntries(req.headers);
  let bytes = null;
  let pump = null;
  const b = requestBody(req);
  if (b !== null) {
    if (bodyIsUsed(b)) throw new TypeError(bodyUsedMessage);
    if (b.stream === null) {
      b.used = true;
      bytes = typeof b.src === "string" ? utf8Encode(b.src) : b.src;
    } else {
      ensureStreams();
      bytes = streamsApi.takeBuffered(b.stream);
      if (bytes === null) {
        if (streamsApi.isLocked(b.stream)) throw new TypeError("The ReadableStream has been locked to a reader.");
        pump = streamsApi.pump(b.stream);
      }
    }
  }
  const method = req.method;
  const upgrade = headersGetLower(req.headers, "upgrade");
  if (upgrade !== null && upgrade.toLowerCase() === "websocket" && pump === null) {
    const p = fetchUpgrade(url, headers);
    if (p !== null) return p;
  }
  return new Promise((resolve, reject) => {
    let settled = false;
    let handle = null;
    const onAbort = () => {
      host.fetchAbort(handle);
      if (settled) return;
      settled = true;
      reject(signal.reason);
    };
    signal.addEventListener("abort", onAbort, { once: true });
    handle = host.fetchStart(method, url, headers, bytes, pump, req.redirect === "manual", decode, (err, r) => {
      if (settled) {
        if (err === undefined) host.fetchCancel(handle);
        return;
      }
      settled = true;
      if (err !== undefined) {
        signal.removeEventListener("abort", onAbort);
        reject(err);
        return;
      }
      resolve(fetchResponse(method, r, handle, signal, onAbort));
    });
  });
}

// fetchUpgrade sends a WebSocket handshake through the websocket binding:
// a 101 Response whose webSocket the script accept()s. null when there is
// no binding to send it.
function fetchUpgrade(url, headers) {
  let cb;
  const p = new Promise((resolve, reject) => {
    cb = (err, r) => {
      if (err !== undefined) {
        reject(err);
        return;
      }
      const h = new Headers();
      for (let i = 0; i < r.headers.length; i += 2) headersAppendUnguarded(h, r.headers[i], r.headers[i + 1]);
      headersSetGuard(h, true);
      resolve(new Response(internalToken, { status: r.status, headers: h, webSocket: r.webSocket, urlList: [url] }));
    };
  });
  return host.fetchUpgrade(url, headers, cb) === null ? null : p;
}

// fetchResponse makes the Response of what outbound.go read: a null body
// for HEAD and the null-body statuses, else a byte stream over the handle.
function fetchResponse(method, r, handle, signal, onAbort) {
  const headers = new Headers();
  for (let i = 0; i < r.headers.length; i += 2) headersAppendUnguarded(headers, r.headers[i], r.headers[i + 1]);
  headersSetGuard(headers, true);
  let body = null;
  if (method === "HEAD" || isNullBodyStatus(r.status)) {
    signal.removeEventListener("abort", onAbort);
    host.fetchCancel(handle);
  } else if (r.eof) {
    // The whole body came with the head (outbound.go prefetch).
    signal.removeEventListener("abort", onAbort);
    body = { src: new Uint8Array(r.first ?? new ArrayBuffer(0)), stream: null, used: false };
  } else {
    ensureStreams();
    const length = headersGetLower(headers, "content-length");
    const n = length !== null && headersGetLower(headers, "content-encoding") === null ? Number(length) : undefined;
    const src = new FetchSource(handle, signal, onAbort, r.first);
    body = { src: null, stream: streamsApi.fromSource(src, n), used: false };
  }
  const urls = r.urls.map((u) => {
    const h = u.indexOf("#");
    return h < 0 ? u : u.slice(0, h);
  });
  return new Response(internalToken, {
    status: r.status,
    statusText: r.statusText === defaultStatusText(r.status) ? null : r.statusText,
    headers,
    body,
    urlList: urls,
  });
}

// A FetchSource is the source (streams_internal.js) of a fetch() response
// body: each read asks Go for at most the bytes the reader has room for.
class FetchSource {
  constructor(handle, signal, onAbort, first) {
    this.pending = first === undefined ? null : new Uint8Array(first);
    this.handle = handle;
    this.signal = signal;
    this.onAbort = onAbort;
    this.done = false;
  }
  async tryRead(dest, atLeast) {
    let total = 0;
    while (total < atLeast && !this.done) {
      const n = await this.readOnce(dest.subarray(total));
      if (n === 0) break;
      total += n;
    }
    return total;
  }
  readOnce(dest) {
    const p = this.pending;
    if (p !== null && p.byteLength > 0) {
      const n = Math.min(p.byteLength, dest.byteLength);
      dest.set(p.subarray(0, n));
      this.pending = n === p.byteLength ? null : p.subarray(n);
      return Promise.resolve(n);
    }
    return new Promise((resolve, reject) => {
      host.fetchRead(this.handle, dest.byteLength, (ab, err) => {
        if (err !== undefined) {
          this.finish();
          reject(this.signal.aborted ? this.signal.reason : err);
          return;
        }
        if (ab === null) {
          this.finish();
          resolve(0);
          return;
        }
        const u8 = new Uint8Array(ab);
        dest.set(u8);
        resolve(u8.byteLength);
      });
    });
  }
  finish() {
    this.done = true;
    this.signal.removeEventListener("abort", this.onAbort);
  }
  cancel() {
    this.finish();
    host.fetchCancel(this.handle);
  }
}
