// node:buffer: Buffer, a Uint8Array subclass (Node's FastBuffer pattern,
// so subarray and slice give Buffers), with Node's encodings (utf8, hex,
// base64, base64url, latin1/binary, ascii, utf16le/ucs2; the byte work in
// buffer.go) and its read/write methods of numbers (goja_nodejs's, behind
// Node's argument checks and messages).

defineModule("buffer", () => {
  const kMaxLength = 2 ** 32;
  const kStringMaxLength = 2 ** 29 - 24;
  const INSPECT_MAX_BYTES = 50;
  const customInspect = Symbol.for("nodejs.util.inspect.custom");

  class FastBuffer extends Uint8Array {}

  function normalizeEncoding(enc) {
    if (enc == null || enc === "utf8" || enc === "utf-8") return "utf8";
    switch (String(enc).toLowerCase()) {
      case "utf8":
      case "utf-8":
      case "":
        return "utf8";
      case "ucs2":
      case "ucs-2":
      case "utf16le":
      case "utf-16le":
        return "utf16le";
      case "latin1":
      case "binary":
        return "latin1";
      case "base64":
      case "base64url":
      case "hex":
      case "ascii":
        return String(enc).toLowerCase();
    }
    return undefined;
  }

  // encodingOf validates an encoding argument: undefined is utf8.
  function encodingOf(encoding) {
    if (encoding === undefined) return "utf8";
    const enc = typeof encoding === "string" ? normalizeEncoding(encoding) : undefined;
    if (enc === undefined) throw new ERR_UNKNOWN_ENCODING(encoding);
    return enc;
  }

  const fromBytes = (ab) => new FastBuffer(ab);
  const encodeString = (s, enc) => fromBytes(host.bufEncode(s, enc));

  function Buffer(arg, encodingOrOffset, length) {
    if (typeof arg === "number") {
      if (typeof encodingOrOffset === "string") {
        throw new ERR_INVALID_ARG_TYPE("string", "string", arg);
      }
      return Buffer.alloc(arg);
    }
    return Buffer.from(arg, encodingOrOffset, length);
  }
  Object.defineProperty(Buffer, Symbol.species, { get: () => FastBuffer, configurable: true });
  FastBuffer.prototype.constructor = Buffer;
  Buffer.prototype = FastBuffer.prototype;
  Object.setPrototypeOf(Buffer, Uint8Array);
  Buffer.poolSize = 8192;

  Buffer.from = function from(value, encodingOrOffset, length) {
    if (typeof value === "string") return fromString(value, encodingOrOffset);
    if (typeof value === "object" && value !== null) {
      if (value instanceof ArrayBuffer || objToStringTag(value) === "SharedArrayBuffer") {
        return fromArrayBuffer(value, encodingOrOffset, length);
      }
      const valueOf = value.valueOf && value.valueOf();
      if (valueOf != null && valueOf !== value && (typeof valueOf === "string" || typeof valueOf === "object")) {
        return from(valueOf, encodingOrOffset, length);
      }
      const b = fromObject(value);
      if (b) return b;
      if (typeof value[Symbol.toPrimitive] === "function") {
        const primitive = value[Symbol.toPrimitive]("string");
        if (typeof primitive === "string") return fromString(primitive, encodingOrOffset);
      }
    }
    throw new ERR_INVALID_ARG_TYPE("first argument", ["string", "Buffer", "ArrayBuffer", "Array", "Array-like Object"], value);
  };

  const objToStringTag = (v) => Object.prototype.toString.call(v).slice(8, -1);

  function fromString(string, encoding) {
    let enc;
    if (typeof encoding !== "string" || encoding.length === 0) {
      if (string.length === 0) return new FastBuffer();
      enc = "utf8";
    } else {
      enc = normalizeEncoding(encoding);
      if (enc === undefined) throw new ERR_UNKNOWN_ENCODING(encoding);
    }
    return encodeString(string, enc);
  }

  function fromArrayBuffer(obj, byteOffset, length) {
    if (byteOffset === undefined) {
      byteOffset = 0;
    } else {
      byteOffset = +byteOffset;
      if (Number.isNaN(byteOffset)) byteOffset = 0;
    }
    const maxLength = obj.byteLength - byteOffset;
    if (maxLength < 0) throw new ERR_BUFFER_OUT_OF_BOUNDS("offset");
    if (length === undefined) {
      length = maxLength;
    } else {
      length = +length;
      if (length > 0) {
        if (length > maxLength) throw new ERR_BUFFER_OUT_OF_BOUNDS("length");
      } else {
        length = 0;
      }
    }
    return new FastBuffer(obj, byteOffset, length);
  }

  function fromArrayLike(obj) {
    if (obj.length <= 0) return new FastBuffer();
    const b = new FastBuffer(obj.length);
    for (let i = 0; i < obj.length; i++) b[i] = obj[i];
    return b;
  }

  function fromObject(obj) {
    if (obj.length !== undefined || obj instanceof ArrayBuffer || ArrayBuffer.isView(obj)) {
      if (ArrayBuffer.isView(obj) && !(obj instanceof DataView) && obj.BYTES_PER_ELEMENT === 1) {
        return new FastBuffer(new Uint8Array(obj.buffer, obj.byteOffset, obj.byteLength).slice().buffer);
      }
      if (typeof obj.length !== "number") return new FastBuffer();
      return fromArrayLike(obj);
    }
    if (obj.type === "Buffer" && Array.isArray(obj.data)) return fromArrayLike(obj.data);
    return undefined;
  }

  Buffer.copyBytesFrom = function copyBytesFrom(view, offset, length) {
    if (!ArrayBuffer.isView(view) || view instanceof DataView) {
      throw new ERR_INVALID_ARG_TYPE("view", ["TypedArray"], view);
    }
    const viewLength = view.length;
    if (viewLength === 0) return Buffer.alloc(0);
    if (offset !== undefined || length !== undefined) {
      if (offset !== undefined) {
        validateInteger(offset, "offset", 0);
        if (offset >= viewLength) return new FastBuffer();
      } else {
        offset = 0;
      }
      let end;
      if (length !== undefined) {
        validateInteger(length, "length", 0);
        end = offset + length;
      } else {
        end = viewLength;
      }
      view = view.subarray(offset, end);
    }
    return new FastBuffer(new Uint8Array(view.buffer, view.byteOffset, view.byteLength).slice().buffer);
  };

  Buffer.of = function of(...items) {
    const b = new FastBuffer(items.length);
    for (let k = 0; k < items.length; k++) b[k] = items[k];
    return b;
  };

  function assertSize(size) {
    validateNumber(size, "size", 0, kMaxLength);
  }

  Buffer.alloc = function alloc(size, fill, encoding) {
    assertSize(size);
    if (fill !== undefined && fill !== 0 && size > 0) {
      const buf = new FastBuffer(size);
      return _fill(buf, fill, 0, buf.length, encoding);
    }
    return new FastBuffer(size);
  };
  Buffer.allocUnsafe = function allocUnsafe(size) {
    assertSize(size);
    return new FastBuffer(size);
  };
  Buffer.allocUnsafeSlow = function allocUnsafeSlow(size) {
    assertSize(size);
    return new FastBuffer(size);
  };
  function SlowBuffer(size) {
    assertSize(size);
    return new FastBuffer(size);
  }
  Object.setPrototypeOf(SlowBuffer.prototype, Uint8Array.prototype);
  Object.setPrototypeOf(SlowBuffer, Uint8Array);

  Buffer.isBuffer = function isBuffer(b) {
    return b instanceof Buffer;
  };

  Buffer.isEncoding = function isEncoding(encoding) {
    return typeof encoding === "string" && encoding.length !== 0 && normalizeEncoding(encoding) !== undefined;
  };

  const isUint8Array = (v) => ArrayBuffer.isView(v) && objToStringTag(v) === "Uint8Array";

  Buffer.compare = function compare(buf1, buf2) {
    if (!isUint8Array(buf1)) throw new ERR_INVALID_ARG_TYPE("buf1", ["Buffer", "Uint8Array"], buf1);
    if (!isUint8Array(buf2)) throw new ERR_INVALID_ARG_TYPE("buf2", ["Buffer", "Uint8Array"], buf2);
    if (buf1 === buf2) return 0;
    return host.bufCompare(buf1, buf2);
  };

  Buffer.byteLength = function byteLength(string, encoding) {
    if (typeof string !== "string") {
      if (ArrayBuffer.isView(string) || string instanceof ArrayBuffer || objToStringTag(string) === "SharedArrayBuffer") {
        return string.byteLength;
      }
      throw new ERR_INVALID_ARG_TYPE("string", ["string", "Buffer", "ArrayBuffer"], string);
    }
    const len = string.length;
    if (len === 0) return 0;
    const enc = (encoding !== undefined && normalizeEncoding(encoding)) || "utf8";
    switch (enc) {
      case "latin1":
      case "ascii":
        return len;
      case "utf16le":
        return len * 2;
      case "hex":
        return len >>> 1;
      case "base64":
      case "base64url": {
        let bytes = len;
        if (string.charCodeAt(bytes - 1) === 0x3d) bytes--;
        if (bytes > 1 && string.charCodeAt(bytes - 1) === 0x3d) bytes--;
        return (bytes * 3) >>> 2;
      }
    }
    return host.bufByteLength(string, "utf8");
  };

  Buffer.concat = function concat(list, length) {
    validateArray(list, "list");
    if (list.length === 0) return new FastBuffer();
    if (length === undefined) {
      length = 0;
      for (let i = 0; i < list.length; i++) {
        if (list[i].length) length += list[i].length;
      }
    } else {
      validateOffset(length, "length");
    }
    const buffer = Buffer.allocUnsafe(length);
    let pos = 0;
    for (let i = 0; i < list.length; i++) {
      const buf = list[i];
      if (!isUint8Array(buf)) throw new ERR_INVALID_ARG_TYPE(`list[${i}]`, ["Buffer", "Uint8Array"], list[i]);
      pos += _copyActual(buf, buffer, pos, 0, buf.length);
    }
    if (pos < length) buffer.fill(0, pos, length);
    return buffer;
  };

  function validateOffset(value, name, min = 0, max = kMaxLength) {
    validateNumber(value, name);
    if (!Number.isInteger(value)) throw new ERR_OUT_OF_RANGE(name, "an integer", value);
    if (value < min || value > max) throw new ERR_OUT_OF_RANGE(name, `>= ${min} && <= ${max}`, value);
  }

  function _copyActual(source, target, targetStart, sourceStart, sourceEnd) {
    if (sourceEnd - sourceStart > target.length - targetStart) sourceEnd = sourceStart + target.length - targetStart;
    let nb = sourceEnd - sourceStart;
    const sourceLen = source.length - sourceStart;
    if (nb > sourceLen) nb = sourceLen;
    if (nb <= 0) return 0;
    target.set(new Uint8Array(source.buffer, source.byteOffset + sourceStart, nb), targetStart);
    return nb;
  }

  const proto = Buffer.prototype;

  proto.toString = function toString(encoding, start, end) {
    if (arguments.length === 0) return host.bufDecode(this, "utf8");
    const len = this.length;
    if (start <= 0) start = 0;
    else if (start >= len) return "";
    else start = Math.trunc(start) || 0;
    if (end === undefined || end > len) end = len;
    else end = Math.trunc(end) || 0;
    if (end <= start) return "";
    if (encoding === undefined) return host.bufDecode(this, "utf8", start, end);
    const enc = normalizeEncoding(encoding);
    if (enc === undefined) throw new ERR_UNKNOWN_ENCODING(encoding);
    return host.bufDecode(this, enc, start, end);
  };
  proto.toLocaleString = proto.toString;

  for (const [name, enc] of [
    ["asciiSlice", "ascii"],
    ["base64Slice", "base64"],
    ["base64urlSlice", "base64url"],
    ["latin1Slice", "latin1"],
    ["hexSlice", "hex"],
    ["ucs2Slice", "utf16le"],
    ["utf8Slice", "utf8"],
  ]) {
    proto[name] = function (start = 0, end = this.length) {
      return host.bufDecode(this, enc, start, end);
    };
  }
  for (const [name, enc] of [
    ["asciiWrite", "ascii"],
    ["base64Write", "base64"],
    ["base64urlWrite", "base64url"],
    ["latin1Write", "latin1"],
    ["hexWrite", "hex"],
    ["ucs2Write", "utf16le"],
    ["utf8Write", "utf8"],
  ]) {
    proto[name] = function (string, offset = 0, length = this.length - offset) {
      return writeString(this, string, offset, length, enc);
    };
  }

  proto.equals = function equals(otherBuffer) {
    if (!isUint8Array(otherBuffer)) {
      throw new ERR_INVALID_ARG_TYPE("otherBuffer", ["Buffer", "Uint8Array"], otherBuffer);
    }
    if (this === otherBuffer) return true;
    if (this.byteLength !== otherBuffer.byteLength) return false;
    return this.byteLength === 0 || host.bufCompare(this, otherBuffer) === 0;
  };

  proto.compare = function compare(target, targetStart, targetEnd, sourceStart, sourceEnd) {
    if (!isUint8Array(target)) throw new ERR_INVALID_ARG_TYPE("target", ["Buffer", "Uint8Array"], target);
    if (arguments.length === 1) return host.bufCompare(this, target);
    if (targetStart === undefined) targetStart = 0;
    else validateOffset(targetStart, "targetStart");
    if (targetEnd === undefined) targetEnd = target.length;
    else validateOffset(targetEnd, "targetEnd", 0, target.length);
    if (sourceStart === undefined) sourceStart = 0;
    else validateOffset(sourceStart, "sourceStart");
    if (sourceEnd === undefined) sourceEnd = this.length;
    else validateOffset(sourceEnd, "sourceEnd", 0, this.length);
    if (sourceStart >= sourceEnd) return targetStart >= targetEnd ? 0 : -1;
    if (targetStart >= targetEnd) return 1;
    return host.bufCompare(this.subarray(sourceStart, sourceEnd), target.subarray(targetStart, targetEnd));
  };

  proto.copy = function copy(target, targetStart, sourceStart, sourceEnd) {
    if (!ArrayBuffer.isView(target)) throw new ERR_INVALID_ARG_TYPE("target", ["Buffer", "Uint8Array"], target);
    if (targetStart === undefined) {
      targetStart = 0;
    } else {
      targetStart = +targetStart || 0;
      if (targetStart < 0) throw new ERR_OUT_OF_RANGE("targetStart", ">= 0", targetStart);
    }
    if (sourceStart === undefined) {
      sourceStart = 0;
    } else {
      sourceStart = +sourceStart || 0;
      if (sourceStart < 0 || sourceStart > this.length) {
        throw new ERR_OUT_OF_RANGE("sourceStart", `>= 0 && <= ${this.length}`, sourceStart);
      }
    }
    if (sourceEnd === undefined) {
      sourceEnd = this.length;
    } else {
      sourceEnd = +sourceEnd || 0;
      if (sourceEnd < 0) throw new ERR_OUT_OF_RANGE("sourceEnd", ">= 0", sourceEnd);
    }
    if (targetStart >= target.byteLength || sourceStart >= sourceEnd) return 0;
    const t = new Uint8Array(target.buffer, target.byteOffset, target.byteLength);
    return _copyActual(this, t, targetStart, sourceStart, Math.min(sourceEnd, this.length));
  };

  proto.slice = function slice(start, end) {
    const len = this.length;
    start = adjustOffset(start, len);
    end = end !== undefined ? adjustOffset(end, len) : len;
    const newLength = end > start ? end - start : 0;
    return new FastBuffer(this.buffer, this.byteOffset + start, newLength);
  };

  function adjustOffset(offset, length) {
    offset = Math.trunc(offset);
    if (offset === 0 || Number.isNaN(offset)) return 0;
    if (offset < 0) {
      offset += length;
      return offset > 0 ? offset : 0;
    }
    if (offset < length) return offset;
    return length;
  }

  proto.toJSON = function toJSON() {
    if (this.length > 0) {
      const data = new Array(this.length);
      for (let i = 0; i < this.length; ++i) data[i] = this[i];
      return { type: "Buffer", data };
    }
    return { type: "Buffer", data: [] };
  };

  function writeString(buf, string, offset, length, enc) {
    const bytes = host.bufEncode(string, enc);
    let n = Math.min(bytes.byteLength, length, buf.length - offset);
    if (n < 0) n = 0;
    const src = new Uint8Array(bytes);
    if (n < src.length) {
      if (enc === "utf8") {
        // Never write part of a character.
        while (n > 0 && (src[n] & 0xc0) === 0x80) n--;
      } else if (enc === "utf16le") {
        n -= n % 2;
      }
    }
    buf.set(src.subarray(0, n), offset);
    return n;
  }

  proto.write = function write(string, offset, length, encoding) {
    validateString(string, "argument");
    if (offset === undefined) return writeString(this, string, 0, this.length, "utf8");
    if (length === undefined && typeof offset === "string") {
      return writeString(this, string, 0, this.length, encodingOf(offset));
    }
    validateOffset(offset, "offset", 0, this.length);
    const remaining = this.length - offset;
    if (length === undefined) {
      length = remaining;
    } else if (typeof length === "string") {
      encoding = length;
      length = remaining;
    } else {
      validateOffset(length, "length", 0, this.length);
      if (length > remaining) length = remaining;
    }
    if (!encoding || encoding === "utf8") return writeString(this, string, offset, length, "utf8");
    return writeString(this, string, offset, length, encodingOf(encoding));
  };

  function _fill(buf, value, offset, end, encoding) {
    if (typeof value === "string") {
      if (offset === undefined || typeof offset === "string") {
        encoding = offset;
        offset = 0;
        end = buf.length;
      } else if (typeof end === "string") {
        encoding = end;
        end = buf.length;
      }
      const enc = encodingOf(encoding);
      if (value.length === 0) {
        value = 0;
      } else if (value.length === 1) {
        if (enc === "utf8") {
          const code = value.charCodeAt(0);
          if (code < 128) value = code;
        } else if (enc === "latin1") {
          value = value.charCodeAt(0);
        }
      }
      if (typeof value === "string") {
        value = encodeString(value, enc);
        if (value.length === 0) throw new ERR_INVALID_ARG_VALUE("value", value);
      }
    }
    if (offset === undefined) {
      offset = 0;
      end = buf.length;
    } else {
      validateOffset(offset, "offset");
      if (end === undefined) end = buf.length;
      else validateOffset(end, "end", 0, buf.length);
      if (offset >= end) return buf;
    }
    if (typeof value === "number") {
      Uint8Array.prototype.fill.call(buf, value & 255, offset, end);
    } else if (typeof value === "boolean") {
      Uint8Array.prototype.fill.call(buf, Number(value), offset, end);
    } else if (ArrayBuffer.isView(value)) {
      const pattern = new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
      if (pattern.length === 0) throw new ERR_INVALID_ARG_VALUE("value", value);
      for (let i = offset; i < end; i += pattern.length) {
        buf.set(pattern.subarray(0, Math.min(pattern.length, end - i)), i);
      }
    } else {
      Uint8Array.prototype.fill.call(buf, Number(value) & 255, offset, end);
    }
    return buf;
  }

  proto.fill = function fill(value, offset, end, encoding) {
    return _fill(this, value, offset, end, encoding);
  };

  function bidirectionalIndexOf(buffer, val, byteOffset, encoding, dir) {
    if (typeof byteOffset === "string") {
      encoding = byteOffset;
      byteOffset = undefined;
    } else if (byteOffset > 0x7fffffff) {
      byteOffset = 0x7fffffff;
    } else if (byteOffset < -0x80000000) {
      byteOffset = -0x80000000;
    }
    byteOffset = +byteOffset;
    if (Number.isNaN(byteOffset)) byteOffset = dir ? 0 : buffer.length || buffer.byteLength;
    let needle;
    if (typeof val === "number") {
      needle = new Uint8Array([val & 255]);
    } else if (typeof val === "string") {
      const enc = encoding === undefined ? "utf8" : normalizeEncoding(encoding);
      if (enc === undefined) throw new ERR_UNKNOWN_ENCODING(encoding);
      needle = new Uint8Array(host.bufEncode(val, enc));
    } else if (isUint8Array(val)) {
      needle = val;
    } else {
      throw new ERR_INVALID_ARG_TYPE("value", ["number", "string", "Buffer", "Uint8Array"], val);
    }
    const len = buffer.length;
    let start = byteOffset < 0 ? len + byteOffset : byteOffset;
    if (dir) {
      if (start < 0) start = 0;
      if (needle.length === 0) return Math.min(start, len);
      if (start >= len) return -1;
      return host.bufIndexOf(buffer, needle, start, false);
    }
    if (start < 0) return -1;
    if (start > len) start = len;
    if (needle.length === 0) return start;
    return host.bufIndexOf(buffer, needle, start, true);
  }

  proto.indexOf = function indexOf(val, byteOffset, encoding) {
    return bidirectionalIndexOf(this, val, byteOffset, encoding, true);
  };
  proto.lastIndexOf = function lastIndexOf(val, byteOffset, encoding) {
    return bidirectionalIndexOf(this, val, byteOffset, encoding, false);
  };
  proto.includes = function includes(val, byteOffset, encoding) {
    return this.indexOf(val, byteOffset, encoding) !== -1;
  };

  function swap(b, n, m) {
    const i = b[n];
    b[n] = b[m];
    b[m] = i;
  }
  proto.swap16 = function swap16() {
    if (this.length % 2 !== 0) throw new ERR_INVALID_BUFFER_SIZE("16");
    for (let i = 0; i < this.length; i += 2) swap(this, i, i + 1);
    return this;
  };
  proto.swap32 = function swap32() {
    if (this.length % 4 !== 0) throw new ERR_INVALID_BUFFER_SIZE("32");
    for (let i = 0; i < this.length; i += 4) {
      swap(this, i, i + 3);
      swap(this, i + 1, i + 2);
    }
    return this;
  };
  proto.swap64 = function swap64() {
    if (this.length % 8 !== 0) throw new ERR_INVALID_BUFFER_SIZE("64");
    for (let i = 0; i < this.length; i += 8) {
      swap(this, i, i + 7);
      swap(this, i + 1, i + 6);
      swap(this, i + 2, i + 5);
      swap(this, i + 3, i + 4);
    }
    return this;
  };

  proto[customInspect] = function (recurseTimes, ctx) {
    const max = INSPECT_MAX_BYTES;
    const actualMax = Math.min(max, this.length);
    const remaining = this.length - max;
    let str = host
      .bufDecode(this, "hex", 0, actualMax)
      .replace(/(.{2})/g, "$1 ")
      .trim();
    if (remaining > 0) str += ` ... ${remaining} more byte${remaining > 1 ? "s" : ""}`;
    if (ctx) {
      let extras = false;
      const obj = { __proto__: null };
      for (const key of Object.keys(this)) {
        if (/^(0|[1-9][0-9]*)$/.test(key)) continue;
        extras = true;
        obj[key] = this[key];
      }
      if (extras) {
        if (this.length !== 0) str += ", ";
        str += inspect(obj, { ...ctx, breakLength: Infinity, compact: true }).slice(27, -2);
      }
    }
    return `<${this.constructor.name} ${str}>`;
  };

  installNumberMethods(proto);

  return {
    Buffer,
    SlowBuffer,
    kMaxLength,
    kStringMaxLength,
    constants: { MAX_LENGTH: kMaxLength, MAX_STRING_LENGTH: kStringMaxLength },
    INSPECT_MAX_BYTES,
    atob: (...args) => globalThis.atob(...args),
    btoa: (...args) => globalThis.btoa(...args),
    isUtf8(input) {
      return host.bufIsUtf8(toBytes(input, "input"));
    },
    isAscii(input) {
      const b = toBytes(input, "input");
      for (let i = 0; i < b.length; i++) if (b[i] > 0x7f) return false;
      return true;
    },
    get Blob() {
      return globalThis.Blob;
    },
    get File() {
      return globalThis.File;
    },
  };

  function toBytes(input, name) {
    if (input instanceof ArrayBuffer) return new Uint8Array(input);
    if (ArrayBuffer.isView(input)) return new Uint8Array(input.buffer, input.byteOffset, input.byteLength);
    throw new ERR_INVALID_ARG_TYPE(name, ["ArrayBuffer", "Buffer", "TypedArray"], input);
  }
});
