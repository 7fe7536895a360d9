package storage

// The KV API: get, put, delete, list, deleteAll, sync (workerd's
// DurableObjectStorageOperations, api/actor-state.c++).

import (
	"slices"

	"github.com/dop251/goja"
)

// KV-backed limits (workerd's ActorCache) and SQLite-backed ones (production
// docs: key and value together at most 2 MB).
const (
	maxKeySize    = 2048
	maxValueSize  = 131072
	maxGetKeys    = 128
	maxSQLiteSize = 2 << 20
)

// Messages, verbatim from workerd.
const (
	msgKeyTooLarge   = "Keys cannot be larger than 2048 bytes. A key of size %d was provided."
	msgValueTooLarge = "Values cannot be larger than 131072 bytes. A value of size %d was provided."
	msgTooManyKeys   = "Maximum number of key value pairs is 128. %d pairs were provided."
	msgPutUndefined  = "put() called with undefined value."
	msgPutOverload   = "put() may only be called with a single key-value pair and optional options as " +
		"put(key, value, options) or with multiple key-value pairs and optional options as put(entries, options)"
	msgListBoth     = "list() cannot be called with both start and startAfter values."
	msgListLimit    = "List limit must be positive."
	msgTooBig       = "string or blob too big: SQLITE_TOOBIG"
	msgDeleteAllTxn = "Cannot call deleteAll() within a transaction"
)

type entry struct {
	key   string
	value []byte
}

const (
	sqlGet    = "SELECT value FROM _cf_KV WHERE key = ?"
	sqlPut    = "INSERT OR REPLACE INTO _cf_KV (key, value) VALUES (?, ?)"
	sqlDelete = "DELETE FROM _cf_KV WHERE key = ?"
)

// getLocked reads one value; s.mu held.
func (s *Store) getLocked(key string) ([]byte, bool, error) {
	st, err := s.stmt(sqlGet)
	if err != nil {
		return nil, false, err
	}
	defer s.c.reset(st)
	if err := s.c.bindText(st, 1, key); err != nil {
		return nil, false, err
	}
	row, err := s.c.step(st)
	if err != nil || !row {
		return nil, false, err
	}
	return s.c.columnBlob(st, 0), true, nil
}

// putLocked writes entries atomically; s.mu held.
func (s *Store) putLocked(entries []entry) error {
	if len(entries) == 1 {
		_, err := s.run(sqlPut, entries[0].key, entries[0].value)
		return err
	}
	return s.batch(func() error {
		for _, e := range entries {
			if _, err := s.run(sqlPut, e.key, e.value); err != nil {
				return err
			}
		}
		return nil
	})
}

// deleteLocked deletes keys and returns how many existed; s.mu held.
func (s *Store) deleteLocked(keys []string) (n int, err error) {
	del := func() error {
		for _, k := range keys {
			if _, err := s.run(sqlDelete, k); err != nil {
				return err
			}
			n += int(s.c.changes())
		}
		return nil
	}
	if len(keys) == 1 {
		return n, del()
	}
	return n, s.batch(del)
}

// listLocked returns the entries with start <= key < end (no upper bound if
// end is nil) in byte order, or reverse order; limit 0 means no limit; s.mu
// held.
func (s *Store) listLocked(start string, end *string, reverse bool, limit int) ([]entry, error) {
	q := "SELECT key, value FROM _cf_KV WHERE key >= ?"
	args := []any{start}
	if end != nil {
		q += " AND key < ?"
		args = append(args, *end)
	}
	if reverse {
		q += " ORDER BY key DESC"
	} else {
		q += " ORDER BY key"
	}
	if limit > 0 {
		q += " LIMIT ?"
		args = append(args, int64(limit))
	}
	st, err := s.stmt(q)
	if err != nil {
		return nil, err
	}
	defer s.c.reset(st)
	if err := s.bind(st, args); err != nil {
		return nil, err
	}
	var out []entry
	for {
		row, err := s.c.step(st)
		if err != nil || !row {
			return out, err
		}
		out = append(out, entry{s.c.columnText(st, 0), s.c.columnBlob(st, 1)})
	}
}

