package webapi

import (
	"bytes"
	"regexp"
	"strings"

	"github.com/emu-dev/emu/jsruntime"
)

// A formPart is one part of a multipart/form-data body.
type formPart struct {
	name        string
	filename    *string // nil for a plain field
	contentType string
	data        []byte // a slice of the body
}

// headerEnd matches the end of a part's headers (CRLF or LF line ends).
var headerEnd = regexp.MustCompile("\r?\n\r?\n")

func formError(msg string) error { return jsruntime.Errorf(jsruntime.TypeError, "%s", msg) }

// parseMultipart splits a multipart/form-data body as workerd's
// parseFormData does, with its tolerance (a delimiter is LF or CRLF, then
// "--boundary") and its TypeErrors. Go's mime/multipart is stricter and its
// errors are not workerd's, so this walks the body itself; the parts'
// headers are read by parsePartHeaders.
func parseMultipart(body []byte, boundary string) ([]formPart, error) {
	delim := []byte("\n--" + boundary)
	_, body = splitAt(body, delim[1:])
	if len(body) == 0 {
		return nil, formError("No initial boundary string (or you have a truncated message).")
	}
	var parts []formPart
	for {
		switch {
		case bytes.HasPrefix(body, []byte("\n")):
			body = body[1:]
		case bytes.HasPrefix(body, []byte("\r\n")):
			body = body[2:]
		case bytes.HasPrefix(body, []byte("--")):
			return parts, nil
		default:
			return nil, formError("Boundary string was not succeeded by CRLF, LF, or '--'.")
		}
		m := headerEnd.FindIndex(body)
		if m == nil {
			return nil, formError("No multipart message header termination found.")
		}
		p, err := parsePartHeaders(string(body[:m[1]]))
		if err != nil {
			return nil, err
		}
		body = body[m[1]:]
		p.data, body = splitAt(body, delim)
		if len(body) == 0 {
			return nil, formError("No subsequent boundary string after multipart message.")
		}
		p.data = bytes.TrimSuffix(p.data, []byte("\r"))
		parts = append(parts, p)
	}
}

// splitAt returns the bytes of text before the first sep and those after
// it (none when sep is missing).
func splitAt(text, sep []byte) (before, after []byte) {
	i := bytes.Index(text, sep)
	if i < 0 {
		return text, nil
	}
	return text[:i], text[i+len(sep):]
}

// parsePartHeaders reads a part's header lines: its name and filename from
// Content-Disposition, its Content-Type.
func parsePartHeaders(text string) (formPart, error) {
	var p formPart
	var disposition *string
	for _, line := range strings.Split(text, "\n") {
		line = strings.TrimSuffix(line, "\r")
		if line == "" {
			continue
		}
		name, value, ok := strings.Cut(line, ":")
		if !ok || name == "" || !isToken(name) {
			return p, formError("FormData part had invalid headers.")
		}
		value = strings.Trim(value, " \t")
		switch strings.ToLower(name) {
		case "content-disposition":
			if disposition == nil {
				disposition = &value
			}
		case "content-type":
			if p.contentType == "" {
				p.contentType = value
			}
		}
	}
	if disposition == nil {
		return p, formError("No valid Content-Disposition header found in FormData part.")
	}
	kind, params, ok := parseDisposition(*disposition)
	if !ok {
		return p, formError("Invalid Content-Disposition header found in FormData part.")
	}
	if kind != "form-data" {
		return p, formError(`Content-Disposition header for FormData part must have the value "form-data", possibly followed by parameters. Got: "` + kind + `"`)
	}
	name, ok := params["name"]
	if !ok {
		return p, formError("Content-Disposition header in FormData part is missing a name.")
	}
	p.name = name
	if f, ok := params["filename"]; ok {
		p.filename = &f
	}
	return p, nil
}

// isToken reports whether s is an HTTP token (a header name).
func isToken(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c <= ' ' || c >= 0x7f || strings.IndexByte("\"(),/:;<=>?@[\\]{}", c) >= 0 {
			return false
		}
	}
	return true
}
