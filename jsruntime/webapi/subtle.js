// crypto.subtle: SubtleCrypto and CryptoKey (workerd's api/crypto). The
// crypto is done in Go (subtle*.go); this file converts the arguments
// (subtleargs.js), makes CryptoKeys and turns every outcome into a
// promise: as in workerd (with capture_async_api_throws), a bad argument
// rejects the promise rather than throwing. This is the lazy tier
// "subtle": it runs on first use of crypto.subtle, SubtleCrypto or
// CryptoKey.

const SubtlePromise = Promise;

class CryptoKey {
  constructor(token = undefined) {
    if (token !== cryptoToken) throw new TypeError("Illegal constructor");
  }
}
setToStringTag(CryptoKey);
exposeClass(CryptoKey);

// newCryptoKey makes the CryptoKey of a key info object from Go:
// {handle, type, extractable, algorithm, usages}. Its properties are its
// own and read-only, as workerd's instance properties.
function newCryptoKey(info) {
  const key = new CryptoKey(cryptoToken);
  const algorithm = info.algorithm;
  if (algorithm.publicExponent !== undefined) {
    algorithm.publicExponent = new Uint8Array(algorithm.publicExponent);
  }
  Object.defineProperties(key, {
    type: { value: info.type, enumerable: true },
    extractable: { value: info.extractable, enumerable: true },
    algorithm: { value: algorithm, enumerable: true },
    usages: { value: info.usages, enumerable: true },
  });
  cryptoKeyHandles.set(key, info.handle);
  return key;
}

// keyOrPair makes the result of generateKey: a CryptoKey or a CryptoKeyPair.
function keyOrPair(info) {
  if (info.handle !== undefined) return newCryptoKey(info);
  return { publicKey: newCryptoKey(info.publicKey), privateKey: newCryptoKey(info.privateKey) };
}

// settle runs a method's body: its value, or what it threw, as a promise.
function settle(self, body) {
  try {
    if (!(self instanceof SubtleCrypto)) throw new TypeError("Illegal invocation");
    return SubtlePromise.resolve(body());
  } catch (e) {
    return SubtlePromise.reject(e);
  }
}

