package storage

// conn drives one SQLite connection through modernc.org/sqlite's transpiled C
// API (modernc.org/sqlite/lib) rather than database/sql: the SQL API needs
// things database/sql hides (statements stepped one row at a time across JS
// calls, raw column types without time conversion, sqlite3_error_offset,
// sqlite3_stmt_status, an authorizer that knows whether emu or the user is
// preparing a statement), and put/get stay free of pool and context
// machinery. All memory handed to SQLite is C memory (libc.Xmalloc); text and
// blobs are bound SQLITE_TRANSIENT, so SQLite copies them during the call.
//
// A conn is not safe for concurrent use; Store serializes access with its
// mutex.

import (
	"fmt"
	"strconv"
	"sync"
	"sync/atomic"
	"time"
	"unsafe"

	"modernc.org/libc"
	_ "modernc.org/sqlite" // applies the library's runtime patches (PatchIssue199)
	sqlite3 "modernc.org/sqlite/lib"
)

// sqliteError is a SQLite failure, rendered as workerd does:
// "<sqlite3_errmsg>[ at offset <n>]: <SQLITE_CODE>".
type sqliteError struct {
	code   int32 // primary result code
	msg    string
	offset int32 // -1 if none
}

func (e *sqliteError) Error() string {
	s := e.msg
	if e.offset >= 0 {
		s += " at offset " + strconv.Itoa(int(e.offset))
	}
	return s + ": " + codeName(e.code)
}

var codeNames = map[int32]string{
	sqlite3.SQLITE_OK: "SQLITE_OK", sqlite3.SQLITE_ERROR: "SQLITE_ERROR", sqlite3.SQLITE_INTERNAL: "SQLITE_INTERNAL",
	sqlite3.SQLITE_PERM: "SQLITE_PERM", sqlite3.SQLITE_ABORT: "SQLITE_ABORT", sqlite3.SQLITE_BUSY: "SQLITE_BUSY",
	sqlite3.SQLITE_LOCKED: "SQLITE_LOCKED", sqlite3.SQLITE_NOMEM: "SQLITE_NOMEM", sqlite3.SQLITE_READONLY: "SQLITE_READONLY",
	sqlite3.SQLITE_INTERRUPT: "SQLITE_INTERRUPT", sqlite3.SQLITE_IOERR: "SQLITE_IOERR", sqlite3.SQLITE_CORRUPT: "SQLITE_CORRUPT",
	sqlite3.SQLITE_NOTFOUND: "SQLITE_NOTFOUND", sqlite3.SQLITE_FULL: "SQLITE_FULL", sqlite3.SQLITE_CANTOPEN: "SQLITE_CANTOPEN",
	sqlite3.SQLITE_PROTOCOL: "SQLITE_PROTOCOL", sqlite3.SQLITE_EMPTY: "SQLITE_EMPTY", sqlite3.SQLITE_SCHEMA: "SQLITE_SCHEMA",
	sqlite3.SQLITE_TOOBIG: "SQLITE_TOOBIG", sqlite3.SQLITE_CONSTRAINT: "SQLITE_CONSTRAINT", sqlite3.SQLITE_MISMATCH: "SQLITE_MISMATCH",
	sqlite3.SQLITE_MISUSE: "SQLITE_MISUSE", sqlite3.SQLITE_NOLFS: "SQLITE_NOLFS", sqlite3.SQLITE_AUTH: "SQLITE_AUTH",
	sqlite3.SQLITE_FORMAT: "SQLITE_FORMAT", sqlite3.SQLITE_RANGE: "SQLITE_RANGE", sqlite3.SQLITE_NOTADB: "SQLITE_NOTADB",
	sqlite3.SQLITE_NOTICE: "SQLITE_NOTICE", sqlite3.SQLITE_WARNING: "SQLITE_WARNING", sqlite3.SQLITE_ROW: "SQLITE_ROW",
	sqlite3.SQLITE_DONE: "SQLITE_DONE",
}

func codeName(code int32) string {
	if n, ok := codeNames[code&0xff]; ok {
		return n
	}
	return "SQLITE_UNKNOWN_ERROR_CODE(" + strconv.Itoa(int(code)) + ")"
}

