// FormData (workerd api/form-data.c++, the XHR spec): an ordered list of
// [name, value] entries, each value a string or a File. Bodies: parsed from
// multipart/form-data (Go's parser, formdata.go) or
// application/x-www-form-urlencoded, and serialized as multipart/form-data.

let formDataEntries;
const formDataIterProto = iteratorProto("FormData Iterator");

// toFormValue is workerd's blobToFile: a Blob becomes a File named by
// filename, else "blob" (or its own name for a File); a File without a
// filename is kept as it is; anything else is a string.
function toFormValue(value, filename) {
  if (value instanceof Blob) {
    if (value instanceof File && filename === undefined) return value;
    const name = filename !== undefined ? toUSVString(filename) : value instanceof File ? value.name : "blob";
    return newFile(blobBytes(value), name, value.type);
  }
  return toUSVString(value);
}

class FormData {
  #entries = [];
  static {
    formDataEntries = (fd) => fd.#entries;
  }
  append(name, value, filename = undefined) {
    this.#entries.push([toUSVString(name), toFormValue(value, filename)]);
  }
  delete(name) {
    const n = toUSVString(name);
    this.#entries = this.#entries.filter((e) => e[0] !== n);
  }
  get(name) {
    const n = toUSVString(name);
    const e = this.#entries.find((e) => e[0] === n);
    return e === undefined ? null : e[1];
  }
  getAll(name) {
    const n = toUSVString(name);
    return this.#entries.filter((e) => e[0] === n).map((e) => e[1]);
  }
  has(name) {
    const n = toUSVString(name);
    return this.#entries.some((e) => e[0] === n);
  }
  set(name, value, filename = undefined) {
    const n = toUSVString(name);
    const v = toFormValue(value, filename);
    const i = this.#entries.findIndex((e) => e[0] === n);
    if (i < 0) {
      this.#entries.push([n, v]);
      return;
    }
    this.#entries[i] = [n, v];
    this.#entries = this.#entries.filter((e, j) => j <= i || e[0] !== n);
  }
  #iter(pick) {
    let i = 0;
    return makeIterator(formDataIterProto, () => {
      const e = this.#entries[i];
      if (e === undefined) return undefined;
      i++;
      return [pick(e)];
    });
  }
  entries() {
    return this.#iter((e) => [e[0], e[1]]);
  }
  keys() {
    return this.#iter((e) => e[0]);
  }
  values() {
    return this.#iter((e) => e[1]);
  }
  [Symbol.iterator]() {
    return this.entries();
  }
  forEach(callback, thisArg = undefined) {
    if (typeof callback !== "function") {
      throw new TypeError("Failed to execute 'forEach' on 'FormData': parameter 1 is not of type 'Function'.");
    }
    for (let i = 0; i < this.#entries.length; i++) {
      const [k, v] = this.#entries[i];
      callback.call(thisArg, v, k, this);
    }
  }
}
setToStringTag(FormData);
exposeClass(FormData);

// escapeDispositionValue escapes a name or filename for a
// Content-Disposition parameter as workerd does ('"' and LF
// percent-escaped, '\' doubled).
function escapeDispositionValue(s) {
  if (s.endsWith("\\")) throw new TypeError("Name or filename can't end with backslash");
  return s.replace(/["\n\\]/g, (c) => (c === '"' ? "%22" : c === "\n" ? "%0A" : "\\\\"));
}

// serializeFormData returns a FormData as a multipart/form-data body with a
// fresh boundary: [bytes, contentType].
function serializeFormData(fd) {
  const rnd = new Uint8Array(16);
  host.randomFill(rnd);
  let boundary = "";
  for (const b of rnd) boundary += (b < 16 ? "0" : "") + b.toString(16);
  const chunks = [];
  for (const [name, value] of formDataEntries(fd)) {
    let head = `--${boundary}\r\nContent-Disposition: form-data; name="${escapeDispositionValue(name)}"`;
    if (typeof value === "string") {
      chunks.push(utf8Encode(`${head}\r\n\r\n${value}\r\n`));
      continue;
    }
    head += `; filename="${escapeDispositionValue(value.name)}"\r\nContent-Type: ${value.type || "application/octet-stream"}\r\n\r\n`;
    chunks.push(utf8Encode(head), blobBytes(value), utf8Encode("\r\n"));
  }
  chunks.push(utf8Encode(`--${boundary}--`));
  return [concatBytes(chunks), `multipart/form-data; boundary=${boundary}`];
}

// parseFormDataBody parses a body as request.formData() and
// response.formData() do, by its Content-Type (contentType is null when
// there is none).
function parseFormDataBody(bytes, contentType) {
  const fd = new FormData();
  const entries = formDataEntries(fd);
  const parsed = host.formDataParse(bytes, contentType ?? "");
  if (typeof parsed === "string") {
    for (const [k, v] of parseUrlencoded(parsed)) entries.push([k, v]);
    return fd;
  }
  for (const [name, value, filename, type] of parsed) {
    entries.push([name, filename === null ? value : newFile(new Uint8Array(value), filename, type)]);
  }
  return fd;
}
