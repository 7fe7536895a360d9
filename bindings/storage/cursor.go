package storage

// The JS side of the SQL API: SqlStorage (exec, databaseSize) and
// SqlStorageCursor (next, toArray, one, raw, columnNames, rowsRead,
// rowsWritten, iteration). The cursors' Go state lives in sql.go.

import (
	"runtime"

	"github.com/dop251/goja"

	"github.com/emu-dev/emu/jsruntime"
)

var cursorKey = goja.NewSymbol("emu.SqlStorageCursor")

// sqlStorage returns ctx.storage.sql (SqlStorage).
func (j *jsStorage) sqlStorage() goja.Value {
	if j.sqlObj != nil {
		return j.sqlObj
	}
	rt := j.rt
	proto := rt.NewObject()
	j.method(proto, "exec", j.exec)
	_ = proto.DefineAccessorProperty("databaseSize", rt.ToValue(func(goja.FunctionCall) goja.Value {
		return j.databaseSize()
	}), nil, goja.FLAG_TRUE, goja.FLAG_FALSE)
	j.sqlObj = rt.CreateObject(proto)

	j.cursorProto = rt.NewObject()
	j.method(j.cursorProto, "next", func(fc goja.FunctionCall) goja.Value { return j.cursorNext(j.this(fc), false) })
	j.method(j.cursorProto, "toArray", func(fc goja.FunctionCall) goja.Value { return j.toArray(j.this(fc), false) })
	j.method(j.cursorProto, "one", func(fc goja.FunctionCall) goja.Value { return j.one(j.this(fc)) })
	j.method(j.cursorProto, "raw", func(fc goja.FunctionCall) goja.Value { return j.raw(j.this(fc)) })
	j.getter(j.cursorProto, "columnNames", func(cur *cursor) goja.Value {
		if cur.namesJS == nil {
			names := make([]any, len(cur.names))
			for i, n := range cur.names {
				names[i] = n
			}
			cur.namesJS = rt.NewArray(names...)
		}
		return cur.namesJS
	})
	j.getter(j.cursorProto, "rowsRead", func(cur *cursor) goja.Value { r, _ := j.counts(cur); return rt.ToValue(r) })
	j.getter(j.cursorProto, "rowsWritten", func(cur *cursor) goja.Value { _, w := j.counts(cur); return rt.ToValue(w) })
	_ = j.cursorProto.DefineDataPropertySymbol(goja.SymIterator, rt.ToValue(func(fc goja.FunctionCall) goja.Value {
		return fc.This
	}), goja.FLAG_TRUE, goja.FLAG_TRUE, goja.FLAG_FALSE)

	j.rawProto = rt.NewObject()
	j.method(j.rawProto, "next", func(fc goja.FunctionCall) goja.Value { return j.cursorNext(j.this(fc), true) })
	j.method(j.rawProto, "toArray", func(fc goja.FunctionCall) goja.Value { return j.toArray(j.this(fc), true) })
	_ = j.rawProto.DefineDataPropertySymbol(goja.SymIterator, rt.ToValue(func(fc goja.FunctionCall) goja.Value {
		return fc.This
	}), goja.FLAG_TRUE, goja.FLAG_TRUE, goja.FLAG_FALSE)
	return j.sqlObj
}

func (j *jsStorage) getter(o *goja.Object, name string, fn func(*cursor) goja.Value) {
	_ = o.DefineAccessorProperty(name, j.rt.ToValue(func(fc goja.FunctionCall) goja.Value {
		return fn(j.this(fc))
	}), nil, goja.FLAG_TRUE, goja.FLAG_FALSE)
}

func (j *jsStorage) requireSQL() {
	if !j.s.opts.SQLite {
		j.errorf("%s", msgSQLNotEnabled)
	}
}

func (j *jsStorage) exec(fc goja.FunctionCall) goja.Value {
	j.requireSQL()
	query := j.str(fc.Argument(0))
	var args []any
	if len(fc.Arguments) > 1 {
		args = make([]any, len(fc.Arguments)-1)
		for i, v := range fc.Arguments[1:] {
			args[i] = j.binding(v)
		}
	}
	j.lock()
	cur, err := j.s.execLocked(query, args)
	j.s.unlock()
	j.check(err)
	return j.cursorObject(cur, j.cursorProto)
}

