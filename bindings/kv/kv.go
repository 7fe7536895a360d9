package kv

import (
	_ "embed"
	"fmt"
	"runtime/debug"
	"sync/atomic"

	"github.com/dop251/goja"

	"github.com/emu-dev/emu/jsruntime"
)

//go:embed kv.js
var kvJS string

var kvProgram = goja.MustCompile("emu:kv.js", "("+kvJS+")", true)

// factoryKey holds, on a runtime's global object, the function that makes a binding
// object, so every KV binding of a runtime shares one class.
var factoryKey = goja.NewSymbol("emu.kv")

// Options configures one binding.
type Options struct {
	Store *Store // the namespace's data
	// LogError receives an internal error's stack (a Go panic while the
	// Store ran an operation); nil logs nothing.
	LogError func(msg string)
	// TestPanic is the EMU_TEST_PANIC=storage test hook: the first
	// operation panics on the Store's goroutine. False in normal use.
	TestPanic bool
}

// Install makes the binding object of opts.Store for the runtime (a KvNamespace, as a
// script sees env.MY_KV). Call it on iso's loop.
func Install(iso *jsruntime.Isolate, rt *goja.Runtime, opts Options) (*goja.Object, error) {
	g := rt.GlobalObject()
	mk, ok := goja.AssertFunction(g.GetSymbol(factoryKey))
	if !ok {
		f, err := rt.RunProgram(kvProgram)
		if err != nil {
			return nil, fmt.Errorf("kv: %w", err)
		}
		fn, _ := goja.AssertFunction(f)
		v, err := fn(goja.Undefined())
		if err != nil {
			return nil, fmt.Errorf("kv: %w", err)
		}
		if err := g.DefineDataPropertySymbol(factoryKey, v, goja.FLAG_FALSE, goja.FLAG_FALSE, goja.FLAG_FALSE); err != nil {
			return nil, fmt.Errorf("kv: %w", err)
		}
		mk, _ = goja.AssertFunction(v)
	}
	n := &natives{iso: iso, store: opts.Store, logError: opts.LogError}
	n.testPanic.Store(opts.TestPanic)
	obj, err := mk(goja.Undefined(), n.object(rt))
	if err != nil {
		return nil, fmt.Errorf("kv: %w", err)
	}
	return obj.ToObject(rt), nil
}

// natives are the Go side of one binding; every method runs on the loop.
type natives struct {
	iso       *jsruntime.Isolate
	store     *Store
	logError  func(string)
	testPanic atomic.Bool
}

// errInternal is what a script sees for a bug in emu, as workerd's opaque
// internal errors.
var errInternal = jsruntime.Errorf(jsruntime.Error, "internal error")

// guarded runs work on the Store's goroutine, turning a Go panic into
// errInternal for this operation alone and its stack into a log line.
func (n *natives) guarded(work func() (any, error)) (res any, err error) {
	defer func() {
		if r := recover(); r != nil {
			if n.logError != nil {
				n.logError(fmt.Sprintf("emu internal error (please report): %v\n%s", r, debug.Stack()))
			}
			res, err = nil, errInternal
		}
	}()
	if n.testPanic.CompareAndSwap(true, false) {
		panic("EMU_TEST_PANIC: injected panic on the KV store's goroutine")
	}
	return work()
}

func (n *natives) object(rt *goja.Runtime) *goja.Object {
	o := rt.NewObject()
	for name, fn := range map[string]func(goja.FunctionCall, *goja.Runtime) goja.Value{
		"validateKey": n.validateKey, "get": n.get, "getBulk": n.getBulk, "put": n.put,
		"delete": n.delete, "list": n.list,
	} {
		_ = o.Set(name, func(c goja.FunctionCall) goja.Value { return fn(c, rt) })
	}
	return o
}

func throw(rt *goja.Runtime, e *jsruntime.ScriptError) {
	panic(e.Value(rt))
}

// optInt reads an optional integer argument (already a number or undefined).
func optInt(v goja.Value) *int64 {
	if v == nil || goja.IsUndefined(v) || goja.IsNull(v) {
		return nil
	}
	i := v.ToInteger()
	return &i
}

func optString(v goja.Value) *string {
	if v == nil || goja.IsUndefined(v) || goja.IsNull(v) {
		return nil
	}
	s := v.String()
	return &s
}

// async runs work on the Store's goroutine and settles the returned promise on the loop
// with done's value (or work's error).
func (n *natives) async(rt *goja.Runtime, work func() (any, error), done func(rt *goja.Runtime, res any) goja.Value) goja.Value {
	p, resolve, reject := rt.NewPromise()
	enqueue := n.iso.Reserve()
	finish := func(res any, err error) {
		enqueue(func(rt *goja.Runtime) {
			if err != nil {
				_ = reject(jsruntime.ErrorValue(rt, err))
				return
			}
			_ = resolve(done(rt, res))
		})
	}
	if !n.store.Submit(func() { res, err := n.guarded(work); finish(res, err) }) {
		finish(nil, ErrClosed)
	}
	return rt.ToValue(p)
}

// validateKey(method, key) throws workerd's error for a bad key.
func (n *natives) validateKey(c goja.FunctionCall, rt *goja.Runtime) goja.Value {
	if e := validateKeyName(c.Argument(0).String(), c.Argument(1).String()); e != nil {
		throw(rt, e)
	}
	return goja.Undefined()
}

