// Package inspector serves emu's dev controls under /cdn-cgi/emu/: a page
// that shows what the Worker's Durable Objects are doing, live (instances
// and why they stay in memory, WebSockets, storage, alarms), the JSON API
// behind it, and actions (hibernate, fire or delete an alarm, close a
// socket, wipe storage).
//
// Nothing runs while nobody looks: every view is a snapshot taken when it
// is asked for (durableobject.System.Snapshot and the per-object views run
// on the isolate's loop; Go-owned state is read under its mutexes), and the
// live stream (Server-Sent Events) ticks only while a page is open.
//
// The page is static HTML, CSS and JavaScript embedded in the binary; no
// build step.
package inspector

import (
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/emu-dev/emu/bindings/durableobject"
	"github.com/emu-dev/emu/cmd/emu/internal/reload"
)

// Prefix is the path the dev controls live under.
const Prefix = "/cdn-cgi/emu"

//go:embed assets
var assets embed.FS

// Options configures the inspector.
type Options struct {
	DO *durableobject.System
	// Status reports the Worker's versions and config (reload.Reloader.Status).
	Status func() reload.Status
	// IP is the address emu listens on (--ip): requests must name it, or a
	// loopback name, as their Host.
	IP string
	// Enabled turns on the page and its API; the legacy controls
	// (POST /cdn-cgi/emu/hibernate, GET /cdn-cgi/emu/api/runtime) answer
	// loopback clients regardless.
	Enabled bool
	// AnyClient lets non-loopback clients use the page and its API
	// (--inspector with a non-loopback --ip).
	AnyClient bool
	// HibernateAfter is the idle time before eviction (shown on the page).
	HibernateAfter time.Duration
	// PersistDir is where storage lives (shown on the page).
	PersistDir string
	// Version is emu's version.
	Version string
	// Log prints a line at a level, as emu's console does.
	Log func(level, line string)
	// Interval is how often the live stream checks for changes (1 s).
	Interval time.Duration
}

// Handler serves everything under Prefix.
type Handler struct {
	opts Options
	mux  *http.ServeMux
	log  logRing

	closeOnce sync.Once
	closed    chan struct{}
}

// New returns the handler.
func New(opts Options) *Handler {
	if opts.Interval <= 0 {
		opts.Interval = time.Second
	}
	if opts.Log == nil {
		opts.Log = func(string, string) {}
	}
	if opts.Status == nil {
		opts.Status = func() reload.Status { return reload.Status{} }
	}
	h := &Handler{opts: opts, mux: http.NewServeMux(), closed: make(chan struct{})}
	h.routes()
	return h
}

// SetStatus sets where the Worker's status comes from (the Reloader is
// made after the handler). Call it before serving.
func (h *Handler) SetStatus(status func() reload.Status) { h.opts.Status = status }

// Close ends the live streams (call it before shutting the server down,
// which waits for open requests).
func (h *Handler) Close() { h.closeOnce.Do(func() { close(h.closed) }) }

func (h *Handler) routes() {
	m := h.mux
	api := Prefix + "/api"
	obj := api + "/namespaces/{ns}/objects/{id}"
	m.HandleFunc("GET "+Prefix+"/{$}", h.page)
	m.HandleFunc("GET "+Prefix+"/app.js", h.asset)
	m.HandleFunc("GET "+Prefix+"/style.css", h.asset)
	m.HandleFunc("GET "+api+"/overview", h.getOverview)
	m.HandleFunc("GET "+api+"/worker", h.getWorker)
	m.HandleFunc("GET "+api+"/log", h.getLog)
	m.HandleFunc("GET "+api+"/events", h.events)
	m.HandleFunc("POST "+api+"/hibernate", h.hibernateAll)
	m.HandleFunc("GET "+api+"/namespaces/{ns}/objects", h.getObjects)
	m.HandleFunc("GET "+obj, h.getObject)
	m.HandleFunc("GET "+obj+"/sockets", h.getSockets)
	m.HandleFunc("GET "+obj+"/storage/kv", h.getKV)
	m.HandleFunc("GET "+obj+"/storage/sql", h.getTables)
	m.HandleFunc("GET "+obj+"/storage/sql/{table}", h.getTable)
	m.HandleFunc("POST "+obj+"/storage/query", h.query)
	m.HandleFunc("POST "+obj+"/storage/wipe", h.wipe)
	m.HandleFunc("POST "+obj+"/hibernate", h.hibernate)
	m.HandleFunc("POST "+obj+"/alarm/fire", h.fireAlarm)
	m.HandleFunc("POST "+obj+"/alarm/delete", h.deleteAlarm)
	m.HandleFunc("POST "+obj+"/sockets/{sid}/close", h.closeSocket)
}

// unrouted answers, in JSON, a request none of the routes take: 405 if
// another method would do, else 404.
func (h *Handler) unrouted(w http.ResponseWriter, r *http.Request) bool {
	if _, pattern := h.mux.Handler(r); pattern != "" {
		return false
	}
	for _, m := range []string{http.MethodGet, http.MethodPost} {
		r2 := r.Clone(r.Context())
		r2.Method = m
		if _, pattern := h.mux.Handler(r2); pattern != "" && m != r.Method {
			w.Header().Set("Allow", m)
			writeError(w, http.StatusMethodNotAllowed, "use "+m)
			return true
		}
	}
	writeError(w, http.StatusNotFound, "no such inspector page or API: "+r.URL.Path)
	return true
}

