// Package devserver is emu's HTTP front: it listens, hands each request to
// the current Worker version, writes its response the way workerd does
// (headers, gzip, error statuses), completes WebSocket upgrades by coupling
// the connection to the script's WebSocket, and logs one line per request.
package devserver

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"path"
	"runtime/debug"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/emu-dev/emu/bindings/websocket"
	"github.com/emu-dev/emu/cmd/emu/internal/worker"
	"github.com/emu-dev/emu/jsruntime"
)

// maxBody bounds a request body read into memory.
const maxBody = 100 << 20

// Server serves HTTP for the current Worker version.
type Server struct {
	cur atomic.Pointer[worker.Worker]
	// Control answers emu's dev controls: every path under /cdn-cgi/emu/
	// (and /cdn-cgi/emu itself), which never reach the Worker.
	Control http.Handler
	Log     func(line string)
	// ReadHeaderTimeout bounds how long a client may take to send its
	// request headers (slowloris); zero means 30 s.
	ReadHeaderTimeout time.Duration
	// TestPanic is the EMU_TEST_PANIC test hook ("request" or "socket"
	// here); "" in normal use.
	TestPanic string
	srv       *http.Server
	addr      net.Addr
	// unavailable is the text served while no version loaded (a build error
	// at startup).
	unavailable atomic.Pointer[string]
}

// Swap makes w the version new requests go to and returns the previous one.
func (s *Server) Swap(w *worker.Worker) *worker.Worker { return s.cur.Swap(w) }

// Current is the version new requests go to (nil before the first build).
func (s *Server) Current() *worker.Worker { return s.cur.Load() }

// SetUnavailable sets the text answered (503) while there is no version.
func (s *Server) SetUnavailable(msg string) { s.unavailable.Store(&msg) }

// Listen binds addr ("127.0.0.1:8787"; port 0 picks one).
func (s *Server) Listen(addr string) (net.Listener, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("listen on %s: %w", addr, err)
	}
	s.addr = ln.Addr()
	rht := s.ReadHeaderTimeout
	if rht <= 0 {
		rht = 30 * time.Second
	}
	s.srv = &http.Server{Handler: s, ReadHeaderTimeout: rht}
	return ln, nil
}

// Serve serves until Shutdown (call Listen first).
func (s *Server) Serve(ln net.Listener) error {
	err := s.srv.Serve(ln)
	if errors.Is(err, http.ErrServerClosed) {
		return nil
	}
	return err
}

// Shutdown stops accepting and waits for in-flight requests.
func (s *Server) Shutdown(ctx context.Context) error {
	if s.srv == nil {
		return nil
	}
	return s.srv.Shutdown(ctx)
}

// ServeHTTP implements http.Handler.
func (s *Server) ServeHTTP(rw http.ResponseWriter, r *http.Request) {
	start := time.Now()
	defer s.recoverRequest(rw, r)
	if s.TestPanic == "request" && r.Header.Get("X-Emu-Test-Panic") == "handler" {
		panic("EMU_TEST_PANIC: injected panic on the request's goroutine")
	}
	if isControlPath(r.URL.Path) {
		if s.Control == nil {
			http.NotFound(rw, r)
			return
		}
		s.Control.ServeHTTP(rw, r)
		return
	}
	w := s.Current()
	if w == nil {
		msg := "No version of the Worker has loaded yet."
		if p := s.unavailable.Load(); p != nil {
			msg = *p
		}
		http.Error(rw, msg, http.StatusServiceUnavailable)
		return
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, maxBody))
	if err != nil {
		http.Error(rw, "reading request body: "+err.Error(), http.StatusBadRequest)
		return
	}
	upgrade := strings.EqualFold(r.Header.Get("Upgrade"), "websocket")
	req := &worker.Request{
		Method:   r.Method,
		URL:      requestURL(r),
		Header:   r.Header,
		Body:     body,
		ClientIP: clientIP(r),
		Upgrade:  upgrade,
	}
	if len(body) == 0 && r.Method != http.MethodPost && r.Method != http.MethodPut && r.Method != http.MethodPatch {
		req.Body = nil
	}
	resp := w.FetchContext(r.Context(), req)
	status, aborted := s.write(rw, r, resp)
	s.logRequest(r, status, time.Since(start))
	if aborted {
		// A streaming body failed mid-way: drop the connection so the
		// client does not take the truncated body for a whole one.
		panic(http.ErrAbortHandler)
	}
}

