package websocket

import (
	"github.com/dop251/goja"

	"github.com/emu-dev/emu/jsruntime"
)

// native is a Go function websocket.js calls with a WebSocket's handle
// (its *End) as the first argument.
type native struct {
	name string
	fn   func(r *Registry, e *End, c goja.FunctionCall) goja.Value
}

// natives are the Go side of the WebSocket class's methods and accessors.
var natives = []native{
	{"accept", (*Registry).jsAccept},
	{"send", (*Registry).jsSend},
	{"close", (*Registry).jsClose},
	{"readyState", (*Registry).jsReadyState},
	{"binaryType", (*Registry).jsBinaryType},
	{"setBinaryType", (*Registry).jsSetBinaryType},
	{"serializeAttachment", (*Registry).jsSerializeAttachment},
	{"deserializeAttachment", (*Registry).jsDeserializeAttachment},
	{"url", (*Registry).jsURL},
	{"protocol", (*Registry).jsProtocol},
}

// nativesObject builds the object websocket.js receives: pair() plus the
// natives, each checking its handle argument.
func (r *Registry) nativesObject() *goja.Object {
	rt := r.rt
	o := rt.NewObject()
	_ = o.Set("pair", func(goja.FunctionCall) goja.Value { return r.jsPair() })
	_ = o.Set("connect", r.jsConnect)
	for _, n := range natives {
		n := n
		_ = o.Set(n.name, func(c goja.FunctionCall) goja.Value {
			e, _ := c.Argument(0).Export().(*End)
			if e == nil {
				jsruntime.Throw(rt, jsruntime.TypeError, "Illegal invocation")
			}
			return n.fn(r, e, c)
		})
	}
	return o
}

// jsPair makes the two ends of a new WebSocketPair: [client, server].
func (r *Registry) jsPair() goja.Value {
	srv := &End{conn: NewConn(), binaryType: r.defaultBinaryType()}
	cli := &End{conn: srv.conn, client: true, peer: srv, binaryType: r.defaultBinaryType()}
	srv.peer = cli
	return r.rt.ToValue([]any{cli, srv})
}

// jsAccept is ws.accept(options): (handle, view, options).
func (r *Registry) jsAccept(e *End, c goja.FunctionCall) goja.Value {
	if e.view == nil {
		e.view = c.Argument(1).ToObject(r.rt)
	}
	var opts *goja.Object
	if v := c.Argument(2); !goja.IsUndefined(v) && !goja.IsNull(v) {
		opts = v.ToObject(r.rt)
	}
	r.accept(e, opts)
	return goja.Undefined()
}

// jsSend is ws.send(message): (handle, message).
func (r *Registry) jsSend(e *End, c goja.FunctionCall) goja.Value {
	r.send(e, c.Argument(1))
	return goja.Undefined()
}

// jsClose is ws.close(code, reason): (handle, code, reason).
func (r *Registry) jsClose(e *End, c goja.FunctionCall) goja.Value {
	r.close(e, c.Argument(1), c.Argument(2))
	return goja.Undefined()
}

func (r *Registry) jsReadyState(e *End, _ goja.FunctionCall) goja.Value {
	return r.rt.ToValue(int(readyState(e)))
}

func (r *Registry) jsBinaryType(e *End, _ goja.FunctionCall) goja.Value {
	return r.rt.ToValue(e.binaryType)
}

// jsSetBinaryType sets binaryType; other values are ignored, as the setter
// of an enum attribute does.
func (r *Registry) jsSetBinaryType(e *End, c goja.FunctionCall) goja.Value {
	if v := c.Argument(1).String(); v == "blob" || v == "arraybuffer" {
		e.binaryType = v
	}
	return goja.Undefined()
}

func (r *Registry) jsSerializeAttachment(e *End, c goja.FunctionCall) goja.Value {
	b, err := r.opts.Serialize(r.rt, c.Argument(1))
	if err != nil {
		panic(err)
	}
	if len(b) > maxAttachment {
		jsruntime.Throw(r.rt, jsruntime.Error, "A WebSocket 'attachment' cannot be larger than %d bytes.'attachment' was %d bytes.", maxAttachment, len(b))
	}
	e.conn.Attachment = b
	return goja.Undefined()
}

func (r *Registry) jsDeserializeAttachment(e *End, _ goja.FunctionCall) goja.Value {
	if e.conn.Attachment == nil {
		return goja.Null()
	}
	v, err := r.opts.Deserialize(r.rt, e.conn.Attachment)
	if err != nil {
		panic(err)
	}
	return v
}
