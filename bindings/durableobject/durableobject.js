// JS shapes of Durable Object ids, stubs and namespace bindings. State and
// behaviour are in Go (native); evaluated once per isolate.
(function (native) {
  const token = Symbol("emu.do");
  class DurableObjectId {
    #id; #name; #ns;
    constructor(t, id, name, ns) {
      if (t !== token) throw new TypeError("Illegal constructor");
      this.#id = id; this.#name = name; this.#ns = ns;
    }
    toString() { return this.#id; }
    toJSON() { return this.#id; }
    equals(other) { return other instanceof DurableObjectId && other.toString() === this.#id; }
    get name() { return this.#name; }
    static nsOf(id) { return id.#ns; }
  }
  const isId = (v) => v instanceof DurableObjectId;

  function makeStub(ns, id) {
    const idStr = id.toString();
    const name = id.name;
    const fetch = (req) => native.fetch(ns, idStr, name, req);
    return native.stub(ns, idStr, name, id, fetch);
  }

  class DurableObjectNamespace {
    #ns;
    constructor(t, ns) {
      if (t !== token) throw new TypeError("Illegal constructor");
      this.#ns = ns;
    }
    idFromName(name) {
      name = String(name);
      return new DurableObjectId(token, native.idFromName(this.#ns, name), name, this.#ns);
    }
    newUniqueId(options) {
      if (options?.jurisdiction !== undefined) throw new Error("Jurisdiction restrictions are not implemented in workerd.");
      return new DurableObjectId(token, native.newUniqueId(this.#ns), undefined, this.#ns);
    }
    idFromString(s) {
      return new DurableObjectId(token, native.idFromString(this.#ns, String(s)), undefined, this.#ns);
    }
    get(id, options) {
      if (!isId(id)) throw new TypeError("Failed to execute 'get' on 'DurableObjectNamespace': parameter 1 is not of type 'DurableObjectId'.");
      if (DurableObjectId.nsOf(id) !== this.#ns) throw new TypeError("Durable Object ID is not valid for this namespace.");
      return makeStub(this.#ns, id);
    }
    getByName(name, options) { return this.get(this.idFromName(name), options); }
    jurisdiction(j) {
      if (j !== undefined && j !== null) throw new Error("Jurisdiction restrictions are not implemented in workerd.");
      return new DurableObjectNamespace(token, this.#ns);
    }
  }

  class WebSocketRequestResponsePair {
    #request; #response;
    constructor(request, response) {
      this.#request = String(request); this.#response = String(response);
    }
    get request() { return this.#request; }
    get response() { return this.#response; }
  }

  return {
    namespace: (ns) => new DurableObjectNamespace(token, ns),
    id: (id, name, ns) => new DurableObjectId(token, id, name, ns),
    WebSocketRequestResponsePair,
    DurableObjectId,
    DurableObjectNamespace,
  };
})
