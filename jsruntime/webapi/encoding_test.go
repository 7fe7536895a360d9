package webapi

import "testing"

func TestWebAPIEncoding(t *testing.T) {
	runCases(t, []jsCase{
		{"encode", `Array.from(new TextEncoder().encode("aé✓😀")).join()`, `97,195,169,226,156,147,240,159,152,128`},
		{"encode lone surrogate", `Array.from(new TextEncoder().encode("\uD800")).join()`, `239,191,189`},
		{"encoding", `new TextEncoder().encoding + new TextDecoder().encoding`, `utf-8utf-8`},
		{"encodeInto", `const d = new Uint8Array(4); const r = new TextEncoder().encodeInto("aé✓", d); r.read + "," + r.written + "," + Array.from(d).join()`,
			`2,3,97,195,169,0`},
		{"decode", `new TextDecoder().decode(new Uint8Array([0xe2, 0x9c, 0x93, 0x61]))`, "✓a"},
		{"decode ArrayBuffer", `new TextDecoder().decode(new Uint8Array([104, 105]).buffer)`, "hi"},
		{"replacement", `new TextDecoder().decode(new Uint8Array([0x61, 0xff, 0xe2, 0x82, 0x41, 0xf0, 0x9f, 0x98, 0xed, 0xa0, 0x80]))`,
			"a\uFFFD\uFFFDA\uFFFD\uFFFD\uFFFD\uFFFD"},
		{"fatal", `new TextDecoder("utf-8", {fatal: true}).decode(new Uint8Array([0xff]))`, `throws: TypeError: Failed to decode input.`},
		{"fatal flags", `const d = new TextDecoder("UTF8", {fatal: true, ignoreBOM: true}); d.fatal + " " + d.ignoreBOM`, `true true`},
		{"BOM stripped", `new TextDecoder().decode(new Uint8Array([0xef, 0xbb, 0xbf, 0x61])).length`, `1`},
		{"ignoreBOM", `new TextDecoder("utf-8", {ignoreBOM: true}).decode(new Uint8Array([0xef, 0xbb, 0xbf, 0x61])).length`, `2`},
		{"stream", `const d = new TextDecoder(); d.decode(new Uint8Array([0xe2, 0x9c]), {stream: true}) + "|" + d.decode(new Uint8Array([0x93]))`, "|✓"},
		{"truncated at end", `new TextDecoder().decode(new Uint8Array([0x61, 0xe2, 0x9c]))`, "a\uFFFD"},
		{"latin1", `const d = new TextDecoder("latin1"); d.encoding + " " + d.decode(new Uint8Array([0x68, 0xe9]))`, "windows-1252 hé"},
		{"utf-16le", `new TextDecoder("utf-16le").decode(new Uint8Array([0x68, 0, 0x13, 0x27]))`, "h✓"},
		{"bad label", `new TextDecoder("nope")`, `throws: RangeError: "nope" is not a valid encoding.`},
		{"shift_jis label", `new TextDecoder("Shift_JIS").encoding`, `shift_jis`},
		{"decode non-buffer", `new TextDecoder().decode("x")`,
			`throws: TypeError: Failed to execute 'decode' on 'TextDecoder': parameter 1 is not of type 'ArrayBuffer or ArrayBufferView'.`},
		{"btoa atob", `btoa("hello\xff") + " " + atob(btoa("hello\xff")).length`, `aGVsbG// 6`},
		{"atob forgiving", `atob(" aGk \n") + atob("aGk=")`, `hihi`},
		{"btoa non-latin1", `try { btoa("✓") } catch (e) { e.name + " " + e.code + " " + (e instanceof DOMException) + " " + e.message }`,
			`InvalidCharacterError 5 true btoa() can only operate on characters in the Latin1 (ISO/IEC 8859-1) range.`},
		{"atob invalid", `atob("a")`,
			`throws: InvalidCharacterError: atob() called with invalid base64-encoded data. (Only whitespace, '+', '/', alphanumeric ASCII, and up to two terminal '=' signs when the input data length is divisible by 4 are allowed.)`},
		{"atob bad char", `atob("ab-d")`,
			`throws: InvalidCharacterError: atob() called with invalid base64-encoded data. (Only whitespace, '+', '/', alphanumeric ASCII, and up to two terminal '=' signs when the input data length is divisible by 4 are allowed.)`},
	})
}
