package webapi

import (
	"fmt"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/dop251/goja"
	"golang.org/x/text/encoding/htmlindex"
)

// workerdLabels are the labels workerd's TextDecoder accepts (its
// api/encoding.c++ table, the WHATWG Encoding Standard's) and the encoding
// name each gives (the spec's names).
var workerdLabels = map[string][]string{
	"utf-8":          {"unicode-1-1-utf-8", "unicode11utf8", "unicode20utf8", "utf-8", "utf8", "x-unicode20utf8"},
	"ibm866":         {"866", "cp866", "csibm866", "ibm866"},
	"iso-8859-2":     {"csisolatin2", "iso-8859-2", "iso-ir-101", "iso8859-2", "iso88592", "iso_8859-2", "iso_8859-2:1987", "l2", "latin2"},
	"iso-8859-3":     {"csisolatin3", "iso-8859-3", "iso-ir-109", "iso8859-3", "iso88593", "iso_8859-3", "iso_8859-3:1988", "l3", "latin3"},
	"iso-8859-4":     {"csisolatin4", "iso-8859-4", "iso-ir-110", "iso8859-4", "iso88594", "iso_8859-4", "iso_8859-4:1988", "l4", "latin4"},
	"iso-8859-5":     {"csisolatincyrillic", "cyrillic", "iso-8859-5", "iso-ir-144", "iso8859-5", "iso88595", "iso_8859-5", "iso_8859-5:1988"},
	"iso-8859-6":     {"arabic", "asmo-708", "csiso88596e", "csiso88596i", "csisolatinarabic", "ecma-114", "iso-8859-6", "iso-8859-6-e", "iso-8859-6-i", "iso-ir-127", "iso8859-6", "iso88596", "iso_8859-6", "iso_8859-6:1987"},
	"iso-8859-7":     {"csisolatingreek", "ecma-118", "elot_928", "greek", "greek8", "iso-8859-7", "iso-ir-126", "iso8859-7", "iso88597", "iso_8859-7", "iso_8859-7:1987", "sun_eu_greek"},
	"iso-8859-8":     {"csiso88598e", "csisolatinhebrew", "hebrew", "iso-8859-8", "iso-8859-8-e", "iso-ir-138", "iso8859-8", "iso88598", "iso_8859-8", "iso_8859-8:1988", "visual"},
	"iso-8859-8-i":   {"csiso88598i", "iso-8859-8-i", "logical"},
	"iso-8859-10":    {"csisolatin6", "iso-8859-10", "iso-ir-157", "iso8859-10", "iso885910", "l6", "latin6"},
	"iso-8859-13":    {"iso-8859-13", "iso8859-13", "iso885913"},
	"iso-8859-14":    {"iso-8859-14", "iso8859-14", "iso885914"},
	"iso-8859-15":    {"csisolatin9", "iso-8859-15", "iso8859-15", "iso885915", "iso_8859-15", "l9"},
	"iso-8859-16":    {"iso-8859-16"},
	"koi8-r":         {"cskoi8r", "koi", "koi8", "koi8-r", "koi8_r"},
	"koi8-u":         {"koi8-ru", "koi8-u"},
	"macintosh":      {"csmacintosh", "mac", "macintosh", "x-mac-roman"},
	"windows-874":    {"dos-874", "iso-8859-11", "iso8859-11", "iso885911", "tis-620", "windows-874"},
	"windows-1250":   {"cp1250", "windows-1250", "x-cp1250"},
	"windows-1251":   {"cp1251", "windows-1251", "x-cp1251"},
	"windows-1252":   {"ansi_x3.4-1968", "ascii", "cp1252", "cp819", "csisolatin1", "ibm819", "iso-8859-1", "iso-ir-100", "iso8859-1", "iso88591", "iso_8859-1", "iso_8859-1:1987", "l1", "latin1", "us-ascii", "windows-1252", "x-cp1252"},
	"windows-1253":   {"cp1253", "windows-1253", "x-cp1253"},
	"windows-1254":   {"cp1254", "csisolatin5", "iso-8859-9", "iso-ir-148", "iso8859-9", "iso88599", "iso_8859-9", "iso_8859-9:1989", "l5", "latin5", "windows-1254", "x-cp1254"},
	"windows-1255":   {"cp1255", "windows-1255", "x-cp1255"},
	"windows-1256":   {"cp1256", "windows-1256", "x-cp1256"},
	"windows-1257":   {"cp1257", "windows-1257", "x-cp1257"},
	"windows-1258":   {"cp1258", "windows-1258", "x-cp1258"},
	"x-mac-cyrillic": {"x-mac-cyrillic", "x-mac-ukrainian"},
	"gbk":            {"chinese", "csgb2312", "csiso58gb231280", "gb2312", "gb_2312", "gb_2312-80", "gbk", "iso-ir-58", "x-gbk"},
	"gb18030":        {"gb18030"},
	"big5":           {"big5", "big5-hkscs", "cn-big5", "csbig5", "x-x-big5"},
	"euc-jp":         {"cseucpkdfmtjapanese", "euc-jp", "x-euc-jp"},
	"iso-2022-jp":    {"csiso2022jp", "iso-2022-jp"},
	"shift_jis":      {"csshiftjis", "ms932", "ms_kanji", "shift-jis", "shift_jis", "sjis", "windows-31j", "x-sjis"},
	"euc-kr":         {"cseuckr", "csksc56011987", "euc-kr", "iso-ir-149", "korean", "ks_c_5601-1987", "ks_c_5601-1989", "ksc5601", "ksc_5601", "windows-949"},
	"utf-16be":       {"unicodefffe", "utf-16be"},
	"utf-16le":       {"csunicode", "iso-10646-ucs-2", "ucs-2", "unicode", "unicodefeff", "utf-16", "utf-16le"},
}

