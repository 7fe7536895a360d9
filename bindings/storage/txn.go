package storage

// Transactions. Both kinds are SQLite savepoints on the object's connection,
// nested as calls nest (workerd's ActorSqlite does the same):
//
//   - transactionSync(fn) (SQLite-backed only): SAVEPOINT
//     _cf_sync_savepoint_<depth>, call fn, RELEASE on return, ROLLBACK TO +
//     RELEASE if it throws (the exception is rethrown).
//   - transaction(async txn => …): SAVEPOINT _cf_savepoint_<depth> at once,
//     then, as workerd does, the closure is called from a promise reaction
//     (Promise.resolve(txn).then(closure)). When the closure's promise
//     fulfills, a then-callback RELEASEs the savepoint (the commit) and
//     resolves transaction()'s promise with the value; when it rejects, the
//     callback rolls back and rejects with the same reason. txn.rollback()
//     rolls back at once; the closure's result is still returned.
//
// Since every storage call is synchronous, a closure that only awaits storage
// runs to completion (and commits) within one turn of the microtask queue:
// nothing else can interleave. A closure that awaits other I/O keeps the
// savepoint open meanwhile (the Durable Object layer does not yet hold other
// events and outputs until it ends, as workerd does). Savepoints that end out of
// order (two transactions interleaved) are merged into the enclosing one:
// ending an outer savepoint ends the inner ones with it, whose own end is
// then a no-op.

import (
	"strconv"

	"github.com/dop251/goja"
)

const (
	msgNotSQL        = "Durable Object is not backed by SQL."
	msgTxnRolledBack = "Cannot %s on rolled back transaction"
	msgTxnCommitted  = "Cannot call %s on transaction that has already committed: did you move `txn` outside of the closure?"
	msgNotAFunction  = "Failed to execute '%s' on 'DurableObjectStorage': parameter 1 is not of type 'Function'."
	savepointTxn     = "_cf_savepoint_"
	savepointSyncTxn = "_cf_sync_savepoint_"
)

type txnStatus int

const (
	txnOpen txnStatus = iota
	txnCommitted
	txnRolledBack
)

type txnState struct {
	name   string
	status txnStatus
}

// beginLocked opens a savepoint; s.mu held.
func (s *Store) beginLocked(prefix string) (*txnState, error) {
	t := &txnState{name: prefix + strconv.Itoa(len(s.txns))}
	if err := s.c.exec("SAVEPOINT " + t.name); err != nil {
		return nil, err
	}
	s.txns = append(s.txns, t)
	return t, nil
}

// endLocked releases (commit) or rolls back t's savepoint, and with it any
// opened after it; s.mu held. A failed commit is rolled back.
func (s *Store) endLocked(t *txnState, commit bool) error {
	i := len(s.txns) - 1
	for i >= 0 && s.txns[i] != t {
		i--
	}
	if i < 0 {
		return nil // ended with an enclosing savepoint
	}
	s.txns = s.txns[:i]
	var err error
	if commit {
		if err = s.c.exec("RELEASE " + t.name); err == nil {
			return nil
		}
	}
	if rerr := s.c.exec("ROLLBACK TO " + t.name + "; RELEASE " + t.name); err == nil {
		err = rerr
	}
	return err
}

// end ends t and, when no transaction is left open, reports an alarm change
// made inside it.
func (j *jsStorage) end(t *txnState, commit bool) error {
	s := j.s
	if err := s.lock(); err != nil {
		return err
	}
	err := s.endLocked(t, commit)
	dirty := len(s.txns) == 0 && s.alarmDirty
	s.unlock()
	if dirty {
		j.alarmChanged()
	}
	return err
}

// guard throws if t (nil outside a transaction) can no longer be used.
func (j *jsStorage) guard(t *txnState, op string) {
	switch {
	case t == nil:
	case t.status == txnRolledBack:
		j.errorf(msgTxnRolledBack, op)
	case t.status == txnCommitted:
		j.errorf(msgTxnCommitted, op)
	}
}

func (j *jsStorage) begin(prefix string) *txnState {
	j.lock()
	t, err := j.s.beginLocked(prefix)
	j.s.unlock()
	j.check(err)
	return t
}

