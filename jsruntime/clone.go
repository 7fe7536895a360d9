package jsruntime

// Structured clone, with emu's own binary encoding. Storage values, RPC
// arguments and WebSocket attachments are encoded with Serialize and decoded
// with Deserialize; the global structuredClone is the two in a row.
//
// The encoding (version 1) is a header and one value:
//
//	header  0xEC 0x01                      magic, version
//	value   tag byte + payload:
//
//	'u'  undefined            'n'  null
//	't'  true                 'f'  false
//	'i'  number: zigzag varint; used for integral numbers in ±2^53, except -0
//	'd'  number: 8-byte IEEE 754, little endian (NaN, ±Infinity, -0, fractions)
//	'z'  bigint: sign byte (0 +, 1 -), uvarint n, n bytes of magnitude, big endian
//	's'  string: str (below)
//	'w'  string with lone surrogates: uvarint n, n UTF-16 code units, little endian
//	'^'  back-reference: uvarint object id
//	'o'  plain object: uvarint n, n × (str key, value)
//	'a'  dense array: uvarint length, length × value
//	'A'  other array: uvarint length, uvarint n, n × (str key, value); holes are absent keys
//	'D'  Date: 8-byte double, ms since the epoch (NaN for an invalid date)
//	'x'  RegExp: str source, str flags
//	'M'  Map: uvarint n, n × (key value, value)
//	'S'  Set: uvarint n, n × value
//	'B'  ArrayBuffer: uvarint n, n bytes
//	'V'  view: kind byte, uvarint byteOffset, uvarint length, value (the buffer:
//	     'B' or '^'); kind 0 is DataView (length in bytes), 1–11 the typed arrays
//	     in viewKinds order (length in elements)
//	'E'  Error: str name, flags byte (1 message, 2 stack, 4 cause), then the
//	     present ones of: str message, str stack, value cause
//	'b'  Boolean object: 1 byte     'N'  Number object: 8-byte double
//	'G'  String object: a string value ('s' or 'w')
//	'Z'  BigInt object: the bigint payload of 'z'
//	'X'  host object (SerializeWith only): uvarint index into the caller's
//	     table of externals (RPC stubs, Request, Response, ...)
//
// "uvarint" and "zigzag varint" are encoding/binary's Uvarint and Varint; a
// "str" is a uvarint byte length and that many bytes of UTF-8. Every object
// tag (o a A D x M S B V E b N G Z) gives the object the next id, counting
// from 0 in the order the tags are written, before any of its contents; '^'
// refers to an earlier id, which is how shared references and cycles
// survive, including two views of one ArrayBuffer.
//
// What clones: as V8's structured clone. Functions, symbols, WeakMap, WeakSet,
// Promise, Proxy, iterators and generators throw DOMException DataCloneError
// "<value> could not be cloned." with V8's rendering of the value
// ("function () {} could not be cloned.", "Symbol(x) could not be cloned.",
// "#<Promise> could not be cloned."). Class instances clone as plain objects
// (own enumerable string keys; the prototype is not kept).

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"math/big"
	"reflect"
	"strconv"
	"strings"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/dop251/goja"
)

const (
	cloneMagic    = 0xEC
	cloneVersion  = 1
	maxCloneDepth = 2000
)

// viewKinds are the view constructors, by kind byte.
var viewKinds = [...]string{"DataView", "Int8Array", "Uint8Array", "Uint8ClampedArray",
	"Int16Array", "Uint16Array", "Int32Array", "Uint32Array", "Float32Array", "Float64Array",
	"BigInt64Array", "BigUint64Array"}

// errorNames are the Error classes that keep their class through a clone;
// any other name comes back as a plain Error (as in V8).
var errorNames = [...]string{"Error", "EvalError", "RangeError", "ReferenceError",
	"SyntaxError", "TypeError", "URIError"}

