package rpc

import (
	_ "embed"
	"fmt"

	"github.com/dop251/goja"

	"github.com/emu-dev/emu/jsruntime"
)

//go:embed http.js
var httpJS string

var httpProgram = goja.MustCompile("emu:rpc-http.js", "("+httpJS+")", true)

// HTTPValue is a Request, Response, Headers or ReadableStream on its way
// across RPC. Bodies and streams travel buffered: the sender reads them to
// the end before the call (or the reply) leaves.
type HTTPValue struct {
	Kind       string // "request", "response", "headers" or "stream"
	Method     string // request
	URL        string // request
	Redirect   string // request
	Status     int    // response
	StatusText string // response
	Header     [][2]string
	Body       []byte
	HasBody    bool
}

// httpCodec converts HTTP values (loop only). The classes are looked up on
// first use, as they live in a lazy tier of the web APIs.
type httpCodec struct {
	rt        *goja.Runtime
	out, into goja.Callable
	protos    map[string]*goja.Object
}

var httpClasses = map[string]string{"request": "Request", "response": "Response", "headers": "Headers", "stream": "ReadableStream"}

func newHTTPCodec(rt *goja.Runtime) *httpCodec { return &httpCodec{rt: rt} }

func (h *httpCodec) init() error {
	if h.out != nil {
		return nil
	}
	f, err := h.rt.RunProgram(httpProgram)
	if err != nil {
		return fmt.Errorf("rpc http: %w", err)
	}
	o := f.ToObject(h.rt)
	if fn, ok := goja.AssertFunction(o); ok {
		v, err := fn(goja.Undefined())
		if err != nil {
			return fmt.Errorf("rpc http: %w", err)
		}
		o = v.ToObject(h.rt)
	}
	h.out, _ = goja.AssertFunction(o.Get("out"))
	h.into, _ = goja.AssertFunction(o.Get("into"))
	h.protos = map[string]*goja.Object{}
	for kind, cls := range httpClasses {
		if c := jsruntime.Class(h.rt, cls); c != nil {
			if p, ok := c.Get("prototype").(*goja.Object); ok {
				h.protos[kind] = p
			}
		}
	}
	return nil
}

// kindOf says which HTTP value o is, or "".
func (h *httpCodec) kindOf(o *goja.Object) string {
	if h.init() != nil {
		return ""
	}
	for p, n := o.Prototype(), 0; p != nil && n < 64; p, n = p.Prototype(), n+1 {
		for kind, proto := range h.protos {
			if p == proto {
				return kind
			}
		}
	}
	return ""
}

// read turns o into an HTTPValue; body is a promise for its bytes (or null).
func (h *httpCodec) read(kind string, o *goja.Object) (*HTTPValue, goja.Value, error) {
	v, err := h.out(goja.Undefined(), h.rt.ToValue(kind), o)
	if err != nil {
		return nil, nil, err
	}
	a := v.ToObject(h.rt)
	hv := &HTTPValue{Kind: kind}
	switch kind {
	case "request":
		hv.Method, hv.URL, hv.Redirect = a.Get("0").String(), a.Get("1").String(), a.Get("3").String()
	case "response":
		hv.Status, hv.StatusText = int(a.Get("0").ToInteger()), a.Get("1").String()
	}
	if hs, ok := a.Get("2").(*goja.Object); ok {
		var pairs [][]string
		if err := h.rt.ExportTo(hs, &pairs); err != nil {
			return nil, nil, err
		}
		for _, p := range pairs {
			if len(p) == 2 {
				hv.Header = append(hv.Header, [2]string{p[0], p[1]})
			}
		}
	}
	return hv, a.Get("4"), nil
}

// write makes the JS value of hv.
func (h *httpCodec) write(hv *HTTPValue) (goja.Value, error) {
	if err := h.init(); err != nil {
		return nil, err
	}
	rt := h.rt
	pairs := make([]any, len(hv.Header))
	for i, p := range hv.Header {
		pairs[i] = rt.NewArray(p[0], p[1])
	}
	body := goja.Null()
	if hv.HasBody {
		body = rt.ToValue(rt.NewArrayBuffer(hv.Body))
	}
	var a, b goja.Value = goja.Null(), goja.Null()
	switch hv.Kind {
	case "request":
		a, b = rt.ToValue(hv.Method), rt.ToValue(hv.URL)
	case "response":
		a, b = rt.ToValue(hv.Status), rt.ToValue(hv.StatusText)
	}
	redirect := goja.Undefined()
	if hv.Redirect != "" {
		redirect = rt.ToValue(hv.Redirect)
	}
	return h.into(goja.Undefined(), rt.ToValue(hv.Kind), a, b, rt.NewArray(pairs...), redirect, body)
}