// ServeHTTP answers a request under Prefix (devserver routes them here).
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	path := r.URL.Path
	legacy := path == Prefix+"/hibernate" || path == Prefix+"/api/runtime"
	if code, msg := h.refusal(r, legacy); code != 0 {
		writeError(w, code, msg)
		return
	}
	hdr := w.Header()
	hdr.Set("Cache-Control", "no-store")
	hdr.Set("X-Content-Type-Options", "nosniff")
	hdr.Set("X-Frame-Options", "DENY")
	switch {
	case path == Prefix+"/api/runtime" && (r.Method == http.MethodGet || r.Method == http.MethodHead):
		// What the Go side of emu holds now, for tests and tools that check
		// nothing leaks.
		hdr.Set("Content-Type", "application/json")
		fmt.Fprintf(w, "{\"goroutines\":%d}\n", runtime.NumGoroutine())
		return
	case path == Prefix+"/hibernate":
		if r.Method != http.MethodPost {
			http.Error(w, "use POST", http.StatusMethodNotAllowed)
			return
		}
		n := h.opts.DO.HibernateAll()
		if n > 0 {
			h.logf("info", "[emu] hibernated %d object(s) (POST /cdn-cgi/emu/hibernate)", n)
		}
		fmt.Fprintf(w, "hibernated %d\n", n)
		return
	}
	if !h.opts.Enabled {
		writeError(w, http.StatusNotFound, "the inspector is off: emu listens on a non-loopback address; pass --inspector to turn it on")
		return
	}
	if path == Prefix {
		http.Redirect(w, r, Prefix+"/", http.StatusMovedPermanently)
		return
	}
	if h.unrouted(w, r) {
		return
	}
	h.mux.ServeHTTP(w, r)
}

// page serves the inspector's HTML.
func (h *Handler) page(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Security-Policy", "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'; form-action 'none'")
	r2 := r.Clone(r.Context())
	r2.URL.Path = "/index.html"
	h.serveAsset(w, r2)
}

func (h *Handler) asset(w http.ResponseWriter, r *http.Request) {
	r2 := r.Clone(r.Context())
	r2.URL.Path = strings.TrimPrefix(r.URL.Path, Prefix)
	h.serveAsset(w, r2)
}

func (h *Handler) serveAsset(w http.ResponseWriter, r *http.Request) {
	b, err := fs.ReadFile(assets, "assets"+r.URL.Path)
	if err != nil {
		writeError(w, http.StatusNotFound, "no such asset")
		return
	}
	switch {
	case strings.HasSuffix(r.URL.Path, ".html"):
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
	case strings.HasSuffix(r.URL.Path, ".js"):
		w.Header().Set("Content-Type", "text/javascript; charset=utf-8")
	case strings.HasSuffix(r.URL.Path, ".css"):
		w.Header().Set("Content-Type", "text/css; charset=utf-8")
	}
	w.Header().Set("Content-Length", strconv.Itoa(len(b)))
	if r.Method != http.MethodHead {
		_, _ = w.Write(b)
	}
}

// logf prints a line and keeps it for the page.
func (h *Handler) logf(level, format string, args ...any) {
	line := fmt.Sprintf(format, args...)
	h.opts.Log(level, line)
	h.Record(level, strings.TrimPrefix(line, "[emu] "))
}

// writeJSON answers v as JSON.
func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		writeError(w, http.StatusInternalServerError, "encoding the answer: "+err.Error())
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write(append(b, '\n'))
}

// writeError answers {"error": msg}.
func writeError(w http.ResponseWriter, status int, msg string) {
	b, _ := json.Marshal(map[string]string{"error": msg})
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(status)
	_, _ = w.Write(append(b, '\n'))
}

// fail answers err with the status it calls for.
func fail(w http.ResponseWriter, err error) {
	switch {
	case errors.Is(err, durableobject.ErrNoVersion):
		writeError(w, http.StatusServiceUnavailable, err.Error())
	case errors.Is(err, durableobject.ErrNoAlarm), errors.Is(err, durableobject.ErrAlarmRunning):
		writeError(w, http.StatusConflict, err.Error())
	case errors.Is(err, durableobject.ErrNoSocket), errors.Is(err, durableobject.ErrNoStorage):
		writeError(w, http.StatusNotFound, err.Error())
	default:
		writeError(w, http.StatusBadRequest, err.Error())
	}
}

// page reads offset and limit (default 50, at most max).
func paging(r *http.Request, max int) (offset, limit int, err error) {
	limit = 50
	q := r.URL.Query()
	if s := q.Get("offset"); s != "" {
		if offset, err = strconv.Atoi(s); err != nil || offset < 0 {
			return 0, 0, fmt.Errorf("offset: want a number ≥ 0, got %q", s)
		}
	}
	if s := q.Get("limit"); s != "" {
		if limit, err = strconv.Atoi(s); err != nil || limit < 1 {
			return 0, 0, fmt.Errorf("limit: want a number ≥ 1, got %q", s)
		}
	}
	return offset, min(limit, max), nil
}

// readBody decodes a JSON request body (at most 1 MiB) into v; an empty
// body leaves v as it is.
func readBody(r *http.Request, v any) error {
	dec := json.NewDecoder(http.MaxBytesReader(nil, r.Body, 1<<20))
	if err := dec.Decode(v); err != nil && !errors.Is(err, io.EOF) {
		return fmt.Errorf("request body: %w", err)
	}
	return nil
}