class SubtleCrypto {
  constructor(token = undefined) {
    if (token !== cryptoToken) throw new TypeError("Illegal constructor");
  }
  encrypt(algorithm = undefined, key = undefined, plainText = undefined) {
    return settle(this, () => {
      const a = algorithmParam(algorithm, "EncryptAlgorithm");
      const k = keyParam(key, "encrypt", 2);
      return host.subtle("encrypt", a, k, bufferParam(plainText, "encrypt", 3));
    });
  }
  decrypt(algorithm = undefined, key = undefined, cipherText = undefined) {
    return settle(this, () => {
      const a = algorithmParam(algorithm, "EncryptAlgorithm");
      const k = keyParam(key, "decrypt", 2);
      return host.subtle("decrypt", a, k, bufferParam(cipherText, "decrypt", 3));
    });
  }
  sign(algorithm = undefined, key = undefined, data = undefined) {
    return settle(this, () => {
      const a = algorithmParam(algorithm, "SignAlgorithm");
      const k = keyParam(key, "sign", 2);
      return host.subtle("sign", a, k, bufferParam(data, "sign", 3));
    });
  }
  verify(algorithm = undefined, key = undefined, signature = undefined, data = undefined) {
    return settle(this, () => {
      const a = algorithmParam(algorithm, "SignAlgorithm");
      const k = keyParam(key, "verify", 2);
      const sig = bufferParam(signature, "verify", 3);
      return host.subtle("verify", a, k, sig, bufferParam(data, "verify", 4));
    });
  }
  digest(algorithm = undefined, data = undefined) {
    return settle(this, () => {
      const name = typeof algorithm === "string" ? algorithm : algorithmParam(algorithm, "HashAlgorithm").name;
      return host.subtle("digest", name, bufferParam(data, "digest", 2));
    });
  }
  generateKey(algorithm = undefined, extractable = undefined, keyUsages = undefined) {
    return settle(this, () => {
      const a = algorithmParam(algorithm, "GenerateKeyAlgorithm");
      const usages = usagesParam(keyUsages, "generateKey", 3);
      return keyOrPair(host.subtle("generateKey", a, Boolean(extractable), usages));
    });
  }
  deriveKey(
    algorithm = undefined,
    baseKey = undefined,
    derivedKeyAlgorithm = undefined,
    extractable = undefined,
    keyUsages = undefined,
  ) {
    return settle(this, () => {
      const a = algorithmParam(algorithm, "DeriveKeyAlgorithm");
      const k = keyParam(baseKey, "deriveKey", 2);
      const derived = algorithmParam(derivedKeyAlgorithm, "ImportKeyAlgorithm");
      const usages = usagesParam(keyUsages, "deriveKey", 5);
      return newCryptoKey(host.subtle("deriveKey", a, k, derived, Boolean(extractable), usages));
    });
  }
  deriveBits(algorithm = undefined, baseKey = undefined, length = undefined) {
    return settle(this, () => {
      const a = algorithmParam(algorithm, "DeriveKeyAlgorithm");
      const k = keyParam(baseKey, "deriveBits", 2);
      return host.subtle("deriveBits", a, k, deriveBitsLength(length));
    });
  }
  importKey(format = undefined, keyData = undefined, algorithm = undefined, extractable = undefined, keyUsages = undefined) {
    return settle(this, () => {
      const f = String(format);
      const data = keyDataParam(keyData, "importKey", 2);
      const a = algorithmParam(algorithm, "ImportKeyAlgorithm");
      const usages = usagesParam(keyUsages, "importKey", 5);
      return newCryptoKey(host.subtle("importKey", f, data, a, Boolean(extractable), usages));
    });
  }
  exportKey(format = undefined, key = undefined) {
    return settle(this, () => {
      const f = String(format);
      return host.subtle("exportKey", f, keyParam(key, "exportKey", 2));
    });
  }
  wrapKey(format = undefined, key = undefined, wrappingKey = undefined, wrapAlgorithm = undefined) {
    return settle(this, () => {
      const f = String(format);
      const k = keyParam(key, "wrapKey", 2);
      const w = keyParam(wrappingKey, "wrapKey", 3);
      return host.subtle("wrapKey", f, k, w, algorithmParam(wrapAlgorithm, "EncryptAlgorithm"));
    });
  }
  unwrapKey(
    format = undefined,
    wrappedKey = undefined,
    unwrappingKey = undefined,
    unwrapAlgorithm = undefined,
    unwrappedKeyAlgorithm = undefined,
    extractable = undefined,
    keyUsages = undefined,
  ) {
    return settle(this, () => {
      const f = String(format);
      const wrapped = bufferParam(wrappedKey, "unwrapKey", 2);
      const k = keyParam(unwrappingKey, "unwrapKey", 3);
      const a = algorithmParam(unwrapAlgorithm, "EncryptAlgorithm");
      const imported = algorithmParam(unwrappedKeyAlgorithm, "ImportKeyAlgorithm");
      const usages = usagesParam(keyUsages, "unwrapKey", 7);
      const bytes = host.subtle("unwrapKey", a, k, wrapped);
      let data = bytes;
      if (f === "jwk") {
        const jwk = JSON.parse(utf8Decode(new Uint8Array(bytes)));
        if (!isObject(jwk)) throw domError('Missing "kty" field or corrupt JSON unwrapping key?', "DataError");
        data = jwkParam(jwk);
      }
      return newCryptoKey(host.subtle("importKey", f, data, imported, Boolean(extractable), usages));
    });
  }
  // timingSafeEqual is workerd's extension (after Node's
  // crypto.timingSafeEqual); it is synchronous.
  timingSafeEqual(a = undefined, b = undefined) {
    if (!(this instanceof SubtleCrypto)) throw new TypeError("Illegal invocation");
    const x = bufferParam(a, "timingSafeEqual", 1);
    const y = bufferParam(b, "timingSafeEqual", 2);
    if (x.byteLength !== y.byteLength) throw new TypeError("Input buffers must have the same byte length.");
    return host.subtle("timingSafeEqual", x, y);
  }
}
setToStringTag(SubtleCrypto);
exposeClass(SubtleCrypto);
register("__subtle", new SubtleCrypto(cryptoToken));
