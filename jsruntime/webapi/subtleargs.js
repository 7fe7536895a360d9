// crypto.subtle's arguments, converted as workerd's JSG layer converts them
// before a SubtleCrypto method runs (Web IDL dictionaries, buffer sources,
// keys), into the plain values the Go natives of subtle.go read. The
// messages are JSG's ("Failed to execute ... is not of type ...").

// cryptoKeyHandles maps each CryptoKey to its Go key (a handle only Go
// reads).
const cryptoKeyHandles = new WeakMap();

function subtleParamError(method, index, type) {
  return new TypeError(
    `Failed to execute '${method}' on 'SubtleCrypto': parameter ${index} is not of type '${type}'.`,
  );
}

function subtleFieldError(field, struct, type) {
  return new TypeError(
    `Incorrect type for the '${field}' field on '${struct}': the provided value is not of type '${type}'.`,
  );
}

// subtleBytes returns a BufferSource's bytes as an ArrayBuffer or a
// Uint8Array sharing its memory (what Go reads without a copy), or null.
function subtleBytes(v) {
  if (v instanceof Uint8Array || v instanceof ArrayBuffer) return v;
  if (ArrayBuffer.isView(v)) return new Uint8Array(v.buffer, v.byteOffset, v.byteLength);
  return null;
}

function bufferParam(v, method, index) {
  const b = subtleBytes(v);
  if (b === null) throw subtleParamError(method, index, "BufferSource");
  return b;
}

function keyParam(v, method, index) {
  const h = isObject(v) ? cryptoKeyHandles.get(v) : undefined;
  if (h === undefined) throw subtleParamError(method, index, "CryptoKey");
  return h;
}

function usagesParam(v, method, index) {
  if (!Array.isArray(v)) throw subtleParamError(method, index, "Array");
  const out = [];
  for (let i = 0; i < v.length; i++) out.push(String(v[i]));
  return out;
}

// subtleInt converts a number as JSG converts to a C++ int: not finite is
// 0, out of range a TypeError, a fraction truncated.
function subtleInt(v) {
  const n = Number(v);
  if (!Number.isFinite(n)) return 0;
  if (n > 2147483647 || n < -2147483648) {
    throw new TypeError("Value out of range. Must be between -2147483648 and 2147483647 (inclusive).");
  }
  return Math.trunc(n);
}

// The members of each algorithm dictionary, in workerd's order, with their
// types: "string", "int", "buffer", "hash" (a HashAlgorithm or its name),
// "key" (a CryptoKey) or "bool".
const algorithmMembers = {
  HashAlgorithm: [],
  EncryptAlgorithm: [
    ["iv", "buffer"],
    ["additionalData", "buffer"],
    ["tagLength", "int"],
    ["counter", "buffer"],
    ["length", "int"],
    ["label", "buffer"],
  ],
  SignAlgorithm: [
    ["hash", "hash"],
    ["dataLength", "int"],
    ["saltLength", "int"],
  ],
  GenerateKeyAlgorithm: [
    ["hash", "hash"],
    ["modulusLength", "int"],
    ["publicExponent", "buffer"],
    ["length", "int"],
    ["namedCurve", "string"],
  ],
  ImportKeyAlgorithm: [
    ["hash", "hash"],
    ["length", "int"],
    ["namedCurve", "string"],
    ["compressed", "bool"],
  ],
  DeriveKeyAlgorithm: [
    ["salt", "buffer"],
    ["iterations", "int"],
    ["hash", "hash"],
    ["public", "key"],
    ["info", "buffer"],
  ],
};

// algorithmParam converts an AlgorithmIdentifier (a string, or a
// dictionary of the kind named) to {name, ...members given}.
function algorithmParam(v, kind) {
  if (!isObject(v)) return { name: String(v) };
  const out = { name: String(v.name) };
  for (const [field, type] of algorithmMembers[kind]) {
    const m = v[field];
    if (m === undefined) continue;
    switch (type) {
      case "string":
        out[field] = String(m);
        break;
      case "int":
        out[field] = subtleInt(m);
        break;
      case "bool":
        out[field] = Boolean(m);
        break;
      case "hash":
        out[field] = isObject(m) ? String(m.name) : String(m);
        break;
      case "buffer": {
        const b = subtleBytes(m);
        if (b === null) throw subtleFieldError(field, kind, "BufferSource");
        out[field] = b;
        break;
      }
      case "key": {
        const h = isObject(m) ? cryptoKeyHandles.get(m) : undefined;
        if (h === undefined) throw subtleFieldError(field, kind, "CryptoKey");
        out[field] = h;
        break;
      }
    }
  }
  return out;
}

const jwkStringMembers = ["use", "alg", "crv", "x", "y", "d", "n", "e", "p", "q", "dp", "dq", "qi", "k"];

// jwkParam converts a JsonWebKey dictionary: strings, key_ops an array of
// strings, ext a boolean, oth an array of dictionaries.
function jwkParam(v) {
  const out = { kty: String(v.kty) };
  const ops = v.key_ops;
  if (ops !== undefined) {
    if (!Array.isArray(ops)) throw subtleFieldError("key_ops", "JsonWebKey", "Array");
    out.key_ops = [];
    for (let i = 0; i < ops.length; i++) out.key_ops.push(String(ops[i]));
  }
  if (v.ext !== undefined) out.ext = Boolean(v.ext);
  for (const field of jwkStringMembers) {
    if (v[field] !== undefined) out[field] = String(v[field]);
  }
  if (v.oth !== undefined) {
    if (!Array.isArray(v.oth)) throw subtleFieldError("oth", "JsonWebKey", "Array");
    out.oth = true;
  }
  return out;
}

// keyDataParam converts importKey's keyData: a BufferSource or a JsonWebKey.
function keyDataParam(v, method, index) {
  const b = subtleBytes(v);
  if (b !== null) return b;
  if (!isObject(v)) throw subtleParamError(method, index, "BufferSource or JsonWebKey");
  return jwkParam(v);
}

// deriveBitsLength converts deriveBits' optional, nullable length.
function deriveBitsLength(v) {
  if (v === undefined || v === null) return null;
  const n = subtleInt(v);
  if (n < 0) throw new TypeError("deriveBits length must be an unsigned long integer.");
  return n;
}
