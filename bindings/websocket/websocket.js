// The WebSocket class and WebSocketPair. State lives in Go (native); this is
// the JS shape workerd exposes. Evaluated once per isolate; returns the
// classes and a factory Go uses to make views.
(function (native, EventTarget) {
  const token = Symbol("emu.websocket");
  const handle = Symbol("emu.handle");
  class WebSocket extends EventTarget {
    constructor(url, h) {
      if (url !== token) {
        if (arguments.length === 0) {
          throw new TypeError("Failed to construct 'WebSocket': 1 argument required, but only 0 present.");
        }
        super();
        Object.defineProperty(this, handle, { value: native.connect(this, String(url), h) });
        return;
      }
      super();
      Object.defineProperty(this, handle, { value: h });
    }
    accept(options) { native.accept(this[handle], this, options); }
    send(message) { native.send(this[handle], message); }
    close(code, reason) { native.close(this[handle], code, reason); }
    serializeAttachment(value) { native.serializeAttachment(this[handle], value); }
    deserializeAttachment() { return native.deserializeAttachment(this[handle]); }
    get readyState() { return native.readyState(this[handle]); }
    get url() { return native.url(this[handle]); }
    get protocol() { return native.protocol(this[handle]); }
    get extensions() { return ""; }
    get binaryType() { return native.binaryType(this[handle]); }
    set binaryType(v) { native.setBinaryType(this[handle], v); }
  }
  for (const [i, n] of ["CONNECTING", "OPEN", "CLOSING", "CLOSED"].entries()) {
    Object.defineProperty(WebSocket, n, { value: i, enumerable: true });
    Object.defineProperty(WebSocket, "READY_STATE_" + n, { value: i, enumerable: true });
    Object.defineProperty(WebSocket.prototype, n, { value: i, enumerable: true });
    Object.defineProperty(WebSocket.prototype, "READY_STATE_" + n, { value: i, enumerable: true });
  }
  class WebSocketPair {
    constructor() {
      const [client, server] = native.pair();
      Object.defineProperty(this, 0, { value: new WebSocket(token, client), enumerable: true });
      Object.defineProperty(this, 1, { value: new WebSocket(token, server), enumerable: true });
    }
    *[Symbol.iterator]() { yield this[0]; yield this[1]; }
  }
  return {
    WebSocket,
    WebSocketPair,
    view: (h) => new WebSocket(token, h),
    handleOf: (ws) => (ws instanceof WebSocket ? ws[handle] : undefined),
  };
})
