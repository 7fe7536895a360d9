// Package storage is a Durable Object's persistent storage: one SQLite file
// per object holding the KV API's data, the user's SQL tables and the alarm,
// and the JS object a Durable Object sees as ctx.storage.
//
//	st, err := storage.Open(filepath.Join(dir, id+".sqlite"), storage.Options{SQLite: true})
//	defer st.Close()
//	ctx.Set("storage", st.Object(rt, storage.Hooks{AlarmChanged: rearm}))
//
// Every storage method is a synchronous SQLite call made on the isolate's
// loop goroutine; the promise it returns is already settled. Nothing else can
// run between a call and its result, which gives Durable Objects' input gate
// for free, and each write outside a transaction is committed (WAL,
// synchronous=NORMAL) before the call returns, so no acknowledged write is
// lost if the process is killed. An explicit transaction() commits when its
// closure's promise settles (see txn.go). Values are structured-cloned with
// jsruntime.Serialize.
//
// Behaviour and messages follow workerd (../shared/reference/workerd-semantics.md
// §4–6). Hidden tables: _cf_KV(key TEXT PRIMARY KEY, value BLOB) WITHOUT
// ROWID for the KV API and _cf_METADATA(key INTEGER PRIMARY KEY, value) for
// the alarm (key 1, ms since the epoch); user SQL cannot name _cf_ tables.
package storage

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"time"

	sqlite3 "modernc.org/sqlite/lib"
)

// Options configures a Store.
type Options struct {
	// SQLite marks a SQLite-backed class (wrangler new_sqlite_classes, or
	// emu's zero-config default): ctx.storage.sql and transactionSync work,
	// deleteAll() also drops the SQL tables, and KV limits are SQLite's
	// (key + value ≤ 2 MiB). Otherwise the class is KV-backed (new_classes)
	// with workerd's KV limits and messages.
	SQLite bool
	// CompatDeleteAllDeletesAlarm is the delete_all_deletes_alarm
	// compatibility flag (2026-02-24): deleteAll() also deletes the alarm.
	CompatDeleteAllDeletesAlarm bool
	// Log receives a line when the database file turns out to have been
	// deleted while open (see checkFile); nil logs nothing.
	Log func(msg string)
}

// Hooks connect ctx.storage to the Durable Object layer. Every hook is
// optional and is called on the loop goroutine.
type Hooks struct {
	// AlarmChanged is called after setAlarm, deleteAlarm or deleteAll changed
	// the persisted alarm and the change is committed (for changes inside
	// transaction(), when the outermost transaction ends), so the caller can
	// (re)arm its timer. ok is false when there is no alarm any more.
	AlarmChanged func(at time.Time, ok bool)
	// HasAlarmHandler reports whether the class has an alarm() method;
	// setAlarm throws without one, except while InConstructor is true.
	HasAlarmHandler func() bool
	// InConstructor reports whether the object's constructor is running.
	InConstructor func() bool
}

// ErrClosed is returned (and thrown to JS as an Error) after Close.
//
//lint:ignore ST1005 a message scripts see, as workerd words it
var ErrClosed = errors.New("Durable Object storage is closed")

// Store is one Durable Object's database. Its methods may be called from any
// goroutine; JS values only ever come from Object, on the loop goroutine.
type Store struct {
	path string
	opts Options

	mu     sync.Mutex
	c      *conn
	stmts  map[string]uintptr // emu's own prepared statements
	live   map[uintptr]bool   // user statements in use by cursors, finalized on reset/close
	sql    sqlCache
	dbGen  uint64      // bumped when deleteAll resets the database
	txns   []*txnState // open savepoints, innermost last
	closed bool

	alarmGen     uint64 // bumped by every change of the alarm
	alarmRunning bool   // getAlarm reads null while the alarm handler runs
	runningGen   uint64
	alarmDirty   bool // changed inside a transaction; notify when it ends

	abandonedMu sync.Mutex
	abandoned   []abandonedStmt // statements of cursors the GC collected
}

// Open opens (creating) the database file at path: WAL journal,
// synchronous=NORMAL, a busy timeout, workerd's SQL limits, and the hidden
// _cf_ tables. The connection holds the file's lock exclusively (no other
// connection, in this process or another, can use the file until Close), so
// keep one Store per object and share it between runtimes.
func Open(path string, opts Options) (*Store, error) {
	s := &Store{path: path, opts: opts}
	if err := s.open(); err != nil {
		return nil, fmt.Errorf("open storage %s: %w", path, err)
	}
	return s, nil
}

func (s *Store) open() error {
	if err := createPrivate(s.path); err != nil {
		return err
	}
	c, err := openConn(s.path)
	if err != nil {
		return err
	}
	// Exclusive locking: one connection owns the file, so SQLite keeps the
	// WAL index in memory and takes no file locks per transaction (a read
	// otherwise costs several fcntl calls).
	err = c.exec(`PRAGMA locking_mode = EXCLUSIVE; PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;
		CREATE TABLE IF NOT EXISTS _cf_KV (key TEXT PRIMARY KEY, value BLOB) WITHOUT ROWID;
		CREATE TABLE IF NOT EXISTS _cf_METADATA (key INTEGER PRIMARY KEY, value BLOB);`)
	if err != nil {
		c.close()
		return err
	}
	// workerd's limits (util/sqlite.c++ setupSecurity).
	for _, l := range [][2]int32{
		{sqlite3.SQLITE_LIMIT_LENGTH, 2200000}, {sqlite3.SQLITE_LIMIT_SQL_LENGTH, 100000},
		{sqlite3.SQLITE_LIMIT_COLUMN, 100}, {sqlite3.SQLITE_LIMIT_EXPR_DEPTH, 100},
		{sqlite3.SQLITE_LIMIT_COMPOUND_SELECT, 5}, {sqlite3.SQLITE_LIMIT_VDBE_OP, 25000},
		{sqlite3.SQLITE_LIMIT_FUNCTION_ARG, 127}, {sqlite3.SQLITE_LIMIT_ATTACHED, 0},
		{sqlite3.SQLITE_LIMIT_LIKE_PATTERN_LENGTH, 50}, {sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER, 100},
		{sqlite3.SQLITE_LIMIT_TRIGGER_DEPTH, 10}, {sqlite3.SQLITE_LIMIT_WORKER_THREADS, 0},
	} {
		c.limit(l[0], l[1])
	}
	s.c = c
	s.stmts = map[string]uintptr{}
	s.live = map[uintptr]bool{}
	s.sql = sqlCache{entries: map[string]*cachedStmt{}}
	return nil
}

