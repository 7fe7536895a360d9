// Package websocket implements WebSocketPair and the WebSocket class of the
// Workers runtime, and couples a server end to a network connection.
//
// The Go side is the source of truth: a *Conn is one server end. It exists
// from `new WebSocketPair()` on, queues what the script sends until the
// upgrade completes, then owns the network connection (one reader goroutine;
// writes flushed by a short-lived goroutine). A JS WebSocket object is only a
// view of a Conn, so a Durable Object can be evicted (hibernation) or its code
// reloaded while the connection stays open, as in workerd's hibernation
// manager.
//
// Frames are read and written with github.com/gobwas/ws rather than
// coder/websocket, because workerd leaves the reply to a client's close frame
// to the script (coder/websocket always echoes it).
package websocket

import (
	"bufio"
	"errors"
	"net"
	"sync"
	"syscall"
	"time"
	"unicode/utf8"

	"github.com/gobwas/ws"
)

// StatusCode is a WebSocket close code (RFC 6455, section 7.4).
type StatusCode int

// Close codes with protocol meaning.
const (
	StatusNormal         StatusCode = 1000
	StatusGoingAway      StatusCode = 1001
	StatusNoStatus       StatusCode = 1005 // no status code: an empty close frame on the wire
	StatusAbnormal       StatusCode = 1006 // connection dropped without a close frame
	StatusMessageTooBig  StatusCode = 1009
	StatusInternalError  StatusCode = 1011
	StatusServiceRestart StatusCode = 1012
)

// Valid reports whether a script may close with c: workerd's non-pedantic
// check (1000-4999 except the codes reserved for the wire).
func (c StatusCode) Valid() bool {
	return c >= 1000 && c < 5000 && c != 1004 && c != StatusNoStatus && c != StatusAbnormal && c != 1015
}

// ReasonDisconnected is what workerd reports for a TCP drop.
const ReasonDisconnected = "WebSocket disconnected without sending Close frame."

// MaxCloseReasonBytes is the longest close reason, in UTF-8 bytes, that
// fits a close frame's 125-byte payload after the 2-byte code.
const MaxCloseReasonBytes = 123

// MaxMessageSize is the largest message accepted from a client (workerd's
// WEBSOCKET_MAX_MESSAGE_SIZE).
const MaxMessageSize = 32 << 20

// maxQueued bounds what may wait to be written to one slow client.
const maxQueued = 64 << 20

// EventKind says what happened on a connection.
type EventKind int

// Event kinds.
const (
	Message EventKind = iota
	Closed
	Errored
)

// Event is something a client did, delivered to the Conn's sink from the
// reader goroutine.
type Event struct {
	Kind     EventKind
	Text     bool       // Message: a text frame
	Data     []byte     // Message payload
	Code     StatusCode // Closed
	Reason   string     // Closed
	WasClean bool       // Closed
	Err      error      // Errored
}

// AutoResponse is a request/response pair answered without waking the
// object (ctx.setWebSocketAutoResponse).
type AutoResponse struct{ Request, Response string }

// Conn is the server end of a WebSocket. Its exported methods are safe from
// any goroutine.
type Conn struct {
	mu        sync.Mutex
	nc        net.Conn
	raw       syscall.RawConn // for writes that must not block the loop
	queue     [][]byte        // frames waiting to be written
	queued    int
	writing   bool
	closedOut bool // a close frame was queued
	closedIn  bool // the client's close frame (or a drop) was seen
	dropped   bool // the TCP connection is gone or being torn down
	released  bool // its client end was returned in a Response: the network is or will be attached
	masked    bool // the client side of an outgoing connection: frames sent are masked
	sink      func(Event)
	held      []Event // events that arrived before a sink was set

	auto     func() *AutoResponse
	autoTime time.Time
	logf     func(string) // see SetLog

	// Counters and facts for the inspector (see Stats), kept under mu by
	// code that takes it anyway.
	remote       string
	since        time.Time
	in, out, ans int64

	// Loop-owned state of the Hibernation API (see package durableobject).
	Tags       []string
	Attachment []byte
}

// NewConn returns an unattached server end; sends are queued until Attach.
func NewConn() *Conn { return &Conn{} }

// SetSink sets where client events go (called from the reader goroutine).
// Events that arrived before are delivered at once, in order.
func (c *Conn) SetSink(sink func(Event)) {
	c.mu.Lock()
	c.sink = sink
	held := c.held
	c.held = nil
	c.mu.Unlock()
	for _, ev := range held {
		sink(ev)
	}
}

// SetAutoResponse sets the function consulted for each text message before
// it is delivered; nil disables auto-responses.
func (c *Conn) SetAutoResponse(f func() *AutoResponse) {
	c.mu.Lock()
	c.auto = f
	c.mu.Unlock()
}