var (
	typePlain       = reflect.TypeOf(map[string]any{})
	typeMapExport   = reflect.TypeOf([][2]any{})
	typeSetExport   = reflect.TypeOf([]any{})
	typeArrayBuffer = reflect.TypeOf(goja.ArrayBuffer{})
	typeBigIntObj   = reflect.TypeOf((*big.Int)(nil))
	typeString      = reflect.TypeOf("")
)

// errCloneFormat is wrapped by every error Deserialize returns for bytes that
// are not a valid encoding.
var errCloneFormat = errors.New("invalid structured clone data")

type cloneFormatError struct{ msg string }

func (e cloneFormatError) Error() string { return errCloneFormat.Error() + ": " + e.msg }
func (e cloneFormatError) Unwrap() error { return errCloneFormat }

// Serialize encodes v as a structured clone. It is called on the loop
// goroutine. JS errors (DataCloneError for values that cannot be cloned, or
// whatever a getter throws) are returned as *goja.Exception, ready to be
// thrown (panic(err)) or used as a rejection reason.
func Serialize(rt *goja.Runtime, v goja.Value) ([]byte, error) {
	return SerializeWith(rt, v, defaultHosts(rt))
}

// Deserialize decodes bytes made by Serialize into new JS values in rt. It is
// called on the loop goroutine. It never panics on malformed input: it
// returns an error wrapping errCloneFormat, or a *goja.Exception when a
// constructor rejects what the bytes describe.
func Deserialize(rt *goja.Runtime, b []byte) (goja.Value, error) {
	return DeserializeWith(rt, b, nil)
}

// StructuredClone returns a deep copy of v: Deserialize(Serialize(v)).
func StructuredClone(rt *goja.Runtime, v goja.Value) (goja.Value, error) {
	b, err := Serialize(rt, v)
	if err != nil {
		return nil, err
	}
	return Deserialize(rt, b)
}

// InstallStructuredClone defines the global structuredClone(value) and
// captures the built-ins that cloning relies on, so later changes to globals
// by user code do not affect it. Call it on the loop goroutine before any
// user code runs.
func InstallStructuredClone(rt *goja.Runtime) {
	intrinsicsOf(rt)
	defineGlobal(rt, "structuredClone", func(fc goja.FunctionCall) goja.Value {
		if opts, ok := fc.Argument(1).(*goja.Object); ok {
			if t, ok := opts.Get("transfer").(*goja.Object); ok && t.Get("length").ToInteger() > 0 {
				panic(rt.NewTypeError("structuredClone() with a transfer list is not implemented in emu"))
			}
		}
		v, err := StructuredClone(rt, fc.Argument(0))
		if err != nil {
			panic(err)
		}
		return v
	})
}

// cloneIntrinsics are the built-ins captured once per runtime.
type cloneIntrinsics struct {
	taTag, taBuffer, taOffset, taLength    goja.Callable
	dvBuffer, dvOffset, dvLength           goja.Callable
	mapForEach, setForEach, mapSet, setAdd goja.Callable
	dateTime, reSource, reFlags            goja.Callable
	boolValue, numValue, strValue          goja.Callable
	funcToString, hasOwn                   goja.Callable
	mapCtor, setCtor, dateCtor, reCtor     *goja.Object
	views                                  [len(viewKinds)]*goja.Object
	errors                                 [len(errorNames)]*goja.Object
	dvProto, weakMapProto, weakSetProto    *goja.Object
	iterProto                              *goja.Object
}

var cloneKey = goja.NewSymbol("emu.structuredClone")

