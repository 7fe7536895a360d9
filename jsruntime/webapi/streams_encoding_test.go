package webapi

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"strings"
	"testing"
)

func TestStreamsTextEncoding(t *testing.T) {
	runAsyncCases(t, []jsCase{
		{"encoder", `(async () => bytes(ReadableStream.from(["h", "é"]).pipeThrough(new TextEncoderStream())))()`, `104,195,169`},
		{"encoder strings of anything", `(async () => td.decode(new Uint8Array((await collect(ReadableStream.from([1, null, {}]).pipeThrough(new TextEncoderStream()))).flatMap((c) => Array.from(c)))))()`,
			`1null[object Object]`},
		{"encoder joins a split surrogate pair", `(async () => bytes(ReadableStream.from(["\uD83D", "\uDE00"]).pipeThrough(new TextEncoderStream())))()`,
			`240,159,152,128`},
		{"encoder ends a lone surrogate", `(async () => bytes(ReadableStream.from(["a\uD83D"]).pipeThrough(new TextEncoderStream())))()`,
			`97,239,191,189`},
		{"encoder lone low surrogate", `(async () => bytes(ReadableStream.from(["\uDE00"]).pipeThrough(new TextEncoderStream())))()`,
			`239,191,189`},
		{"encoder properties", `const e = new TextEncoderStream(); [e.encoding, e instanceof TransformStream, String(e)].join()`,
			`utf-8,true,[object TextEncoderStream]`},
		{"decoder", `(async () => (await collect(ReadableStream.from([u8(104, 0xc3), u8(0xa9, 33)]).pipeThrough(new TextDecoderStream()))).join("|"))()`,
			`h|é!`},
		{"decoder skips empty outputs", `(async () => (await collect(ReadableStream.from([u8(0xe2), u8(0x82), u8(0xac)]).pipeThrough(new TextDecoderStream()))).join("|"))()`,
			`€`},
		{"decoder not bytes", `fail(collect(ReadableStream.from(["text"]).pipeThrough(new TextDecoderStream())))`,
			`TypeError: This TransformStream is being used as a byte stream, but received a value that is not a BufferSource.`},
		// workerd defaults fatal to true when options are given.
		{"decoder fatal by default with options", `fail(collect(ReadableStream.from([u8(0xff)]).pipeThrough(new TextDecoderStream("utf-8", {}))))`,
			`TypeError: Failed to decode input.`},
		{"decoder not fatal without options", `(async () => (await collect(ReadableStream.from([u8(0xff)]).pipeThrough(new TextDecoderStream()))).join())()`,
			"\uFFFD"},
		{"decoder incomplete at the end", `fail(collect(ReadableStream.from([u8(0xe2, 0x82)]).pipeThrough(new TextDecoderStream("utf-8", {fatal: true}))))`,
			`TypeError: Failed to decode input.`},
		{"decoder properties", `const d = new TextDecoderStream("latin1", {fatal: false, ignoreBOM: true}); [d.encoding, d.fatal, d.ignoreBOM, String(d)].join()`,
			`windows-1252,false,true,[object TextDecoderStream]`},
		{"decoder bad label", `fails(() => new TextDecoderStream("nope"))`, `RangeError: "nope" is not a valid encoding.`},
	})
}

