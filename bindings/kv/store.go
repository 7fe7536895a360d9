// Package kv is Workers KV for emu: a KV namespace binding (get, getWithMetadata, put,
// delete, list, bulk get) whose data lives in one SQLite database per namespace id under
// --persist-to, kept across restarts, with workerd's and miniflare's limits and messages.
//
//	st, err := kv.Open(filepath.Join(persist, "kv", kv.FileName(id)), kv.Options{})
//	defer st.Close()
//	obj, err := kv.Install(iso, rt, kv.Options2{Store: st}) // on the loop
//	env.Set("MY_KV", obj)
//
// A Store outlives the versions of the Worker's code: every version's binding uses the
// same Store. Its operations run in order on the Store's own goroutine, never on an
// isolate's loop; results come back to the loop through the isolate's Reserve.
package kv

import (
	"crypto/sha256"
	"database/sql"
	"encoding/base64"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"time"

	_ "modernc.org/sqlite" // the "sqlite" database/sql driver
)

// StoreOptions configures a Store.
type StoreOptions struct {
	// Now is the clock expirations are measured against; nil means time.Now.
	Now func() time.Time
}

// Entry is a stored value.
type Entry struct {
	Value      []byte
	Expiration int64   // seconds since the epoch; 0 for none
	Metadata   *string // JSON; nil for none
}

// Key is one key of a list.
type Key struct {
	Name       string
	Expiration int64   // 0 for none
	Metadata   *string // JSON; nil for none
}

// ErrClosed is the error of an operation on a closed Store.
var ErrClosed = errors.New("KV namespace is closed")

// Store is one KV namespace's database. Its methods are safe from any goroutine; Submit
// runs work in submission order on the Store's goroutine.
type Store struct {
	db  *sql.DB
	now func() time.Time

	mu     sync.Mutex
	queue  []func()
	wake   chan struct{}
	closed bool
	done   chan struct{}
}

var safeID = regexp.MustCompile(`^[A-Za-z0-9_-][A-Za-z0-9_.-]*$`)

// FileName is the database file name for a namespace id: the id itself when it is a
// plain name (wrangler's ids are hex), else a hash of it.
func FileName(id string) string {
	if safeID.MatchString(id) && len(id) <= 128 {
		return id + ".sqlite"
	}
	return fmt.Sprintf("%x.sqlite", sha256.Sum256([]byte(id)))
}

// Open opens (creating) the namespace database at path.
func Open(path string, opts StoreOptions) (*Store, error) {
	// The directory 0700 and the file 0600 (SQLite gives its -wal and -shm
	// files the database's mode): local state is the user's only.
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, fmt.Errorf("open KV namespace %s: %w", path, err)
	}
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("open KV namespace %s: %w", path, err)
	}
	f.Close()
	q := url.Values{}
	for _, p := range []string{"journal_mode(WAL)", "synchronous(NORMAL)", "busy_timeout(5000)"} {
		q.Add("_pragma", p)
	}
	db, err := sql.Open("sqlite", "file:"+(&url.URL{Path: path}).EscapedPath()+"?"+q.Encode())
	if err != nil {
		return nil, fmt.Errorf("open KV namespace %s: %w", path, err)
	}
	db.SetMaxOpenConns(1)
	if _, err := db.Exec(`CREATE TABLE IF NOT EXISTS _emu_kv (
		key TEXT PRIMARY KEY, value BLOB NOT NULL, expiration INTEGER, metadata TEXT) WITHOUT ROWID`); err != nil {
		db.Close()
		return nil, fmt.Errorf("open KV namespace %s: %w", path, err)
	}
	s := &Store{db: db, now: opts.Now, wake: make(chan struct{}, 1), done: make(chan struct{})}
	if s.now == nil {
		s.now = time.Now
	}
	go s.loop()
	return s, nil
}

// Now is the Store's clock.
func (s *Store) Now() time.Time { return s.now() }