var intrinsicsJS = `(function () {
	const gp = Object.getPrototypeOf, gd = (o, k) => Object.getOwnPropertyDescriptor(o, k).get;
	const TA = gp(Uint8Array.prototype);
	return [gd(TA, Symbol.toStringTag), gd(TA, "buffer"), gd(TA, "byteOffset"), gd(TA, "length"),
		gd(DataView.prototype, "buffer"), gd(DataView.prototype, "byteOffset"), gd(DataView.prototype, "byteLength"),
		Map.prototype.forEach, Set.prototype.forEach, Map.prototype.set, Set.prototype.add,
		Date.prototype.getTime, gd(RegExp.prototype, "source"), gd(RegExp.prototype, "flags"),
		Boolean.prototype.valueOf, Number.prototype.valueOf, String.prototype.valueOf,
		Function.prototype.toString, Object.prototype.hasOwnProperty,
		Map, Set, Date, RegExp,
		[` + strings.Join(viewKinds[:], ",") + `],
		[` + strings.Join(errorNames[:], ",") + `],
		DataView.prototype, WeakMap.prototype, WeakSet.prototype, gp(gp([][Symbol.iterator]()))];
})()`

// intrinsicsOf returns rt's captured built-ins, capturing them on first use.
// They live on the global object under a private symbol, so they go away
// with the runtime.
func intrinsicsOf(rt *goja.Runtime) *cloneIntrinsics {
	g := rt.GlobalObject()
	if v := g.GetSymbol(cloneKey); v != nil {
		if in, ok := v.Export().(*cloneIntrinsics); ok {
			return in
		}
	}
	v, err := rt.RunString(intrinsicsJS)
	if err != nil {
		panic(fmt.Sprintf("jsruntime: capture structured clone built-ins: %v", err))
	}
	arr := v.(*goja.Object)
	i := 0
	next := func() goja.Value { i++; return arr.Get(strconv.Itoa(i - 1)) }
	fn := func() goja.Callable { f, _ := goja.AssertFunction(next()); return f }
	obj := func() *goja.Object { return next().(*goja.Object) }
	in := &cloneIntrinsics{}
	for _, p := range []*goja.Callable{&in.taTag, &in.taBuffer, &in.taOffset, &in.taLength,
		&in.dvBuffer, &in.dvOffset, &in.dvLength, &in.mapForEach, &in.setForEach, &in.mapSet,
		&in.setAdd, &in.dateTime, &in.reSource, &in.reFlags, &in.boolValue, &in.numValue,
		&in.strValue, &in.funcToString, &in.hasOwn} {
		*p = fn()
	}
	for _, p := range []**goja.Object{&in.mapCtor, &in.setCtor, &in.dateCtor, &in.reCtor} {
		*p = obj()
	}
	views, errs := obj(), obj()
	for k := range in.views {
		in.views[k] = views.Get(strconv.Itoa(k)).(*goja.Object)
	}
	for k := range in.errors {
		in.errors[k] = errs.Get(strconv.Itoa(k)).(*goja.Object)
	}
	for _, p := range []**goja.Object{&in.dvProto, &in.weakMapProto, &in.weakSetProto, &in.iterProto} {
		*p = obj()
	}
	_ = g.DefineDataPropertySymbol(cloneKey, rt.ToValue(in), goja.FLAG_FALSE, goja.FLAG_FALSE, goja.FLAG_FALSE)
	return in
}

// call invokes a captured built-in; a JS exception propagates as a panic
// (inside Serialize's or Deserialize's rt.Try).
func call(f goja.Callable, this goja.Value, args ...goja.Value) goja.Value {
	v, err := f(this, args...)
	if err != nil {
		panic(err)
	}
	return v
}

// ---- encoding ----

type serializer struct {
	rt    *goja.Runtime
	in    *cloneIntrinsics
	buf   []byte
	ids   map[*goja.Object]uint64
	depth int
	hosts HostWriter // nil for structuredClone
}

func (s *serializer) intr() *cloneIntrinsics {
	if s.in == nil {
		s.in = intrinsicsOf(s.rt)
	}
	return s.in
}

func (s *serializer) uvarint(n uint64) { s.buf = binary.AppendUvarint(s.buf, n) }
func (s *serializer) str(x string)     { s.uvarint(uint64(len(x))); s.buf = append(s.buf, x...) }
func (s *serializer) double(f float64) {
	s.buf = binary.LittleEndian.AppendUint64(s.buf, math.Float64bits(f))
}

