package webapi

import (
	"encoding/base64"
	"strings"
	"unicode/utf8"

	"github.com/dop251/goja"
)

// encodingNatives do the byte work of encoding.js (TextEncoder, TextDecoder,
// btoa, atob) and of the prelude's utf8Encode and utf8Decode:
//
//	utf8Encode(s)          an ArrayBuffer of s as UTF-8 (lone surrogates as U+FFFD)
//	utf8Decode(b, fatal)   b decoded as UTF-8 (see decodeUTF8); null if fatal and invalid
//	utf8EncodeInto(s, b)   [read, written]: as much of s as fits written to b as UTF-8
//	latin1Decode(b)        each byte of b as the code point of the same value
//	btoa(s)                base64 of s's code points as bytes; null if one is above U+00FF
//	atob(s)                forgiving-base64 decode of s as a latin1 string; null if invalid
//	encodingName(label)    the WHATWG name of an encoding label TextDecoder takes, or null
//	textDecoderNew(name, fatal, ignoreBOM)  a TextDecoder's decoder (textdecoder.go)
//	textDecode(d, b, stream)  b decoded by decoder d; null if d is fatal and b malformed
//
// b is an ArrayBuffer or a Uint8Array.
var encodingNatives = []native{
	{"utf8Encode", func(e *env, call goja.FunctionCall) goja.Value {
		return e.rt.ToValue(e.rt.NewArrayBuffer([]byte(call.Argument(0).String())))
	}},
	{"utf8Decode", func(e *env, call goja.FunctionCall) goja.Value {
		s, ok := decodeUTF8(e.bytesArg(call, 0), call.Argument(1).ToBoolean())
		if !ok {
			return goja.Null()
		}
		return e.rt.ToValue(s)
	}},
	{"utf8EncodeInto", func(e *env, call goja.FunctionCall) goja.Value {
		read, written := encodeInto(call.Argument(0).String(), e.bytesArg(call, 1))
		return e.rt.NewArray(read, written)
	}},
	{"latin1Decode", func(e *env, call goja.FunctionCall) goja.Value {
		return e.rt.ToValue(latin1(e.bytesArg(call, 0)))
	}},
	{"btoa", func(e *env, call goja.FunctionCall) goja.Value {
		s := call.Argument(0).String()
		b := make([]byte, 0, len(s))
		for _, r := range s {
			if r > 0xff {
				return goja.Null()
			}
			b = append(b, byte(r))
		}
		return e.rt.ToValue(base64.StdEncoding.EncodeToString(b))
	}},
	{"encodingName", func(e *env, call goja.FunctionCall) goja.Value {
		if name := encodingName(call.Argument(0).String()); name != "" {
			return e.rt.ToValue(name)
		}
		return goja.Null()
	}},
	{"textDecoderNew", func(e *env, call goja.FunctionCall) goja.Value {
		d, err := newTextDecoder(call.Argument(0).String(), call.Argument(1).ToBoolean(), call.Argument(2).ToBoolean())
		if err != nil {
			panic(e.rt.NewTypeError(err.Error()))
		}
		return e.rt.ToValue(d)
	}},
	{"textDecode", func(e *env, call goja.FunctionCall) goja.Value {
		d, ok := call.Argument(0).Export().(*textDecoder)
		if !ok {
			panic(e.rt.NewTypeError("Illegal invocation"))
		}
		v, err := d.decode(e.rt, e.bytesArg(call, 1), call.Argument(2).ToBoolean())
		if err != nil {
			return goja.Null()
		}
		return v
	}},
	{"atob", func(e *env, call goja.FunctionCall) goja.Value {
		b, ok := forgivingBase64(call.Argument(0).String())
		if !ok {
			return goja.Null()
		}
		return e.rt.ToValue(latin1(b))
	}},
}