// Submit queues fn to run on the Store's goroutine after the work queued before it. It
// reports false, and does not run fn, once the Store is closed.
func (s *Store) Submit(fn func()) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return false
	}
	s.queue = append(s.queue, fn)
	select {
	case s.wake <- struct{}{}:
	default:
	}
	return true
}

func (s *Store) loop() {
	defer close(s.done)
	for range s.wake {
		for {
			s.mu.Lock()
			batch := s.queue
			s.queue = nil
			closed := s.closed
			s.mu.Unlock()
			for _, fn := range batch {
				fn()
			}
			if len(batch) == 0 {
				if closed {
					return
				}
				break
			}
		}
	}
}

// Close runs the work already queued, then closes the database.
func (s *Store) Close() error {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return nil
	}
	s.closed = true
	s.mu.Unlock()
	select {
	case s.wake <- struct{}{}:
	default:
	}
	<-s.done
	return s.db.Close()
}

// live is the SQL condition for an entry that has not expired at nowMs.
const live = `(expiration IS NULL OR expiration * 1000 > ?)`

func (s *Store) nowMs() int64 { return s.now().UnixMilli() }

// Get reads key; an expired entry reads as missing.
func (s *Store) Get(key string) (*Entry, error) {
	e := &Entry{}
	var exp sql.NullInt64
	var meta sql.NullString
	err := s.db.QueryRow(`SELECT value, expiration, metadata FROM _emu_kv WHERE key = ? AND `+live, key, s.nowMs()).
		Scan(&e.Value, &exp, &meta)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("KV get: %w", err)
	}
	e.Expiration = exp.Int64
	if meta.Valid {
		e.Metadata = &meta.String
	}
	if e.Value == nil {
		e.Value = []byte{}
	}
	return e, nil
}

// Put writes key. expiration is in seconds since the epoch (0 for none).
func (s *Store) Put(key string, value []byte, expiration int64, metadata *string) error {
	var exp, meta any
	if expiration != 0 {
		exp = expiration
	}
	if metadata != nil {
		meta = *metadata
	}
	if value == nil {
		value = []byte{}
	}
	_, err := s.db.Exec(`INSERT OR REPLACE INTO _emu_kv (key, value, expiration, metadata) VALUES (?, ?, ?, ?)`, key, value, exp, meta)
	if err != nil {
		return fmt.Errorf("KV put: %w", err)
	}
	return nil
}

// Delete removes key (nothing happens if it does not exist).
func (s *Store) Delete(key string) error {
	if _, err := s.db.Exec(`DELETE FROM _emu_kv WHERE key = ?`, key); err != nil {
		return fmt.Errorf("KV delete: %w", err)
	}
	return nil
}

// List returns up to limit live keys starting with prefix, in byte order, after the key
// the cursor names; next is the cursor of the following page, "" when the list is
// complete.
func (s *Store) List(prefix, cursor string, limit int) (keys []Key, next string, err error) {
	after := ""
	if cursor != "" {
		if b, err := base64.RawURLEncoding.DecodeString(cursor); err == nil {
			after = string(b)
		}
	}
	rows, err := s.db.Query(`SELECT key, expiration, metadata FROM _emu_kv WHERE key >= ? AND key > ? AND `+live+
		` ORDER BY key LIMIT ?`, prefix, after, s.nowMs(), limit+1)
	if err != nil {
		return nil, "", fmt.Errorf("KV list: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var k Key
		var exp sql.NullInt64
		var meta sql.NullString
		if err := rows.Scan(&k.Name, &exp, &meta); err != nil {
			return nil, "", fmt.Errorf("KV list: %w", err)
		}
		if !strings.HasPrefix(k.Name, prefix) {
			break
		}
		if len(keys) == limit {
			next = base64.RawURLEncoding.EncodeToString([]byte(keys[len(keys)-1].Name))
			break
		}
		k.Expiration = exp.Int64
		if meta.Valid {
			k.Metadata = &meta.String
		}
		keys = append(keys, k)
	}
	if err := rows.Err(); err != nil {
		return nil, "", fmt.Errorf("KV list: %w", err)
	}
	return keys, next, nil
}