func (s *serializer) fail(desc string) {
	panic(NewError(s.rt, DataCloneError, "%s could not be cloned.", desc))
}

func (s *serializer) value(v goja.Value) {
	switch x := v.(type) {
	case nil:
		s.buf = append(s.buf, 'u')
		return
	case *goja.Object:
		s.object(x)
		return
	case *goja.Symbol:
		s.fail("Symbol(" + x.String() + ")")
	case goja.String:
		s.string(x)
		return
	}
	switch x := v.Export().(type) {
	case nil:
		if goja.IsNull(v) {
			s.buf = append(s.buf, 'n')
		} else {
			s.buf = append(s.buf, 'u')
		}
	case bool:
		if x {
			s.buf = append(s.buf, 't')
		} else {
			s.buf = append(s.buf, 'f')
		}
	case int64:
		s.number(float64(x), x, true)
	case float64:
		s.number(x, int64(x), float64(int64(x)) == x)
	case *big.Int:
		s.buf = append(s.buf, 'z')
		s.bigint(x)
	default:
		s.fail(v.String())
	}
}

func (s *serializer) number(f float64, i int64, integral bool) {
	if integral && i >= -1<<53 && i <= 1<<53 && !(i == 0 && math.Signbit(f)) {
		s.buf = append(s.buf, 'i')
		s.buf = binary.AppendVarint(s.buf, i)
		return
	}
	s.buf = append(s.buf, 'd')
	s.double(f)
}

func (s *serializer) bigint(x *big.Int) {
	sign := byte(0)
	if x.Sign() < 0 {
		sign = 1
	}
	s.buf = append(s.buf, sign)
	mag := x.Bytes()
	s.uvarint(uint64(len(mag)))
	s.buf = append(s.buf, mag...)
}

// string writes x as UTF-8 unless it holds lone surrogates, which only UTF-16
// keeps (goja's String() turns them into U+FFFD).
func (s *serializer) string(x goja.String) {
	str := x.String()
	if strings.ContainsRune(str, utf8.RuneError) {
		n := x.Length()
		units := make([]uint16, n)
		lone := false
		for i := range n {
			units[i] = x.CharAt(i)
		}
		for i := 0; i < n; i++ {
			c := units[i]
			if utf16.IsSurrogate(rune(c)) {
				if c < 0xDC00 && i+1 < n && units[i+1] >= 0xDC00 && units[i+1] < 0xE000 {
					i++
					continue
				}
				lone = true
				break
			}
		}
		if lone {
			s.buf = append(s.buf, 'w')
			s.uvarint(uint64(n))
			for _, c := range units {
				s.buf = binary.LittleEndian.AppendUint16(s.buf, c)
			}
			return
		}
	}
	s.buf = append(s.buf, 's')
	s.str(str)
}

// register gives o the next object id; it returns false (after writing a
// back-reference) if o was seen before.
func (s *serializer) register(o *goja.Object) bool {
	if id, ok := s.ids[o]; ok {
		s.buf = append(s.buf, '^')
		s.uvarint(id)
		return false
	}
	if s.ids == nil {
		s.ids = make(map[*goja.Object]uint64)
	}
	s.ids[o] = uint64(len(s.ids))
	return true
}

