// TextEncoderStream and TextDecoderStream (workerd
// api/streams/encoding.c++): TransformStreams around the encoders.

class TextEncoderStream extends TransformStream {
  constructor() {
    super(streamsToken);
    let pending = ""; // a high surrogate that ended the last chunk
    const ts = new TransformStream(
      {
        transform(chunk, c) {
          let s = pending + String(chunk);
          pending = "";
          if (s.length === 0) return;
          const last = s.charCodeAt(s.length - 1);
          if (last >= 0xd800 && last <= 0xdbff) {
            pending = s[s.length - 1];
            s = s.slice(0, -1);
          }
          if (s.length > 0) c.enqueue(utf8Encode(toUSVString(s)));
        },
        flush(c) {
          if (pending !== "") c.enqueue(new Uint8Array([0xef, 0xbf, 0xbd]));
        },
      },
      {},
      {},
    );
    setTransformSides(this, ts.readable, ts.writable);
  }
  get encoding() {
    return "utf-8";
  }
}
setToStringTag(TextEncoderStream);
exposeClass(TextEncoderStream);

class TextDecoderStream extends TransformStream {
  #decoder;
  constructor(label = undefined, options = undefined) {
    super(streamsToken);
    let init;
    if (options !== undefined && options !== null) {
      init = {
        fatal: options.fatal === undefined ? true : !!options.fatal,
        ignoreBOM: !!options.ignoreBOM,
      };
    }
    const decoder = (this.#decoder = new TextDecoder(label === undefined ? "utf-8" : label, init));
    const emit = (c, s) => {
      if (s.length > 0) c.enqueue(s);
    };
    const decode = (bytes, stream) => {
      try {
        return decoder.decode(bytes, { stream });
      } catch {
        throw new TypeError("Failed to decode input.");
      }
    };
    const ts = new TransformStream(
      {
        transform(chunk, c) {
          if (!isBufferSource(chunk)) {
            throw new TypeError(
              "This TransformStream is being used as a byte stream, but received a value that is not a BufferSource.",
            );
          }
          emit(c, decode(chunk, true));
        },
        flush(c) {
          emit(c, decode(undefined, false));
        },
      },
      {},
      {},
    );
    setTransformSides(this, ts.readable, ts.writable);
  }
  get encoding() {
    return this.#decoder.encoding;
  }
  get fatal() {
    return this.#decoder.fatal;
  }
  get ignoreBOM() {
    return this.#decoder.ignoreBOM;
  }
}
setToStringTag(TextDecoderStream);
exposeClass(TextDecoderStream);
