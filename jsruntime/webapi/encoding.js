// TextEncoder, TextDecoder, atob and btoa (workerd api/encoding.c++ and
// api/global-scope.c++). UTF-8 work and base64 are done in Go.

class TextEncoder {
  get encoding() {
    return "utf-8";
  }
  encode(input = "") {
    return utf8Encode(toUSVString(input));
  }
  encodeInto(source, destination) {
    if (!(destination instanceof Uint8Array)) {
      throw new TypeError(
        "Failed to execute 'encodeInto' on 'TextEncoder': parameter 2 is not of type 'Uint8Array'.",
      );
    }
    const r = host.utf8EncodeInto(String(source), destination);
    const read = r[0];
    const written = r[1];
    return { read, written };
  }
}
setToStringTag(TextEncoder);
exposeClass(TextEncoder);

// TextDecoder's decoders are in Go (textdecoder.go): host.textDecoderNew
// returns the handle of one, host.textDecode decodes a chunk with it (null
// when a fatal decoder meets malformed input).
class TextDecoder {
  #handle;
  #encoding;
  #fatal;
  #ignoreBOM;

  constructor(label = undefined, options = undefined) {
    let name = "utf-8";
    if (label !== undefined) {
      const l = String(label);
      name = host.encodingName(l);
      if (name === null) throw new RangeError(`"${l}" is not a valid encoding.`);
    }
    this.#fatal = !!options?.fatal;
    this.#ignoreBOM = !!options?.ignoreBOM;
    this.#encoding = name;
    this.#handle = host.textDecoderNew(name, this.#fatal, this.#ignoreBOM);
  }
  get encoding() {
    return this.#encoding;
  }
  get fatal() {
    return this.#fatal;
  }
  get ignoreBOM() {
    return this.#ignoreBOM;
  }

  decode(input = undefined, options = undefined) {
    let u8;
    if (input === undefined || input === null) {
      u8 = emptyBytes;
    } else if (input instanceof Uint8Array) {
      u8 = input;
    } else {
      u8 = byteView(input);
      if (u8 === null) {
        throw new TypeError(
          "Failed to execute 'decode' on 'TextDecoder': parameter 1 is not of type 'ArrayBuffer or ArrayBufferView'.",
        );
      }
    }
    const out = host.textDecode(this.#handle, u8, !!options?.stream);
    if (out === null) throw new TypeError("Failed to decode input.");
    return out;
  }
}
setToStringTag(TextDecoder);
exposeClass(TextDecoder);
const emptyBytes = new Uint8Array(0);

function btoa(data) {
  if (arguments.length === 0) {
    throw new TypeError("Failed to execute 'btoa' on 'WorkerGlobalScope': 1 argument required, but only 0 present.");
  }
  const out = host.btoa(String(data));
  if (out === null) {
    throw domError(
      "btoa() can only operate on characters in the Latin1 (ISO/IEC 8859-1) range.",
      "InvalidCharacterError",
    );
  }
  return out;
}

function atob(data) {
  if (arguments.length === 0) {
    throw new TypeError("Failed to execute 'atob' on 'WorkerGlobalScope': 1 argument required, but only 0 present.");
  }
  const out = host.atob(String(data));
  if (out === null) {
    throw domError(
      "atob() called with invalid base64-encoded data. (Only whitespace, '+', '/', alphanumeric ASCII, and up to two terminal '=' signs when the input data length is divisible by 4 are allowed.)",
      "InvalidCharacterError",
    );
  }
  return out;
}
defineGlobal("btoa", btoa);
defineGlobal("atob", atob);