// cmem views n bytes of C memory at p.
func cmem(p uintptr, n int) []byte {
	if p == 0 || n == 0 {
		return nil
	}
	return unsafe.Slice((*byte)(unsafe.Add(nil, p)), n)
}

// cFuncPointer turns a top-level Go function into the uintptr form the
// transpiled C code calls through (https://golang.org/s/go11func).
func cFuncPointer[T any](f T) uintptr {
	return *(*uintptr)(unsafe.Pointer(&struct{ f T }{f}))
}

// conns maps the authorizer's user-data handle to its conn.
var (
	conns      sync.Map // uintptr -> *conn
	nextHandle atomic.Uintptr
)

type conn struct {
	tls     *libc.TLS
	db      uintptr
	handle  uintptr
	out     uintptr // two pointer-sized out parameters: *stmt and tail
	buf     uintptr // C scratch for SQL text and bindings
	bufLen  int
	trusted bool        // emu's own statements: the authorizer allows everything
	auth    authOutcome // what the authorizer saw while preparing user SQL
	// deadline interrupts statements stepped after it (see setDeadline).
	deadline time.Time
}

// openConn opens (creating) the database at path.
func openConn(path string) (_ *conn, err error) {
	c := &conn{tls: libc.NewTLS(), handle: nextHandle.Add(1), trusted: true}
	c.out = libc.Xmalloc(c.tls, 2*8)
	if c.out == 0 {
		c.tls.Close()
		return nil, fmt.Errorf("sqlite: out of memory")
	}
	conns.Store(c.handle, c)
	defer func() {
		if err != nil {
			c.close()
		}
	}()
	zPath := c.cstring(path)
	rc := sqlite3.Xsqlite3_open_v2(c.tls, zPath, c.out,
		sqlite3.SQLITE_OPEN_READWRITE|sqlite3.SQLITE_OPEN_CREATE|sqlite3.SQLITE_OPEN_NOMUTEX, 0)
	c.db = *(*uintptr)(unsafe.Add(nil, c.out))
	if rc != sqlite3.SQLITE_OK {
		if c.db == 0 {
			return nil, &sqliteError{code: rc, msg: libc.GoString(sqlite3.Xsqlite3_errstr(c.tls, rc)), offset: -1}
		}
		return nil, c.err(rc)
	}
	if rc := sqlite3.Xsqlite3_set_authorizer(c.tls, c.db, cFuncPointer(authorizerTrampoline), c.handle); rc != sqlite3.SQLITE_OK {
		return nil, c.err(rc)
	}
	sqlite3.Xsqlite3_busy_timeout(c.tls, c.db, 5000)
	return c, nil
}

func (c *conn) close() {
	if c.db != 0 {
		sqlite3.Xsqlite3_close_v2(c.tls, c.db)
		c.db = 0
	}
	conns.Delete(c.handle)
	if c.buf != 0 {
		libc.Xfree(c.tls, c.buf)
		c.buf = 0
	}
	if c.out != 0 {
		libc.Xfree(c.tls, c.out)
		c.out = 0
	}
	c.tls.Close()
}

// err is the error for result code rc, with the connection's message.
func (c *conn) err(rc int32) error {
	return &sqliteError{
		code:   rc & 0xff,
		msg:    libc.GoString(sqlite3.Xsqlite3_errmsg(c.tls, c.db)),
		offset: sqlite3.Xsqlite3_error_offset(c.tls, c.db),
	}
}

// scratch returns C memory of at least n bytes, valid until the next call.
func (c *conn) scratch(n int) uintptr {
	if n > c.bufLen {
		size := max(n, 2*c.bufLen, 256)
		p := libc.Xrealloc(c.tls, c.buf, uint64(size))
		if p == 0 {
			panic("sqlite: out of memory")
		}
		c.buf, c.bufLen = p, size
	}
	return c.buf
}

