// Buffer's methods that read and write numbers: Node's argument checks and
// error messages here, the byte work in goja_nodejs's Buffer (integers and
// bigints) or a DataView (floats, which Node writes unchecked).

function installNumberMethods(proto) {
  const go = host.bufNumeric();

  function boundsError(value, length, type) {
    if (Math.floor(value) !== value) {
      validateNumber(value, type);
      throw new ERR_OUT_OF_RANGE(type || "offset", "an integer", value);
    }
    if (length < 0) throw new ERR_BUFFER_OUT_OF_BOUNDS();
    throw new ERR_OUT_OF_RANGE(type || "offset", `>= ${type ? 1 : 0} and <= ${length}`, value);
  }

  function checkBounds(buf, offset, byteLength) {
    validateNumber(offset, "offset");
    if (buf[offset] === undefined || buf[offset + byteLength] === undefined) {
      boundsError(offset, buf.length - (byteLength + 1));
    }
  }

  function checkInt(value, min, max, buf, offset, byteLength) {
    if (value > max || value < min) {
      const n = typeof min === "bigint" ? "n" : "";
      let range;
      if (byteLength > 3) {
        if (min === 0 || min === 0n) {
          range = `>= 0${n} and < 2${n} ** ${(byteLength + 1) * 8}${n}`;
        } else {
          range = `>= -(2${n} ** ${(byteLength + 1) * 8 - 1}${n}) and < 2 ** ${(byteLength + 1) * 8 - 1}${n}`;
        }
      } else {
        range = `>= ${min}${n} and <= ${max}${n}`;
      }
      throw new ERR_OUT_OF_RANGE("value", range, value);
    }
    checkBounds(buf, offset, byteLength);
  }

  // Fixed-size integers and bigints: [name, byteLength, min, max].
  const fixed = [
    ["UInt8", 1, 0, 0xff],
    ["UInt16LE", 2, 0, 0xffff],
    ["UInt16BE", 2, 0, 0xffff],
    ["UInt32LE", 4, 0, 0xffffffff],
    ["UInt32BE", 4, 0, 0xffffffff],
    ["Int8", 1, -0x80, 0x7f],
    ["Int16LE", 2, -0x8000, 0x7fff],
    ["Int16BE", 2, -0x8000, 0x7fff],
    ["Int32LE", 4, -0x80000000, 0x7fffffff],
    ["Int32BE", 4, -0x80000000, 0x7fffffff],
    ["BigInt64LE", 8, -(2n ** 63n), 2n ** 63n - 1n],
    ["BigInt64BE", 8, -(2n ** 63n), 2n ** 63n - 1n],
    ["BigUInt64LE", 8, 0n, 2n ** 64n - 1n],
    ["BigUInt64BE", 8, 0n, 2n ** 64n - 1n],
  ];
  for (const [name, size, min, max] of fixed) {
    const read = go[`read${name}`];
    const write = go[`write${name}`];
    const big = typeof min === "bigint";
    const readFn = function (offset = 0) {
      validateNumber(offset, "offset");
      if (this[offset] === undefined || this[offset + size - 1] === undefined) boundsError(offset, this.length - size);
      return read.call(this, offset);
    };
    const writeFn = function (value, offset = 0) {
      if (!big) value = +value;
      if (size === 1) {
        validateNumber(offset, "offset");
        if (value > max || value < min) throw new ERR_OUT_OF_RANGE("value", `>= ${min} and <= ${max}`, value);
        if (this[offset] === undefined) boundsError(offset, this.length - 1);
      } else {
        checkInt(value, min, max, this, offset, size - 1);
      }
      if (!big && !Number.isInteger(value)) value = Math.trunc(value) || 0;
      write.call(this, value, offset);
      return offset + size;
    };
    proto[`read${name}`] = readFn;
    proto[`write${name}`] = writeFn;
    if (name.includes("UInt")) {
      proto[`read${name.replace("UInt", "Uint")}`] = readFn;
      proto[`write${name.replace("UInt", "Uint")}`] = writeFn;
    }
  }

  // Variable-size integers: readIntLE(offset, byteLength) and the rest.
  for (const name of ["IntLE", "IntBE", "UIntLE", "UIntBE"]) {
    const read = go[`read${name}`];
    const write = go[`write${name}`];
    const signed = !name.startsWith("U");
    const readFn = function (offset, byteLength) {
      if (offset === undefined) throw new ERR_INVALID_ARG_TYPE("offset", "number", offset);
      validateNumber(offset, "offset");
      if (byteLength === undefined) throw new ERR_INVALID_ARG_TYPE("byteLength", "number", byteLength);
      if (!Number.isInteger(byteLength) || byteLength < 1 || byteLength > 6) boundsError(byteLength, 6, "byteLength");
      if (this[offset] === undefined || this[offset + byteLength - 1] === undefined) {
        boundsError(offset, this.length - byteLength);
      }
      return read.call(this, offset, byteLength);
    };
    const writeFn = function (value, offset, byteLength) {
      if (byteLength === undefined) throw new ERR_INVALID_ARG_TYPE("byteLength", "number", byteLength);
      if (!Number.isInteger(byteLength) || byteLength < 1 || byteLength > 6) boundsError(byteLength, 6, "byteLength");
      value = +value;
      const bits = 8 * byteLength;
      const min = signed ? -(2 ** (bits - 1)) : 0;
      const max = signed ? 2 ** (bits - 1) - 1 : 2 ** bits - 1;
      checkInt(value, min, max, this, offset, byteLength - 1);
      write.call(this, Math.trunc(value) || 0, offset, byteLength);
      return offset + byteLength;
    };
    proto[`read${name}`] = readFn;
    proto[`write${name}`] = writeFn;
    if (!signed) {
      proto[`read${name.replace("UInt", "Uint")}`] = readFn;
      proto[`write${name.replace("UInt", "Uint")}`] = writeFn;
    }
  }

  // Floats, through a DataView (Node writes any value, as IEEE 754).
  for (const [name, size, get, set, little] of [
    ["FloatLE", 4, "getFloat32", "setFloat32", true],
    ["FloatBE", 4, "getFloat32", "setFloat32", false],
    ["DoubleLE", 8, "getFloat64", "setFloat64", true],
    ["DoubleBE", 8, "getFloat64", "setFloat64", false],
  ]) {
    proto[`read${name}`] = function (offset = 0) {
      validateNumber(offset, "offset");
      if (this[offset] === undefined || this[offset + size - 1] === undefined) boundsError(offset, this.length - size);
      return new DataView(this.buffer, this.byteOffset, this.byteLength)[get](offset, little);
    };
    proto[`write${name}`] = function (value, offset = 0) {
      value = +value;
      checkBounds(this, offset, size - 1);
      new DataView(this.buffer, this.byteOffset, this.byteLength)[set](offset, value, little);
      return offset + size;
    };
  }
}