// recoverRequest turns a Go panic while serving r into a 500 for r alone
// and a log line with the stack: a bug in emu must not take the server
// down (net/http would only drop the connection).
func (s *Server) recoverRequest(rw http.ResponseWriter, r *http.Request) {
	v := recover()
	if v == nil {
		return
	}
	if v == http.ErrAbortHandler {
		panic(v)
	}
	s.logLine(fmt.Sprintf("✘ [ERROR] emu internal error (please report): %v\n%s", v, debug.Stack()))
	http.Error(rw, "Internal Server Error", http.StatusInternalServerError)
	s.logRequest(r, http.StatusInternalServerError, 0)
}

func requestURL(r *http.Request) string {
	return "http://" + r.Host + r.URL.RequestURI()
}

func clientIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

func (s *Server) logRequest(r *http.Request, status int, d time.Duration) {
	if s.Log == nil {
		return
	}
	s.Log(fmt.Sprintf("%s %s %d %s (%dms)", r.Method, r.URL.Path, status, http.StatusText(status), d.Milliseconds()))
}

// write sends resp and returns the status sent, and whether the connection
// must be aborted.
func (s *Server) write(rw http.ResponseWriter, r *http.Request, resp *worker.Response) (int, bool) {
	if resp.Err == nil && resp.Conn == nil && resp.Stream != nil {
		return s.writeStream(rw, r, resp)
	}
	return s.writeBuffered(rw, r, resp), false
}

// writeBuffered sends a response whose body is in memory (or an error) and
// returns the status sent.
func (s *Server) writeBuffered(rw http.ResponseWriter, r *http.Request, resp *worker.Response) int {
	if resp.Err != nil {
		if errors.Is(resp.Err, jsruntime.ErrCPULimit) || errors.Is(resp.Err, jsruntime.ErrMemoryLimit) {
			s.logLine("✘ [ERROR] " + resp.Err.Error())
			writeRaw(rw, r, http.StatusServiceUnavailable, resp.Err.Error())
			return http.StatusServiceUnavailable
		}
		if errors.Is(resp.Err, worker.ErrNeverResponds) {
			s.logLine("✘ [ERROR] " + worker.ErrNeverResponds.Error())
		}
		writeRaw(rw, r, http.StatusInternalServerError, worker.ErrorBody(resp.Err))
		return http.StatusInternalServerError
	}
	if resp.Conn != nil {
		return s.upgrade(rw, r, resp)
	}
	h := rw.Header()
	for k, vs := range resp.Header {
		h[k] = vs
	}
	h["Date"] = nil
	body := resp.Body
	if r.Method == http.MethodHead {
		body = nil
	}
	if resp.StatusText != "" && resp.StatusText != http.StatusText(resp.Status) {
		// net/http always sends the standard reason phrase; the Worker's
		// own statusText goes on the wire as workerd sends it.
		writeWithReason(rw, r, resp.Status, resp.StatusText, h, resp.Body)
		return resp.Status
	}
	if len(body) > 0 && compressible(h.Get("Content-Type")) && h.Get("Content-Encoding") == "" && acceptsGzip(r) {
		h.Set("Content-Encoding", "gzip")
		h.Del("Content-Length")
		rw.WriteHeader(resp.Status)
		if f, ok := rw.(http.Flusher); ok {
			f.Flush() // chunked, as workerd
		}
		gzipTo(rw, body)
		return resp.Status
	}
	if resp.Status != http.StatusNoContent && resp.Status != http.StatusNotModified {
		h.Set("Content-Length", strconv.Itoa(len(resp.Body)))
	}
	rw.WriteHeader(resp.Status)
	_, _ = rw.Write(body)
	return resp.Status
}

func (s *Server) logLine(line string) {
	if s.Log != nil {
		s.Log(line)
	}
}

// gzipPool reuses compressors: a new one allocates ~800 KiB, which made
// every gzipped response pay for a garbage collection.
var gzipPool = sync.Pool{New: func() any { return gzip.NewWriter(io.Discard) }}

// gzipTo writes b gzipped to w with a pooled compressor.
func gzipTo(w io.Writer, b []byte) {
	gz := gzipPool.Get().(*gzip.Writer)
	gz.Reset(w)
	_, _ = gz.Write(b)
	_ = gz.Close()
	gzipPool.Put(gz)
}

func acceptsGzip(r *http.Request) bool {
	for _, part := range strings.Split(r.Header.Get("Accept-Encoding"), ",") {
		if strings.EqualFold(strings.TrimSpace(strings.SplitN(part, ";", 2)[0]), "gzip") {
			return true
		}
	}
	return false
}