// checkKey applies the KV-backed key limit.
func (j *jsStorage) checkKey(k string) {
	if !j.s.opts.SQLite && len(k) > maxKeySize {
		j.rangeError(msgKeyTooLarge, len(k))
	}
}

func (j *jsStorage) checkEntry(k string, v []byte) {
	if j.s.opts.SQLite {
		if len(k)+len(v) > maxSQLiteSize {
			j.errorf("%s", msgTooBig)
		}
		return
	}
	j.checkKey(k)
	if len(v) > maxValueSize {
		j.rangeError(msgValueTooLarge, len(v))
	}
}

func (j *jsStorage) get(fc goja.FunctionCall) goja.Value { return j.doGet(nil, fc) }

func (j *jsStorage) doGet(t *txnState, fc goja.FunctionCall) goja.Value {
	return j.async(func() goja.Value { return j.getSync(t, fc) })
}

// getSync is get() without the promise: it returns the result or throws.
func (j *jsStorage) getSync(t *txnState, fc goja.FunctionCall) goja.Value {
	j.guard(t, "get()")
	if arr, ok := isArray(fc.Argument(0)); ok {
		keys := j.keys(arr)
		if !j.s.opts.SQLite && len(keys) > maxGetKeys {
			j.rangeError(msgTooManyKeys, len(keys))
		}
		slices.Sort(keys)
		keys = slices.Compact(keys)
		var found []entry
		j.lock()
		for _, k := range keys {
			v, ok, err := j.s.getLocked(k)
			if err != nil {
				j.s.unlock()
				j.throw(err)
			}
			if ok {
				found = append(found, entry{k, v})
			}
		}
		j.s.unlock()
		return j.newMap(found)
	}
	key := j.str(fc.Argument(0))
	j.checkKey(key)
	j.lock()
	v, ok, err := j.s.getLocked(key)
	j.s.unlock()
	j.check(err)
	if !ok {
		return goja.Undefined()
	}
	return j.deserialize(v)
}

// keys converts a JS array of keys to strings.
func (j *jsStorage) keys(arr *goja.Object) []string {
	n := arr.Get("length").ToInteger()
	keys := make([]string, 0, n)
	for i := range n {
		keys = append(keys, j.str(arr.Get(itoa(i))))
	}
	return keys
}

func (j *jsStorage) put(fc goja.FunctionCall) goja.Value { return j.doPut(nil, fc) }

func (j *jsStorage) doPut(t *txnState, fc goja.FunctionCall) goja.Value {
	return j.async(func() goja.Value { return j.putSync(t, fc) })
}

// putSync is put() without the promise: it returns the result or throws.
func (j *jsStorage) putSync(t *txnState, fc goja.FunctionCall) goja.Value {
	j.guard(t, "put()")
	var entries []entry
	if o, ok := fc.Argument(0).(*goja.Object); ok && o.ClassName() != "Array" {
		// put(entries, options): options may be null or any object.
		if opts := fc.Argument(1); present(opts) && !goja.IsNull(opts) {
			if _, ok := opts.(*goja.Object); !ok {
				j.typeError(msgPutOverload)
			}
		}
		for _, k := range o.Keys() {
			v := o.Get(k)
			if !present(v) {
				continue
			}
			entries = append(entries, entry{k, j.serialize(v)})
		}
	} else {
		key := j.str(fc.Argument(0))
		v := fc.Argument(1)
		if !present(v) {
			j.typeError(msgPutUndefined)
		}
		entries = []entry{{key, j.serialize(v)}}
	}
	for _, e := range entries {
		j.checkEntry(e.key, e.value)
	}
	if len(entries) == 0 {
		return goja.Undefined()
	}
	j.lock()
	err := j.s.putLocked(entries)
	j.s.unlock()
	j.check(err)
	return goja.Undefined()
}

func (j *jsStorage) delete(fc goja.FunctionCall) goja.Value { return j.doDelete(nil, fc) }

func (j *jsStorage) doDelete(t *txnState, fc goja.FunctionCall) goja.Value {
	return j.async(func() goja.Value { return j.deleteSync(t, fc) })
}

