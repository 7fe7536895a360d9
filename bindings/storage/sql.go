package storage

// The SQL API: ctx.storage.sql.exec(query, ...bindings) and databaseSize
// (workerd's api/sql.c++ and util/sqlite.c++).
//
// exec prepares the query (several ;-separated statements may be given: all
// but the last run at once, with one step each, and must not take
// parameters), binds, and steps the last statement once, so errors and
// writes happen inside exec. The cursor reads the current row and steps
// ahead on each next(), as workerd does; when the statement is done it is
// returned to the statement cache (single-statement queries, 1 MiB of SQL
// text, LRU) or finalized. Executing a cached query while an earlier cursor
// on it is still open compiles a one-off copy. Statements of cursors that
// are dropped unfinished are finalized after the garbage collector finds
// them.
//
// rowsRead and rowsWritten: workerd counts them with libsql's patched
// sqlite3_stmt_status counters, which stock SQLite lacks. emu approximates:
// rowsWritten is the change in sqlite3_total_changes over a non-read-only
// statement (rows inserted, updated or deleted, not index entries); rowsRead
// is the largest of the rows the statement has produced, the rows a full
// table scan has visited (SQLITE_STMTSTATUS_FULLSCAN_STEP counts the steps
// between them), and, for UPDATE and DELETE, the rows written.

import (
	"container/list"
	"strings"

	"github.com/dop251/goja"
)

const (
	msgSQLNotEnabled = "SQL is not enabled for this Durable Object class. To enable it, change " +
		"`new_classes` to `new_sqlite_classes` within the 'migrations' field in your wrangler.jsonc " +
		"or wrangler.toml file. If using workerd directly,set `enableSql = true` in your workerd " +
		"config for the class. Note that this change cannot be made after the class is already " +
		"deployed to production."
	msgNoStatement   = "SQL code did not contain a statement."
	msgMultiParams   = "When executing multiple SQL statements in a single call, only the last statement can have parameters."
	msgWrongBindings = "Wrong number of parameter bindings for SQL query."
	msgNoResults     = "Expected exactly one result from SQL query, but got no results."
	msgManyResults   = "Expected exactly one result from SQL query, but got multiple results."
	msgCanceled      = "SQLite query was canceled because the database was deleted."

	sqlCacheMax = 1 << 20
)

// sqlCache holds prepared single-statement user queries, by SQL text.
type sqlCache struct {
	entries map[string]*cachedStmt
	lru     list.List // of *cachedStmt, least recently used first
	size    int
}

type cachedStmt struct {
	sql     string
	st      uintptr
	busy    bool // a cursor is reading it
	evicted bool // dropped from the cache while busy: finalize when done
	elem    *list.Element
}

func (c *sqlCache) add(sql string, st uintptr) *cachedStmt {
	e := &cachedStmt{sql: sql, st: st}
	e.elem = c.lru.PushBack(e)
	c.entries[sql] = e
	c.size += len(sql)
	return e
}

// trim evicts least recently used statements over the size limit.
func (c *sqlCache) trim(conn *conn) {
	for c.size > sqlCacheMax && c.lru.Len() > 1 {
		e := c.lru.Remove(c.lru.Front()).(*cachedStmt)
		delete(c.entries, e.sql)
		c.size -= len(e.sql)
		if e.busy {
			e.evicted = true
		} else {
			conn.finalize(e.st)
		}
	}
}

func (c *sqlCache) finalizeAll(conn *conn) {
	for _, e := range c.entries {
		if !e.busy {
			conn.finalize(e.st)
		}
	}
	*c = sqlCache{entries: map[string]*cachedStmt{}}
}

// stmtRef is a statement held by a cursor. It is shared with the cursor's
// GC cleanup, which must not reference the cursor itself.
type stmtRef struct {
	st     uintptr
	cached *cachedStmt // nil for a one-off statement
	gen    uint64      // Store.dbGen when prepared
	done   bool
}

type abandonedStmt = *stmtRef

// cursor is the Go state of a SqlStorageCursor.
type cursor struct {
	ref       *stmtRef
	names     []string
	namesJS   goja.Value
	readonly  bool
	updates   bool  // an UPDATE or DELETE: rows written were read first
	changes0  int64 // total_changes before the first step
	rows      int64 // rows the statement has produced
	rowsRead  int64 // final counts, once done
	rowsWrite int64
	ended     bool
}