func (s *serializer) object(o *goja.Object) {
	if _, seen := s.ids[o]; seen {
		s.register(o)
		return
	}
	if s.hosts != nil && s.host(o) {
		return
	}
	if _, ok := goja.AssertFunction(o); ok {
		s.fail(call(s.intr().funcToString, o).String())
	}
	if s.depth++; s.depth > maxCloneDepth {
		panic(NewError(s.rt, RangeError, "Maximum call stack size exceeded"))
	}
	defer func() { s.depth-- }()
	switch o.ClassName() {
	case "Array":
		s.array(o)
	case "Date":
		s.register(o)
		s.buf = append(s.buf, 'D')
		s.double(call(s.intr().dateTime, o).ToFloat())
	case "RegExp":
		in := s.intr()
		s.register(o)
		s.buf = append(s.buf, 'x')
		s.str(call(in.reSource, o).String())
		s.str(call(in.reFlags, o).String())
	case "Error":
		s.error(o)
	case "Boolean":
		s.register(o)
		s.buf = append(s.buf, 'b')
		if call(s.intr().boolValue, o).ToBoolean() {
			s.buf = append(s.buf, 1)
		} else {
			s.buf = append(s.buf, 0)
		}
	case "Number":
		s.register(o)
		s.buf = append(s.buf, 'N')
		s.double(call(s.intr().numValue, o).ToFloat())
	case "String":
		s.register(o)
		s.buf = append(s.buf, 'G')
		s.string(call(s.intr().strValue, o).(goja.String))
	case "Object":
		s.other(o)
	default:
		s.fail(s.describe(o))
	}
}

// other handles objects of goja class "Object", told apart by export type.
func (s *serializer) other(o *goja.Object) {
	switch t := o.ExportType(); {
	case t == typePlain:
		s.plain(o)
	case t == typeArrayBuffer:
		buf := o.Export().(goja.ArrayBuffer)
		if buf.Detached() {
			s.fail("An ArrayBuffer is detached and")
		}
		s.register(o)
		s.buf = append(s.buf, 'B')
		s.uvarint(uint64(len(buf.Bytes())))
		s.buf = append(s.buf, buf.Bytes()...)
	case t == typeMapExport:
		s.collection(o, 'M', s.intr().mapForEach, 2)
	case t == typeSetExport:
		s.collection(o, 'S', s.intr().setForEach, 1)
	case t == typeBigIntObj:
		s.register(o)
		s.buf = append(s.buf, 'Z')
		s.bigint(o.Export().(*big.Int))
	case t.Kind() == reflect.Slice && t.Elem().Kind() != reflect.Interface:
		in := s.intr()
		tag, ok := call(in.taTag, o).(goja.String)
		if !ok {
			s.fail(s.describe(o))
		}
		kind := viewKind(tag.String())
		if kind <= 0 {
			s.fail(s.describe(o))
		}
		s.view(o, kind, in.taBuffer, in.taOffset, in.taLength)
	case t == typeString: // a Symbol object
		s.fail(s.describe(o))
	default: // Promise, Proxy, Go values
		s.fail(s.describe(o))
	}
}

func viewKind(name string) int {
	for k, n := range viewKinds {
		if n == name {
			return k
		}
	}
	return -1
}

// plain writes an ordinary object, after ruling out the built-ins that goja
// also reports as plain (DataView, WeakMap, WeakSet, iterators, generators).
func (s *serializer) plain(o *goja.Object) {
	in := s.intr()
	for p, n := o.Prototype(), 0; p != nil && n < 64; p, n = p.Prototype(), n+1 {
		switch p {
		case in.dvProto:
			if ex := s.rt.Try(func() { call(in.dvLength, o) }); ex == nil {
				s.view(o, 0, in.dvBuffer, in.dvOffset, in.dvLength)
				return
			}
		case in.weakMapProto, in.weakSetProto, in.iterProto:
			s.fail(s.describe(o))
		}
	}
	s.register(o)
	keys := o.Keys()
	s.buf = append(s.buf, 'o')
	s.uvarint(uint64(len(keys)))
	for _, k := range keys {
		s.str(k)
		s.value(o.Get(k))
	}
}

func (s *serializer) view(o *goja.Object, kind int, buffer, offset, length goja.Callable) {
	s.register(o)
	s.buf = append(s.buf, 'V', byte(kind))
	s.uvarint(uint64(call(offset, o).ToInteger()))
	s.uvarint(uint64(call(length, o).ToInteger()))
	buf, ok := call(buffer, o).(*goja.Object)
	if !ok {
		s.fail(s.describe(o))
	}
	s.object(buf)
}