// compressible is the content types workerd's front gzips.
func compressible(ct string) bool {
	ct = strings.ToLower(strings.TrimSpace(strings.SplitN(ct, ";", 2)[0]))
	switch {
	case strings.HasPrefix(ct, "text/"):
		return true
	case ct == "application/json", ct == "application/javascript", ct == "application/xml",
		ct == "image/svg+xml", strings.HasSuffix(ct, "+json"), strings.HasSuffix(ct, "+xml"):
		return true
	}
	return false
}

// writeRaw answers an error the way workerd does: an empty reason phrase,
// text/plain, chunked (gzipped when accepted), with a Date header.
func writeRaw(rw http.ResponseWriter, r *http.Request, status int, text string) {
	hj, ok := rw.(http.Hijacker)
	if !ok {
		http.Error(rw, text, status)
		return
	}
	conn, bw, err := hj.Hijack()
	if err != nil {
		return
	}
	defer conn.Close()
	gz := acceptsGzip(r)
	fmt.Fprintf(bw, "HTTP/1.1 %d \r\n", status)
	if gz {
		bw.WriteString("Content-Encoding: gzip\r\n")
	}
	bw.WriteString("Content-Type: text/plain;charset=UTF-8\r\n")
	fmt.Fprintf(bw, "Date: %s\r\n", time.Now().UTC().Format(http.TimeFormat))
	bw.WriteString("Transfer-Encoding: chunked\r\n\r\n")
	payload := []byte(text)
	if gz {
		var b bytes.Buffer
		gzipTo(&b, payload)
		payload = b.Bytes()
	}
	if r.Method != http.MethodHead && len(payload) > 0 {
		fmt.Fprintf(bw, "%x\r\n", len(payload))
		bw.Write(payload)
		bw.WriteString("\r\n")
	}
	bw.WriteString("0\r\n\r\n")
	_ = bw.Flush()
}

// writeWithReason writes a response whose status line carries reason
// instead of the standard phrase, on the hijacked connection (which is
// closed after it): the headers given, gzip as for any response, and a
// Content-Length.
func writeWithReason(rw http.ResponseWriter, r *http.Request, status int, reason string, h http.Header, body []byte) {
	hj, ok := rw.(http.Hijacker)
	if !ok {
		rw.WriteHeader(status)
		_, _ = rw.Write(body)
		return
	}
	if len(body) > 0 && compressible(h.Get("Content-Type")) && h.Get("Content-Encoding") == "" && acceptsGzip(r) {
		var b bytes.Buffer
		gzipTo(&b, body)
		body = b.Bytes()
		h.Set("Content-Encoding", "gzip")
	}
	if status != http.StatusNoContent && status != http.StatusNotModified {
		h.Set("Content-Length", strconv.Itoa(len(body)))
	}
	h.Del("Date")
	h.Set("Connection", "close")
	conn, bw, err := hj.Hijack()
	if err != nil {
		return
	}
	defer conn.Close()
	fmt.Fprintf(bw, "HTTP/1.1 %d %s\r\n", status, reason)
	_ = h.Write(bw)
	bw.WriteString("\r\n")
	if r.Method != http.MethodHead {
		bw.Write(body)
	}
	_ = bw.Flush()
}

// upgrade completes the WebSocket handshake and couples the connection to
// the script's server end.
func (s *Server) upgrade(rw http.ResponseWriter, r *http.Request, resp *worker.Response) int {
	resp.Conn.SetLog(func(line string) { s.logLine("✘ [ERROR] " + line) })
	if s.TestPanic == "socket" {
		resp.Conn.SetAutoResponse(func() *websocket.AutoResponse {
			panic("EMU_TEST_PANIC: injected panic on the socket's reader goroutine")
		})
	}
	if err := resp.Conn.Upgrade(rw, r, resp.Header); errors.Is(err, websocket.ErrBadHandshake) {
		return http.StatusBadRequest
	}
	return http.StatusSwitchingProtocols
}

// isControlPath reports whether p (decoded) is /cdn-cgi/emu or under
// /cdn-cgi/emu/, however it is spelled: "/cdn-cgi/./emu/", "//cdn-cgi/emu",
// a backslash or "%2e" are what a URL parser makes the same path of, so
// none of them reach the Worker's code.
func isControlPath(p string) bool {
	if !strings.Contains(p, "cdn-cgi") {
		return false // the common case, without allocating
	}
	c := path.Clean("/" + strings.ReplaceAll(p, "\\", "/"))
	return c == "/cdn-cgi/emu" || strings.HasPrefix(c, "/cdn-cgi/emu/")
}
