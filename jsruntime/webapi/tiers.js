// Lazy loading. Making a function object costs goja about a microsecond, and
// the fetch and console APIs have hundreds, so they are defined on first use:
// the areas webapi.go puts in tier NAME are wrapped in a function
// __tier_NAME, and the globals and registry entries listed here are
// accessors that run it once. Everything else is defined eagerly. This file
// runs last.

function lazyTier(load, globals, internals) {
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
  for (const name of [...globals, ...internals]) {
    Object.defineProperty(registry, name, {
      get: () => registryValue(name),
      configurable: true,
      enumerable: true,
    });
  }
}

lazyTier(
  __tier_fetch,
  [
    "URL",
    "URLSearchParams",
    "Headers",
    "ReadableStream",
    "ReadableStreamDefaultReader",
    "ReadableStreamDefaultController",
    "Request",
    "Response",
    "fetch",
  ],
  ["__newIncomingRequest", "__readResponse"],
);

lazyTier(__tier_console, ["console"], ["__inspect", "__format", "__formatWithOptions"]);

for (const name of [
  "FormData",
  "Blob",
  "File",
  "CryptoKey",
  "WritableStream",
  "WritableStreamDefaultWriter",
  "TransformStream",
  "ReadableStreamBYOBReader",
  "ByteLengthQueuingStrategy",
  "CountQueuingStrategy",
  "TextEncoderStream",
  "TextDecoderStream",
  "CompressionStream",
  "DecompressionStream",
  "IdentityTransformStream",
  "FixedLengthStream",
]) {
  stubClass(name);
}
lazyGlobal("SubtleCrypto", () => {
  loadSubtle();
  return registry.SubtleCrypto;
});
