// The Iterator global and its helpers (ES2025), which goja lacks: Iterator
// is %IteratorPrototype%'s constructor (abstract), Iterator.from wraps
// iterators that do not inherit from it, and the helper methods return
// iterator helpers (map, filter, take, drop, flatMap) or consume the
// iterator (reduce, toArray, forEach, some, every, find).

if (typeof Iterator !== "function") {
  const IteratorPrototype = Object.getPrototypeOf(Object.getPrototypeOf([][Symbol.iterator]()));

  function Iterator() {
    if (new.target === undefined || new.target === Iterator) {
      throw new TypeError("Abstract class Iterator not directly constructable");
    }
  }
  Object.defineProperty(Iterator, "prototype", { value: IteratorPrototype, writable: false });
  Object.defineProperty(IteratorPrototype, "constructor", { value: Iterator, writable: true, configurable: true });
  if (!(Symbol.toStringTag in IteratorPrototype)) {
    Object.defineProperty(IteratorPrototype, Symbol.toStringTag, { value: "Iterator", writable: true, configurable: true });
  }

  // getDirect reads the iterator record of an object (its next method).
  const getDirect = (o, method) => {
    if (!isObject(o)) throw new TypeError(`Iterator.prototype.${method} called on non-object`);
    return { it: o, next: o.next };
  };
  const step = (rec) => {
    const r = rec.next.call(rec.it);
    if (!isObject(r)) throw new TypeError(`Iterator result ${String(r)} is not an object`);
    return r;
  };
  const close = (rec) => {
    const ret = rec.it.return;
    if (ret !== undefined && ret !== null) ret.call(rec.it);
  };
  const closeAfter = (rec, fn) => {
    try {
      return fn();
    } catch (e) {
      try {
        close(rec);
      } catch {
        // the first error wins
      }
      throw e;
    }
  };

  // IteratorHelperPrototype: next runs the helper's step; return closes the
  // underlying iterator.
  const HelperPrototype = Object.create(IteratorPrototype);
  const helperState = new WeakMap();
  defineMethods(HelperPrototype, {
    next() {
      const s = helperState.get(this);
      if (s === undefined) throw new TypeError("Iterator helper next called on incompatible receiver");
      if (s.done) return { value: undefined, done: true };
      if (s.running) throw new TypeError("Generator is already running");
      s.running = true;
      try {
        const r = s.step();
        if (r === undefined) {
          s.done = true;
          return { value: undefined, done: true };
        }
        return { value: r[0], done: false };
      } catch (e) {
        s.done = true;
        throw e;
      } finally {
        s.running = false;
      }
    },
    return() {
      const s = helperState.get(this);
      if (s === undefined) throw new TypeError("Iterator helper return called on incompatible receiver");
      if (!s.done) {
        s.done = true;
        if (s.inner) close(s.inner);
        close(s.rec);
      }
      return { value: undefined, done: true };
    },
  });
  Object.defineProperty(HelperPrototype, Symbol.toStringTag, { value: "Iterator Helper", configurable: true });
  const helper = (rec, makeStep) => {
    const h = Object.create(HelperPrototype);
    const s = { rec, done: false, running: false, inner: null, step: null };
    s.step = makeStep(s);
    helperState.set(h, s);
    return h;
  };
  const count = (v, name) => {
    const n = Number(v);
    if (Number.isNaN(n)) throw new RangeError(`${String(v)} must be positive`);
    const k = Math.trunc(n);
    if (k < 0) throw new RangeError(`${String(v)} must be positive`);
    return k;
  };

  defineMethods(IteratorPrototype, {
    map(mapper) {
      const rec = getDirect(this, "map");
      closeAfter(rec, () => requireCallable(mapper, String(mapper)));
      let k = 0;
      return helper(rec, () => () => {
        const r = step(rec);
        if (r.done) return undefined;
        return [closeAfter(rec, () => mapper(r.value, k++))];
      });
    },
    filter(predicate) {
      const rec = getDirect(this, "filter");
      closeAfter(rec, () => requireCallable(predicate, String(predicate)));
      let k = 0;
      return helper(rec, () => () => {
        for (;;) {
          const r = step(rec);
          if (r.done) return undefined;
          if (closeAfter(rec, () => predicate(r.value, k++))) return [r.value];
        }
      });
    },
    take(limit) {
      const rec = getDirect(this, "take");
      let left = closeAfter(rec, () => count(limit));
      return helper(rec, () => () => {
        if (left === 0) {
          close(rec);
          return undefined;
        }
        left--;
        const r = step(rec);
        return r.done ? undefined : [r.value];
      });
    },
    drop(limit) {
      const rec = getDirect(this, "drop");
      let skip = closeAfter(rec, () => count(limit));
      return helper(rec, () => () => {
        for (; skip > 0; skip--) {
          if (step(rec).done) return undefined;
        }
        const r = step(rec);
        return r.done ? undefined : [r.value];
      });
    },
    flatMap(mapper) {
      const rec = getDirect(this, "flatMap");
      closeAfter(rec, () => requireCallable(mapper, String(mapper)));
      let k = 0;
      return helper(rec, (s) => () => {
        for (;;) {
          if (s.inner !== null) {
            const r = step(s.inner);
            if (!r.done) return [r.value];
            s.inner = null;
          }
          const r = step(rec);
          if (r.done) return undefined;
          const mapped = closeAfter(rec, () => mapper(r.value, k++));
          s.inner = closeAfter(rec, () => {
            if (!isObject(mapped)) throw new TypeError(`${String(mapped)} is not an object`);
            const m = mapped[Symbol.iterator];
            const it = m == null ? mapped : m.call(mapped);
            return { it, next: it.next };
          });
        }
      });
    },
    reduce(reducer, ...init) {
      const rec = getDirect(this, "reduce");
      closeAfter(rec, () => requireCallable(reducer, String(reducer)));
      let acc;
      let k = 0;
      if (init.length > 0) {
        acc = init[0];
      } else {
        const r = step(rec);
        if (r.done) throw new TypeError("Reduce of empty iterator with no initial value");
        acc = r.value;
        k = 1;
      }
      for (;;) {
        const r = step(rec);
        if (r.done) return acc;
        acc = closeAfter(rec, () => reducer(acc, r.value, k++));
      }
    },
    toArray() {
      const rec = getDirect(this, "toArray");
      const out = [];
      for (;;) {
        const r = step(rec);
        if (r.done) return out;
        out.push(r.value);
      }
    },
    forEach(fn) {
      const rec = getDirect(this, "forEach");
      closeAfter(rec, () => requireCallable(fn, String(fn)));
      let k = 0;
      for (;;) {
        const r = step(rec);
        if (r.done) return undefined;
        closeAfter(rec, () => fn(r.value, k++));
      }
    },
    some(predicate) {
      return findIn(this, "some", predicate, (hit) => (hit ? [true] : undefined), false);
    },
    every(predicate) {
      return findIn(this, "every", predicate, (hit) => (hit ? undefined : [false]), true);
    },
    find(predicate) {
      return findIn(this, "find", predicate, (hit, v) => (hit ? [v] : undefined), undefined);
    },
  });
  Object.defineProperty(IteratorPrototype.reduce, "length", { value: 1 });

  // findIn runs predicate over the iterator until decide returns [result]
  // (closing the iterator), or returns otherwise at the end.
  function findIn(o, method, predicate, decide, otherwise) {
    const rec = getDirect(o, method);
    closeAfter(rec, () => requireCallable(predicate, String(predicate)));
    let k = 0;
    for (;;) {
      const r = step(rec);
      if (r.done) return otherwise;
      const v = r.value;
      const d = decide(closeAfter(rec, () => predicate(v, k++)), v);
      if (d !== undefined) {
        close(rec);
        return d[0];
      }
    }
  }

  // Iterator.from: an iterable's iterator if it inherits from
  // Iterator.prototype, else a wrapper that does.
  const WrapPrototype = Object.create(IteratorPrototype);
  const wrapped = new WeakMap();
  defineMethods(WrapPrototype, {
    next() {
      const rec = wrapped.get(this);
      return rec.next.call(rec.it);
    },
    return() {
      const rec = wrapped.get(this);
      const ret = rec.it.return;
      return ret == null ? { value: undefined, done: true } : ret.call(rec.it);
    },
  });
  defineMethods(Iterator, {
    from(o) {
      let it = o;
      if (typeof o === "string" || isObject(o)) {
        const m = o[Symbol.iterator];
        if (m != null) it = m.call(o);
      }
      if (!isObject(it)) throw new TypeError(`${String(o)} is not an object`);
      if (it instanceof Iterator) return it;
      const w = Object.create(WrapPrototype);
      wrapped.set(w, { it, next: it.next });
      return w;
    },
  });
  defineGlobal("Iterator", Iterator);
}
