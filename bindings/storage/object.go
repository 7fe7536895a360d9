package storage

import (
	"fmt"
	"strconv"

	"github.com/dop251/goja"

	"github.com/emu-dev/emu/jsruntime"
)

// jsStorage is ctx.storage for one runtime: the Go side of its methods.
type jsStorage struct {
	s     *Store
	rt    *goja.Runtime
	hooks Hooks

	mapCtor     *goja.Object
	mapSet      goja.Callable
	sqlObj      *goja.Object // ctx.storage.sql, made on first access
	kvObj       *goja.Object // ctx.storage.kv, likewise
	cursorProto *goja.Object
	rawProto    *goja.Object
}

// Object returns the JS ctx.storage object bound to rt, a DurableObjectStorage
// with get, put, delete, list, deleteAll, transaction, transactionSync,
// sync, getAlarm, setAlarm, deleteAlarm, sql and kv. Call it on the loop
// goroutine; the object's methods must only be called there too. Several
// objects (one per runtime, for instance across a reload) may share a Store.
func (s *Store) Object(rt *goja.Runtime, hooks Hooks) *goja.Object {
	j := &jsStorage{s: s, rt: rt, hooks: hooks}
	j.mapCtor = rt.Get("Map").ToObject(rt)
	j.mapSet, _ = goja.AssertFunction(j.mapCtor.Get("prototype").ToObject(rt).Get("set"))

	proto := rt.NewObject()
	for _, m := range []struct {
		name string
		fn   func(goja.FunctionCall) goja.Value
	}{
		{"get", j.get}, {"put", j.put}, {"delete", j.delete}, {"list", j.list},
		{"deleteAll", j.deleteAll}, {"transaction", j.transaction},
		{"transactionSync", j.transactionSync}, {"sync", j.sync},
		{"getAlarm", j.getAlarm}, {"setAlarm", j.setAlarm}, {"deleteAlarm", j.deleteAlarm},
	} {
		j.method(proto, m.name, m.fn)
	}
	_ = proto.DefineAccessorProperty("sql", rt.ToValue(func(goja.FunctionCall) goja.Value {
		return j.sqlStorage()
	}), nil, goja.FLAG_TRUE, goja.FLAG_FALSE)
	_ = proto.DefineAccessorProperty("kv", rt.ToValue(func(goja.FunctionCall) goja.Value {
		return j.syncKV()
	}), nil, goja.FLAG_TRUE, goja.FLAG_FALSE)
	_ = proto.DefineDataPropertySymbol(goja.SymToStringTag, rt.ToValue("DurableObjectStorage"),
		goja.FLAG_FALSE, goja.FLAG_TRUE, goja.FLAG_FALSE)
	return rt.CreateObject(proto)
}

// method defines a non-enumerable method, as on a class prototype.
func (j *jsStorage) method(o *goja.Object, name string, fn func(goja.FunctionCall) goja.Value) {
	_ = o.DefineDataProperty(name, j.rt.ToValue(fn), goja.FLAG_TRUE, goja.FLAG_TRUE, goja.FLAG_FALSE)
}

// async runs fn and returns a promise already settled with its result, or
// rejected with what it threw: workerd's storage methods never throw
// synchronously.
func (j *jsStorage) async(fn func() goja.Value) goja.Value {
	p, resolve, reject := j.rt.NewPromise()
	var v goja.Value
	if ex := j.rt.Try(func() { v = fn() }); ex != nil {
		_ = reject(ex.Value())
	} else {
		_ = resolve(v)
	}
	return j.rt.ToValue(p)
}

// throw panics with err as a JS exception: JS values (from structured
// clone) as they are, anything else as an Error with err's message.
func (j *jsStorage) throw(err error) {
	if v := jsruntime.Thrown(err); v != nil {
		panic(v)
	}
	panic(jsruntime.NewError(j.rt, jsruntime.Error, "%s", err.Error()))
}

// check throws err if it is not nil.
func (j *jsStorage) check(err error) {
	if err != nil {
		j.throw(err)
	}
}

// lock takes the store's lock, throwing if the store is closed or its file
// was deleted (checkFile).
func (j *jsStorage) lock() {
	j.check(j.s.lock())
	if err := j.s.checkFile(); err != nil {
		j.s.unlock()
		j.throw(err)
	}
}

// lockRow is lock for reading a cursor's next row, which does not look
// for a deleted file (once per call into storage is enough).
func (j *jsStorage) lockRow() {
	j.check(j.s.lock())
}

func (j *jsStorage) typeError(msg string) {
	panic(jsruntime.NewError(j.rt, jsruntime.TypeError, "%s", msg))
}

func (j *jsStorage) rangeError(format string, args ...any) {
	panic(jsruntime.NewError(j.rt, jsruntime.RangeError, format, args...))
}

func (j *jsStorage) errorf(format string, args ...any) {
	panic(jsruntime.NewError(j.rt, jsruntime.Error, format, args...))
}

// str converts v to a string as JSG does for a kj::String parameter.
func (j *jsStorage) str(v goja.Value) string {
	if _, ok := v.(*goja.Symbol); ok {
		j.typeError("Cannot convert a Symbol value to a string")
	}
	if v == nil {
		return "undefined"
	}
	return v.String()
}

func isArray(v goja.Value) (*goja.Object, bool) {
	o, ok := v.(*goja.Object)
	return o, ok && o.ClassName() == "Array"
}

func present(v goja.Value) bool { return v != nil && !goja.IsUndefined(v) }

// serialize structured-clones v, throwing DataCloneError and the like.
func (j *jsStorage) serialize(v goja.Value) []byte {
	b, err := jsruntime.Serialize(j.rt, v)
	j.check(err)
	return b
}

func (j *jsStorage) deserialize(b []byte) goja.Value {
	v, err := jsruntime.Deserialize(j.rt, b)
	j.check(err)
	return v
}

// newMap returns a new Map with the entries, in order.
func (j *jsStorage) newMap(entries []entry) goja.Value {
	m, err := j.rt.New(j.mapCtor)
	j.check(err)
	for _, e := range entries {
		_, err := j.mapSet(m, j.rt.ToValue(e.key), j.deserialize(e.value))
		j.check(err)
	}
	return m
}

func sprintf(format string, args ...any) string { return fmt.Sprintf(format, args...) }

func itoa(i int64) string { return strconv.FormatInt(i, 10) }