func (j *jsStorage) transactionSync(fc goja.FunctionCall) goja.Value {
	if !j.s.opts.SQLite {
		j.errorf("%s", msgNotSQL)
	}
	fn, ok := goja.AssertFunction(fc.Argument(0))
	if !ok {
		j.typeError(sprintf(msgNotAFunction, "transactionSync"))
	}
	t := j.begin(savepointSyncTxn)
	v, err := fn(goja.Undefined())
	if err != nil {
		_ = j.end(t, false)
		panic(err)
	}
	j.check(j.end(t, true))
	return v
}

func (j *jsStorage) transaction(fc goja.FunctionCall) goja.Value {
	rt := j.rt
	p, resolve, reject := rt.NewPromise()
	var t *txnState
	ex := rt.Try(func() {
		cb := fc.Argument(0)
		if _, ok := goja.AssertFunction(cb); !ok {
			j.typeError(sprintf(msgNotAFunction, "transaction"))
		}
		t = j.begin(savepointTxn)
		// Promise.resolve(txn).then(closure), as workerd runs it.
		p0, resolve0, _ := rt.NewPromise()
		_ = resolve0(j.txnObject(t))
		closure := j.then(rt.ToValue(p0), cb, nil)
		j.then(closure, rt.ToValue(func(c goja.FunctionCall) goja.Value {
			v := c.Argument(0)
			if t.status == txnOpen {
				t.status = txnCommitted
				if err := j.end(t, true); err != nil {
					_ = reject(j.errorValue(err))
					return goja.Undefined()
				}
			}
			_ = resolve(v)
			return goja.Undefined()
		}), rt.ToValue(func(c goja.FunctionCall) goja.Value {
			if t.status == txnOpen {
				_ = j.end(t, false)
			}
			t.status = txnRolledBack
			_ = reject(c.Argument(0))
			return goja.Undefined()
		}))
	})
	if ex != nil {
		if t != nil && t.status == txnOpen {
			t.status = txnRolledBack
			_ = j.end(t, false)
		}
		_ = reject(ex.Value())
	}
	return rt.ToValue(p)
}

// then calls promise.then(onFulfilled, onRejected) and returns its result.
func (j *jsStorage) then(promise goja.Value, onFulfilled, onRejected goja.Value) goja.Value {
	o := promise.ToObject(j.rt)
	then, ok := goja.AssertFunction(o.Get("then"))
	if !ok {
		j.typeError("not a promise")
	}
	if onRejected == nil {
		onRejected = goja.Undefined()
	}
	v, err := then(o, onFulfilled, onRejected)
	j.check(err)
	return v
}

// errorValue is err as a JS value: the thrown value itself, or an Error.
func (j *jsStorage) errorValue(err error) (v goja.Value) {
	if ex := j.rt.Try(func() { j.throw(err) }); ex != nil {
		return ex.Value()
	}
	return goja.Undefined()
}

// txnObject is the txn passed to transaction()'s closure
// (DurableObjectTransaction).
func (j *jsStorage) txnObject(t *txnState) *goja.Object {
	o := j.rt.NewObject()
	bind := func(f func(*txnState, goja.FunctionCall) goja.Value) func(goja.FunctionCall) goja.Value {
		return func(fc goja.FunctionCall) goja.Value { return f(t, fc) }
	}
	for _, m := range []struct {
		name string
		fn   func(goja.FunctionCall) goja.Value
	}{
		{"get", bind(j.doGet)}, {"put", bind(j.doPut)}, {"delete", bind(j.doDelete)},
		{"list", bind(j.doList)}, {"getAlarm", bind(j.doGetAlarm)},
		{"setAlarm", bind(j.doSetAlarm)}, {"deleteAlarm", bind(j.doDeleteAlarm)},
		{"rollback", func(goja.FunctionCall) goja.Value {
			if t.status == txnRolledBack {
				return goja.Undefined()
			}
			j.guard(t, "rollback()")
			t.status = txnRolledBack
			j.check(j.end(t, false))
			return goja.Undefined()
		}},
		{"deleteAll", func(goja.FunctionCall) goja.Value {
			j.errorf("%s", msgDeleteAllTxn)
			return nil
		}},
	} {
		j.method(o, m.name, m.fn)
	}
	return o
}
