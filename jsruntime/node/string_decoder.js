// node:string_decoder: StringDecoder, which decodes chunks of bytes
// without splitting a character between two chunks.

defineModule("string_decoder", () => {
  const { Buffer } = loadModule("buffer");
  const encodings = {
    utf8: "utf8",
    "utf-8": "utf8",
    ucs2: "utf16le",
    "ucs-2": "utf16le",
    utf16le: "utf16le",
    "utf-16le": "utf16le",
    latin1: "latin1",
    binary: "latin1",
    base64: "base64",
    base64url: "base64url",
    hex: "hex",
    ascii: "ascii",
  };

  function normalize(enc) {
    if (enc === undefined || enc === null || enc === "") return "utf8";
    const e = encodings[String(enc).toLowerCase()];
    if (e === undefined) throw new ERR_UNKNOWN_ENCODING(enc);
    return e;
  }

  // completeLength is how many of bytes' leading bytes form whole
  // characters in enc; the rest wait for the next chunk.
  function completeLength(bytes, enc) {
    const n = bytes.length;
    switch (enc) {
      case "utf8": {
        for (let back = 1; back <= Math.min(3, n); back++) {
          const c = bytes[n - back];
          if ((c & 0xc0) === 0x80) continue; // continuation byte
          const need = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc0 ? 2 : 1;
          return need > back ? n - back : n;
        }
        return n;
      }
      case "utf16le": {
        // An odd byte waits; a whole chunk ending in a high surrogate
        // keeps it for the low one.
        if (n % 2 === 1) return n - 1;
        if (n >= 2) {
          const unit = bytes[n - 2] | (bytes[n - 1] << 8);
          if (unit >= 0xd800 && unit <= 0xdbff) return n - 2;
        }
        return n;
      }
      case "base64":
      case "base64url":
        return n - (n % 3);
    }
    return n;
  }

  class StringDecoder {
    #pending = new Uint8Array(0);
    constructor(encoding) {
      this.encoding = normalize(encoding);
    }

    write(buf) {
      if (typeof buf === "string") return buf;
      if (!ArrayBuffer.isView(buf)) {
        throw new ERR_INVALID_ARG_TYPE("buf", ["Buffer", "TypedArray", "DataView"], buf);
      }
      const chunk = new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
      let bytes = chunk;
      if (this.#pending.length > 0) {
        bytes = new Uint8Array(this.#pending.length + chunk.length);
        bytes.set(this.#pending);
        bytes.set(chunk, this.#pending.length);
      }
      let head = "";
      if (this.encoding === "utf16le" && this.#pending.length > 0) {
        // The unit (or pair) that was waiting is decoded as soon as it is
        // whole, as Node does, before the rest of the chunk.
        const total = this.#pending.length === 1 ? 2 : 4;
        if (bytes.length < total) {
          this.#pending = bytes.slice();
          return "";
        }
        head = Buffer.from(bytes.buffer, bytes.byteOffset, total).toString("utf16le");
        bytes = bytes.subarray(total);
      }
      const end = completeLength(bytes, this.encoding);
      this.#pending = bytes.slice(end);
      return head + (end === 0 ? "" : Buffer.from(bytes.buffer, bytes.byteOffset, end).toString(this.encoding));
    }

    end(buf) {
      let out = buf === undefined ? "" : this.write(buf);
      if (this.#pending.length > 0) {
        const rest = this.#pending;
        this.#pending = new Uint8Array(0);
        out += Buffer.from(rest).toString(this.encoding);
      }
      return out;
    }

    text(buf, offset) {
      return this.write(buf.subarray(offset));
    }

    get lastNeed() {
      return 0;
    }

    get lastTotal() {
      return this.#pending.length;
    }
  }

  return { StringDecoder };
});
