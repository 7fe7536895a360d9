// Blob and File (workerd api/blob.c++, the File API). A Blob holds an
// immutable Uint8Array; slices share their parent's memory (nothing can
// write to it). Part of the fetch tier: Request and Response bodies use it.

let blobBytes, newBlob;

// blobPartsBytes concatenates the parts of a Blob constructor: strings as
// UTF-8, ArrayBuffers and views copied, Blobs by their bytes. Like JSG's
// kj::Array, the parts must be an Array; any other part is a string.
function blobPartsBytes(bits, ctor) {
  if (bits === undefined || bits === null) return new Uint8Array(0);
  if (!Array.isArray(bits)) {
    throw new TypeError(`Failed to construct '${ctor}': parameter 1 is not of type 'Array'.`);
  }
  const chunks = [];
  for (const part of bits) {
    if (part instanceof Blob) chunks.push(blobBytes(part));
    else {
      const view = byteView(part);
      if (view !== null) chunks.push(view.slice());
      else chunks.push(utf8Encode(String(part)));
    }
  }
  // A lone Blob part is shared: a Blob's bytes never change.
  return chunks.length === 0 ? new Uint8Array(0) : concatBytes(chunks);
}

// normalizeBlobType is workerd's normalizeType: a type with a byte below
// 0x20 or above 0x7e (in UTF-8) is dropped, else ASCII letters are
// lower-cased.
function normalizeBlobType(type) {
  if (type === undefined) return "";
  const t = String(type);
  for (let i = 0; i < t.length; i++) {
    const c = t.charCodeAt(i);
    if (c < 0x20 || c > 0x7f) return "";
  }
  return t.replace(/[A-Z]+/g, (s) => s.toLowerCase());
}

// blobOptions reads the Options dictionary of the Blob and File
// constructors.
function blobOptions(options, ctor) {
  if (options === undefined || options === null) return {};
  if (!isObject(options)) {
    throw new TypeError(`Failed to construct '${ctor}': parameter ${ctor === "File" ? 3 : 2} is not of type 'Options'.`);
  }
  if (options.endings !== undefined) {
    throw new Error("The 'endings' field on 'Options' is not implemented.");
  }
  const out = { type: normalizeBlobType(options.type) };
  const lm = options.lastModified;
  if (lm !== undefined) out.lastModified = Number(lm);
  return out;
}

// sliceIndex resolves a slice() bound as workerd does: negative from the
// end, clamped to [0, size].
function sliceIndex(v, size, dflt) {
  if (v === undefined) return dflt;
  let n = Math.trunc(Number(v)) || 0;
  if (n < 0) n += size;
  return Math.min(Math.max(n, 0), size);
}

class Blob {
  #data;
  #type;
  constructor(bits = undefined, options = undefined) {
    if (bits === blobToken) {
      this.#data = options.data;
      this.#type = options.type;
      return;
    }
    this.#data = blobPartsBytes(bits, "Blob");
    this.#type = blobOptions(options, "Blob").type ?? "";
  }
  static {
    blobBytes = (b) => b.#data;
    newBlob = (data, type) => new Blob(blobToken, { data, type });
  }
  get size() {
    return this.#data.byteLength;
  }
  get type() {
    return this.#type;
  }
  slice(start = undefined, end = undefined, type = undefined) {
    const size = this.#data.byteLength;
    const s = sliceIndex(start, size, 0);
    const e = Math.max(sliceIndex(end, size, size), s);
    return newBlob(this.#data.subarray(s, e), normalizeBlobType(type));
  }
  arrayBuffer() {
    return Promise.resolve(copyToArrayBuffer(this.#data));
  }
  bytes() {
    return Promise.resolve(this.#data.slice());
  }
  text() {
    return Promise.resolve(utf8Decode(this.#data));
  }
  stream() {
    ensureStreams();
    return streamsApi.fromBytes(this.#data.slice());
  }
}
const blobToken = Symbol("blob");
setToStringTag(Blob);
exposeClass(Blob);

let newFile;

class File extends Blob {
  #name;
  #lastModified;
  constructor(bits = undefined, name = undefined, options = undefined) {
    if (bits === blobToken) {
      super(blobToken, name);
      this.#name = name.name;
      this.#lastModified = name.lastModified;
      return;
    }
    const data = blobPartsBytes(bits, "File");
    const n = String(name);
    const o = blobOptions(options, "File");
    super(blobToken, { data, type: o.type ?? "" });
    this.#name = n;
    this.#lastModified = o.lastModified ?? Date.now();
  }
  static {
    newFile = (data, name, type, lastModified = Date.now()) =>
      new File(blobToken, { data, type, name, lastModified });
  }
  get name() {
    return this.#name;
  }
  get lastModified() {
    return this.#lastModified;
  }
}
setToStringTag(File);
exposeClass(File);