// binding converts a JS value as workerd binds it: null/undefined → NULL,
// number → REAL, string → TEXT, ArrayBuffer(View) → BLOB, anything else
// (booleans too) → its string.
func (j *jsStorage) binding(v goja.Value) any {
	switch {
	case v == nil || goja.IsUndefined(v) || goja.IsNull(v):
		return nil
	case goja.IsNumber(v):
		return v.ToFloat()
	case goja.IsString(v):
		return v.String()
	}
	if b, ok := jsruntime.BufferSource(v); ok {
		return append([]byte{}, b...)
	}
	return j.str(v)
}

func (j *jsStorage) cursorObject(cur *cursor, proto *goja.Object) *goja.Object {
	o := j.rt.CreateObject(proto)
	_ = o.DefineDataPropertySymbol(cursorKey, j.rt.ToValue(cur), goja.FLAG_FALSE, goja.FLAG_FALSE, goja.FLAG_FALSE)
	if !cur.ended && proto == j.cursorProto {
		runtime.AddCleanup(cur, j.s.abandon, cur.ref)
	}
	return o
}

// this returns the cursor a cursor method was called on.
func (j *jsStorage) this(fc goja.FunctionCall) *cursor {
	if o, ok := fc.This.(*goja.Object); ok {
		if v := o.GetSymbol(cursorKey); v != nil {
			if cur, ok := v.Export().(*cursor); ok {
				return cur
			}
		}
	}
	j.typeError("Illegal invocation")
	return nil
}

func (j *jsStorage) counts(cur *cursor) (goja.Value, goja.Value) {
	j.lockRow()
	r, w := j.s.counts(cur)
	j.s.unlock()
	return j.rt.ToValue(r), j.rt.ToValue(w)
}

// row fetches the next row as a JS object (or array, raw); ok is false when
// the cursor is done.
func (j *jsStorage) row(cur *cursor, raw bool) (goja.Value, bool) {
	j.lockRow()
	vals, ok, err := j.s.next(cur)
	j.s.unlock()
	j.check(err)
	if !ok {
		return nil, false
	}
	rt := j.rt
	for i, v := range vals {
		switch x := v.(type) {
		case nil:
			vals[i] = goja.Null()
		case []byte:
			vals[i] = rt.NewArrayBuffer(x)
		}
	}
	if raw {
		return rt.NewArray(vals...), true
	}
	o := rt.NewObject()
	for i, name := range cur.names {
		_ = o.Set(name, vals[i])
	}
	return o, true
}

func (j *jsStorage) cursorNext(cur *cursor, raw bool) goja.Value {
	res := j.rt.NewObject()
	v, ok := j.row(cur, raw)
	_ = res.Set("done", !ok)
	if ok {
		_ = res.Set("value", v)
	}
	return res
}

func (j *jsStorage) toArray(cur *cursor, raw bool) goja.Value {
	var rows []any
	for {
		v, ok := j.row(cur, raw)
		if !ok {
			return j.rt.NewArray(rows...)
		}
		rows = append(rows, v)
	}
}

func (j *jsStorage) one(cur *cursor) goja.Value {
	v, ok := j.row(cur, false)
	if !ok {
		j.errorf("%s", msgNoResults)
	}
	if !cur.ended {
		j.lock()
		j.s.finish(cur)
		j.s.unlock()
		j.errorf("%s", msgManyResults)
	}
	return v
}

// raw returns an iterator of the cursor's rows as arrays.
func (j *jsStorage) raw(cur *cursor) goja.Value {
	o := j.rt.CreateObject(j.rawProto)
	_ = o.DefineDataPropertySymbol(cursorKey, j.rt.ToValue(cur), goja.FLAG_FALSE, goja.FLAG_FALSE, goja.FLAG_FALSE)
	return o
}

func (j *jsStorage) databaseSize() goja.Value {
	j.requireSQL()
	j.lock()
	var pages, free, size int64
	var err error
	for _, q := range []struct {
		sql string
		dst *int64
	}{{"PRAGMA page_count", &pages}, {"PRAGMA freelist_count", &free}, {"PRAGMA page_size", &size}} {
		if err == nil {
			*q.dst, err = j.s.run(q.sql)
		}
	}
	j.s.unlock()
	j.check(err)
	return j.rt.ToValue(float64(pages-free) * float64(size))
}