// get(key, cacheTtl, wantBytes) resolves to null or [value, metadata], the value a string
// or (wantBytes) an ArrayBuffer, the metadata JSON text or null.
func (n *natives) get(c goja.FunctionCall, rt *goja.Runtime) goja.Value {
	key, ttl, bytes := c.Argument(0).String(), optInt(c.Argument(1)), c.Argument(2).ToBoolean()
	if e := serviceKey("GET", key); e != nil {
		throw(rt, e)
	}
	if e := serviceCacheTTL("GET", ttl); e != nil {
		throw(rt, e)
	}
	return n.async(rt, func() (any, error) { return n.store.Get(key) }, func(rt *goja.Runtime, res any) goja.Value {
		e := res.(*Entry)
		if e == nil {
			return goja.Null()
		}
		var v goja.Value = rt.ToValue(string(e.Value))
		if bytes {
			v = rt.ToValue(rt.NewArrayBuffer(e.Value))
		}
		return rt.NewArray(v, metaValue(rt, e.Metadata))
	})
}

func metaValue(rt *goja.Runtime, m *string) goja.Value {
	if m == nil {
		return goja.Null()
	}
	return rt.ToValue(*m)
}

// getBulk(keys, type, cacheTtl) resolves to [[key, text|null, metadata|null], ...] in the
// order of the keys, each key once.
func (n *natives) getBulk(c goja.FunctionCall, rt *goja.Runtime) goja.Value {
	var keys []string
	if err := rt.ExportTo(c.Argument(0), &keys); err != nil {
		throw(rt, jsruntime.Errorf(jsruntime.TypeError, "%s", err.Error()))
	}
	typ, ttl := c.Argument(1).String(), optInt(c.Argument(2))
	if e := bulkOptions(typ, len(keys)); e != nil {
		throw(rt, e)
	}
	for _, k := range keys {
		if e := serviceKey("GET_BULK", k); e != nil {
			throw(rt, e)
		}
		if e := serviceCacheTTL("GET_BULK", ttl); e != nil {
			throw(rt, e)
		}
	}
	type row struct {
		key   string
		entry *Entry
	}
	return n.async(rt, func() (any, error) {
		var rows []row
		seen := map[string]bool{}
		total := 0
		for _, k := range keys {
			if seen[k] {
				continue
			}
			seen[k] = true
			e, err := n.store.Get(k)
			if err != nil {
				return nil, err
			}
			if e != nil {
				total += len(e.Value)
			}
			rows = append(rows, row{k, e})
		}
		if total > MaxBulkSize {
			return nil, failed("GET_BULK", 413, "Total size of request exceeds the limit of %dMB", MaxBulkSize>>20)
		}
		return rows, nil
	}, func(rt *goja.Runtime, res any) goja.Value {
		var out []any
		for _, r := range res.([]row) {
			if r.entry == nil {
				out = append(out, rt.NewArray(r.key, goja.Null(), goja.Null()))
				continue
			}
			out = append(out, rt.NewArray(r.key, string(r.entry.Value), metaValue(rt, r.entry.Metadata)))
		}
		return rt.NewArray(out...)
	})
}

// put(key, body, expiration, expirationTtl, metadata) stores body (a string or bytes).
func (n *natives) put(c goja.FunctionCall, rt *goja.Runtime) goja.Value {
	key := c.Argument(0).String()
	var value []byte
	if b, ok := jsruntime.BufferSource(c.Argument(1)); ok {
		value = append([]byte{}, b...)
	} else {
		value = []byte(c.Argument(1).String())
	}
	exp, ttl, meta := optInt(c.Argument(2)), optInt(c.Argument(3)), optString(c.Argument(4))
	if e := serviceKey("PUT", key); e != nil {
		throw(rt, e)
	}
	expiration, e := putExpiration(n.store.Now().Unix(), exp, ttl)
	if e != nil {
		throw(rt, e)
	}
	if e := putSizes(meta, len(value)); e != nil {
		throw(rt, e)
	}
	return n.async(rt, func() (any, error) { return nil, n.store.Put(key, value, expiration, meta) },
		func(*goja.Runtime, any) goja.Value { return goja.Undefined() })
}

// delete(key) removes key.
func (n *natives) delete(c goja.FunctionCall, rt *goja.Runtime) goja.Value {
	key := c.Argument(0).String()
	if e := serviceKey("DELETE", key); e != nil {
		throw(rt, e)
	}
	return n.async(rt, func() (any, error) { return nil, n.store.Delete(key) },
		func(*goja.Runtime, any) goja.Value { return goja.Undefined() })
}

// list(limit, prefix, cursor) resolves to {keys: [[name, expiration, metadata], ...],
// cursor} (cursor "" when the list is complete).
func (n *natives) list(c goja.FunctionCall, rt *goja.Runtime) goja.Value {
	limit := c.Argument(0).ToInteger()
	prefix, cursor := "", ""
	if p := optString(c.Argument(1)); p != nil {
		prefix = *p
	}
	if cu := optString(c.Argument(2)); cu != nil {
		cursor = *cu
	}
	if e := listOptions(limit, prefix); e != nil {
		throw(rt, e)
	}
	if limit <= 0 {
		limit = MaxListKeys
	}
	type page struct {
		keys []Key
		next string
	}
	return n.async(rt, func() (any, error) {
		keys, next, err := n.store.List(prefix, cursor, int(limit))
		return page{keys, next}, err
	}, func(rt *goja.Runtime, res any) goja.Value {
		p := res.(page)
		keys := make([]any, len(p.keys))
		for i, k := range p.keys {
			keys[i] = rt.NewArray(k.Name, k.Expiration, metaValue(rt, k.Metadata))
		}
		o := rt.NewObject()
		_ = o.Set("keys", rt.NewArray(keys...))
		_ = o.Set("cursor", p.next)
		return o
	})
}