// execLocked runs query and returns a cursor for its last statement; s.mu
// held.
func (s *Store) execLocked(query string, args []any) (*cursor, error) {
	c := s.c
	c.trusted = false
	defer func() { c.trusted = true }()
	ref := &stmtRef{gen: s.dbGen}
	if e := s.sql.entries[query]; e != nil && !e.busy {
		s.sql.lru.MoveToBack(e.elem)
		e.busy, ref.st, ref.cached = true, e.st, e
	} else {
		st, single, err := s.prepareUser(query)
		if err != nil {
			return nil, err
		}
		ref.st = st
		if single && e == nil {
			ref.cached = s.sql.add(query, st)
			ref.cached.busy = true
			s.sql.trim(c)
		}
	}
	cur := &cursor{ref: ref, readonly: c.readonly(ref.st), updates: updateOrDelete(c.sql(ref.st))}
	release := func() { s.release(ref) }
	if c.paramCount(ref.st) != len(args) {
		release()
		return nil, errorString(msgWrongBindings)
	}
	if err := s.bind(ref.st, args); err != nil {
		release()
		return nil, err
	}
	n := c.columnCount(ref.st)
	cur.names = make([]string, n)
	for i := range n {
		cur.names[i] = c.columnName(ref.st, i)
	}
	cur.changes0 = c.totalChanges()
	s.live[ref.st] = true
	row, err := c.step(ref.st)
	if err != nil {
		release()
		return nil, err
	}
	if row {
		cur.rows = 1
	} else {
		s.finish(cur)
	}
	return cur, nil
}

// prepareUser compiles user SQL, running all statements but the last; s.mu
// held, c.trusted false.
func (s *Store) prepareUser(query string) (st uintptr, single bool, err error) {
	c := s.c
	rest := query
	for {
		st, used, err := c.prepare(rest, false)
		if err != nil {
			if c.auth.transaction {
				return 0, false, errorString(msgTransaction)
			}
			return 0, false, err
		}
		if st == 0 {
			return 0, false, errorString(msgNoStatement)
		}
		tail := strings.TrimLeft(rest[used:], " \t\n\r\v\f")
		if tail == "" {
			return st, rest == query, nil
		}
		if c.paramCount(st) != 0 {
			c.finalize(st)
			return 0, false, errorString(msgMultiParams)
		}
		_, err = c.step(st)
		c.finalize(st)
		if err != nil {
			return 0, false, err
		}
		rest = tail
	}
}

// release returns ref's statement to the cache or finalizes it; s.mu held.
func (s *Store) release(ref *stmtRef) {
	if ref.done || ref.gen != s.dbGen {
		ref.done = true
		return
	}
	ref.done = true
	delete(s.live, ref.st)
	if e := ref.cached; e != nil && !e.evicted {
		s.c.reset(ref.st)
		e.busy = false
		return
	}
	s.c.finalize(ref.st)
}

// counts returns the cursor's rowsRead and rowsWritten; s.mu held.
func (s *Store) counts(cur *cursor) (read, written int64) {
	if cur.ended || cur.ref.gen != s.dbGen {
		return cur.rowsRead, cur.rowsWrite
	}
	read = cur.rows
	if steps := s.c.fullscanSteps(cur.ref.st); steps > 0 {
		read = max(read, steps+1)
	}
	if !cur.readonly {
		written = s.c.totalChanges() - cur.changes0
	}
	if cur.updates {
		read = max(read, written)
	}
	return read, written
}

// updateOrDelete reports whether a statement's first keyword is UPDATE or
// DELETE.
func updateOrDelete(sql string) bool {
	sql = strings.TrimLeft(sql, " \t\n\r\v\f(")
	for _, kw := range []string{"UPDATE", "DELETE"} {
		if len(sql) >= len(kw) && strings.EqualFold(sql[:len(kw)], kw) {
			return true
		}
	}
	return false
}

// finish ends the cursor, keeping its counts; s.mu held.
func (s *Store) finish(cur *cursor) {
	if cur.ended {
		return
	}
	cur.rowsRead, cur.rowsWrite = s.counts(cur)
	cur.ended = true
	s.release(cur.ref)
}

// next returns the current row and steps ahead; s.mu held.
func (s *Store) next(cur *cursor) ([]any, bool, error) {
	if cur.ref.gen != s.dbGen && !cur.ended {
		cur.ended = true
		return nil, false, errorString(msgCanceled)
	}
	if cur.ended {
		return nil, false, nil
	}
	c, st := s.c, cur.ref.st
	row := make([]any, len(cur.names))
	for i := range row {
		switch c.columnType(st, i) {
		case 1: // SQLITE_INTEGER: a double, as in workerd
			row[i] = float64(c.columnInt64(st, i))
		case 2: // SQLITE_FLOAT
			row[i] = c.columnDouble(st, i)
		case 3: // SQLITE_TEXT
			row[i] = c.columnText(st, i)
		case 4: // SQLITE_BLOB
			row[i] = c.columnBlob(st, i)
		}
	}
	c.trusted = false
	more, err := c.step(st)
	c.trusted = true
	if err != nil {
		s.finish(cur)
		return nil, false, err
	}
	if more {
		cur.rows++
	} else {
		s.finish(cur)
	}
	return row, true, nil
}

// reapAbandoned finalizes statements of cursors the GC collected; s.mu held.
func (s *Store) reapAbandoned() {
	s.abandonedMu.Lock()
	refs := s.abandoned
	s.abandoned = nil
	s.abandonedMu.Unlock()
	for _, ref := range refs {
		s.release(ref)
	}
}

func (s *Store) abandon(ref *stmtRef) {
	s.abandonedMu.Lock()
	s.abandoned = append(s.abandoned, ref)
	s.abandonedMu.Unlock()
}

type errorString string

func (e errorString) Error() string { return string(e) }