func (s *serializer) array(o *goja.Object) {
	s.register(o)
	length := o.Get("length").ToInteger()
	keys := o.Keys()
	if int64(len(keys)) == length && (length == 0 || keys[length-1] == strconv.FormatInt(length-1, 10)) {
		s.buf = append(s.buf, 'a')
		s.uvarint(uint64(length))
		for i := range length {
			s.value(o.Get(strconv.FormatInt(i, 10)))
		}
		return
	}
	s.buf = append(s.buf, 'A')
	s.uvarint(uint64(length))
	s.uvarint(uint64(len(keys)))
	for _, k := range keys {
		s.str(k)
		s.value(o.Get(k))
	}
}

// collection writes a Map (arity 2) or Set (arity 1). Entries are copied out
// first, as V8 does, so getters run while writing cannot disturb the walk.
func (s *serializer) collection(o *goja.Object, tag byte, forEach goja.Callable, arity int) {
	s.register(o)
	var items []goja.Value
	cb := s.rt.ToValue(func(c goja.FunctionCall) goja.Value {
		if arity == 2 {
			items = append(items, c.Argument(1), c.Argument(0))
		} else {
			items = append(items, c.Argument(0))
		}
		return goja.Undefined()
	})
	call(forEach, o, cb)
	s.buf = append(s.buf, tag)
	s.uvarint(uint64(len(items) / arity))
	for _, v := range items {
		s.value(v)
	}
}

func (s *serializer) error(o *goja.Object) {
	in := s.intr()
	s.register(o)
	name := "Error"
	if n, ok := o.Get("name").(goja.String); ok {
		for _, e := range errorNames {
			if n.String() == e {
				name = e
			}
		}
	}
	var flags byte
	var msg, stack string
	if call(in.hasOwn, o, s.rt.ToValue("message")).ToBoolean() {
		flags |= 1
		msg = o.Get("message").String()
	}
	if st, ok := o.Get("stack").(goja.String); ok {
		flags |= 2
		stack = st.String()
	}
	hasCause := call(in.hasOwn, o, s.rt.ToValue("cause")).ToBoolean()
	if hasCause {
		flags |= 4
	}
	s.buf = append(s.buf, 'E')
	s.str(name)
	s.buf = append(s.buf, flags)
	if flags&1 != 0 {
		s.str(msg)
	}
	if flags&2 != 0 {
		s.str(stack)
	}
	if hasCause {
		s.value(o.Get("cause"))
	}
}

// describe renders an object the way V8's DataCloneError message does:
// "#<Promise>", "#<WeakMap>", "#<Object>".
func (s *serializer) describe(o *goja.Object) string {
	name := "Object"
	_ = s.rt.Try(func() {
		if t, ok := o.GetSymbol(goja.SymToStringTag).(goja.String); ok && t.Length() > 0 {
			name = t.String()
			return
		}
		if c, ok := o.Get("constructor").(*goja.Object); ok {
			if n, ok := c.Get("name").(goja.String); ok && n.Length() > 0 {
				name = n.String()
			}
		}
	})
	return "#<" + name + ">"
}

// ---- decoding ----

type deserializer struct {
	rt    *goja.Runtime
	in    *cloneIntrinsics
	b     []byte
	pos   int
	objs  []goja.Value
	depth int
	hosts HostReader // nil for structuredClone
}

func (d *deserializer) intr() *cloneIntrinsics {
	if d.in == nil {
		d.in = intrinsicsOf(d.rt)
	}
	return d.in
}

func (d *deserializer) fail(format string, args ...any) {
	panic(cloneFormatError{fmt.Sprintf(format, args...) + " at byte " + strconv.Itoa(d.pos)})
}

func (d *deserializer) byte() byte {
	if d.pos >= len(d.b) {
		d.fail("unexpected end")
	}
	c := d.b[d.pos]
	d.pos++
	return c
}