// rejectedLabels name encodings TextDecoder refuses, as workerd does.
var rejectedLabels = []string{"csiso2022kr", "hz-gb-2312", "iso-2022-cn", "iso-2022-cn-ext", "iso-2022-kr", "replacement", "x-user-defined", "nope", "utf-32", ""}

func TestTextDecoderLabels(t *testing.T) {
	iso, _ := newIsolate(t)
	var b strings.Builder
	b.WriteString("const out = [];\n")
	n := 0
	for name, labels := range workerdLabels {
		for _, l := range labels {
			// Each label as it is, upper-cased, and with ASCII whitespace around it.
			fmt.Fprintf(&b, "for (const l of [%q, %q, %q]) { const e = new TextDecoder(l).encoding; if (e !== %q) out.push(l + ' -> ' + e); }\n",
				l, strings.ToUpper(l), "\t\n\f\r "+l+" \n", name)
			n++
		}
	}
	for _, l := range rejectedLabels {
		fmt.Fprintf(&b, "try { new TextDecoder(%q); out.push(%q + ' accepted'); } catch (e) { if (!(e instanceof RangeError) || e.message !== %q) out.push(String(e)); }\n",
			l, l, `"`+l+`" is not a valid encoding.`)
	}
	b.WriteString("out.join('\\n') || 'ok'")
	if got := eval(t, iso, b.String()); got != "ok" {
		t.Errorf("labels:\n%s", got)
	}
	if n < 200 {
		t.Errorf("only %d labels checked", n)
	}
}

// jsBytes renders b as a JS Uint8Array literal.
func jsBytes(b []byte) string {
	parts := make([]string, len(b))
	for i, c := range b {
		parts[i] = fmt.Sprint(c)
	}
	return "new Uint8Array([" + strings.Join(parts, ",") + "])"
}

// sampleText is text each legacy encoding can encode: ASCII plus letters of
// its script.
var sampleText = map[string]string{
	"ibm866": "Привет, мир", "iso-8859-2": "Zażółć gęślą", "iso-8859-3": "Ħaġar ċar", "iso-8859-4": "Ķīļa",
	"iso-8859-5": "Привет", "iso-8859-6": "مرحبا", "iso-8859-7": "Γειά σου", "iso-8859-8": "שלום", "iso-8859-8-i": "שלום",
	"iso-8859-10": "Ŋŧ", "iso-8859-13": "Ąčę", "iso-8859-14": "Ŵŷ", "iso-8859-15": "€uro œ", "iso-8859-16": "Șș",
	"koi8-r": "Привет", "koi8-u": "Привіт", "macintosh": "café ∂", "windows-874": "สวัสดี", "windows-1250": "Zażółć",
	"windows-1251": "Привет", "windows-1253": "Γειά", "windows-1254": "Şğ", "windows-1255": "שלום", "windows-1256": "مرحبا",
	"windows-1257": "Ąčę", "windows-1258": "Đà ơ", "x-mac-cyrillic": "Привет", "gbk": "中文字符", "gb18030": "中文字符😀",
	"big5": "中國人", "euc-jp": "日本語テキスト", "iso-2022-jp": "日本語テキスト", "shift_jis": "日本語テキスト", "euc-kr": "한국어",
}

