package webapi

import (
	"bytes"
	"mime"
	"strings"

	"github.com/dop251/goja"

	"github.com/emu-dev/emu/jsruntime"
)

// formDataNatives parse request and response bodies for formData()
// (formdata.js):
//
//	formDataParse(u8, contentType)  the body's entries: for
//	    multipart/form-data an array of [name, value, filename, type]
//	    (value a string when filename is null, else an ArrayBuffer); for
//	    application/x-www-form-urlencoded the body as a string; otherwise
//	    it throws workerd's TypeError
var formDataNatives = []native{
	{"formDataParse", func(e *env, call goja.FunctionCall) goja.Value {
		body := e.bytesArg(call, 0)
		kind, boundary, err := formDataKind(call.Argument(1).String())
		if err == nil && kind == "multipart" {
			var parts []formPart
			if parts, err = parseMultipart(body, boundary); err == nil {
				return e.formPartsValue(parts)
			}
		}
		e.check(err)
		s, _ := decodeUTF8(body, false)
		return e.rt.ToValue(s)
	}},
}

const (
	formDataType   = "multipart/form-data"
	urlencodedType = "application/x-www-form-urlencoded"
)

// formDataKind reads a body's Content-Type as workerd's FormData::parse
// does: "multipart" with its boundary, or "urlencoded" (UTF-8 only).
func formDataKind(contentType string) (kind, boundary string, err error) {
	mt, params, perr := mime.ParseMediaType(contentType)
	switch {
	case perr == nil && mt == formDataType:
		b, ok := params["boundary"]
		if !ok {
			return "", "", jsruntime.Errorf(jsruntime.TypeError, "%s", "No boundary string in Content-Type header. "+
				"The multipart/form-data MIME type requires a boundary parameter, e.g. "+
				"'Content-Type: multipart/form-data; boundary=\"abcd\"'. See RFC 7578, section 4.")
		}
		return "multipart", b, nil
	case perr == nil && mt == urlencodedType:
		if cs, ok := params["charset"]; ok {
			switch strings.ToLower(cs) {
			case "utf-8", "utf8", "unicode-1-1-utf-8":
			default:
				return "", "", jsruntime.Errorf(jsruntime.TypeError, "Non-utf-8 application/x-www-form-urlencoded body.")
			}
		}
		return "urlencoded", "", nil
	}
	return "", "", jsruntime.Errorf(jsruntime.TypeError,
		"Unrecognized Content-Type header value. FormData can only parse the following MIME types: %s, %s",
		formDataType, urlencodedType)
}

// formPartsValue is parts as the array formDataParse returns.
func (e *env) formPartsValue(parts []formPart) goja.Value {
	rt := e.rt
	out := make([]any, len(parts))
	for i, p := range parts {
		if p.filename == nil {
			s, _ := decodeUTF8(p.data, false)
			out[i] = rt.NewArray(p.name, s, goja.Null(), "")
			continue
		}
		out[i] = rt.NewArray(p.name, rt.NewArrayBuffer(bytes.Clone(p.data)), *p.filename, p.contentType)
	}
	return rt.NewArray(out...)
}
