package node

import (
	"bytes"
	"encoding/base64"
	"encoding/hex"
	"strings"
	"unicode/utf8"

	"github.com/dop251/goja"
	nodebuffer "github.com/dop251/goja_nodejs/buffer"

	"github.com/emu-dev/emu/jsruntime/webapi"
)

// bufferNatives do the byte work of buffer.js. enc is a normalized
// encoding name: utf8, hex, base64, base64url, latin1, ascii or utf16le.
//
//	bufEncode(s, enc)                 an ArrayBuffer of s in enc
//	bufDecode(b, enc, start, end)     the bytes b[start:end] decoded from enc
//	bufByteLength(s, enc)             the length of bufEncode(s, enc)
//	bufCompare(a, b)                  -1, 0 or 1, comparing bytes
//	bufIndexOf(b, needle, from, last) the first (or last, searching back
//	                                  from `from`) index of needle in b, or -1
//	bufIsUtf8(b)                      whether b is valid UTF-8
//	bufNumeric()                      goja_nodejs's Buffer.prototype: its
//	                                  read/write methods of numbers
//
// Base64 (both alphabets, lenient as Node's) and hex decoding are
// goja_nodejs's codecs.
var bufferNatives = []native{
	{"bufEncode", func(e *env, call goja.FunctionCall) goja.Value {
		return e.rt.ToValue(e.rt.NewArrayBuffer(encodeString(call.Argument(0), call.Argument(1).String())))
	}},
	{"bufDecode", func(e *env, call goja.FunctionCall) goja.Value {
		b := e.bytesArg(call, 0)
		start := intArg(call, 2, 0, len(b))
		end := intArg(call, 3, len(b), len(b))
		if end < start {
			end = start
		}
		return decodeBytes(e.rt, b[start:end], call.Argument(1).String())
	}},
	{"bufByteLength", func(e *env, call goja.FunctionCall) goja.Value {
		s := call.Argument(0)
		switch enc := call.Argument(1).String(); enc {
		case "utf8":
			return e.rt.ToValue(len(s.String()))
		default:
			return e.rt.ToValue(len(encodeString(s, enc)))
		}
	}},
	{"bufCompare", func(e *env, call goja.FunctionCall) goja.Value {
		return e.rt.ToValue(bytes.Compare(e.bytesArg(call, 0), e.bytesArg(call, 1)))
	}},
	{"bufIndexOf", func(e *env, call goja.FunctionCall) goja.Value {
		b, needle := e.bytesArg(call, 0), e.bytesArg(call, 1)
		from := int(call.Argument(2).ToInteger())
		if call.Argument(3).ToBoolean() {
			if from+len(needle) < len(b) {
				b = b[:from+len(needle)]
			}
			return e.rt.ToValue(bytes.LastIndex(b, needle))
		}
		if from > len(b) {
			return e.rt.ToValue(-1)
		}
		i := bytes.Index(b[from:], needle)
		if i < 0 {
			return e.rt.ToValue(-1)
		}
		return e.rt.ToValue(from + i)
	}},
	{"bufIsUtf8", func(e *env, call goja.FunctionCall) goja.Value {
		return e.rt.ToValue(utf8.Valid(e.bytesArg(call, 0)))
	}},
	{"bufNumeric", func(e *env, call goja.FunctionCall) goja.Value {
		module := e.rt.NewObject()
		_ = module.Set("exports", e.rt.NewObject())
		nodebuffer.Require(e.rt, module)
		return module.Get("exports").ToObject(e.rt).Get("Buffer").ToObject(e.rt).Get("prototype")
	}},
}

// encodeString encodes the JS string v in enc.
func encodeString(v goja.Value, enc string) []byte {
	switch enc {
	case "hex":
		return nodebuffer.StringCodecByName("hex").Decode(v.String())
	case "base64", "base64url":
		// Node skips whitespace in base64.
		s := strings.Map(func(r rune) rune {
			if r == ' ' || r == '\t' || r == '\n' || r == '\r' || r == '\f' || r == '\v' {
				return -1
			}
			return r
		}, v.String())
		b, _ := nodebuffer.Base64DecodeAppend(nil, s)
		return b
	case "latin1", "ascii":
		s := toJSString(v)
		out := make([]byte, s.Length())
		for i := range out {
			out[i] = byte(s.CharAt(i))
		}
		return out
	case "utf16le":
		s := toJSString(v)
		out := make([]byte, 2*s.Length())
		for i := 0; i < s.Length(); i++ {
			c := s.CharAt(i)
			out[2*i], out[2*i+1] = byte(c), byte(c>>8)
		}
		return out
	}
	return []byte(v.String())
}

// decodeBytes decodes b from enc into a JS string.
func decodeBytes(rt *goja.Runtime, b []byte, enc string) goja.Value {
	switch enc {
	case "hex":
		return rt.ToValue(hex.EncodeToString(b))
	case "base64":
		return rt.ToValue(base64.StdEncoding.EncodeToString(b))
	case "base64url":
		return rt.ToValue(base64.RawURLEncoding.EncodeToString(b))
	case "latin1", "ascii":
		u := make([]uint16, len(b))
		for i, c := range b {
			if enc == "ascii" {
				c &= 0x7f
			}
			u[i] = uint16(c)
		}
		return goja.StringFromUTF16(u)
	case "utf16le":
		u := make([]uint16, len(b)/2)
		for i := range u {
			u[i] = uint16(b[2*i]) | uint16(b[2*i+1])<<8
		}
		return goja.StringFromUTF16(u)
	}
	return rt.ToValue(webapi.DecodeUTF8(b))
}

// toJSString is v converted to a string, as its UTF-16 code units.
func toJSString(v goja.Value) goja.String {
	if s, ok := v.ToString().(goja.String); ok {
		return s
	}
	return goja.StringFromUTF16(nil)
}