func TestTextDecoderLegacyEncodings(t *testing.T) {
	iso, _ := newIsolate(t)
	for name, text := range sampleText {
		enc, err := htmlindex.Get(name)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		b, err := enc.NewEncoder().Bytes([]byte("ok " + text + " end"))
		if err != nil {
			t.Fatalf("%s: encode %q: %v", name, text, err)
		}
		want := "ok " + text + " end"
		// Whole, then one byte at a time with {stream: true}, then in two
		// halves: all give the same text.
		src := fmt.Sprintf(`(() => {
			const b = %s;
			const whole = new TextDecoder(%q, {fatal: true}).decode(b);
			const d = new TextDecoder(%q);
			let s = "";
			for (let i = 0; i < b.length; i++) s += d.decode(b.subarray(i, i + 1), {stream: true});
			s += d.decode();
			const h = b.length >> 1;
			const half = d.decode(b.subarray(0, h), {stream: true}) + d.decode(b.subarray(h));
			return whole === s && s === half ? whole : [whole, s, half].join(" | ");
		})()`, jsBytes(b), name, name)
		if got := eval(t, iso, src); got != want {
			t.Errorf("%s: got %q, want %q", name, got, want)
		}
	}
}

func TestTextDecoderCases(t *testing.T) {
	runCases(t, []jsCase{
		{"windows-1252 is latin1 as in workerd", `Array.from(new TextDecoder("windows-1252").decode(new Uint8Array([0x80, 0x9f, 0xa2, 0xff])), (c) => c.charCodeAt(0)).join()`, `128,159,162,255`},
		{"ascii extended", `new TextDecoder("ascii").decode(new Uint8Array([162, 174, 255]))`, `¢®ÿ`},
		{"windows-1252 keeps BOM bytes", `new TextDecoder("latin1").decode(new Uint8Array([0xef, 0xbb, 0xbf])).length`, `3`},
		{"windows-1251", `new TextDecoder("cp1251").decode(new Uint8Array([0xcf, 0xf0, 0xe8]))`, `При`},
		{"shift_jis", `new TextDecoder("sjis").decode(new Uint8Array([0x93, 0xfa, 0x96, 0x7b]))`, `日本`},
		{"big5", `new TextDecoder("big5", {ignoreBOM: true}).decode(new Uint8Array([0xA4, 0xA4, 0xB0, 0xEA, 0xA4, 0x48]))`, `中國人`},
		{"euc-kr", `new TextDecoder("korean").decode(new Uint8Array([0xc7, 0xd1]))`, `한`},
		{"gb18030 four bytes", `new TextDecoder("gb18030").decode(new Uint8Array([0x94, 0x39, 0xfc, 0x36]))`, "😀"},
		{"legacy malformed replaced", `new TextDecoder("shift_jis").decode(new Uint8Array([0x61, 0x81]))`, "a\uFFFD"},
		{"legacy fatal", `new TextDecoder("shift_jis", {fatal: true}).decode(new Uint8Array([0x61, 0x81]))`, `throws: TypeError: Failed to decode input.`},
		{"legacy fatal streaming holds incomplete", `const d = new TextDecoder("shift_jis", {fatal: true}); d.decode(new Uint8Array([0x93]), {stream: true}) + "|" + d.decode(new Uint8Array([0xfa]))`, `|日`},
		{"gb18030 encodes U+FFFD", `new TextDecoder("gb18030", {fatal: true}).decode(new Uint8Array([0x84, 0x31, 0xa4, 0x37]))`, "\uFFFD"},
		{"single-byte fatal", `new TextDecoder("windows-874", {fatal: true}).decode(new Uint8Array([0xdb]))`, `throws: TypeError: Failed to decode input.`},
		{"iso-2022-jp state reset after flush", `const d = new TextDecoder("iso-2022-jp"); d.decode(new Uint8Array([0x1b, 0x24, 0x42, 0x46, 0x7c])) + "|" + d.decode(new Uint8Array([0x46, 0x7c]))`, `日|F|`},
		{"utf-16be", `new TextDecoder("utf-16be").decode(new Uint8Array([0xfe, 0xff, 0, 0x68, 0x27, 0x13]))`, `h✓`},
		{"utf-16be stream", `const d = new TextDecoder("utf-16be"); [0xd8, 0x3d, 0xde, 0x00].map((b) => d.decode(new Uint8Array([b]), {stream: true})).join("") + d.decode()`, `😀`},
		{"utf-16le BOM", `new TextDecoder("utf-16").decode(new Uint8Array([0xff, 0xfe, 0x68, 0]))`, `h`},
		{"utf-16le ignoreBOM", `new TextDecoder("utf-16le", {ignoreBOM: true}).decode(new Uint8Array([0xff, 0xfe, 0x68, 0])).length`, `2`},
		{"utf-16le fast path keeps lone surrogates", `const s = new TextDecoder("utf-16le", {fatal: true}).decode(new Uint8Array([0x00, 0xd8, 0x61, 0])); s.length + "," + s.charCodeAt(0).toString(16)`, `2,d800`},
		{"utf-16le odd length", `Array.from(new TextDecoder("utf-16le").decode(new Uint8Array([0x68, 0, 0x69])), (c) => c.charCodeAt(0).toString(16)).join()`, `68,fffd`},
		{"utf-16le odd length fatal", `new TextDecoder("utf-16le", {fatal: true}).decode(new Uint8Array([0x68, 0, 0x69]))`, `throws: TypeError: Failed to decode input.`},
		{"utf-16le stream surrogate pair split", `const d = new TextDecoder("utf-16le"); d.decode(new Uint8Array([0x3d, 0xd8, 0x00]), {stream: true}) + "|" + d.decode(new Uint8Array([0xde]))`, `|😀`},
		{"utf-16le stream lone lead at end", `const d = new TextDecoder("utf-16le"); d.decode(new Uint8Array([0x3d, 0xd8]), {stream: true}).length + "|" + d.decode().charCodeAt(0).toString(16)`, `0|fffd`},
		{"utf-8 stream every split", `const b = new TextEncoder().encode("a¢€😺z"); const d = new TextDecoder("utf-8", {fatal: true}); let s = ""; for (const x of b) s += d.decode(new Uint8Array([x]), {stream: true}); s + d.decode()`, `a¢€😺z`},
		{"utf-8 stream BOM once", `const d = new TextDecoder(); [0xef, 0xbb, 0xbf, 0xef, 0xbb, 0xbf].map((b) => d.decode(new Uint8Array([b]), {stream: true})).join("").length`, `1`},
		{"utf-8 BOM after a flush", `const d = new TextDecoder(); d.decode(new Uint8Array([0xef, 0xbb, 0xbf, 0x61])); d.decode(new Uint8Array([0xef, 0xbb, 0xbf, 0x62]))`, `b`},
		{"utf-8 fatal truncated at flush", `const d = new TextDecoder("utf-8", {fatal: true}); d.decode(new Uint8Array([0xe2, 0x82]), {stream: true}); d.decode()`, `throws: TypeError: Failed to decode input.`},
		{"utf-8 decoder usable after fatal error", `const d = new TextDecoder("utf-8", {fatal: true}); try { d.decode(new Uint8Array([0xff])) } catch {} d.decode(new Uint8Array([0x68, 0x69]))`, `hi`},
		{"utf-8 invalid prefix not held", `const d = new TextDecoder(); d.decode(new Uint8Array([0x61, 0xe0, 0x80]), {stream: true}).length`, `3`},
		{"decode DataView", `new TextDecoder().decode(new DataView(new Uint8Array([0x68, 0x69]).buffer))`, `hi`},
		{"decode subarray", `new TextDecoder().decode(new Uint8Array([0x61, 0x68, 0x69, 0x62]).subarray(1, 3))`, `hi`},
		{"decode null", `new TextDecoder().decode(null) + "|" + new TextDecoder().decode()`, `|`},
		{"label default", `new TextDecoder(undefined).encoding`, `utf-8`},
		{"label null", `new TextDecoder(null)`, `throws: RangeError: "null" is not a valid encoding.`},
		{"label message keeps the label as given", `new TextDecoder(" Nope ")`, `throws: RangeError: " Nope " is not a valid encoding.`},
		{"x-user-defined", `new TextDecoder("x-user-defined")`, `throws: RangeError: "x-user-defined" is not a valid encoding.`},
		{"encodeInto non-Uint8Array", `new TextEncoder().encodeInto("", new Uint16Array(1))`, `throws: TypeError: Failed to execute 'encodeInto' on 'TextEncoder': parameter 2 is not of type 'Uint8Array'.`},
		{"encodeInto ArrayBuffer", `new TextEncoder().encodeInto("", new ArrayBuffer(1))`, `throws: TypeError: Failed to execute 'encodeInto' on 'TextEncoder': parameter 2 is not of type 'Uint8Array'.`},
	})
}

