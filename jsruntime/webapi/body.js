// Request, Response and their bodies (workerd api/http.c++). A body is
// {src, stream, used}: src is the buffered source (a string or a Uint8Array,
// or null for a stream body), stream the ReadableStream once one exists
// (made lazily when .body is read, see streams_body.js), used whether a
// buffered body was consumed without a stream.

const bodyUsedMessage =
  "Body has already been used. It can only be used once. Use tee() first if you need to read it twice.";

function extractBody(init) {
  if (typeof init === "string") return [{ src: init, stream: null, used: false }, "text/plain;charset=UTF-8"];
  if (isStreamValue(init)) {
    if (streamsApi.isDisturbed(init)) {
      throw new TypeError(
        "This ReadableStream is disturbed (has already been read from), and cannot be used as a body.",
      );
    }
    return [{ src: null, stream: init, used: false }, null];
  }
  if (init instanceof Blob) {
    return [{ src: blobBytes(init).slice(), stream: null, used: false }, init.type === "" ? null : init.type];
  }
  if (init instanceof FormData) {
    const [bytes, type] = serializeFormData(init);
    return [{ src: bytes, stream: null, used: false }, type];
  }
  if (init instanceof URLSearchParams) {
    return [{ src: init.toString(), stream: null, used: false }, "application/x-www-form-urlencoded;charset=UTF-8"];
  }
  const u8 = byteView(init);
  if (u8 !== null) return [{ src: u8, stream: null, used: false }, null];
  return [{ src: String(init), stream: null, used: false }, "text/plain;charset=UTF-8"];
}

const bodyIsUsed = (b) => b !== null && (b.stream !== null ? streamsApi.isDisturbed(b.stream) : b.used);

// bodyStream is request.body and response.body: the stream is made on first
// use for a buffered body (workerd makes it at once; nothing tells them
// apart).
function bodyStream(b) {
  if (b === null) return null;
  if (b.stream === null) {
    ensureStreams();
    if (b.used) b.stream = streamsApi.usedStream();
    else b.stream = streamsApi.fromBytes(typeof b.src === "string" ? utf8Encode(b.src) : b.src);
  }
  return b.stream;
}

// bodyConsume returns a promise of the whole body: the source string itself
// when asText and the body is a buffered string, else a Uint8Array.
function bodyConsume(b, asText) {
  try {
    if (b === null) return Promise.resolve(asText ? "" : new Uint8Array(0));
    if (bodyIsUsed(b)) throw new TypeError(bodyUsedMessage);
    if (b.stream !== null) {
      const p = streamsApi.readAll(b.stream);
      return asText ? p.then(utf8Decode) : p;
    }
    b.used = true;
    if (typeof b.src === "string") return Promise.resolve(asText ? b.src : utf8Encode(b.src));
    return Promise.resolve(asText ? utf8Decode(b.src) : b.src);
  } catch (e) {
    return Promise.reject(e);
  }
}

function bodyClone(b) {
  if (b === null) return null;
  if (bodyIsUsed(b)) throw new TypeError(bodyUsedMessage);
  if (b.stream === null) return { src: b.src, stream: null, used: false };
  const [s1, s2] = b.stream.tee();
  b.stream = s1;
  return { src: b.src, stream: s2, used: false };
}

// bodyTransfer moves a body to a new owner (new Request(request)); the old
// one reads as used.
function bodyTransfer(b) {
  if (b.stream === null) {
    b.used = true;
    return { src: b.src, stream: null, used: false };
  }
  return { src: b.src, stream: streamsApi.detach(b.stream), used: false };
}

// The body methods shared by Request and Response; getBody returns the
// private body of this, contentType its Content-Type header (or null).
function defineBodyMethods(cls, getBody, contentType) {
  const methods = {
    get body() {
      return bodyStream(getBody(this));
    },
    get bodyUsed() {
      return bodyIsUsed(getBody(this));
    },
    text() {
      return bodyConsume(getBody(this), true);
    },
    json() {
      return bodyConsume(getBody(this), true).then((t) => JSON.parse(t));
    },
    arrayBuffer() {
      return bodyConsume(getBody(this), false).then(copyToArrayBuffer);
    },
    bytes() {
      return bodyConsume(getBody(this), false).then((u8) => new Uint8Array(copyToArrayBuffer(u8)));
    },
    blob() {
      const type = contentType(this) ?? "";
      return bodyConsume(getBody(this), false).then((u8) => newBlob(u8.slice(), type));
    },
    formData() {
      const type = contentType(this);
      return bodyConsume(getBody(this), false).then((u8) => parseFormDataBody(u8, type));
    },
  };
  for (const k of Object.keys(Object.getOwnPropertyDescriptors(methods))) {
    const d = Object.getOwnPropertyDescriptor(methods, k);
    d.enumerable = false;
    Object.defineProperty(cls.prototype, k, d);
  }
}

const deepCloneCf = (cf) => (cf === undefined || cf === null ? cf : JSON.parse(JSON.stringify(cf)));