// cstring copies s into scratch memory as a NUL-terminated C string.
func (c *conn) cstring(s string) uintptr {
	p := c.scratch(len(s) + 1)
	b := cmem(p, len(s)+1)
	copy(b, s)
	b[len(s)] = 0
	return p
}

// prepare compiles the first statement of sql. It returns the statement (0
// if sql holds only whitespace or comments) and the byte length consumed.
func (c *conn) prepare(sql string, persistent bool) (stmt uintptr, used int, err error) {
	p := c.cstring(sql)
	var flags uint32
	if persistent {
		flags = sqlite3.SQLITE_PREPARE_PERSISTENT
	}
	c.auth = authOutcome{}
	rc := sqlite3.Xsqlite3_prepare_v3(c.tls, c.db, p, int32(len(sql)), flags, c.out, c.out+8)
	if rc != sqlite3.SQLITE_OK {
		return 0, 0, c.err(rc)
	}
	out := (*[2]uintptr)(unsafe.Add(nil, c.out))
	return out[0], int(out[1] - p), nil
}

// exec runs trusted SQL (one or more statements) to completion.
func (c *conn) exec(sql string) error {
	for sql != "" {
		st, used, err := c.prepare(sql, false)
		if err != nil {
			return err
		}
		sql = sql[used:]
		if st == 0 {
			continue
		}
		_, err = c.stepAll(st)
		sqlite3.Xsqlite3_finalize(c.tls, st)
		if err != nil {
			return err
		}
	}
	return nil
}

// stepAll steps st until it is done and returns the first column of the
// last row (0 if none).
func (c *conn) stepAll(st uintptr) (int64, error) {
	var v int64
	for {
		row, err := c.step(st)
		if err != nil || !row {
			return v, err
		}
		v = sqlite3.Xsqlite3_column_int64(c.tls, st, 0)
	}
}

// step advances st: true for a row, false when done.
func (c *conn) step(st uintptr) (bool, error) {
	switch rc := sqlite3.Xsqlite3_step(c.tls, st); rc {
	case sqlite3.SQLITE_ROW:
		return true, nil
	case sqlite3.SQLITE_DONE:
		return false, nil
	default:
		return false, c.err(rc)
	}
}

func (c *conn) reset(st uintptr) {
	sqlite3.Xsqlite3_reset(c.tls, st)
	sqlite3.Xsqlite3_clear_bindings(c.tls, st)
}

func (c *conn) finalize(st uintptr) { sqlite3.Xsqlite3_finalize(c.tls, st) }

func (c *conn) bindText(st uintptr, i int, s string) error {
	p := c.scratch(len(s) + 1)
	copy(cmem(p, len(s)), s)
	return c.check(sqlite3.Xsqlite3_bind_text(c.tls, st, int32(i), p, int32(len(s)), sqlite3.SQLITE_TRANSIENT))
}

func (c *conn) bindBlob(st uintptr, i int, b []byte) error {
	p := c.scratch(len(b) + 1)
	copy(cmem(p, len(b)), b)
	return c.check(sqlite3.Xsqlite3_bind_blob(c.tls, st, int32(i), p, int32(len(b)), sqlite3.SQLITE_TRANSIENT))
}

func (c *conn) bindDouble(st uintptr, i int, f float64) error {
	return c.check(sqlite3.Xsqlite3_bind_double(c.tls, st, int32(i), f))
}

func (c *conn) bindInt64(st uintptr, i int, n int64) error {
	return c.check(sqlite3.Xsqlite3_bind_int64(c.tls, st, int32(i), n))
}

func (c *conn) bindNull(st uintptr, i int) error {
	return c.check(sqlite3.Xsqlite3_bind_null(c.tls, st, int32(i)))
}

func (c *conn) check(rc int32) error {
	if rc != sqlite3.SQLITE_OK {
		return c.err(rc)
	}
	return nil
}

// Column accessors; i is 0-based. Text and blobs are copied out of SQLite.

func (c *conn) columnCount(st uintptr) int {
	return int(sqlite3.Xsqlite3_column_count(c.tls, st))
}

func (c *conn) columnName(st uintptr, i int) string {
	return libc.GoString(sqlite3.Xsqlite3_column_name(c.tls, st, int32(i)))
}