func (d *deserializer) uvarint() uint64 {
	n, k := binary.Uvarint(d.b[d.pos:])
	if k <= 0 {
		d.fail("bad uvarint")
	}
	d.pos += k
	return n
}

// count reads a length that needs at least per bytes per item after it.
func (d *deserializer) count(per int) int {
	n := d.uvarint()
	if n > uint64(len(d.b)-d.pos)/uint64(per) {
		d.fail("length %d exceeds the data", n)
	}
	return int(n)
}

func (d *deserializer) bytes(n int) []byte {
	if n > len(d.b)-d.pos {
		d.fail("unexpected end")
	}
	p := d.b[d.pos : d.pos+n]
	d.pos += n
	return p
}

func (d *deserializer) str() string { return string(d.bytes(d.count(1))) }
func (d *deserializer) double() float64 {
	return math.Float64frombits(binary.LittleEndian.Uint64(d.bytes(8)))
}

func (d *deserializer) bigint() *big.Int {
	sign := d.byte()
	if sign > 1 {
		d.fail("bad bigint sign")
	}
	x := new(big.Int).SetBytes(d.bytes(d.count(1)))
	if sign == 1 {
		x.Neg(x)
	}
	return x
}

func (d *deserializer) string() goja.Value {
	switch d.byte() {
	case 's':
		return d.rt.ToValue(d.str())
	case 'w':
		n := d.count(2)
		units := make([]uint16, n)
		for i := range units {
			units[i] = binary.LittleEndian.Uint16(d.bytes(2))
		}
		return goja.StringFromUTF16(units)
	}
	d.pos--
	d.fail("expected a string")
	return nil
}

// add registers a new object under the next id.
func (d *deserializer) add(o goja.Value) goja.Value {
	d.objs = append(d.objs, o)
	return o
}

func (d *deserializer) construct(ctor *goja.Object, args ...goja.Value) *goja.Object {
	o, err := d.rt.New(ctor, args...)
	if err != nil {
		panic(err)
	}
	return o
}

func (d *deserializer) value() goja.Value {
	if d.depth++; d.depth > maxCloneDepth {
		d.fail("nesting too deep")
	}
	defer func() { d.depth-- }()
	rt := d.rt
	switch tag := d.byte(); tag {
	case 'u':
		return goja.Undefined()
	case 'n':
		return goja.Null()
	case 't':
		return rt.ToValue(true)
	case 'f':
		return rt.ToValue(false)
	case 'i':
		n, k := binary.Varint(d.b[d.pos:])
		if k <= 0 {
			d.fail("bad varint")
		}
		d.pos += k
		return rt.ToValue(n)
	case 'd':
		return rt.ToValue(d.double())
	case 'z':
		return rt.ToValue(d.bigint())
	case 's', 'w':
		d.pos--
		return d.string()
	case '^':
		id := d.uvarint()
		if id >= uint64(len(d.objs)) || d.objs[id] == nil {
			d.fail("bad back-reference %d", id)
		}
		return d.objs[id]
	case 'o':
		o := rt.NewObject()
		d.add(o)
		d.props(o, d.count(2))
		return o
	case 'a', 'A':
		return d.array(tag)
	case 'D':
		d.add(nil)
		o := d.construct(d.intr().dateCtor, rt.ToValue(d.double()))
		d.objs[len(d.objs)-1] = o
		return o
	case 'x':
		d.add(nil)
		src, flags := d.str(), d.str()
		o := d.construct(d.intr().reCtor, rt.ToValue(src), rt.ToValue(flags))
		d.objs[len(d.objs)-1] = o
		return o
	case 'M', 'S':
		return d.collection(tag)
	case 'B':
		b := d.bytes(d.count(1))
		return d.add(rt.ToValue(rt.NewArrayBuffer(append([]byte(nil), b...))))
	case 'V':
		return d.view()
	case 'E':
		return d.error()
	case 'b':
		d.add(nil)
		c := d.byte()
		if c > 1 {
			d.fail("bad boolean")
		}
		o := rt.ToValue(c == 1).ToObject(rt)
		d.objs[len(d.objs)-1] = o
		return o
	case 'N':
		d.add(nil)
		o := rt.ToValue(d.double()).ToObject(rt)
		d.objs[len(d.objs)-1] = o
		return o
	case 'G':
		d.add(nil)
		o := d.string().ToObject(rt)
		d.objs[len(d.objs)-1] = o
		return o
	case 'Z':
		d.add(nil)
		o := rt.ToValue(d.bigint()).ToObject(rt)
		d.objs[len(d.objs)-1] = o
		return o
	case 'X':
		return d.host()
	default:
		d.pos--
		d.fail("unknown tag %q", tag)
	}
	return nil
}

