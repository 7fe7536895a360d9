package jsruntime

import "github.com/dop251/goja"

// BufferSource returns the bytes of an ArrayBuffer, a typed array or a
// DataView (sharing memory with it), and false for any other value.
func BufferSource(v goja.Value) ([]byte, bool) {
	if v == nil {
		return nil, false
	}
	switch x := v.Export().(type) {
	case goja.ArrayBuffer:
		return x.Bytes(), true
	case []byte:
		return x, true
	}
	o, ok := v.(*goja.Object)
	if !ok {
		return nil, false
	}
	buf, ok := o.Get("buffer").Export().(goja.ArrayBuffer)
	if !ok {
		return nil, false
	}
	off, n := o.Get("byteOffset"), o.Get("byteLength")
	if off == nil || n == nil {
		return nil, false
	}
	b := buf.Bytes()
	start, length := int(off.ToInteger()), int(n.ToInteger())
	if start < 0 || start+length > len(b) {
		return nil, false
	}
	return b[start : start+length], true
}
