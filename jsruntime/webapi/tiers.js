// Lazy loading. Making a function object costs goja about a microsecond, and
// the fetch and console APIs have hundreds, so they are defined on first use:
// the areas webapi.go puts in tier NAME are wrapped in a function
// __tier_NAME, and the globals and registry entries listed here are
// accessors that run it once. Everything else is defined eagerly. This file
// runs last.

// lazyTier defines the globals and registry entries of a tier and returns
// the function that loads it. With registerGlobals false, the tier's
// globals get registry entries only once it is loaded (for tiers Go code
// does not look classes up in: it spares an accessor per global).
function lazyTier(load, globals, internals, registerGlobals = true) {
  let loaded = false;
  const ensure = () => {
    if (!loaded) {
      loaded = true;
      load();
    }
  };
  const registryValue = (name) => {
    ensure();
    const d = Object.getOwnPropertyDescriptor(registry, name);
    return d !== undefined && "value" in d ? d.value : undefined;
  };
  for (const name of globals) {
    lazyGlobal(name, () => {
      ensure();
      const d = Object.getOwnPropertyDescriptor(globalThis, name);
      return d !== undefined && "value" in d ? d.value : registryValue(name);
    });
  }
  for (const name of registerGlobals ? [...globals, ...internals] : internals) {
    Object.defineProperty(registry, name, {
      get: () => registryValue(name),
      configurable: true,
      enumerable: true,
    });
  }
  return ensure;
}

lazyTier(
  __tier_fetch,
  [
    "URL",
    "URLSearchParams",
    "Headers",
    "Request",
    "Response",
    "fetch",
    "Blob",
    "File",
    "FormData",
  ],
  ["__newIncomingRequest", "__readResponse"],
);

ensureStreams = lazyTier(
  __tier_streams,
  [
    "ReadableStream",
    "ReadableStreamDefaultReader",
    "ReadableStreamBYOBReader",
    "ReadableStreamDefaultController",
    "ReadableByteStreamController",
    "ReadableStreamBYOBRequest",
    "WritableStream",
    "WritableStreamDefaultWriter",
    "WritableStreamDefaultController",
    "TransformStream",
    "TransformStreamDefaultController",
    "ByteLengthQueuingStrategy",
    "CountQueuingStrategy",
    "TextEncoderStream",
    "TextDecoderStream",
    "CompressionStream",
    "DecompressionStream",
    "IdentityTransformStream",
    "FixedLengthStream",
  ],
  [],
  false,
);

lazyTier(__tier_console, ["console"], ["__inspect", "__format", "__formatWithOptions"]);

// crypto.subtle and its classes are the tier "subtle" (subtle.js): run by
// the first read of crypto.subtle (crypto.js), SubtleCrypto or CryptoKey.
// Two plain lazy globals cost a new runtime less than lazyTier would.
let subtleLoaded = false;
function loadSubtle() {
  if (!subtleLoaded) {
    subtleLoaded = true;
    __tier_subtle();
  }
  return registry.__subtle;
}
lazyGlobal("SubtleCrypto", () => (loadSubtle(), registry.SubtleCrypto));
lazyGlobal("CryptoKey", () => (loadSubtle(), registry.CryptoKey));