// decodeUTF8 decodes b as the WHATWG Encoding Standard's UTF-8 decoder
// does: each maximal invalid subsequence becomes one U+FFFD, or, when fatal,
// decoding fails. A BOM is kept (the caller strips it).
func decodeUTF8(b []byte, fatal bool) (string, bool) {
	if utf8.Valid(b) {
		return string(b), true
	}
	if fatal {
		return "", false
	}
	var sb strings.Builder
	sb.Grow(len(b) + 8)
	for i := 0; i < len(b); {
		c := b[i]
		if c < 0x80 {
			sb.WriteByte(c)
			i++
			continue
		}
		var need int
		var cp rune
		lower, upper := byte(0x80), byte(0xbf)
		switch {
		case c >= 0xc2 && c <= 0xdf:
			need, cp = 1, rune(c&0x1f)
		case c >= 0xe0 && c <= 0xef:
			if c == 0xe0 {
				lower = 0xa0
			}
			if c == 0xed {
				upper = 0x9f
			}
			need, cp = 2, rune(c&0x0f)
		case c >= 0xf0 && c <= 0xf4:
			if c == 0xf0 {
				lower = 0x90
			}
			if c == 0xf4 {
				upper = 0x8f
			}
			need, cp = 3, rune(c&0x07)
		default:
			sb.WriteRune(utf8.RuneError)
			i++
			continue
		}
		j := i + 1
		ok := true
		for k := 0; k < need; k++ {
			if j >= len(b) || b[j] < lower || b[j] > upper {
				ok = false
				break
			}
			cp = cp<<6 | rune(b[j]&0x3f)
			lower, upper = 0x80, 0xbf
			j++
		}
		if !ok {
			// The lead byte and the valid continuation bytes seen so far are
			// one error; the byte that broke the sequence is read again.
			sb.WriteRune(utf8.RuneError)
			i = j
			continue
		}
		sb.WriteRune(cp)
		i = j
	}
	return sb.String(), true
}

// latin1 maps each byte to the code point of the same value.
func latin1(b []byte) string {
	ascii := true
	for _, c := range b {
		if c >= 0x80 {
			ascii = false
			break
		}
	}
	if ascii {
		return string(b)
	}
	var sb strings.Builder
	sb.Grow(len(b) * 2)
	for _, c := range b {
		sb.WriteRune(rune(c))
	}
	return sb.String()
}

// forgivingBase64 is the WHATWG forgiving-base64 decode atob uses: ASCII
// whitespace is ignored, padding is optional but must be right when present.
func forgivingBase64(s string) ([]byte, bool) {
	clean := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case ' ', '\t', '\n', '\f', '\r':
		default:
			clean = append(clean, c)
		}
	}
	if len(clean)%4 == 0 {
		if n := len(clean); n >= 1 && clean[n-1] == '=' {
			clean = clean[:n-1]
			if n >= 2 && clean[n-2] == '=' {
				clean = clean[:n-2]
			}
		}
	}
	if len(clean)%4 == 1 {
		return nil, false
	}
	for _, c := range clean {
		if !(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '+' || c == '/') {
			return nil, false
		}
	}
	b, err := base64.RawStdEncoding.DecodeString(string(clean))
	if err != nil {
		return nil, false
	}
	return b, true
}

// encodeInto writes the UTF-8 of the code points of s that fit whole into
// dst, and returns how many UTF-16 code units of s it read and how many
// bytes it wrote (TextEncoder.encodeInto). s comes from a JS string, its
// lone surrogates already U+FFFD (one code unit each).
func encodeInto(s string, dst []byte) (read, written int) {
	for _, r := range s {
		n := utf8.RuneLen(r)
		if written+n > len(dst) {
			break
		}
		utf8.EncodeRune(dst[written:], r)
		written += n
		read++
		if r > 0xffff {
			read++
		}
	}
	return read, written
}

// DecodeUTF8 decodes b as the WHATWG UTF-8 decoder does, each maximal
// invalid subsequence becoming one U+FFFD (as Node's Buffer does too).
func DecodeUTF8(b []byte) string {
	s, _ := decodeUTF8(b, false)
	return s
}
