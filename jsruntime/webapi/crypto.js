// crypto: getRandomValues and randomUUID (Go natives in crypto.go); crypto.subtle
// is subtle.js's.

const cryptoToken = Symbol("crypto");

// isIntegerTypedArray reports whether v is one of the integer typed arrays
// getRandomValues accepts (a tag check, so no typed array class is touched
// before first use).
function isIntegerTypedArray(v) {
  switch (Object.prototype.toString.call(v)) {
    case "[object Int8Array]":
    case "[object Uint8Array]":
    case "[object Uint8ClampedArray]":
    case "[object Int16Array]":
    case "[object Uint16Array]":
    case "[object Int32Array]":
    case "[object Uint32Array]":
    case "[object BigInt64Array]":
    case "[object BigUint64Array]":
      return true;
  }
  return false;
}

class Crypto {
  constructor(token = undefined) {
    if (token !== cryptoToken) throw new TypeError("Illegal constructor");
  }
  // crypto.subtle is made on first use (the lazy tier "subtle": see tiers.js).
  get subtle() {
    return loadSubtle();
  }
  // crypto.DigestStream is made on first use (digeststream.js).
  get DigestStream() {
    return digestStreamCtor();
  }
  getRandomValues(buffer) {
    if (!ArrayBuffer.isView(buffer)) {
      throw new TypeError(
        "Failed to execute 'getRandomValues' on 'Crypto': parameter 1 is not of type 'ArrayBufferView'.",
      );
    }
    if (!isIntegerTypedArray(buffer)) {
      throw domError(
        "ArrayBufferView argument to getRandomValues() must be an integer-typed view.",
        "TypeMismatchError",
      );
    }
    if (buffer.byteLength > 0x10000) {
      throw domError(
        `getRandomValues() only accepts buffers of size <= 64K but provided ${buffer.byteLength} bytes.`,
        "QuotaExceededError",
      );
    }
    host.randomFill(new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength));
    return buffer;
  }
  randomUUID() {
    return host.randomUUID();
  }
}
setToStringTag(Crypto);
exposeClass(Crypto);
defineGlobal("crypto", new Crypto(cryptoToken));
