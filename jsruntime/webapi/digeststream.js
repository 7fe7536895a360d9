// crypto.DigestStream (workerd api/crypto/crypto.c++): a WritableStream
// whose `digest` promise resolves to the hash of the bytes written once the
// stream closes. The hash runs in Go (host.digestStart, crypto.go). The
// class extends WritableStream, so it is made on the first read of
// crypto.DigestStream, which loads the streams tier.

let digestStreamClass = null;

function digestStreamCtor() {
  if (digestStreamClass === null) {
    ensureStreams();
    digestStreamClass = makeDigestStream(globalThis.WritableStream ?? registry.WritableStream);
  }
  return digestStreamClass;
}

// digestAlgorithmName reads DigestStream's algorithm argument (a string or
// a HashAlgorithm dictionary).
function digestAlgorithmName(algorithm) {
  if (typeof algorithm === "string") return algorithm;
  if (isObject(algorithm) && algorithm.name !== undefined) return String(algorithm.name);
  if (isObject(algorithm)) {
    throw new TypeError(
      "Incorrect type for the 'name' field on 'HashAlgorithm': the provided value is not of type 'string'.",
    );
  }
  return String(algorithm);
}

function makeDigestStream(WritableStreamBase) {
  const disposed = () => new TypeError("The DigestStream was disposed.");
  class DigestStream extends WritableStreamBase {
    #digest;
    #bytes = 0n;
    #fail;
    constructor(algorithm = undefined) {
      const hash = host.digestStart(digestAlgorithmName(algorithm));
      let resolve, reject;
      const digest = new Promise((res, rej) => {
        resolve = res;
        reject = rej;
      });
      let state = "ready"; // "closed" or "errored"
      let error;
      let count = null; // adds to this.#bytes once the object exists
      const fail = (reason) => {
        if (state !== "ready") return;
        state = "errored";
        error = reason;
        reject(reason);
      };
      super({
        write(chunk) {
          let u8 = byteView(chunk);
          if (u8 === null) {
            if (typeof chunk !== "string") {
              return Promise.reject(
                new TypeError(
                  "DigestStream is a byte stream but received an object of non-ArrayBuffer/ArrayBufferView/string type on its writable side.",
                ),
              );
            }
            u8 = utf8Encode(chunk);
          }
          if (u8.byteLength === 0) return undefined;
          if (state === "errored") return Promise.reject(error);
          if (state === "ready") {
            hash.update(u8);
            count(u8.byteLength);
          }
          return undefined;
        },
        close() {
          if (state === "errored") return Promise.reject(error);
          if (state === "ready") {
            state = "closed";
            resolve(hash.finish());
          }
          return undefined;
        },
        abort(reason) {
          fail(reason);
          return undefined;
        },
      });
      this.#digest = digest;
      this.#fail = () => fail(disposed());
      count = (n) => {
        this.#bytes += BigInt(n);
      };
      // An unobserved rejection of digest is not an unhandled one.
      digest.catch(() => {});
    }
    get digest() {
      return this.#digest;
    }
    get bytesWritten() {
      return this.#bytes;
    }
    static {
      if (typeof Symbol.dispose === "symbol") {
        Object.defineProperty(DigestStream.prototype, Symbol.dispose, {
          value: function dispose() {
            this.#fail();
          },
          writable: true,
          configurable: true,
        });
      }
    }
  }
  setToStringTag(DigestStream);
  return DigestStream;
}