// Close finalizes every statement and closes the database. Open cursors and
// the JS object stop working (their calls throw ErrClosed).
func (s *Store) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return nil
	}
	s.closed = true
	s.shutdown()
	return nil
}

// shutdown finalizes all statements and closes the connection; s.mu held.
func (s *Store) shutdown() {
	for _, st := range s.stmts {
		s.c.finalize(st)
	}
	for st := range s.live {
		s.c.finalize(st)
	}
	s.sql.finalizeAll(s.c)
	s.c.close()
	s.stmts, s.live = nil, nil
	s.dbGen++
}

// lock takes s.mu for a storage operation; it fails after Close. It also
// finalizes statements of cursors the garbage collector found abandoned.
func (s *Store) lock() error {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return ErrClosed
	}
	s.reapAbandoned()
	return nil
}

func (s *Store) unlock() { s.mu.Unlock() }

// stmt returns emu's cached prepared statement for sql; s.mu held.
func (s *Store) stmt(sql string) (uintptr, error) {
	if st, ok := s.stmts[sql]; ok {
		return st, nil
	}
	st, _, err := s.c.prepare(sql, true)
	if err != nil {
		return 0, err
	}
	s.stmts[sql] = st
	return st, nil
}

// run executes one of emu's statements with args bound (string → TEXT,
// []byte → BLOB, int64 → INTEGER, float64 → REAL, nil → NULL) and returns the first column of the last
// row, if any; s.mu held.
func (s *Store) run(sql string, args ...any) (int64, error) {
	st, err := s.stmt(sql)
	if err != nil {
		return 0, err
	}
	defer s.c.reset(st)
	if err := s.bind(st, args); err != nil {
		return 0, err
	}
	return s.c.stepAll(st)
}

func (s *Store) bind(st uintptr, args []any) error {
	for i, a := range args {
		var err error
		switch a := a.(type) {
		case string:
			err = s.c.bindText(st, i+1, a)
		case []byte:
			err = s.c.bindBlob(st, i+1, a)
		case int64:
			err = s.c.bindInt64(st, i+1, a)
		case float64:
			err = s.c.bindDouble(st, i+1, a)
		case nil:
			err = s.c.bindNull(st, i+1)
		default:
			panic(fmt.Sprintf("storage: cannot bind %T", a))
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// batch runs fn inside a savepoint, so several writes commit (or fail)
// together; s.mu held.
func (s *Store) batch(fn func() error) error {
	if err := s.c.exec("SAVEPOINT _cf_batch"); err != nil {
		return err
	}
	if err := fn(); err != nil {
		_ = s.c.exec("ROLLBACK TO _cf_batch; RELEASE _cf_batch")
		return err
	}
	return s.c.exec("RELEASE _cf_batch")
}

// reset deletes the database file and starts an empty one, as workerd's
// SQLite-backed deleteAll() does; s.mu held. The alarm is kept unless
// keepAlarm is false.
func (s *Store) reset(keepAlarm bool) error {
	at, hasAlarm, err := s.alarmLocked()
	if err != nil {
		return err
	}
	s.shutdown()
	for _, suffix := range []string{"", "-wal", "-shm", "-journal"} {
		if err := os.Remove(s.path + suffix); err != nil && !os.IsNotExist(err) {
			s.closed = true
			return err
		}
	}
	if err := s.open(); err != nil {
		s.closed = true
		return err
	}
	if keepAlarm && hasAlarm {
		return s.writeAlarm(at)
	}
	return nil
}

// createPrivate makes path's directory (0700) and an empty file at path
// (0600) if there is none, so the database and the -wal and -shm files
// SQLite creates beside it with the same mode are the user's only, as
// workerd's state files are.
func createPrivate(path string) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return err
	}
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return err
	}
	return f.Close()
}

// checkFile notices that the database file was deleted while open (its
// directory removed, say): SQLite would go on writing to the unlinked file
// and every write would vanish at the next start. The call fails with an
// error saying so, the log gets the same line, and the store starts again
// with a new, empty file (the alarm is kept), whose writes persist. s.mu
// held.
func (s *Store) checkFile() error {
	if _, err := os.Stat(s.path); err == nil || !os.IsNotExist(err) {
		return nil
	}
	s.txns = nil
	msg := fmt.Sprintf("Durable Object storage file %s was deleted while emu was running; this call failed and the object starts again with empty storage", s.path)
	if err := s.reset(true); err != nil {
		msg += " (" + err.Error() + ")"
	}
	if s.opts.Log != nil {
		s.opts.Log(msg)
	}
	return errors.New(msg)
}

// Path is the database file's path.
func (s *Store) Path() string { return s.path }

// InTransaction reports whether a transaction() or transactionSync() is
// open. Writes made meanwhile are committed only when it ends. (The
// Durable Object layer does not hold other events out meanwhile yet, but
// does not evict the object.)
func (s *Store) InTransaction() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.txns) > 0
}
