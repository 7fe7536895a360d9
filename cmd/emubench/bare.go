package main

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strconv"
	"sync"
	"sync/atomic"
	"syscall"

	"github.com/coder/websocket"
	_ "modernc.org/sqlite" // database/sql driver "sqlite"
)

// bareEnv names the environment variable that makes this binary a bare Go
// server of the kind it holds instead of the bench command. The bench starts
// itself that way as a child process, so the bare side is a process of its
// own like emu, measured the same way.
const bareEnv = "EMUBENCH_BARE"

// echoPrefix is what testdata/hibernation-js puts before each echoed message.
const echoPrefix = "[Durable Object]: "

// serveBare runs the bare server kind on a free loopback port until SIGINT
// or SIGTERM, printing the same ready line as emu. It returns the exit code.
//
//	ws    coder/websocket: /websocket echoes each message with echoPrefix,
//	      /getCurrentConnections answers as testdata/hibernation-js does
//	http  net/http: every request answers "hello"
//	do    net/http + modernc.org/sqlite: every request reads a counter and
//	      writes it back incremented (WAL, synchronous=NORMAL, exclusive
//	      locking, as emu opens a Durable Object's storage)
func serveBare(kind string, out io.Writer) int {
	var h http.Handler
	switch kind {
	case "ws":
		h = &bareWS{}
	case "http":
		h = http.HandlerFunc(bareHello)
	case "do":
		d, err := openBareDO("do.sqlite")
		if err != nil {
			fmt.Fprintln(out, "bare do:", err)
			return 1
		}
		defer d.db.Close()
		h = d
	default:
		fmt.Fprintf(out, "unknown %s=%q\n", bareEnv, kind)
		return 2
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		fmt.Fprintln(out, "bare:", err)
		return 1
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	srv := &http.Server{Handler: h}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	fmt.Fprintf(out, "%s%s\n", readyPrefix, ln.Addr())
	select {
	case <-ctx.Done():
		// Hijacked WebSocket connections end with the process.
		_ = srv.Close()
		return 0
	case err := <-served:
		fmt.Fprintln(out, "bare:", err)
		return 1
	}
}

// bareHello is net/http's hello world, with the header emu sends for a string body.
func bareHello(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "text/plain;charset=UTF-8")
	_, _ = io.WriteString(w, "hello")
}

// bareWS is a coder/websocket echo server that counts its open sockets.
type bareWS struct {
	open atomic.Int64
}

func (s *bareWS) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	switch r.URL.Path {
	case "/websocket":
		// Counted before Accept writes the 101, so a client that has its
		// 101 is always counted (as acceptWebSocket does before the Response).
		s.open.Add(1)
		defer s.open.Add(-1)
		c, err := websocket.Accept(w, r, nil)
		if err != nil {
			return
		}
		defer c.CloseNow()
		ctx := context.Background()
		for {
			typ, data, err := c.Read(ctx)
			if err != nil {
				return
			}
			reply := append([]byte(echoPrefix), data...)
			if err := c.Write(ctx, typ, reply); err != nil {
				return
			}
		}
	case "/getCurrentConnections":
		fmt.Fprintf(w, "There are %d WebSocket clients connected to this Durable Object instance.", s.open.Load())
	default:
		http.NotFound(w, r)
	}
}

// bareDO does per request what testdata/bench-do's object does: a get and
// a put of one key in SQLite, committed before the response.
type bareDO struct {
	mu       sync.Mutex
	db       *sql.DB
	get, put *sql.Stmt
}

func openBareDO(path string) (*bareDO, error) {
	db, err := sql.Open("sqlite", "file:"+path+
		"?_pragma=locking_mode(EXCLUSIVE)&_pragma=journal_mode(WAL)&_pragma=synchronous(NORMAL)")
	if err != nil {
		return nil, err
	}
	db.SetMaxOpenConns(1)
	d := &bareDO{db: db}
	if _, err := db.Exec(`CREATE TABLE IF NOT EXISTS kv (key TEXT PRIMARY KEY, value BLOB) WITHOUT ROWID`); err != nil {
		db.Close()
		return nil, fmt.Errorf("creating table: %w", err)
	}
	if d.get, err = db.Prepare(`SELECT value FROM kv WHERE key = ?`); err == nil {
		d.put, err = db.Prepare(`INSERT OR REPLACE INTO kv (key, value) VALUES (?, ?)`)
	}
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("preparing statements: %w", err)
	}
	return d, nil
}

func (d *bareDO) ServeHTTP(w http.ResponseWriter, _ *http.Request) {
	d.mu.Lock()
	var n int64
	err := d.get.QueryRow("n").Scan(&n)
	if errors.Is(err, sql.ErrNoRows) {
		err = nil
	}
	if err == nil {
		n++
		_, err = d.put.Exec("n", n)
	}
	d.mu.Unlock()
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/plain;charset=UTF-8")
	_, _ = w.Write(strconv.AppendInt(nil, n, 10))
}
