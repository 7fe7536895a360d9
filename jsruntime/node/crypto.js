// node:crypto: hashes and HMACs (createHash, createHmac, hash), random
// values (randomBytes, randomFill, randomInt, randomUUID, getRandomValues),
// pbkdf2, hkdf and timingSafeEqual with Go's crypto (crypto.go);
// webcrypto and subtle are globalThis.crypto's. Ciphers, signatures, keys
// and scrypt are not implemented.

defineModule("crypto", () => {
  const { Buffer } = loadModule("buffer");
  const kMaxLength = 2 ** 32;

  class ERR_CRYPTO_HASH_FINALIZED extends NodeError {
    constructor() {
      super("ERR_CRYPTO_HASH_FINALIZED", "Digest already called");
    }
  }
  class ERR_CRYPTO_TIMING_SAFE_EQUAL_LENGTH extends NodeRangeError {
    constructor() {
      super("ERR_CRYPTO_TIMING_SAFE_EQUAL_LENGTH", "Input buffers must have the same byte length");
    }
  }
  class ERR_CRYPTO_INVALID_DIGEST extends NodeTypeError {
    constructor(digest) {
      super("ERR_CRYPTO_INVALID_DIGEST", `Invalid digest: ${digest}`);
    }
  }
  class ERR_CRYPTO_INVALID_KEYLEN extends NodeRangeError {
    constructor() {
      super("ERR_CRYPTO_INVALID_KEYLEN", "Invalid key length");
    }
  }

  const bufferTypes = ["string", "ArrayBuffer", "Buffer", "TypedArray", "DataView"];

  // toBytes turns data (a string in encoding, or bytes) into a Uint8Array,
  // or throws ERR_INVALID_ARG_TYPE naming the argument.
  function toBytes(data, name, encoding, types = bufferTypes) {
    if (typeof data === "string") return Buffer.from(data, encoding === "buffer" ? "utf8" : encoding);
    if (ArrayBuffer.isView(data)) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
    if (data instanceof ArrayBuffer) return new Uint8Array(data);
    throw new ERR_INVALID_ARG_TYPE(name, types, data);
  }

  // digestOf is the digest of a hash handle: a Buffer, or a string in
  // encoding.
  function digestOf(handle, encoding) {
    if (encoding === undefined || encoding === "buffer") return Buffer.from(host.hashDigest(handle));
    const enc = Buffer.isEncoding(encoding) ? encodingName(encoding) : undefined;
    if (enc === undefined) return Buffer.from(host.hashDigest(handle)).toString(encoding);
    return host.hashDigest(handle, enc);
  }

  function encodingName(encoding) {
    switch (String(encoding).toLowerCase()) {
      case "utf8":
      case "utf-8":
        return "utf8";
      case "ucs2":
      case "ucs-2":
      case "utf16le":
      case "utf-16le":
        return "utf16le";
      case "latin1":
      case "binary":
        return "latin1";
      default:
        return String(encoding).toLowerCase();
    }
  }

  const kHandle = Symbol("kHandle");
  const kFinalized = Symbol("kFinalized");

  class Hash {
    constructor(algorithm, options) {
      if (algorithm instanceof Hash) {
        this[kHandle] = host.hashCopy(algorithm[kHandle]);
      } else {
        validateString(algorithm, "algorithm");
        this[kHandle] = host.hashNew(algorithm);
        if (this[kHandle] === null) throw new Error("Digest method not supported");
      }
      this[kFinalized] = false;
    }
    copy(options) {
      if (this[kFinalized]) throw new ERR_CRYPTO_HASH_FINALIZED();
      return new Hash(this, options);
    }
    update(data, encoding) {
      if (this[kFinalized]) throw new ERR_CRYPTO_HASH_FINALIZED();
      if (typeof data !== "string" && !ArrayBuffer.isView(data)) {
        throw new ERR_INVALID_ARG_TYPE("data", ["string", "Buffer", "TypedArray", "DataView"], data);
      }
      host.hashUpdate(this[kHandle], toBytes(data, "data", encoding));
      return this;
    }
    digest(outputEncoding) {
      if (this[kFinalized]) throw new ERR_CRYPTO_HASH_FINALIZED();
      this[kFinalized] = true;
      return digestOf(this[kHandle], outputEncoding);
    }
  }

  class Hmac {
    constructor(hmac, key, options) {
      validateString(hmac, "hmac");
      if (key === null || (typeof key !== "string" && !ArrayBuffer.isView(key) && !(key instanceof ArrayBuffer))) {
        throw new ERR_INVALID_ARG_TYPE("key", ["ArrayBuffer", "Buffer", "TypedArray", "DataView", "string", "KeyObject", "CryptoKey"], key);
      }
      this[kHandle] = host.hashNew(hmac, toBytes(key, "key", options?.encoding));
      if (this[kHandle] === null) throw new ERR_CRYPTO_INVALID_DIGEST(hmac);
      this[kFinalized] = false;
    }
    update(data, encoding) {
      if (this[kFinalized]) throw new ERR_CRYPTO_HASH_FINALIZED();
      if (typeof data !== "string" && !ArrayBuffer.isView(data)) {
        throw new ERR_INVALID_ARG_TYPE("data", ["string", "Buffer", "TypedArray", "DataView"], data);
      }
      host.hashUpdate(this[kHandle], toBytes(data, "data", encoding));
      return this;
    }
    digest(outputEncoding) {
      if (this[kFinalized]) {
        const empty = Buffer.alloc(0);
        return outputEncoding === undefined || outputEncoding === "buffer" ? empty : "";
      }
      this[kFinalized] = true;
      return digestOf(this[kHandle], outputEncoding);
    }
  }

  function createHash(algorithm, options) {
    return new Hash(algorithm, options);
  }

  function createHmac(hmac, key, options) {
    return new Hmac(hmac, key, options);
  }

  function hash(algorithm, input, outputEncoding = "hex") {
    validateString(algorithm, "algorithm");
    if (typeof input !== "string" && !ArrayBuffer.isView(input)) {
      throw new ERR_INVALID_ARG_TYPE("input", ["Buffer", "TypedArray", "DataView", "string"], input);
    }
    if (outputEncoding !== undefined) validateString(outputEncoding, "outputEncoding");
    return new Hash(algorithm).update(input).digest(outputEncoding);
  }

  // kMaxRandomLength is the most bytes randomBytes and randomFill give.
  const kMaxRandomLength = 2 ** 31 - 1;

  function assertSize(size, name = "size") {
    validateNumber(size, name);
    if (Number.isNaN(size) || size > kMaxRandomLength || size < 0) {
      throw new ERR_OUT_OF_RANGE(name, `>= 0 && <= ${kMaxRandomLength}`, size);
    }
  }

  const later = (fn) => setTimeout(fn, 0);

  function randomBytes(size, callback) {
    assertSize(size);
    if (callback !== undefined) validateFunction(callback, "callback");
    const buf = Buffer.alloc(size);
    host.randomFill(buf);
    if (callback === undefined) return buf;
    later(() => callback(null, buf));
  }

  function fillArgs(buf, offset, size) {
    if (!ArrayBuffer.isView(buf) && !(buf instanceof ArrayBuffer)) {
      throw new ERR_INVALID_ARG_TYPE("buf", ["ArrayBuffer", "ArrayBufferView"], buf);
    }
    const bytes = buf instanceof ArrayBuffer ? new Uint8Array(buf) : new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
    const elementSize = buf.BYTES_PER_ELEMENT || 1;
    offset = offset === undefined ? 0 : offset;
    validateNumber(offset, "offset");
    offset *= elementSize;
    if (offset > bytes.length || offset < 0 || Number.isNaN(offset)) {
      throw new ERR_OUT_OF_RANGE("offset", `>= 0 && <= ${bytes.length}`, offset);
    }
    if (size === undefined) {
      size = bytes.length - offset;
    } else {
      validateNumber(size, "size");
      size *= elementSize;
      if (size < 0 || Number.isNaN(size) || offset + size > bytes.length) {
        throw new ERR_OUT_OF_RANGE("size + offset", `<= ${bytes.length}`, size + offset);
      }
    }
    return bytes.subarray(offset, offset + size);
  }

  function randomFillSync(buf, offset = 0, size) {
    host.randomFill(fillArgs(buf, offset, size));
    return buf;
  }

  function randomFill(buf, offset, size, callback) {
    if (typeof offset === "function") {
      callback = offset;
      offset = 0;
      size = undefined;
    } else if (typeof size === "function") {
      callback = size;
      size = undefined;
    }
    validateFunction(callback, "callback");
    host.randomFill(fillArgs(buf, offset, size));
    later(() => callback(null, buf));
  }

  const RAND_MAX = 0xffffffffffff;

  function randomInt(min, max, callback) {
    const minNotSpecified = typeof max === "undefined" || typeof max === "function";
    if (minNotSpecified) {
      callback = max;
      max = min;
      min = 0;
    }
    const isSync = typeof callback === "undefined";
    if (!isSync) validateFunction(callback, "callback");
    if (!Number.isSafeInteger(min)) throw new ERR_INVALID_ARG_TYPE("min", "a safe integer", min);
    if (!Number.isSafeInteger(max)) throw new ERR_INVALID_ARG_TYPE("max", "a safe integer", max);
    if (max <= min) throw new ERR_OUT_OF_RANGE("max", `greater than the value of "min" (${min})`, max);
    const range = max - min;
    if (!(range <= RAND_MAX)) throw new ERR_OUT_OF_RANGE(`max${minNotSpecified ? "" : " - min"}`, `<= ${RAND_MAX}`, range);
    const randLimit = RAND_MAX - (RAND_MAX % range);
    const bytes = new Uint8Array(6);
    let n;
    do {
      host.randomFill(bytes);
      n = bytes[0] * 2 ** 40 + bytes[1] * 2 ** 32 + bytes[2] * 2 ** 24 + bytes[3] * 2 ** 16 + bytes[4] * 2 ** 8 + bytes[5];
    } while (n >= randLimit);
    const result = min + (n % range);
    if (isSync) return result;
    later(() => callback(null, result));
  }

  function randomUUID(options) {
    if (options !== undefined) validateObject(options, "options");
    return globalThis.crypto.randomUUID();
  }

  function getRandomValues(data) {
    return globalThis.crypto.getRandomValues(data);
  }

  function timingSafeEqual(buf1, buf2) {
    const types = ["ArrayBuffer", "Buffer", "TypedArray", "DataView"];
    if (typeof buf1 === "string") throw new ERR_INVALID_ARG_TYPE("buf1", types, buf1);
    if (typeof buf2 === "string") throw new ERR_INVALID_ARG_TYPE("buf2", types, buf2);
    const a = toBytes(buf1, "buf1", undefined, types);
    const b = toBytes(buf2, "buf2", undefined, types);
    if (a.byteLength !== b.byteLength) throw new ERR_CRYPTO_TIMING_SAFE_EQUAL_LENGTH();
    return host.timingSafeEqual(a, b);
  }

  function pbkdf2Args(password, salt, iterations, keylen, digest) {
    const pw = toBytes(password, "password");
    const s = toBytes(salt, "salt");
    validateInt32(iterations, "iterations", 1);
    validateInt32(keylen, "keylen", 0);
    validateString(digest, "digest");
    return [pw, s];
  }

  function pbkdf2Sync(password, salt, iterations, keylen, digest) {
    const [pw, s] = pbkdf2Args(password, salt, iterations, keylen, digest);
    const out = host.pbkdf2(pw, s, iterations, keylen, digest);
    if (out === null) throw new ERR_CRYPTO_INVALID_DIGEST(digest);
    return Buffer.from(out);
  }

  function pbkdf2(password, salt, iterations, keylen, digest, callback) {
    if (typeof digest === "function") {
      callback = digest;
      digest = undefined;
    }
    const [pw, s] = pbkdf2Args(password, salt, iterations, keylen, digest);
    validateFunction(callback, "callback");
    const out = host.pbkdf2(pw, s, iterations, keylen, digest);
    if (out === null) throw new ERR_CRYPTO_INVALID_DIGEST(digest);
    later(() => callback(null, Buffer.from(out)));
  }

  function hkdfArgs(digest, ikm, salt, info, length) {
    validateString(digest, "digest");
    const key = toBytes(ikm, "ikm", undefined, ["string", "ArrayBuffer", "Buffer", "TypedArray", "DataView", "KeyObject", "CryptoKey"]);
    const s = toBytes(salt, "salt");
    const i = toBytes(info, "info");
    validateInteger(length, "length", 0, kMaxLength);
    if (i.byteLength > 1024) throw new ERR_OUT_OF_RANGE("info", "must not contain more than 1024 bytes", i.byteLength);
    return [key, s, i];
  }

  function hkdfSync(digest, ikm, salt, info, length) {
    const [key, s, i] = hkdfArgs(digest, ikm, salt, info, length);
    const out = host.hkdf(digest, key, s, i, length);
    if (out === null) {
      if (host.hashNew(digest) === null) throw new ERR_CRYPTO_INVALID_DIGEST(digest);
      throw new ERR_CRYPTO_INVALID_KEYLEN();
    }
    return out;
  }

  function hkdf(digest, ikm, salt, info, length, callback) {
    const [key, s, i] = hkdfArgs(digest, ikm, salt, info, length);
    validateFunction(callback, "callback");
    const out = host.hkdf(digest, key, s, i, length);
    if (out === null) {
      if (host.hashNew(digest) === null) throw new ERR_CRYPTO_INVALID_DIGEST(digest);
      throw new ERR_CRYPTO_INVALID_KEYLEN();
    }
    later(() => callback(null, out));
  }

  return {
    Hash,
    Hmac,
    createHash,
    createHmac,
    hash,
    randomBytes,
    pseudoRandomBytes: randomBytes,
    prng: randomBytes,
    rng: randomBytes,
    randomFill,
    randomFillSync,
    randomInt,
    randomUUID,
    getRandomValues,
    timingSafeEqual,
    pbkdf2,
    pbkdf2Sync,
    hkdf,
    hkdfSync,
    getHashes: () => host.hashNames(),
    getCiphers: () => [],
    getCurves: () => [],
    getFips: () => 0,
    constants: {},
    get webcrypto() {
      return globalThis.crypto;
    },
    get subtle() {
      return globalThis.crypto.subtle;
    },
  };
});