func (d *deserializer) props(o *goja.Object, n int) {
	for range n {
		k := d.str()
		if err := o.DefineDataProperty(k, d.value(), goja.FLAG_TRUE, goja.FLAG_TRUE, goja.FLAG_TRUE); err != nil {
			panic(err)
		}
	}
}

func (d *deserializer) array(tag byte) goja.Value {
	a := d.rt.NewArray()
	d.add(a)
	length := d.uvarint()
	if length > math.MaxUint32 {
		d.fail("array length %d", length)
	}
	if tag == 'a' {
		if length > uint64(len(d.b)-d.pos) {
			d.fail("array length %d exceeds the data", length)
		}
		for i := range length {
			if err := a.Set(strconv.FormatUint(i, 10), d.value()); err != nil {
				panic(err)
			}
		}
		return a
	}
	if err := a.Set("length", length); err != nil {
		panic(err)
	}
	d.props(a, d.count(2))
	return a
}

func (d *deserializer) collection(tag byte) goja.Value {
	in := d.intr()
	ctor, add, arity := in.mapCtor, in.mapSet, 2
	if tag == 'S' {
		ctor, add, arity = in.setCtor, in.setAdd, 1
	}
	o := d.construct(ctor)
	d.add(o)
	n := d.count(arity)
	for range n {
		if arity == 2 {
			k := d.value()
			call(add, o, k, d.value())
		} else {
			call(add, o, d.value())
		}
	}
	return o
}

func (d *deserializer) view() goja.Value {
	in := d.intr()
	d.add(nil)
	id := len(d.objs) - 1
	kind := int(d.byte())
	if kind >= len(viewKinds) {
		d.fail("bad view kind %d", kind)
	}
	offset, length := d.uvarint(), d.uvarint()
	if offset > math.MaxInt32 || length > math.MaxInt32 {
		d.fail("view out of range")
	}
	buf, ok := d.value().(*goja.Object)
	if !ok || buf.ExportType() != typeArrayBuffer {
		d.fail("view of a non-ArrayBuffer")
	}
	o := d.construct(in.views[kind], buf, d.rt.ToValue(offset), d.rt.ToValue(length))
	d.objs[id] = o
	return o
}

func (d *deserializer) error() goja.Value {
	in := d.intr()
	name := d.str()
	flags := d.byte()
	if flags > 7 {
		d.fail("bad error flags")
	}
	ctor := in.errors[0]
	for k, e := range errorNames {
		if e == name {
			ctor = in.errors[k]
		}
	}
	var args []goja.Value
	if flags&1 != 0 {
		args = append(args, d.rt.ToValue(d.str()))
	}
	o := d.construct(ctor, args...)
	d.add(o)
	if flags&2 != 0 {
		if err := o.DefineDataProperty("stack", d.rt.ToValue(d.str()), goja.FLAG_TRUE, goja.FLAG_TRUE, goja.FLAG_FALSE); err != nil {
			panic(err)
		}
	}
	if flags&4 != 0 {
		if err := o.DefineDataProperty("cause", d.value(), goja.FLAG_TRUE, goja.FLAG_TRUE, goja.FLAG_FALSE); err != nil {
			panic(err)
		}
	}
	return o
}
