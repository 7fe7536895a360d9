package websocket

import (
	"bufio"
	"context"
	"errors"
	"net"
	"net/url"
	"strconv"
	"strings"

	"github.com/dop251/goja"
	"github.com/gobwas/ws"

	"github.com/emu-dev/emu/jsruntime"
)

// Outgoing WebSockets: `new WebSocket(url, protocols)` (workerd's
// WebSocket::constructor). The connection is dialed off the loop; until it
// is open the socket is CONNECTING and send() throws; once open it behaves
// as an accept()ed socket (events, close echo) whose frames are masked.

// wsErr prefixes workerd's constructor errors.
const wsErr = "WebSocket Constructor: "

// clientState is what an outgoing socket adds to its End.
type clientState struct {
	url      string
	protocol string
	cancel   context.CancelFunc
	// hold keeps the owner pending while the socket is open (workerd's
	// registerPendingEvent for a read loop without a local peer), so the
	// Worker waiting for its events is not taken as stalled.
	hold func(func(*goja.Runtime)) bool
}

// release ends the hold of an outgoing socket (loop only).
func (c *clientState) release() {
	if c != nil && c.hold != nil {
		c.hold(func(*goja.Runtime) {})
		c.hold = nil
	}
}

// jsConnect is new WebSocket(url, protocols): (view, url, protocols) ->
// handle. It validates as workerd does and starts the dial.
func (r *Registry) jsConnect(c goja.FunctionCall) goja.Value {
	rt := r.rt
	view := c.Argument(0).ToObject(rt)
	raw := c.Argument(1).String()
	u, err := url.Parse(raw)
	if err != nil || u.Scheme == "" || u.Host == "" {
		jsruntime.Throw(rt, jsruntime.DOMSyntaxError, wsErr+"The url is invalid.")
	}
	if u.Scheme != "ws" && u.Scheme != "wss" {
		jsruntime.Throw(rt, jsruntime.DOMSyntaxError, wsErr+"The url scheme must be ws or wss.")
	}
	if u.Fragment != "" || strings.Contains(raw, "#") {
		jsruntime.Throw(rt, jsruntime.DOMSyntaxError, wsErr+"The url fragment must be empty.")
	}
	protocols := r.protocolsArg(c.Argument(2))
	ctx, cancel := context.WithCancel(context.Background())
	conn := NewConn()
	conn.masked = true
	e := &End{conn: conn, state: AwaitingConnection, binaryType: r.defaultBinaryType(), view: view,
		owner: r.iso.CurrentOwner(), dial: &clientState{url: raw, cancel: cancel}}
	enqueue := r.iso.Reserve()
	go func() {
		d := ws.Dialer{Protocols: protocols}
		nc, br, hs, err := d.Dial(ctx, raw)
		cancel()
		enqueue(func(rt *goja.Runtime) { r.connected(e, nc, br, hs, err) })
	}()
	return rt.ToValue(e)
}

// protocolsArg validates the protocols argument (a token or a non-empty
// array of distinct tokens).
func (r *Registry) protocolsArg(v goja.Value) []string {
	rt := r.rt
	if v == nil || goja.IsUndefined(v) {
		return nil
	}
	if o, ok := v.(*goja.Object); ok && o.ClassName() == "Array" {
		var list []string
		if err := rt.ExportTo(o, &list); err != nil {
			jsruntime.Throw(rt, jsruntime.DOMSyntaxError, wsErr+"One of the protocol header tokens is invalid.")
		}
		if len(list) == 0 {
			jsruntime.Throw(rt, jsruntime.DOMSyntaxError, wsErr+"The protocols array cannot be empty.")
		}
		seen := map[string]bool{}
		for _, p := range list {
			if !validToken(p) {
				jsruntime.Throw(rt, jsruntime.DOMSyntaxError, wsErr+"One of the protocol header tokens is invalid.")
			}
			if seen[p] {
				jsruntime.Throw(rt, jsruntime.DOMSyntaxError, wsErr+"The protocols header cannot have repeating values.")
			}
			seen[p] = true
		}
		return list
	}
	p := v.String()
	if !validToken(p) {
		jsruntime.Throw(rt, jsruntime.DOMSyntaxError, wsErr+"The protocol header token is invalid.")
	}
	return []string{p}
}

// validToken reports whether s is an HTTP token (RFC 7230).
func validToken(s string) bool {
	if s == "" {
		return false
	}
	for _, c := range []byte(s) {
		if c <= 0x20 || c >= 0x7f || strings.IndexByte(`()<>@,;:\"/[]?={}`, c) >= 0 {
			return false
		}
	}
	return true
}

// connected runs on the loop when the dial ended: the socket opens (fires
// open) or fails (fires error); a socket closed while connecting drops the
// connection.
func (r *Registry) connected(e *End, nc net.Conn, br *bufio.Reader, hs ws.Handshake, err error) {
	if e.state != AwaitingConnection {
		if nc != nil {
			_ = nc.Close()
		}
		return
	}
	if err != nil {
		e.state = Released
		msg := err.Error()
		var se ws.StatusError
		if errors.As(err, &se) {
			msg = "Failed to establish the WebSocket connection: expected server to reply with HTTP status code 101 (switching protocols), but received " + strconv.Itoa(int(se)) + " instead."
		}
		r.fire(e, "error", jsruntime.Class(r.rt, "ErrorEvent"), map[string]any{"message": msg, "error": jsruntime.Errorf(jsruntime.TypeError, "%s", msg).Value(r.rt)})
		return
	}
	e.dial.protocol = hs.Protocol
	r.attachClient(e, nc, br)
	r.fire(e, "open", jsruntime.Class(r.rt, "Event"), map[string]any{})
}

// attachClient couples an outgoing socket to its dialed connection: it is
// then an accept()ed socket (loop only).
func (r *Registry) attachClient(e *End, nc net.Conn, br *bufio.Reader) {
	e.state = Accepted
	r.standard[e] = struct{}{}
	e.dial.hold = r.iso.Reserve()
	owner := e.owner
	allowHalfOpen := !r.opts.AutoReplyToClose
	e.conn.SetSink(func(ev Event) {
		r.iso.Post(owner, func(rt *goja.Runtime) { r.dispatch(e, ev, allowHalfOpen) })
	})
	e.conn.Attach(nc, br)
}

// jsURL and jsProtocol are ws.url and ws.protocol.
func (r *Registry) jsURL(e *End, _ goja.FunctionCall) goja.Value {
	if e.dial == nil {
		return goja.Null()
	}
	return r.rt.ToValue(e.dial.url)
}

func (r *Registry) jsProtocol(e *End, _ goja.FunctionCall) goja.Value {
	if e.dial == nil {
		return r.rt.ToValue("")
	}
	return r.rt.ToValue(e.dial.protocol)
}
