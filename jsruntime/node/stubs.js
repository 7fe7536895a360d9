// What emu does not implement of Node.js: every module of Node can be
// imported, and each name it exports is there, but calling a function or
// constructing a class emu lacks throws workerd's error,
// `Error [ERR_METHOD_NOT_IMPLEMENTED]: The fs.readFileSync method is not
// implemented`.

function stubFunction(label, key) {
  return {
    [key]: function () {
      throw new ERR_METHOD_NOT_IMPLEMENTED(label);
    },
  }[key];
}

function stubClass(label, key) {
  return {
    [key]: class {
      constructor() {
        throw new ERR_METHOD_NOT_IMPLEMENTED(label);
      }
    },
  }[key];
}

// completeExports adds to a module's exports the names of nodeExportNames
// it lacks.
function completeExports(name, exports) {
  const spec = nodeExportNames[name];
  if (spec === undefined) return;
  const prefix = name.replaceAll("/", ".");
  for (const entry of spec.split(",")) {
    const [key, kind] = entry.split(":");
    if (hasOwn(exports, key)) continue;
    const label = `${prefix}.${key}`;
    switch (kind) {
      case undefined:
        exports[key] = stubFunction(label, key);
        break;
      case "c":
        exports[key] = stubClass(label, key);
        break;
      case "o": {
        const sub = `${name}/${key}`;
        if (nodeExportNames[sub] !== undefined) {
          Object.defineProperty(exports, key, {
            get: () => loadModule(sub),
            enumerable: true,
            configurable: true,
          });
        } else {
          exports[key] = {};
        }
        break;
      }
    }
  }
}
