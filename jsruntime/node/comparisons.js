// Deep equality as Node's assert and util.isDeepStrictEqual compare
// (internal/util/comparisons): strict compares prototypes, tags and
// primitives with Object.is; loose compares primitives with ==.

function isDeepEqual(val1, val2, strict, memos) {
  if (val1 === val2) {
    if (val1 !== 0) return true;
    return strict ? Object.is(val1, val2) : true;
  }
  if (strict) {
    if (typeof val1 !== "object") return typeof val1 === "number" && Number.isNaN(val1) && Number.isNaN(val2);
    if (typeof val2 !== "object" || val1 === null || val2 === null) return false;
    if (Object.getPrototypeOf(val1) !== Object.getPrototypeOf(val2)) return false;
  } else {
    if (val1 === null || typeof val1 !== "object") {
      if (val2 === null || typeof val2 !== "object") {
        // eslint-disable-next-line eqeqeq
        return val1 == val2 || (Number.isNaN(val1) && Number.isNaN(val2));
      }
      return false;
    }
    if (val2 === null || typeof val2 !== "object") return false;
  }
  const tag1 = Object.prototype.toString.call(val1);
  const tag2 = Object.prototype.toString.call(val2);
  if (tag1 !== tag2) return false;

  if (Array.isArray(val1)) {
    if (!Array.isArray(val2) || val1.length !== val2.length) return false;
    const keys1 = ownKeysForCompare(val1, strict, true);
    const keys2 = ownKeysForCompare(val2, strict, true);
    if (keys1.length !== keys2.length) return false;
    return keyCheck(val1, val2, strict, memos, "array", keys1);
  }
  if (tag1 === "[object Object]" || tag1 === "[object Arguments]") {
    return keyCheck(val1, val2, strict, memos, "object");
  }
  if (val1 instanceof Date) {
    if (!(val2 instanceof Date) || val1.getTime() !== val2.getTime()) return false;
  } else if (val1 instanceof RegExp) {
    if (!(val2 instanceof RegExp) || val1.source !== val2.source || val1.flags !== val2.flags || val1.lastIndex !== val2.lastIndex) {
      return false;
    }
  } else if (val1 instanceof Error) {
    if (!(val2 instanceof Error) || val1.message !== val2.message || val1.name !== val2.name) return false;
  } else if (ArrayBuffer.isView(val1)) {
    if (!ArrayBuffer.isView(val2)) return false;
    const a = new Uint8Array(val1.buffer, val1.byteOffset, val1.byteLength);
    const b = new Uint8Array(val2.buffer, val2.byteOffset, val2.byteLength);
    if (!strict && (tag1 === "[object Float32Array]" || tag1 === "[object Float64Array]")) {
      if (val1.length !== val2.length) return false;
      for (let i = 0; i < val1.length; i++) if (val1[i] !== val2[i]) return false;
    } else {
      if (a.length !== b.length) return false;
      for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
    }
    const keys1 = ownKeysForCompare(val1, strict, true);
    if (keys1.length !== ownKeysForCompare(val2, strict, true).length) return false;
    return keyCheck(val1, val2, strict, memos, "object", keys1);
  } else if (val1 instanceof Set) {
    if (!(val2 instanceof Set) || val1.size !== val2.size) return false;
    return keyCheck(val1, val2, strict, memos, "set");
  } else if (val1 instanceof Map) {
    if (!(val2 instanceof Map) || val1.size !== val2.size) return false;
    return keyCheck(val1, val2, strict, memos, "map");
  } else if (val1 instanceof ArrayBuffer) {
    if (!(val2 instanceof ArrayBuffer) || val1.byteLength !== val2.byteLength) return false;
    const a = new Uint8Array(val1);
    const b = new Uint8Array(val2);
    for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  } else if (tag1 === "[object Number]" || tag1 === "[object String]" || tag1 === "[object Boolean]" || tag1 === "[object BigInt]" || tag1 === "[object Symbol]") {
    if (!Object.is(val1.valueOf(), val2.valueOf())) return false;
  } else if (typeof val1 === "function" || tag1 === "[object WeakMap]" || tag1 === "[object WeakSet]" || tag1 === "[object Promise]") {
    return false;
  }
  return keyCheck(val1, val2, strict, memos, "object");
}

function ownKeysForCompare(val, strict, skipIndices) {
  const keys = Object.keys(val).filter((k) => !(skipIndices && /^(0|[1-9][0-9]*)$/.test(k)));
  if (strict) {
    for (const s of Object.getOwnPropertySymbols(val)) {
      if (Object.prototype.propertyIsEnumerable.call(val, s)) keys.push(s);
    }
  }
  return keys;
}

function keyCheck(val1, val2, strict, memos, kind, aKeys) {
  if (aKeys === undefined) {
    aKeys = ownKeysForCompare(val1, strict, false);
    const bKeys = ownKeysForCompare(val2, strict, false);
    if (aKeys.length !== bKeys.length) return false;
  }
  for (const key of aKeys) {
    if (!Object.prototype.propertyIsEnumerable.call(val2, key)) return false;
  }
  if (memos === undefined) {
    memos = { val1: new Map(), val2: new Map(), position: 0 };
  } else {
    const val2MemoA = memos.val1.get(val1);
    if (val2MemoA !== undefined) {
      const val2MemoB = memos.val2.get(val2);
      if (val2MemoB !== undefined) return val2MemoA === val2MemoB;
    }
    memos.position++;
  }
  memos.val1.set(val1, memos.position);
  memos.val2.set(val2, memos.position);
  const result = objEquiv(val1, val2, strict, aKeys, memos, kind);
  memos.val1.delete(val1);
  memos.val2.delete(val2);
  return result;
}

function setHasEqual(set, val, strict, memos) {
  for (const v of set) if (isDeepEqual(val, v, strict, memos)) return v;
  return undefined;
}

function objEquiv(a, b, strict, keys, memos, kind) {
  if (kind === "array") {
    for (let i = 0; i < a.length; i++) {
      const has1 = Object.prototype.hasOwnProperty.call(a, i);
      if (has1 !== Object.prototype.hasOwnProperty.call(b, i)) return false;
      if (has1 && !isDeepEqual(a[i], b[i], strict, memos)) return false;
    }
  } else if (kind === "set") {
    const rest = new Set(b);
    for (const v of a) {
      if (rest.has(v)) {
        rest.delete(v);
        continue;
      }
      if (typeof v !== "object" || v === null) {
        if (strict) return false;
      }
      const match = setHasEqual(rest, v, strict, memos);
      if (match === undefined && !rest.has(match)) return false;
      rest.delete(match);
    }
  } else if (kind === "map") {
    for (const [k, v] of a) {
      if (b.has(k)) {
        if (!isDeepEqual(v, b.get(k), strict, memos)) return false;
        continue;
      }
      let found = false;
      for (const [k2, v2] of b) {
        if (isDeepEqual(k, k2, strict, memos) && isDeepEqual(v, v2, strict, memos)) {
          found = true;
          break;
        }
      }
      if (!found) return false;
    }
  }
  for (const key of keys) {
    if (!isDeepEqual(a[key], b[key], strict, memos)) return false;
  }
  return true;
}
