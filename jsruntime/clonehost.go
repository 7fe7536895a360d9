package jsruntime

import (
	"fmt"

	"github.com/dop251/goja"
)

// Host objects in a structured clone: RPC serializes stubs, functions,
// RpcTargets, Requests and Responses as externals (Go values kept beside the
// bytes) and refuses what structuredClone would copy as a plain object (class
// instances). SerializeWith and DeserializeWith take the hooks that decide.

// HostWriter decides how the serializer treats objects: Host is called for
// every object before the built-in handling. It returns (index, true) after
// recording an external at index (the object is written as that external),
// (0, false) to let the built-in handling go on, or a JS error to throw
// (a *goja.Exception, *ScriptError or any error).
type HostWriter interface {
	Host(o *goja.Object) (index int, ok bool, err error)
}

// HostReader makes the JS value of the external at index.
type HostReader interface {
	External(index int) (goja.Value, error)
}

// SerializeWith is Serialize with host objects decided by w.
func SerializeWith(rt *goja.Runtime, v goja.Value, w HostWriter) ([]byte, error) {
	s := serializer{rt: rt, buf: make([]byte, 2, 64), hosts: w}
	s.buf[0], s.buf[1] = cloneMagic, cloneVersion
	if ex := rt.Try(func() { s.value(v) }); ex != nil {
		return nil, ex
	}
	return s.buf, nil
}

// DeserializeWith is Deserialize with the externals made by r.
func DeserializeWith(rt *goja.Runtime, b []byte, r HostReader) (v goja.Value, err error) {
	if len(b) < 2 || b[0] != cloneMagic || b[1] != cloneVersion {
		return nil, cloneFormatError{"bad header"}
	}
	d := deserializer{rt: rt, b: b, pos: 2, hosts: r}
	defer func() {
		if rec := recover(); rec != nil {
			fe, ok := rec.(cloneFormatError)
			if !ok {
				panic(rec)
			}
			v, err = nil, fe
		}
	}()
	if ex := rt.Try(func() { v = d.value() }); ex != nil {
		return nil, ex
	}
	if d.pos != len(d.b) {
		return nil, cloneFormatError{"trailing bytes"}
	}
	return v, nil
}

// host lets the HostWriter take o; it reports whether it did.
func (s *serializer) host(o *goja.Object) bool {
	idx, ok, err := s.hosts.Host(o)
	if err != nil {
		panic(s.thrown(err))
	}
	if !ok {
		return false
	}
	s.register(o)
	s.buf = append(s.buf, 'X')
	s.uvarint(uint64(idx))
	return true
}

// thrown turns a hook's error into the value to throw.
func (s *serializer) thrown(err error) goja.Value {
	if v := Thrown(err); v != nil {
		return v
	}
	return ErrorValue(s.rt, err)
}

func (d *deserializer) host() goja.Value {
	if d.hosts == nil {
		d.pos--
		d.fail("host object outside RPC")
	}
	idx := d.uvarint()
	if idx > 1<<20 {
		d.fail("bad external %d", idx)
	}
	d.add(nil)
	id := len(d.objs) - 1
	v, err := d.hosts.External(int(idx))
	if err != nil {
		if t := Thrown(err); t != nil {
			panic(t)
		}
		panic(cloneFormatError{fmt.Sprintf("external %d: %v", idx, err)})
	}
	d.objs[id] = v
	return v
}

// installDisposeSymbols defines Symbol.dispose and Symbol.asyncDispose
// (explicit resource management, which V8 has and goja lacks), so `using`
// declarations (lowered by the bundler) and RPC stubs' disposers share one
// symbol, as in workerd.
func installDisposeSymbols(rt *goja.Runtime) {
	sym := rt.Get("Symbol").ToObject(rt)
	for _, name := range []string{"dispose", "asyncDispose"} {
		if v := sym.Get(name); v != nil && !goja.IsUndefined(v) {
			continue
		}
		_ = sym.DefineDataProperty(name, goja.NewSymbol("Symbol."+name), goja.FLAG_FALSE, goja.FLAG_FALSE, goja.FLAG_FALSE)
	}
}

// cloneHostsKey holds a runtime's default HostWriter (see SetCloneHosts).
var cloneHostsKey = goja.NewSymbol("emu.cloneHosts")

// SetCloneHosts makes w decide host objects in every Serialize of rt
// (structuredClone, storage, attachments): RPC uses it to refuse RpcTargets
// and stubs outside RPC, as workerd does. Call it on the loop.
func SetCloneHosts(rt *goja.Runtime, w HostWriter) {
	_ = rt.GlobalObject().DefineDataPropertySymbol(cloneHostsKey, rt.ToValue(w), goja.FLAG_FALSE, goja.FLAG_FALSE, goja.FLAG_FALSE)
}

func defaultHosts(rt *goja.Runtime) HostWriter {
	if v := rt.GlobalObject().GetSymbol(cloneHostsKey); v != nil {
		if w, ok := v.Export().(HostWriter); ok {
			return w
		}
	}
	return nil
}