// AutoResponseTime is when an auto-response was last sent (zero if never).
func (c *Conn) AutoResponseTime() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.autoTime
}

// Released reports whether the Conn's client end was returned in a
// Response, so a network connection is being or has been attached (see
// Upgrade). A Conn that was never released has no client and never will.
func (c *Conn) Released() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.released
}

func (c *Conn) markReleased() {
	c.mu.Lock()
	c.released = true
	c.mu.Unlock()
}

// ClosedIncoming reports whether the client's close (or a drop) was seen.
func (c *Conn) ClosedIncoming() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.closedIn
}

// ClosedOutgoing reports whether a close frame was sent.
func (c *Conn) ClosedOutgoing() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.closedOut
}

// Attach couples the Conn to a network connection whose handshake is done,
// writes what was queued and starts reading. br holds bytes already
// buffered from nc (may be nil).
func (c *Conn) Attach(nc net.Conn, br *bufio.Reader) {
	if br == nil {
		br = bufio.NewReaderSize(nc, 4096)
	}
	c.mu.Lock()
	c.nc = nc
	c.since = time.Now()
	if a := nc.RemoteAddr(); a != nil {
		c.remote = a.String()
	}
	if sc, ok := nc.(syscall.Conn); ok {
		c.raw, _ = sc.SyscallConn()
	}
	if c.dropped {
		c.mu.Unlock()
		nc.Close()
		return
	}
	c.kick()
	c.mu.Unlock()
	go c.read(br)
}

// Send queues a text or binary message. It reports false if a close frame
// was already sent or the connection is gone.
func (c *Conn) Send(text bool, p []byte) bool {
	op := ws.OpBinary
	if text {
		op = ws.OpText
	}
	return c.enqueue(c.frame(op, p), false)
}

// Close queues a close frame: code 1005 (StatusNoStatus) writes an empty
// one. If the client's close was already seen, the connection is closed
// after the frame is written; otherwise when the client's reply arrives.
func (c *Conn) Close(code StatusCode, reason string) {
	var body []byte
	if code != StatusNoStatus {
		body = ws.NewCloseFrameBody(ws.StatusCode(code), reason)
	}
	c.enqueue(c.frame(ws.OpClose, body), true)
}

// Abort drops the TCP connection without a close frame.
func (c *Conn) Abort() {
	c.mu.Lock()
	c.dropped = true
	nc := c.nc
	c.mu.Unlock()
	if nc != nil {
		nc.Close()
	}
}

// frame encodes one frame, masked for the client side of a connection.
func (c *Conn) frame(op ws.OpCode, p []byte) []byte {
	h := ws.Header{Fin: true, OpCode: op, Length: int64(len(p))}
	if c.masked {
		h.Masked = true
		h.Mask = ws.NewMask()
	}
	b := make([]byte, 0, ws.HeaderSize(h)+len(p))
	w := byteWriter{&b}
	_ = ws.WriteHeader(w, h)
	n := len(b)
	b = append(b, p...)
	if c.masked {
		ws.Cipher(b[n:], h.Mask, 0)
	}
	return b
}

type byteWriter struct{ b *[]byte }

func (w byteWriter) Write(p []byte) (int, error) { *w.b = append(*w.b, p...); return len(p), nil }

func (c *Conn) enqueue(f []byte, isClose bool) bool {
	c.mu.Lock()
	if c.closedOut || c.dropped {
		c.mu.Unlock()
		return false
	}
	if c.queued+len(f) > maxQueued {
		c.dropSlow()
		return false
	}
	if isClose {
		c.closedOut = true
	} else {
		c.out++
	}
	c.push(f)
	c.mu.Unlock()
	return true
}

// push writes f at once if nothing is queued and the socket takes it
// without blocking (the common case: no goroutine hop per message), and
// queues what is left for the flusher (c.mu held).
func (c *Conn) push(f []byte) {
	if c.nc != nil && c.raw != nil && !c.writing && len(c.queue) == 0 {
		f = f[c.writeNow(f):]
		if len(f) == 0 {
			if c.closedOut && c.closedIn {
				c.nc.Close()
			}
			return
		}
	}
	c.queue = append(c.queue, f)
	c.queued += len(f)
	c.kick()
}

// writeNow writes as much of f as the socket buffer takes without blocking.
func (c *Conn) writeNow(f []byte) int {
	n := 0
	_ = c.raw.Write(func(fd uintptr) bool {
		for n < len(f) {
			m, err := syscall.Write(int(fd), f[n:])
			if m > 0 {
				n += m
			}
			if err == syscall.EINTR {
				continue
			}
			if err != nil || m <= 0 {
				break
			}
		}
		return true
	})
	return n
}

// kick starts a flusher if there is something to write (c.mu held).
func (c *Conn) kick() {
	if c.nc == nil || c.writing || len(c.queue) == 0 {
		return
	}
	c.writing = true
	go c.flush()
}

