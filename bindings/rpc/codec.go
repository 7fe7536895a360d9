package rpc

import (
	"reflect"

	"github.com/dop251/goja"

	"github.com/emu-dev/emu/jsruntime"
)

// The serialization differences between RPC and structuredClone, as in
// workerd: over RPC functions, RpcTargets and stubs travel as stubs, and
// HTTP values by value; instances of other classes (and objects with a null
// prototype) are refused, where structuredClone copies their own
// properties; outside RPC, RpcTargets and stubs are refused.

// encoder writes a value's externals (a jsruntime.HostWriter).
type encoder struct {
	ep    *Endpoint
	msg   *Message
	waits []bodyWait
}

// bodyWait is an HTTP value whose body is still being read.
type bodyWait struct {
	hv   *HTTPValue
	body goja.Value // promise for an ArrayBuffer
}

func (e *encoder) add(x any) (int, bool, error) {
	e.msg.Ext = append(e.msg.Ext, x)
	return len(e.msg.Ext) - 1, true, nil
}

func dataClone(format string, args ...any) error {
	return jsruntime.Errorf(jsruntime.DataCloneError, format, args...)
}

func notSerializable(name string) error {
	return dataClone("Could not serialize object of type \"%s\". This type does not support serialization.", name)
}

// Host decides how o crosses.
func (e *encoder) Host(o *goja.Object) (int, bool, error) {
	ep := e.ep
	if _, isFn := goja.AssertFunction(o); isFn {
		switch kind, h := ep.classifyObj(o); kind {
		case "stub", "service":
			return e.stub(h)
		case "promise":
			return 0, false, notSerializable("JsRpcPromise")
		case "property":
			return 0, false, notSerializable("JsRpcProperty")
		}
		return e.add(ep.newLocal(o, true, true))
	}
	proto := o.Prototype()
	if proto == ep.objectProto {
		return 0, false, nil
	}
	if proto != nil {
		if kind, h := ep.classifyObj(o); kind == "service" || kind == "stub" {
			return e.stub(h)
		}
		if ep.isTarget(o) {
			return e.add(ep.newLocal(o, false, true))
		}
	}
	switch o.ClassName() {
	case "Array", "Date", "RegExp", "Error", "Boolean", "Number", "String", "Promise":
		return 0, false, nil
	}
	if t := o.ExportType(); t != typePlain && t != nil {
		return 0, false, nil // Map, Set, ArrayBuffer, typed arrays, BigInt objects
	}
	if proto == nil {
		return 0, false, notSerializable("Object")
	}
	if kind := ep.http.kindOf(o); kind != "" {
		return e.http(kind, o)
	}
	name := constructorName(o)
	switch name {
	case "DataView", "WeakMap", "WeakSet":
		return 0, false, nil // the structured clone's own handling
	}
	return 0, false, notSerializable(name)
}

func (e *encoder) stub(h goja.Value) (int, bool, error) {
	s, _ := h.Export().(*stubRef)
	if s == nil {
		return 0, false, notSerializable("JsRpcStub")
	}
	if s.disposed.Load() {
		return e.add(broken{errDisposedStub})
	}
	s.target.Retain()
	return e.add(s.target)
}

func (e *encoder) http(kind string, o *goja.Object) (int, bool, error) {
	hv, body, err := e.ep.http.read(kind, o)
	if err != nil {
		return 0, false, err
	}
	if body != nil && !goja.IsNull(body) && !goja.IsUndefined(body) {
		hv.HasBody = true
		e.waits = append(e.waits, bodyWait{hv, body})
	}
	return e.add(hv)
}

// constructorName is the name V8 reports for an object's class.
func constructorName(o *goja.Object) string {
	name := "Object"
	if c, ok := o.Get("constructor").(*goja.Object); ok {
		if n, ok := c.Get("name").(goja.String); ok && n.Length() > 0 {
			name = n.String()
		}
	}
	return name
}

var typePlain = reflect.TypeOf(map[string]any{})

// encode serializes v for RPC. The message's HTTP bodies are complete once
// finish has called back. A failure has released what was retained.
func (ep *Endpoint) encode(v goja.Value) (*Message, []bodyWait, error) {
	e := &encoder{ep: ep, msg: &Message{}}
	b, err := jsruntime.SerializeWith(ep.rt, v, e)
	if err != nil {
		e.msg.release()
		return nil, nil, err
	}
	e.msg.Data = b
	return e.msg, e.waits, nil
}

// finish waits for the bodies of waits, then calls done on the loop (at
// once when there is none).
func (ep *Endpoint) finish(waits []bodyWait, done func(error)) {
	if len(waits) == 0 {
		done(nil)
		return
	}
	left := len(waits)
	var first error
	for _, w := range waits {
		w := w
		jsruntime.Settle(ep.rt, w.body, func(v goja.Value, err error) {
			if err == nil {
				if b, ok := jsruntime.BufferSource(v); ok {
					w.hv.Body = append([]byte(nil), b...)
				}
			} else if first == nil {
				first = err
			}
			if left--; left == 0 {
				done(first)
			}
		})
	}
}

// decoder makes a message's externals (a jsruntime.HostReader). The stubs
// it makes own the message's references and join group.
type decoder struct {
	ep    *Endpoint
	msg   *Message
	group *group
	used  []bool
}

func (d *decoder) External(i int) (goja.Value, error) {
	if i >= len(d.msg.Ext) || d.used[i] {
		return nil, errBadExternal
	}
	d.used[i] = true
	switch x := d.msg.Ext[i].(type) {
	case Target:
		return d.ep.stubValue(newStubRef(x), d.group), nil
	case *HTTPValue:
		return d.ep.http.write(x)
	}
	return nil, errBadExternal
}

var errBadExternal = jsruntime.Errorf(jsruntime.Error, "invalid RPC message")

// decode deserializes m; the stubs in it join g.
func (ep *Endpoint) decode(m *Message, g *group) (goja.Value, error) {
	if m == nil {
		return goja.Undefined(), nil
	}
	d := &decoder{ep: ep, msg: m, group: g, used: make([]bool, len(m.Ext))}
	v, err := jsruntime.DeserializeWith(ep.rt, m.Data, d)
	for i, used := range d.used {
		if t, ok := m.Ext[i].(Target); ok && !used {
			t.Release()
		}
	}
	return v, err
}

// cloneGuard is the HostWriter of structuredClone and storage: RPC objects
// cannot be copied outside RPC (workerd's DataCloneError).
type cloneGuard struct{ ep *Endpoint }

func (g cloneGuard) Host(o *goja.Object) (int, bool, error) {
	ep := g.ep
	if o.Prototype() == ep.objectProto {
		return 0, false, nil
	}
	if kind, _ := ep.classifyObj(o); kind == "stub" || kind == "service" || ep.isTarget(o) {
		return 0, false, dataClone("Remote RPC references can only be serialized for RPC.")
	}
	return 0, false, nil
}