// TestTextEncoderEncodeInto checks read/written counts and the bytes
// written against the Encoding Standard's tests (the cases workerd runs).
func TestTextEncoderEncodeInto(t *testing.T) {
	cases := []struct {
		input   string
		dstLen  int
		read    int
		written []byte
	}{
		{`"Hi"`, 0, 0, nil},
		{`"A"`, 10, 1, []byte{0x41}},
		{`"\u{1D306}"`, 4, 2, []byte{0xF0, 0x9D, 0x8C, 0x86}},
		{`"\u{1D306}A"`, 3, 0, nil},
		{`"\uD834A\uDF06A¥Hi"`, 10, 5, []byte{0xEF, 0xBF, 0xBD, 0x41, 0xEF, 0xBF, 0xBD, 0x41, 0xC2, 0xA5}},
		{`"A\uDF06"`, 4, 2, []byte{0x41, 0xEF, 0xBF, 0xBD}},
		{`"¥¥"`, 4, 2, []byte{0xC2, 0xA5, 0xC2, 0xA5}},
	}
	iso, _ := newIsolate(t)
	for _, c := range cases {
		// The destination is a window (offset 4) of a larger buffer filled
		// with 0x80: bytes outside what was written stay as they were.
		src := fmt.Sprintf(`(() => {
			const buf = new Uint8Array(%d + 10).fill(0x80);
			const view = new Uint8Array(buf.buffer, 4, %d);
			const r = new TextEncoder().encodeInto(%s, view);
			return r.read + ";" + r.written + ";" + Array.from(buf).join();
		})()`, c.dstLen, c.dstLen, c.input)
		full := make([]string, c.dstLen+10)
		for i := range full {
			full[i] = "128"
		}
		for i, b := range c.written {
			full[4+i] = fmt.Sprint(b)
		}
		want := fmt.Sprintf("%d;%d;%s", c.read, len(c.written), strings.Join(full, ","))
		if got := eval(t, iso, src); got != want {
			t.Errorf("encodeInto(%s) into %d bytes:\n got %s\nwant %s", c.input, c.dstLen, got, want)
		}
	}
}

