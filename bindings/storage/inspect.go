package storage

// Read-only views of a Store for diagnostics (emu's inspector), and Wipe.
// They may be called from any goroutine; they take the Store's mutex like
// every other operation, so they see what the object's own code sees,
// including the writes of a transaction that is still open.

import (
	"errors"
	"strings"
	"time"

	sqlite3 "modernc.org/sqlite/lib"
)

// KVEntry is one key of the KV API and its value as stored (serialized
// with jsruntime.Serialize).
type KVEntry struct {
	Key   string
	Value []byte
}

// KVCount returns how many keys the KV API holds.
func (s *Store) KVCount() (int, error) {
	if err := s.lock(); err != nil {
		return 0, err
	}
	defer s.unlock()
	n, err := s.run("SELECT count(*) FROM _cf_KV")
	return int(n), err
}

// KVPage returns up to limit entries in key order (the order of list()),
// skipping the first offset.
func (s *Store) KVPage(offset, limit int) ([]KVEntry, error) {
	if err := s.lock(); err != nil {
		return nil, err
	}
	defer s.unlock()
	st, err := s.stmt("SELECT key, value FROM _cf_KV ORDER BY key LIMIT ? OFFSET ?")
	if err != nil {
		return nil, err
	}
	defer s.c.reset(st)
	if err := s.bind(st, []any{int64(limit), int64(offset)}); err != nil {
		return nil, err
	}
	var out []KVEntry
	for {
		row, err := s.c.step(st)
		if err != nil || !row {
			return out, err
		}
		out = append(out, KVEntry{s.c.columnText(st, 0), s.c.columnBlob(st, 1)})
	}
}

// Table is one table or view of the object's SQL database (emu's hidden
// _cf_ tables and SQLite's own are left out).
type Table struct {
	Name   string `json:"name"`
	Type   string `json:"type"`   // "table" or "view"
	Schema string `json:"schema"` // its CREATE statement
	Rows   int64  `json:"rows"`
}

// Tables lists the user's tables and views, by name, with their row counts.
func (s *Store) Tables() ([]Table, error) {
	if err := s.lock(); err != nil {
		return nil, err
	}
	defer s.unlock()
	st, err := s.stmt(`SELECT name, type, sql FROM sqlite_master WHERE type IN ('table', 'view')
		AND name NOT LIKE '\_cf\_%' ESCAPE '\' AND name NOT LIKE 'sqlite\_%' ESCAPE '\' ORDER BY name`)
	if err != nil {
		return nil, err
	}
	var out []Table
	for {
		row, err := s.c.step(st)
		if err != nil {
			s.c.reset(st)
			return nil, err
		}
		if !row {
			break
		}
		out = append(out, Table{Name: s.c.columnText(st, 0), Type: s.c.columnText(st, 1), Schema: s.c.columnText(st, 2)})
	}
	s.c.reset(st)
	for i := range out {
		q := "SELECT count(*) FROM " + QuoteIdent(out[i].Name)
		if out[i].Rows, err = s.oneShot(q); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// oneShot runs trusted SQL once (not cached) and returns the first column
// of its last row; s.mu held.
func (s *Store) oneShot(sql string) (int64, error) {
	st, _, err := s.c.prepare(sql, false)
	if err != nil {
		return 0, err
	}
	defer s.c.finalize(st)
	return s.c.stepAll(st)
}

// QuoteIdent quotes a SQL identifier ("a""b").
func QuoteIdent(name string) string {
	return `"` + strings.ReplaceAll(name, `"`, `""`) + `"`
}

// Result is the outcome of Query: column names and rows, each value an
// int64, float64, string, []byte or nil.
type Result struct {
	Columns []string
	Rows    [][]any
	More    bool // the statement had more rows than the limit
}

// Errors of Query.
var (
	ErrNotReadOnly   = errors.New("only read-only statements can run here")
	ErrOneStatement  = errors.New("give one statement at a time")
	ErrQueryTimedOut = errors.New("the query ran too long and was interrupted")
)

// Query runs one read-only statement under the rules of sql.exec (the same
// authorizer: no _cf_ tables, the same functions and PRAGMAs) and returns
// at most limit rows. A statement that writes is refused before it runs;
// one still running after timeout is interrupted.
func (s *Store) Query(query string, args []any, limit int, timeout time.Duration) (*Result, error) {
	if err := s.lock(); err != nil {
		return nil, err
	}
	defer s.unlock()
	c := s.c
	c.trusted = false
	st, used, err := c.prepare(query, false)
	c.trusted = true
	if err != nil {
		return nil, err
	}
	if st == 0 {
		return nil, errorString(msgNoStatement)
	}
	defer c.finalize(st)
	if strings.TrimSpace(strings.TrimRight(strings.TrimSpace(query[used:]), ";")) != "" {
		return nil, ErrOneStatement
	}
	if !c.readonly(st) {
		return nil, ErrNotReadOnly
	}
	if c.paramCount(st) != len(args) {
		return nil, errorString(msgWrongBindings)
	}
	if err := s.bind(st, args); err != nil {
		return nil, err
	}
	res := &Result{Columns: make([]string, c.columnCount(st))}
	for i := range res.Columns {
		res.Columns[i] = c.columnName(st, i)
	}
	c.setDeadline(time.Now().Add(timeout))
	defer c.setDeadline(time.Time{})
	for {
		row, err := c.step(st)
		if err != nil {
			var se *sqliteError
			if errors.As(err, &se) && se.code == sqlite3.SQLITE_INTERRUPT {
				return nil, ErrQueryTimedOut
			}
			return nil, err
		}
		if !row {
			return res, nil
		}
		if len(res.Rows) == limit {
			res.More = true
			return res, nil
		}
		vals := make([]any, len(res.Columns))
		for i := range vals {
			switch c.columnType(st, i) {
			case sqlite3.SQLITE_INTEGER:
				vals[i] = c.columnInt64(st, i)
			case sqlite3.SQLITE_FLOAT:
				vals[i] = c.columnDouble(st, i)
			case sqlite3.SQLITE_TEXT:
				vals[i] = c.columnText(st, i)
			case sqlite3.SQLITE_BLOB:
				vals[i] = c.columnBlob(st, i)
			}
		}
		res.Rows = append(res.Rows, vals)
	}
}

// ErrTransactionOpen is Wipe's error while a transaction is open.
var ErrTransactionOpen = errors.New("a transaction is open")

// Wipe deletes everything the object stored: the KV API's keys, its SQL
// tables and its alarm (a SQLite-backed database starts again empty, as
// after deleteAll()). The caller cancels the alarm's timer.
func (s *Store) Wipe() error {
	if err := s.lock(); err != nil {
		return err
	}
	defer s.unlock()
	if len(s.txns) > 0 {
		return ErrTransactionOpen
	}
	s.alarmGen++
	if s.opts.SQLite {
		return s.reset(false)
	}
	if _, err := s.run("DELETE FROM _cf_KV"); err != nil {
		return err
	}
	return s.writeAlarmLocked(nil)
}
