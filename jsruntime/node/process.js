// node:process (and, under nodejs_compat_v2, the process global), shaped
// as workerd's: an EventEmitter with nextTick (a microtask), env, platform
// "linux", version, hrtime, emitWarning, getBuiltinModule and the rest;
// what a Worker cannot have is undefined or throws.

defineModule("process", () => {
  const EventEmitter = loadModule("events");
  const nodeVersion = "22.14.0";

  // isJsonSerializable reports whether a value survives a round trip
  // through JSON (plain objects and arrays of plain data, no cycles).
  function isJsonSerializable(value, seen = new Set()) {
    switch (typeof value) {
      case "boolean":
      case "number":
      case "string":
        return true;
      case "object": {
        if (value === null) return true;
        if (seen.has(value)) return false;
        seen.add(value);
        switch (Object.getPrototypeOf(value)) {
          case Object.prototype:
            return Object.values(value).every((prop) => isJsonSerializable(prop, seen));
          case Array.prototype:
            return value.every((elem) => isJsonSerializable(elem, seen));
          default:
            return false;
        }
      }
      default:
        return false;
    }
  }

  // process.env holds, with nodejs_compat_populate_process_env, the
  // Worker's string vars and, as JSON, its vars that are plain JSON data;
  // values set on it become strings.
  function initialEnv() {
    const env = {};
    if (host.populateEnv && host.env !== undefined) {
      for (const [key, value] of Object.entries(host.env)) {
        if (typeof value === "string") env[key] = value;
        else if (isJsonSerializable(value)) env[key] = JSON.stringify(value);
      }
    }
    return env;
  }

  const env = new Proxy(initialEnv(), {
    set(obj, prop, value) {
      if (typeof prop === "symbol" || typeof value === "symbol") throw new TypeError("Cannot convert a symbol value to a string");
      return Reflect.set(obj, prop, `${value}`);
    },
    defineProperty(obj, prop, descriptor) {
      validateObject(descriptor, "descriptor");
      if (Reflect.has(descriptor, "get") || Reflect.has(descriptor, "set")) {
        throw new ERR_INVALID_ARG_VALUE("descriptor", descriptor, "process.env value must not have getter/setter");
      }
      if (!descriptor.configurable) {
        throw new ERR_INVALID_ARG_VALUE("descriptor.configurable", descriptor, "process.env value must be configurable");
      }
      if (!descriptor.enumerable) {
        throw new ERR_INVALID_ARG_VALUE("descriptor.enumerable", descriptor, "process.env value must be enumerable");
      }
      if (!descriptor.writable) {
        throw new ERR_INVALID_ARG_VALUE("descriptor.writable", descriptor, "process.env value must be writable");
      }
      if (Reflect.has(descriptor, "value")) {
        if (typeof prop === "symbol" || typeof descriptor.value === "symbol") {
          throw new TypeError("Cannot convert a symbol value to a string");
        }
        Reflect.set(descriptor, "value", `${descriptor.value}`);
      } else {
        throw new ERR_INVALID_ARG_VALUE("descriptor.value", descriptor, "process.env value must be specified explicitly");
      }
      return Reflect.defineProperty(obj, prop, descriptor);
    },
  });

  function nextTick(cb, ...args) {
    queueMicrotask(() => {
      cb(...args);
    });
  }

  function emitWarning(warning, options, codeOrCtor, maybeCtor) {
    let err;
    let name = "Warning";
    let detail;
    let code;
    let ctor;
    if (typeof options === "object" && options !== null && !Array.isArray(options)) {
      if (options.type) name = options.type;
      if (options.code) code = options.code;
      if (options.detail) detail = options.detail;
      ctor = options.ctor;
    } else if (typeof options === "string") {
      name = options;
      if (typeof codeOrCtor === "string") {
        code = codeOrCtor;
        if (typeof maybeCtor === "function") ctor = maybeCtor;
        else if (maybeCtor !== undefined) throw new ERR_INVALID_ARG_TYPE("ctor", "function", maybeCtor);
      } else if (typeof codeOrCtor === "function") {
        ctor = codeOrCtor;
      } else if (codeOrCtor !== undefined) {
        throw new ERR_INVALID_ARG_TYPE("ctor", "function", codeOrCtor);
      }
    } else if (typeof options === "function") {
      ctor = options;
    } else if (options !== undefined) {
      throw new ERR_INVALID_ARG_TYPE("options", "object", options);
    }
    if (typeof warning === "string") {
      err = new (ctor || Error)(warning);
      err.name = name;
    } else if (warning instanceof Error) {
      err = warning;
      if (name && name !== "Warning") err.name = name;
    } else {
      throw new ERR_INVALID_ARG_TYPE("warning", "string or Error", warning);
    }
    if (code) err.code = code;
    if (detail && typeof detail === "string") err.detail = detail;
    Error.captureStackTrace(err, ctor || emitWarning);
    queueMicrotask(() => process.emit("warning", err));
  }

  const hrtime = Object.assign(
    function hrtime(time) {
      if (time !== undefined) {
        if (!Array.isArray(time)) throw new ERR_INVALID_ARG_TYPE("time", "tuple of integers", time);
        else if (time.length !== 2) throw new ERR_OUT_OF_RANGE("time", "2", time);
      }
      const nanoTime = BigInt(Date.now()) * 1000000n;
      const nanosBigint = nanoTime % 1000000000n;
      let seconds = Number((nanoTime - nanosBigint) / 1000000000n);
      let nanos = Number(nanosBigint);
      if (time) {
        const [prevSeconds, prevNanos] = time;
        seconds -= prevSeconds;
        nanos -= prevNanos;
        if (nanos < 0) {
          seconds -= 1;
          nanos += 1e9;
        }
      }
      return [seconds, nanos];
    },
    { bigint: () => BigInt(Date.now()) * 1000000n },
  );

  let cwd = "/bundle";

  function getBuiltinModule(id) {
    validateString(id, "id");
    const name = id.startsWith("node:") ? id.slice(5) : id;
    if (nodeExportNames[name] === undefined) return undefined;
    return loadModule(name);
  }

  const process = {
    version: `v${nodeVersion}`,
    versions: { node: nodeVersion },
    title: "workerd",
    argv: ["workerd"],
    argv0: "workerd",
    execArgv: [],
    arch: "x64",
    platform: "linux",
    config: { target_defaults: {}, variables: {} },
    pid: 1,
    ppid: 0,
    getegid: () => 0,
    getgid: () => 0,
    getgroups: () => [0],
    geteuid: () => 0,
    getuid: () => 0,
    setSourceMapsEnabled() {},
    nextTick,
    emitWarning,
    env,
    exit(code) {
      throw new ERR_METHOD_NOT_IMPLEMENTED("process.exit");
    },
    abort() {
      throw new ERR_METHOD_NOT_IMPLEMENTED("process.abort");
    },
    getBuiltinModule,
    features: Object.freeze({ cached_builtins: true, debug: false, inspector: false, require_module: false, tls: true }),
    allowedNodeEnvironmentFlags: new Set(),
    cwd: () => cwd,
    chdir(path) {
      validateString(path, "directory");
      cwd = loadModule("path/posix").resolve(cwd, path);
    },
    umask: () => 0o22,
    hrtime,
    uptime: () => 0,
    exitCode: undefined,
    stdin: undefined,
    stdout: undefined,
    stderr: undefined,
    memoryUsage: undefined,
    release: undefined,
    report: undefined,
    kill: undefined,
    binding: undefined,
    dlopen: undefined,
  };
  Object.setPrototypeOf(process, EventEmitter.prototype);
  EventEmitter.call(process);
  return process;
});
