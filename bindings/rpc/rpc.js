// The JS shapes of Workers RPC: RpcTarget, stubs (RpcStub, service bindings
// and Durable Object stubs), RPC promises and properties. They are callable
// Proxies whose own behaviour is workerd's (a wildcard property is an RPC
// property only where no real property exists: stub.toString is
// Object.prototype.toString). What crosses to the other side is in Go
// (native); evaluated once per isolate.
(function (native) {
  const records = new WeakMap(); // proxy -> {kind, h, parent, name, inner}
  const illegal = () => new TypeError("Illegal constructor");

  class RpcTarget {}

  function tag(cls, name) {
    Object.defineProperty(cls.prototype, Symbol.toStringTag, { value: name, configurable: true });
  }

  // A callable object whose prototype is proto (not Function.prototype).
  function callable(proto) {
    const fn = () => {};
    delete fn.name;
    delete fn.length;
    Object.setPrototypeOf(fn, proto);
    return fn;
  }

  // wrap makes the Proxy for rec over target: real properties first (own or
  // inherited), then RPC properties for every other string key.
  function wrap(target, rec, noThen) {
    const p = new Proxy(target, {
      get(t, k, r) {
        if (typeof k === "symbol" || k in t) return Reflect.get(t, k, r);
        if (noThen && k === "then") return undefined;
        return property(p, k);
      },
      apply(t, self, args) { return invoke(rec, args); },
    });
    records.set(p, rec);
    return p;
  }

  const recordOf = (v) => records.get(v);
  function recordFor(self, cls) {
    const rec = records.get(self);
    if (!rec || !(self instanceof cls)) throw new TypeError("Illegal invocation");
    return rec;
  }

  // root walks from a property to the stub or promise it hangs off and
  // collects the property path on the way.
  function root(rec) {
    const path = [];
    while (rec.kind === "property") {
      path.unshift(rec.name);
      rec = records.get(rec.parent);
    }
    return [rec, path];
  }

  function invoke(rec, args) {
    const [r, path] = root(rec);
    return promise(native.call(r.h, path, args, false));
  }

  function get(rec) {
    const [r, path] = root(rec);
    return native.call(r.h, path, undefined, true)[0];
  }

  class RpcStub {
    constructor(value) {
      if ((typeof value !== "object" && typeof value !== "function") || value === null) {
        throw new TypeError("RpcStubs can only wrap plain objects, functions, and RpcTarget derivatives.");
      }
      return stub(native.wrap(value));
    }
    dup() { return stub(native.dup(recordFor(this, RpcStub).h)); }
    [Symbol.dispose]() { native.dispose(recordFor(this, RpcStub).h); }
  }
  tag(RpcStub, "JsRpcStub");

  function stub(h) {
    const t = callable(RpcStub.prototype);
    return wrap(t, { kind: "stub", h }, true);
  }

  class RpcProperty {
    constructor() { throw illegal(); }
    then(onFulfilled, onRejected) { return get(recordFor(this, RpcProperty)).then(onFulfilled, onRejected); }
    catch(onRejected) { return get(recordFor(this, RpcProperty)).catch(onRejected); }
    finally(onFinally) { return get(recordFor(this, RpcProperty)).finally(onFinally); }
  }
  tag(RpcProperty, "JsRpcProperty");

  function property(parent, name) {
    return wrap(callable(RpcProperty.prototype), { kind: "property", parent, name }, false);
  }

  class RpcPromise {
    constructor() { throw illegal(); }
    then(onFulfilled, onRejected) { return recordFor(this, RpcPromise).inner.then(onFulfilled, onRejected); }
    catch(onRejected) { return recordFor(this, RpcPromise).inner.catch(onRejected); }
    finally(onFinally) { return recordFor(this, RpcPromise).inner.finally(onFinally); }
    [Symbol.dispose]() { native.disposePromise(recordFor(this, RpcPromise).h); }
  }
  tag(RpcPromise, "JsRpcPromise");

  function promise([inner, h]) {
    return wrap(callable(RpcPromise.prototype), { kind: "promise", h, inner }, false);
  }

  // ServiceStub is the type of a service binding (workerd's Fetcher).
  class ServiceStub {
    constructor() { throw illegal(); }
    fetch(input, init) {
      const rec = recordFor(this, ServiceStub);
      let req;
      try {
        if (typeof input === "string" && !/^https?:/i.test(input)) {
          throw new TypeError(`Fetch API cannot load: ${input}`);
        }
        req = new Request(input, init);
      } catch (e) {
        return Promise.reject(e);
      }
      return rec.fetch ? rec.fetch(req) : native.fetch(rec.h, req);
    }
    connect() { throw new Error("connect() over a binding is not implemented in emu yet"); }
  }
  tag(ServiceStub, "Fetcher");

  // DurableObjectStub is a Durable Object stub: a ServiceStub with its own
  // id and name.
  class DurableObjectStub extends ServiceStub {}
  tag(DurableObjectStub, "DurableObject");

  function service(h) {
    return wrap(Object.create(ServiceStub.prototype), { kind: "service", h }, true);
  }

  function durableObject(h, id, name, fetch) {
    const t = Object.create(DurableObjectStub.prototype);
    Object.defineProperty(t, "id", { value: id, enumerable: true });
    Object.defineProperty(t, "name", { value: name, enumerable: true });
    return wrap(t, { kind: "service", h, fetch }, true);
  }

  // classify tells the serializer what an object is: [kind, handle] for
  // stubs, promises and properties; undefined for anything else.
  function classify(v) {
    const rec = records.get(v);
    if (!rec) return undefined;
    return [rec.kind, rec.h];
  }

  // settle awaits a thenable that is not a native promise (an RPC promise
  // returned by a method), as V8 does when a method returns one.
  const settle = (v) => Promise.resolve(v);

  for (const cls of [RpcStub, RpcPromise, RpcProperty, ServiceStub]) {
    Object.defineProperty(cls, "name", { value: cls === ServiceStub ? "Fetcher" : "Js" + cls.name });
  }

  return { RpcTarget, RpcStub, RpcPromise, RpcProperty, ServiceStub, stub, service, durableObject, classify, settle, recordOf };
})
