// node:util/types (also util.types): checks of internal slots. goja has no
// V8 type checks; each is a tag from Object.prototype.toString confirmed by
// a call that only works on the real thing.

defineModule("util/types", () => {
  const tagOf = (v) => Object.prototype.toString.call(v).slice(8, -1);
  const typedArrayTag = Object.getOwnPropertyDescriptor(Object.getPrototypeOf(Uint8Array.prototype), Symbol.toStringTag).get;

  function brand(fn, v) {
    try {
      fn.call(v);
      return true;
    } catch {
      return false;
    }
  }
  const getter = (ctor, name) => Object.getOwnPropertyDescriptor(ctor.prototype, name).get;
  const mapSize = getter(Map, "size");
  const setSize = getter(Set, "size");
  const abLength = getter(ArrayBuffer, "byteLength");
  const dvLength = getter(DataView, "byteLength");
  const reSource = getter(RegExp, "source");
  const isObj = (v) => typeof v === "object" && v !== null;

  const is = (tag, check) => (v) => isObj(v) && tagOf(v) === tag && (check === undefined || brand(check, v));
  const typed = (name) => (v) => isObj(v) && typedArrayTag.call(v) === name;

  const types = {
    isArrayBuffer: is("ArrayBuffer", abLength),
    isSharedArrayBuffer: () => false,
    isAnyArrayBuffer: (v) => types.isArrayBuffer(v),
    isArrayBufferView: (v) => ArrayBuffer.isView(v),
    isArgumentsObject: (v) => isObj(v) && tagOf(v) === "Arguments",
    isAsyncFunction: (v) => typeof v === "function" && tagOf(v) === "AsyncFunction",
    isGeneratorFunction: (v) => typeof v === "function" && (tagOf(v) === "GeneratorFunction" || tagOf(v) === "AsyncGeneratorFunction"),
    isGeneratorObject: (v) => isObj(v) && tagOf(v) === "Generator",
    isBooleanObject: is("Boolean", Boolean.prototype.valueOf),
    isNumberObject: is("Number", Number.prototype.valueOf),
    isStringObject: is("String", String.prototype.valueOf),
    isSymbolObject: is("Symbol", Symbol.prototype.valueOf),
    isBigIntObject: is("BigInt", BigInt.prototype.valueOf),
    isBoxedPrimitive: (v) =>
      types.isBooleanObject(v) || types.isNumberObject(v) || types.isStringObject(v) || types.isSymbolObject(v) || types.isBigIntObject(v),
    isDataView: is("DataView", dvLength),
    isDate: is("Date", Date.prototype.getTime),
    isExternal: () => false,
    isMap: is("Map", mapSize),
    isSet: is("Set", setSize),
    isWeakMap: is("WeakMap", function () {
      WeakMap.prototype.has.call(this, {});
    }),
    isWeakSet: is("WeakSet", function () {
      WeakSet.prototype.has.call(this, {});
    }),
    isMapIterator: (v) => isObj(v) && tagOf(v) === "Map Iterator",
    isSetIterator: (v) => isObj(v) && tagOf(v) === "Set Iterator",
    isModuleNamespaceObject: () => false,
    isNativeError: (v) => isObj(v) && tagOf(v) === "Error" && v instanceof Error,
    isPromise: (v) => isObj(v) && host.isPromise(v),
    isProxy: (v) => isObj(v) && host.isProxy(v),
    isRegExp: is("RegExp", reSource),
    isTypedArray: (v) => isObj(v) && typedArrayTag.call(v) !== undefined,
    isUint8Array: typed("Uint8Array"),
    isUint8ClampedArray: typed("Uint8ClampedArray"),
    isUint16Array: typed("Uint16Array"),
    isUint32Array: typed("Uint32Array"),
    isInt8Array: typed("Int8Array"),
    isInt16Array: typed("Int16Array"),
    isInt32Array: typed("Int32Array"),
    isFloat32Array: typed("Float32Array"),
    isFloat64Array: typed("Float64Array"),
    isBigInt64Array: typed("BigInt64Array"),
    isBigUint64Array: typed("BigUint64Array"),
    isKeyObject: () => false,
    isCryptoKey: (v) => typeof globalThis.CryptoKey === "function" && v instanceof globalThis.CryptoKey,
  };
  return types;
});