func (c *conn) columnType(st uintptr, i int) int32 {
	return sqlite3.Xsqlite3_column_type(c.tls, st, int32(i))
}

func (c *conn) columnInt64(st uintptr, i int) int64 {
	return sqlite3.Xsqlite3_column_int64(c.tls, st, int32(i))
}

func (c *conn) columnDouble(st uintptr, i int) float64 {
	return sqlite3.Xsqlite3_column_double(c.tls, st, int32(i))
}

func (c *conn) columnText(st uintptr, i int) string {
	p := sqlite3.Xsqlite3_column_text(c.tls, st, int32(i))
	n := int(sqlite3.Xsqlite3_column_bytes(c.tls, st, int32(i)))
	return string(cmem(p, n))
}

func (c *conn) columnBlob(st uintptr, i int) []byte {
	p := sqlite3.Xsqlite3_column_blob(c.tls, st, int32(i))
	n := int(sqlite3.Xsqlite3_column_bytes(c.tls, st, int32(i)))
	return append([]byte{}, cmem(p, n)...)
}

func (c *conn) paramCount(st uintptr) int {
	return int(sqlite3.Xsqlite3_bind_parameter_count(c.tls, st))
}

func (c *conn) readonly(st uintptr) bool {
	return sqlite3.Xsqlite3_stmt_readonly(c.tls, st) != 0
}

// sql is the text of st.
func (c *conn) sql(st uintptr) string {
	return libc.GoString(sqlite3.Xsqlite3_sql(c.tls, st))
}

func (c *conn) fullscanSteps(st uintptr) int64 {
	return int64(sqlite3.Xsqlite3_stmt_status(c.tls, st, sqlite3.SQLITE_STMTSTATUS_FULLSCAN_STEP, 0))
}

func (c *conn) changes() int64      { return sqlite3.Xsqlite3_changes64(c.tls, c.db) }
func (c *conn) totalChanges() int64 { return sqlite3.Xsqlite3_total_changes64(c.tls, c.db) }

func (c *conn) limit(id, value int32) { sqlite3.Xsqlite3_limit(c.tls, c.db, id, value) }

// authorizerTrampoline is SQLite's authorizer callback for every conn.
func authorizerTrampoline(tls *libc.TLS, handle uintptr, action int32, z1, z2, z3, z4 uintptr) int32 {
	v, ok := conns.Load(handle)
	if !ok {
		return sqlite3.SQLITE_DENY
	}
	c := v.(*conn)
	if c.trusted && action != sqlite3.SQLITE_TRANSACTION && action != sqlite3.SQLITE_SAVEPOINT {
		return sqlite3.SQLITE_OK
	}
	if c.authorize(action, cArg(z1), cArg(z2), cArg(z3), cArg(z4)) {
		return sqlite3.SQLITE_OK
	}
	return sqlite3.SQLITE_DENY
}

// setDeadline makes SQLite interrupt statements that are still running at
// d (SQLITE_INTERRUPT); the zero time removes the limit. It checks the clock
// every thousand virtual machine instructions, so only statements run
// between the two calls pay for it.
func (c *conn) setDeadline(d time.Time) {
	c.deadline = d
	if d.IsZero() {
		sqlite3.Xsqlite3_progress_handler(c.tls, c.db, 0, 0, 0)
		return
	}
	sqlite3.Xsqlite3_progress_handler(c.tls, c.db, 1000, cFuncPointer(progressTrampoline), c.handle)
}

// progressTrampoline is SQLite's progress callback: non-zero interrupts.
func progressTrampoline(tls *libc.TLS, handle uintptr) int32 {
	v, ok := conns.Load(handle)
	if !ok {
		return 1
	}
	if d := v.(*conn).deadline; !d.IsZero() && time.Now().After(d) {
		return 1
	}
	return 0
}

// arg is an authorizer argument; SQLite passes NULL for absent ones.
type arg struct {
	s  string
	ok bool
}

func cArg(p uintptr) arg {
	if p == 0 {
		return arg{}
	}
	return arg{libc.GoString(p), true}
}
