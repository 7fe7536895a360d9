package storage

// ctx.storage.kv (SyncKvStorage): the KV API without promises, for
// SQLite-backed classes. get, put, delete and list behave as their async
// twins on ctx.storage and share their code; list returns a Map (iterable as
// [key, value] entries).

import "github.com/dop251/goja"

// syncKV returns ctx.storage.kv.
func (j *jsStorage) syncKV() goja.Value {
	if j.kvObj != nil {
		return j.kvObj
	}
	proto := j.rt.NewObject()
	sqliteOnly := func(f func(*txnState, goja.FunctionCall) goja.Value) func(goja.FunctionCall) goja.Value {
		return func(fc goja.FunctionCall) goja.Value {
			// workerd's message for KV-backed classes was not verified; emu
			// uses the SQL API's, the closest known one.
			j.requireSQL()
			return f(nil, fc)
		}
	}
	j.method(proto, "get", sqliteOnly(j.getSync))
	j.method(proto, "put", sqliteOnly(j.putSync))
	j.method(proto, "delete", sqliteOnly(j.deleteSync))
	j.method(proto, "list", sqliteOnly(j.listSync))
	_ = proto.DefineDataPropertySymbol(goja.SymToStringTag, j.rt.ToValue("SyncKvStorage"),
		goja.FLAG_FALSE, goja.FLAG_TRUE, goja.FLAG_FALSE)
	j.kvObj = j.rt.CreateObject(proto)
	return j.kvObj
}