// oneMiB is 1 MiB of valid UTF-8: mostly ASCII text with two- to four-byte
// sequences in every line.
func oneMiB() []byte {
	line := "The quick brown fox — jumps over the lazy dög; naïve café, 日本語, emoji 😀.\n"
	var b strings.Builder
	for b.Len() < 1<<20 {
		b.WriteString(line)
	}
	s := b.String()[:1<<20]
	for !utf8.ValidString(s) {
		s = s[:len(s)-1]
	}
	return []byte(s)
}

// BenchmarkUTF8Baseline is the Go baseline TextDecoder is measured
// against: utf8.Valid and a string conversion of the same bytes.
func BenchmarkUTF8Baseline(b *testing.B) {
	data := oneMiB()
	b.SetBytes(int64(len(data)))
	var sink string
	for b.Loop() {
		if !utf8.Valid(data) {
			b.Fatal("invalid")
		}
		sink = string(data)
	}
	_ = sink
}

// BenchmarkTextDecoderUTF8 is `new TextDecoder().decode(u8)` on the same
// 1 MiB, called from JS.
func BenchmarkTextDecoderUTF8(b *testing.B) {
	data := oneMiB()
	iso, _ := newIsolate(b)
	do(b, iso, func(rt *goja.Runtime) error {
		buf := rt.NewArrayBuffer(data)
		u8, err := rt.New(rt.Get("Uint8Array"), rt.ToValue(buf))
		if err != nil {
			return err
		}
		fn, err := rt.RunString(`(u8) => { const d = new TextDecoder(); return () => d.decode(u8); }`)
		if err != nil {
			return err
		}
		mk, _ := goja.AssertFunction(fn)
		dv, err := mk(goja.Undefined(), u8)
		if err != nil {
			return err
		}
		decode, _ := goja.AssertFunction(dv)
		b.SetBytes(int64(len(data)))
		b.ResetTimer()
		for b.Loop() {
			v, err := decode(goja.Undefined())
			if err != nil {
				return err
			}
			if !goja.IsString(v) {
				b.Fatal("not a string")
			}
		}
		return nil
	})
}