func (c *Conn) flush() {
	for {
		c.mu.Lock()
		q := c.queue
		c.queue, c.queued = nil, 0
		if len(q) == 0 || c.dropped {
			c.writing = false
			done := c.closedOut && c.closedIn && len(q) == 0
			nc := c.nc
			c.mu.Unlock()
			if done && nc != nil {
				nc.Close()
			}
			return
		}
		nc := c.nc
		c.mu.Unlock()
		bufs := net.Buffers(q)
		_ = nc.SetWriteDeadline(time.Now().Add(30 * time.Second))
		if _, err := bufs.WriteTo(nc); err != nil {
			c.Abort()
		}
	}
}

// deliver hands ev to the sink, or holds it until one is set.
func (c *Conn) deliver(ev Event) {
	c.mu.Lock()
	sink := c.sink
	if sink == nil {
		c.held = append(c.held, ev)
	}
	if ev.Kind == Message {
		c.in++
	}
	c.mu.Unlock()
	if sink != nil {
		sink(ev)
	}
}

var errTooBig = errors.New("WebSocket message is too large")

// read is the connection's one reader goroutine.
func (c *Conn) read(br *bufio.Reader) {
	defer c.recoverRead()
	var msg []byte
	var msgText, inMessage bool
	for {
		h, err := ws.ReadHeader(br)
		if err != nil {
			c.readFailed(err)
			return
		}
		if desc := frameError(h, inMessage); desc != "" {
			c.fail(StatusProtocolError, desc, protocolError(desc))
			return
		}
		if h.Length > MaxMessageSize || int64(len(msg))+h.Length > MaxMessageSize {
			c.fail(StatusMessageTooBig, "", errTooBig)
			return
		}
		p, err := readPayload(br, h.Length)
		if err != nil {
			c.readFailed(err)
			return
		}
		if h.Masked {
			ws.Cipher(p, h.Mask, 0)
		}
		switch h.OpCode {
		case ws.OpPing:
			c.writeControl(c.frame(ws.OpPong, p))
		case ws.OpPong:
		case ws.OpClose:
			code, reason := StatusNoStatus, ""
			if len(p) >= 2 {
				sc, r := ws.ParseCloseFrameData(p)
				code, reason = StatusCode(sc), r
			}
			c.mu.Lock()
			c.closedIn = true
			replied := c.closedOut && len(c.queue) == 0 && !c.writing
			nc := c.nc
			c.mu.Unlock()
			if replied {
				nc.Close() // we closed first; this was the reply
			}
			c.deliver(Event{Kind: Closed, Code: code, Reason: reason, WasClean: true})
			return
		case ws.OpText, ws.OpBinary, ws.OpContinuation:
			if h.OpCode != ws.OpContinuation {
				msg, msgText = nil, h.OpCode == ws.OpText
			}
			if msg == nil && h.Fin {
				msg = p
			} else {
				msg = append(msg, p...)
			}
			if inMessage = !h.Fin; inMessage {
				if msg == nil {
					msg = []byte{}
				}
				continue
			}
			if msg == nil {
				msg = []byte{}
			}
			if msgText && c.autoRespond(msg) {
				msg = nil
				continue
			}
			if msgText && !utf8.Valid(msg) {
				msg = []byte(string([]rune(string(msg))))
			}
			c.deliver(Event{Kind: Message, Text: msgText, Data: msg})
			msg = nil
		}
	}
}

// autoRespond answers a text message matching the auto-response request.
func (c *Conn) autoRespond(msg []byte) bool {
	c.mu.Lock()
	auto := c.auto
	c.mu.Unlock()
	if auto == nil {
		return false
	}
	ar := auto()
	if ar == nil || ar.Request != string(msg) {
		return false
	}
	c.mu.Lock()
	c.autoTime = time.Now()
	c.ans++
	c.mu.Unlock()
	c.Send(true, []byte(ar.Response))
	return true
}

// writeControl queues a control frame even after our close (pongs).
func (c *Conn) writeControl(f []byte) {
	c.mu.Lock()
	if c.dropped {
		c.mu.Unlock()
		return
	}
	if c.queued+len(f) > maxQueued {
		c.dropSlow() // a ping flood from a client that does not read
		return
	}
	c.push(f)
	c.mu.Unlock()
}

func (c *Conn) readFailed(error) {
	c.mu.Lock()
	// Only a close already seen (or an error event for the client's fault)
	// makes this drop silent: a write that failed because the client went
	// away (dropped by flush) must still give the script its close event.
	already := c.closedIn
	c.closedIn = true
	c.dropped = true
	nc := c.nc
	c.mu.Unlock()
	if nc != nil {
		nc.Close()
	}
	if !already {
		c.deliver(Event{Kind: Closed, Code: StatusAbnormal, Reason: ReasonDisconnected, WasClean: false})
	}
}
