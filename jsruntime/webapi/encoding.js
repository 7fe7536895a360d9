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
    const s = toUSVString(source);
    const cap = destination.length;
    let read = 0;
    let written = 0;
    for (let i = 0; i < s.length; ) {
      const cp = s.codePointAt(i);
      const units = cp > 0xffff ? 2 : 1;
      const n = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
      if (written + n > cap) break;
      if (n === 1) {
        destination[written] = cp;
      } else if (n === 2) {
        destination[written] = 0xc0 | (cp >> 6);
        destination[written + 1] = 0x80 | (cp & 0x3f);
      } else if (n === 3) {
        destination[written] = 0xe0 | (cp >> 12);
        destination[written + 1] = 0x80 | ((cp >> 6) & 0x3f);
        destination[written + 2] = 0x80 | (cp & 0x3f);
      } else {
        destination[written] = 0xf0 | (cp >> 18);
        destination[written + 1] = 0x80 | ((cp >> 12) & 0x3f);
        destination[written + 2] = 0x80 | ((cp >> 6) & 0x3f);
        destination[written + 3] = 0x80 | (cp & 0x3f);
      }
      written += n;
      read += units;
      i += units;
    }
    return { read, written };
  }
}
setToStringTag(TextEncoder);
exposeClass(TextEncoder);

const utf8Labels = new Set(["unicode-1-1-utf-8", "unicode11utf8", "unicode20utf8", "utf-8", "utf8", "x-unicode20utf8"]);
const latin1Labels = new Set([
  "ansi_x3.4-1968", "ascii", "cp1252", "cp819", "csisolatin1", "ibm819", "iso-8859-1", "iso-ir-100",
  "iso8859-1", "iso88591", "iso_8859-1", "iso_8859-1:1987", "l1", "latin1", "us-ascii", "windows-1252",
  "x-cp1252",
]);
const utf16leLabels = new Set(["csunicode", "iso-10646-ucs-2", "ucs-2", "unicode", "unicodefeff", "utf-16", "utf-16le"]);
const invalidLabels = new Set([
  "csiso2022kr", "hz-gb-2312", "iso-2022-cn", "iso-2022-cn-ext", "iso-2022-kr", "replacement", "x-user-defined",
]);

// incompleteUTF8Tail returns how many bytes at the end of u8 start a UTF-8
// sequence that is not complete yet (kept for the next streaming decode).
function incompleteUTF8Tail(u8) {
  const n = u8.length;
  for (let back = 1; back <= 3 && back <= n; back++) {
    const b = u8[n - back];
    if ((b & 0xc0) === 0x80) continue; // continuation byte
    const need = b >= 0xf0 && b <= 0xf4 ? 4 : b >= 0xe0 ? 3 : b >= 0xc2 && b < 0xe0 ? 2 : 1;
    return need > back ? back : 0;
  }
  return 0;
}

class TextDecoder {
  #encoding;
  #fatal;
  #ignoreBOM;
  #pending = null; // Uint8Array of bytes held back by a streaming decode
  #bomSeen = false;

  constructor(label = "utf-8", options = undefined) {
    const l = String(label).trim().toLowerCase();
    if (utf8Labels.has(l)) {
      this.#encoding = "utf-8";
    } else if (latin1Labels.has(l)) {
      this.#encoding = "windows-1252";
    } else if (utf16leLabels.has(l)) {
      this.#encoding = "utf-16le";
    } else if (invalidLabels.has(l) || !knownEncodingLabel(l)) {
      throw new RangeError(`"${String(label)}" is not a valid encoding.`);
    } else {
      throw notImplemented(`TextDecoder for "${l}"`);
    }
    this.#fatal = !!options?.fatal;
    this.#ignoreBOM = !!options?.ignoreBOM;
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
      u8 = new Uint8Array(0);
    } else {
      u8 = byteView(input);
      if (u8 === null) {
        throw new TypeError(
          "Failed to execute 'decode' on 'TextDecoder': parameter 1 is not of type 'ArrayBuffer or ArrayBufferView'.",
        );
      }
    }
    const stream = !!options?.stream;
    if (this.#pending !== null) {
      u8 = concatBytes([this.#pending, u8]);
      this.#pending = null;
    }
    let out;
    switch (this.#encoding) {
      case "windows-1252":
        out = host.latin1Decode(u8);
        break;
      case "utf-16le":
        out = this.#decodeUTF16(u8, stream);
        break;
      default: {
        if (stream) {
          const keep = incompleteUTF8Tail(u8);
          if (keep > 0) {
            this.#pending = u8.slice(u8.length - keep);
            u8 = u8.subarray(0, u8.length - keep);
          }
        }
        out = host.utf8Decode(u8, this.#fatal);
        if (out === null) {
          this.#reset();
          throw new TypeError("Failed to decode input.");
        }
      }
    }
    if (!this.#ignoreBOM && !this.#bomSeen && out.length > 0) {
      this.#bomSeen = true;
      if (out.charCodeAt(0) === 0xfeff && this.#encoding !== "windows-1252") out = out.slice(1);
    }
    if (!stream) this.#reset();
    return out;
  }

  #decodeUTF16(u8, stream) {
    let n = u8.length & ~1;
    if (stream && n >= 2) {
      const last = u8[n - 2] | (u8[n - 1] << 8);
      if (last >= 0xd800 && last <= 0xdbff) n -= 2;
    }
    if (stream && n < u8.length) this.#pending = u8.slice(n);
    let s = "";
    for (let i = 0; i < n; i += 2) s += String.fromCharCode(u8[i] | (u8[i + 1] << 8));
    if (!stream && n < u8.length) s += "\uFFFD";
    const w = toUSVString(s);
    if (this.#fatal && w !== s) throw new TypeError("Failed to decode input.");
    return w;
  }

  #reset() {
    this.#pending = null;
    this.#bomSeen = false;
  }
}
setToStringTag(TextDecoder);
exposeClass(TextDecoder);

// knownEncodingLabel reports whether l is one of the WHATWG Encoding labels
// (workerd supports them all through ICU; emu decodes only the common ones).
function knownEncodingLabel(l) {
  return /^(866|cp866|csibm866|ibm866|iso-8859-\d+|iso8859-\d+|iso8859\d+|iso_8859-\d+(:\d+)?|l[2-9]|latin[2-6]|koi8.*|cskoi8r|macintosh|mac|x-mac-.*|csmacintosh|windows-\d+|cp\d+|x-cp\d+|dos-874|tis-620|iso-ir-\d+|csisolatin\d|csisolatin.*|arabic|greek.*|hebrew|cyrillic|visual|logical|ecma-\d+|elot_928|asmo-708|csiso\d+.*|chinese|csgb2312|gb2312|gb_2312(-80)?|gbk|x-gbk|gb18030|big5(-hkscs)?|cn-big5|csbig5|x-x-big5|cseucpkdfmtjapanese|euc-jp|x-euc-jp|csiso2022jp|iso-2022-jp|csshiftjis|ms932|ms_kanji|shift[-_]jis|sjis|windows-31j|x-sjis|cseuckr|csksc56011987|euc-kr|korean|ks_c_5601-19(87|89)|ksc5601|ksc_5601|windows-949|unicodefffe|utf-16be|iso-8859-8-i|csiso88598i|sun_eu_greek|ms-ansi|x-mac-ukrainian)$/.test(
    l,
  );
}

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
