// A CommonJS package as npm has many: it requires Node.js built-ins by
// their bare names, which nodejs_compat (v2) resolves.
const { AsyncLocalStorage } = require("async_hooks");
const { Buffer } = require("buffer");
const EventEmitter = require("events");
const { promisify } = require("util");

const storage = new AsyncLocalStorage();
const bus = new EventEmitter();

exports.withRequestId = (id, fn) => storage.run({ id, started: Date.now() }, fn);
exports.requestId = () => storage.getStore()?.id;
exports.encode = (s) => Buffer.from(s).toString("base64");
exports.bus = bus;

// A callback API, promisified the Node way.
function later(ms, value, cb) {
  setTimeout(() => cb(null, value), ms);
}
exports.sleep = promisify(later);