func TestStreamsCompression(t *testing.T) {
	roundTrip := func(format string) string {
		return fmt.Sprintf(`(async () => {
			const data = te.encode("streams ".repeat(2000));
			const packed = new Response(new Response(data).body.pipeThrough(new CompressionStream(%[1]q)));
			const z = new Uint8Array(await packed.arrayBuffer());
			const back = await new Response(new Response(z).body.pipeThrough(new DecompressionStream(%[1]q))).text();
			return [back === "streams ".repeat(2000), z.length < 200, z[0].toString(16)].join();
		})()`, format)
	}
	runAsyncCases(t, []jsCase{
		{"gzip", roundTrip("gzip"), `true,true,1f`},
		{"deflate", roundTrip("deflate"), `true,true,78`},
		{"deflate-raw", roundTrip("deflate-raw"), `true,true,` + "ec"},
		{"bad format", `fails(() => new CompressionStream("brotli"))`,
			`TypeError: The compression format must be either 'deflate', 'deflate-raw' or 'gzip'.`},
		{"bad decompression format", `fails(() => new DecompressionStream())`,
			`TypeError: The compression format must be either 'deflate', 'deflate-raw' or 'gzip'.`},
		{"corrupt", `fail(collect(new Response(u8(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12)).body.pipeThrough(new DecompressionStream("gzip"))))`,
			`Error: Decompression failed.`},
		{"corrupt deflate", `fail(collect(new Response(u8(0x78, 0x9c, 0xff, 0xff, 0xff)).body.pipeThrough(new DecompressionStream("deflate"))))`,
			`Error: Decompression failed.`},
		{"truncated", `(async () => { const z = new Uint8Array(await new Response(new Response("hello world").body.pipeThrough(new CompressionStream("gzip"))).arrayBuffer()); return fail(collect(new Response(z.subarray(0, z.length - 4)).body.pipeThrough(new DecompressionStream("gzip")))); })()`,
			`TypeError: Called close() on a decompression stream with incomplete data`},
		{"empty input", `fail(collect(new Response(new Uint8Array(0)).body.pipeThrough(new DecompressionStream("gzip"))))`,
			`TypeError: Called close() on a decompression stream with incomplete data`},
		{"trailing bytes", `(async () => { const z = new Uint8Array(await new Response(new Response("hi").body.pipeThrough(new CompressionStream("gzip"))).arrayBuffer()); const more = new Uint8Array(z.length + 3); more.set(z); return fail(collect(new Response(more).body.pipeThrough(new DecompressionStream("gzip")))); })()`,
			`TypeError: Trailing bytes after end of compressed data`},
		{"not bytes", `fail(new CompressionStream("gzip").writable.getWriter().write("text"))`,
			`TypeError: This TransformStream is being used as a byte stream, but received a string on its writable side. If you wish to write a string, you'll probably want to explicitly UTF-8-encode it with TextEncoder.`},
		{"is a TransformStream", `[new CompressionStream("gzip") instanceof TransformStream, String(new DecompressionStream("gzip"))].join()`,
			`true,[object DecompressionStream]`},
		{"cancel", `(async () => { const c = new CompressionStream("gzip"); await c.readable.cancel(new Error("not needed")); return fail(c.writable.getWriter().write(u8(1))); })()`,
			`Error: not needed`},
		{"writes do not wait for reads", `(async () => { const c = new CompressionStream("gzip"); const w = c.writable.getWriter(); await w.write(te.encode("a")); await w.write(te.encode("b")); return "written"; })()`,
			`written`},
	})
}

// DecompressionStream reads what Go's gzip writes, across many chunks.
func TestStreamsDecompressGoGzip(t *testing.T) {
	var plain strings.Builder
	for i := 0; i < 20000; i++ {
		fmt.Fprintf(&plain, "line %d\n", i)
	}
	var z bytes.Buffer
	zw := gzip.NewWriter(&z)
	_, _ = zw.Write([]byte(plain.String()))
	_ = zw.Close()
	var arr strings.Builder
	for i, b := range z.Bytes() {
		if i > 0 {
			arr.WriteByte(',')
		}
		fmt.Fprint(&arr, b)
	}
	iso, _ := newIsolate(t)
	src := streamHelpers + `(async () => {
		const z = new Uint8Array([` + arr.String() + `]);
		// Feed it in odd-sized pieces.
		const parts = []; for (let i = 0; i < z.length; i += 777) parts.push(z.slice(i, i + 777));
		const text = await new Response(ReadableStream.from(parts).pipeThrough(new DecompressionStream("gzip"))).text();
		return text.length + ":" + text.slice(0, 14);
	})()`
	want := fmt.Sprintf("%d:line 0\nline 1\n", plain.Len())
	if got := evalAsync(t, iso, src); got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}
