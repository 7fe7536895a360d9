package webapi

import (
	"errors"
	"fmt"
	"net/http"
	"slices"

	"github.com/dop251/goja"

	"github.com/emu-dev/emu/jsruntime"
)

// The Go side of Request and Response: emu's HTTP server hands a request to
// the Worker with NewRequest and reads its answer back with ReadResponse,
// through the entry points fetch.js registers.

// ErrNotResponse is returned by ReadResponse for a value that is not a
// Response: workerd's TypeError for a fetch handler that resolves to
// something else.
var ErrNotResponse = jsruntime.Errorf(jsruntime.TypeError, "Incorrect type for Promise: the Promise did not resolve to 'Response'.")

// NewRequest builds the JS Request a Worker's fetch handler receives, as
// workerd does for an incoming request: url must be absolute; the headers
// (canonical Go names; lower-cased in JS) are immutable; redirect is
// "manual"; request.cf is wrangler dev's placeholder object. body is nil for
// no body; a non-empty body (or a Content-Length/Transfer-Encoding header)
// makes request.body non-null, and a body without either header gets a
// Content-Length. NewRequest takes ownership of body. Call it on the
// goroutine that owns rt.
func NewRequest(rt *goja.Runtime, method, url string, h http.Header, body []byte) (*goja.Object, error) {
	fn, err := entry(rt, "__newIncomingRequest")
	if err != nil {
		return nil, err
	}
	names := make([]string, 0, len(h))
	for k := range h {
		names = append(names, k)
	}
	slices.Sort(names)
	pairs := make([]any, 0, 2*len(h))
	for _, k := range names {
		for _, v := range h[k] {
			pairs = append(pairs, k, v)
		}
	}
	bodyArg := goja.Null()
	if body != nil {
		bodyArg = rt.ToValue(rt.NewArrayBuffer(body))
	}
	v, err := fn(goja.Undefined(), rt.ToValue(method), rt.ToValue(url), rt.NewArray(pairs...), bodyArg)
	if err != nil {
		return nil, fmt.Errorf("new request %s %s: %w", method, url, err)
	}
	return v.ToObject(rt), nil
}

// ResponseData is a JS Response read back into Go.
type ResponseData struct {
	Status     int
	StatusText string
	Header     http.Header // canonical names; each value separate, Set-Cookie included
	// Body is a buffered body (a string, bytes, or a body stream nobody
	// read); nil for a null body or a streaming one.
	Body []byte
	// Stream is a body that is a ReadableStream the Worker writes as it
	// goes; nil otherwise. The Go side reads it with Next (off the loop)
	// until io.EOF, or Cancels it.
	Stream    *BodyStream
	WebSocket *goja.Object // the Response's webSocket, nil if none
}

// ReadResponse converts a JS Response into ResponseData, consuming its body:
// a string body as UTF-8, bytes as they are, a body stream that is still
// just its buffer as those bytes, and any other ReadableStream as a
// BodyStream (locked, so the script cannot read it any more). A body
// already used, or a locked stream, is workerd's TypeError; a value that is
// not a Response gives ErrNotResponse. Call it on the goroutine that owns
// rt.
func ReadResponse(rt *goja.Runtime, v goja.Value) (*ResponseData, error) {
	fn, err := entry(rt, "__readResponse")
	if err != nil {
		return nil, err
	}
	if v == nil {
		return nil, ErrNotResponse
	}
	res, err := fn(goja.Undefined(), v)
	if err != nil {
		return nil, fmt.Errorf("read response: %w", err)
	}
	if goja.IsNull(res) || goja.IsUndefined(res) {
		return nil, ErrNotResponse
	}
	o := res.ToObject(rt)
	d := &ResponseData{
		Status:     int(o.Get("status").ToInteger()),
		StatusText: o.Get("statusText").String(),
		Header:     http.Header{},
	}
	var pairs []string
	if err := rt.ExportTo(o.Get("headers"), &pairs); err != nil {
		return nil, fmt.Errorf("read response headers: %w", err)
	}
	for i := 0; i+1 < len(pairs); i += 2 {
		k := http.CanonicalHeaderKey(pairs[i])
		d.Header[k] = append(d.Header[k], pairs[i+1])
	}
	switch body := o.Get("body"); {
	case goja.IsNull(body) || goja.IsUndefined(body):
	case isString(body):
		d.Body = []byte(body.String())
	default:
		b, ok := jsruntime.BufferSource(body)
		if !ok {
			return nil, errors.New("read response: body is not bytes")
		}
		d.Body = slices.Clone(b)
	}
	if pump, ok := o.Get("stream").(*goja.Object); ok {
		e := envOf(rt)
		if e == nil {
			return nil, errors.New("read response: web APIs are not installed on this runtime")
		}
		if d.Stream, err = newBodyStream(e, pump, o.Get("length").ToInteger()); err != nil {
			return nil, err
		}
	}
	if ws, ok := o.Get("webSocket").(*goja.Object); ok {
		d.WebSocket = ws
	}
	return d, nil
}

// isString reports whether v is a JS string.
func isString(v goja.Value) bool {
	_, ok := v.Export().(string)
	return ok
}