// deleteSync is delete() without the promise: it returns the result or throws.
func (j *jsStorage) deleteSync(t *txnState, fc goja.FunctionCall) goja.Value {
	j.guard(t, "delete()")
	arr, multi := isArray(fc.Argument(0))
	var keys []string
	if multi {
		keys = j.keys(arr)
	} else {
		keys = []string{j.str(fc.Argument(0))}
	}
	for _, k := range keys {
		j.checkKey(k)
	}
	if multi {
		slices.Sort(keys)
		keys = slices.Compact(keys)
	}
	if len(keys) == 0 {
		return j.rt.ToValue(0)
	}
	j.lock()
	n, err := j.s.deleteLocked(keys)
	j.s.unlock()
	j.check(err)
	if multi {
		return j.rt.ToValue(n)
	}
	return j.rt.ToValue(n > 0)
}

func (j *jsStorage) list(fc goja.FunctionCall) goja.Value { return j.doList(nil, fc) }

func (j *jsStorage) doList(t *txnState, fc goja.FunctionCall) goja.Value {
	return j.async(func() goja.Value { return j.listSync(t, fc) })
}

// listSync is list() without the promise: it returns the result or throws.
func (j *jsStorage) listSync(t *txnState, fc goja.FunctionCall) goja.Value {
	j.guard(t, "list()")
	var (
		start   string
		end     *string
		reverse bool
		limit   int
	)
	empty := func() goja.Value { return j.newMap(nil) }
	if o, ok := fc.Argument(0).(*goja.Object); ok {
		s, sa := o.Get("start"), o.Get("startAfter")
		if present(s) {
			if present(sa) {
				j.typeError(msgListBoth)
			}
			start = j.str(s)
		}
		if present(sa) {
			start = j.str(sa) + "\x00"
		}
		if e := o.Get("end"); present(e) {
			es := j.str(e)
			end = &es
		}
		if r := o.Get("reverse"); present(r) {
			reverse = r.ToBoolean()
		}
		if l := o.Get("limit"); present(l) {
			n := l.ToInteger()
			if n <= 0 {
				j.typeError(msgListLimit)
			}
			limit = int(min(n, 1<<31-1))
		}
		if p := o.Get("prefix"); present(p) {
			if prefix := j.str(p); prefix != "" {
				// Clamp [start, end) to the keys with the prefix.
				switch {
				case start < prefix:
					start = prefix
				case len(start) >= len(prefix) && start[:len(prefix)] == prefix:
				default:
					return empty()
				}
				after := []byte(prefix)
				for len(after) > 0 && after[len(after)-1] == 0xff {
					after = after[:len(after)-1]
				}
				if len(after) > 0 {
					after[len(after)-1]++
					a := string(after)
					switch {
					case end == nil:
						end = &a
					case *end <= prefix:
						return empty()
					case len(*end) >= len(prefix) && (*end)[:len(prefix)] == prefix:
					default:
						end = &a
					}
				}
			}
		}
	}
	if end != nil && *end <= start {
		return empty()
	}
	j.lock()
	entries, err := j.s.listLocked(start, end, reverse, limit)
	j.s.unlock()
	j.check(err)
	return j.newMap(entries)
}

func (j *jsStorage) deleteAll(fc goja.FunctionCall) goja.Value {
	return j.async(func() goja.Value {
		s := j.s
		j.lock()
		if len(s.txns) > 0 {
			s.unlock()
			j.errorf("%s", msgDeleteAllTxn)
		}
		_, hadAlarm, err := s.alarmLocked()
		if err == nil {
			if s.opts.SQLite {
				err = s.reset(!s.opts.CompatDeleteAllDeletesAlarm)
			} else {
				_, err = s.run("DELETE FROM _cf_KV")
				if err == nil && s.opts.CompatDeleteAllDeletesAlarm {
					err = s.writeAlarmLocked(nil)
				}
			}
		}
		changed := err == nil && hadAlarm && s.opts.CompatDeleteAllDeletesAlarm
		if changed {
			s.alarmGen++
		}
		s.unlock()
		j.check(err)
		if changed {
			j.alarmChanged()
		}
		return goja.Undefined()
	})
}

func (j *jsStorage) sync(goja.FunctionCall) goja.Value {
	return j.async(func() goja.Value {
		j.lock()
		j.s.unlock()
		return goja.Undefined()
	})
}
