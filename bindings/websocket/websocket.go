package websocket

import (
	_ "embed"
	"fmt"

	"github.com/dop251/goja"

	"github.com/emu-dev/emu/jsruntime"
)

//go:embed websocket.js
var websocketJS string

var websocketProgram = goja.MustCompile("emu:websocket.js", "("+websocketJS+")", true)

// State is where a WebSocket end is in its life.
type State int

// WebSocket end states (workerd's native states).
const (
	AwaitingAcceptance State = iota // a pair end, neither accepted nor returned
	Accepted                        // ws.accept(): the standard API
	Hibernatable                    // ctx.acceptWebSocket()
	Released                        // returned in a Response
	AwaitingConnection              // new WebSocket(url) while it connects
)

// End is the Go handle behind one JS WebSocket object. Only the loop
// goroutine uses it.
type End struct {
	conn       *Conn // the server end's connection (for a client end: its peer's)
	client     bool
	peer       *End
	state      State
	binaryType string
	owner      jsruntime.Owner
	view       *goja.Object
	dial       *clientState // an outgoing socket's (new WebSocket(url)); nil otherwise
}

// Conn is the connection behind the end.
func (e *End) Conn() *Conn { return e.conn }

// State is the end's state.
func (e *End) State() State { return e.state }

// Options carries the compatibility behaviour of one Worker.
type Options struct {
	AutoReplyToClose   bool // web_socket_auto_reply_to_close (2026-04-07)
	CloseReasonLimit   bool // websocket_close_reason_byte_limit (2026-03-03)
	StandardBinaryType bool // websocket_standard_binary_type (2026-03-17): binaryType "blob"
	// Attachment serialization for serializeAttachment/deserializeAttachment.
	Serialize   func(rt *goja.Runtime, v goja.Value) ([]byte, error)
	Deserialize func(rt *goja.Runtime, b []byte) (goja.Value, error)
}

// Registry is the WebSocket support of one isolate.
type Registry struct {
	iso      *jsruntime.Isolate
	rt       *goja.Runtime
	opts     Options
	view     goja.Callable
	handleOf goja.Callable
	standard map[*End]struct{}
}

// Install defines WebSocket and WebSocketPair on the isolate's runtime. Call
// it on the loop goroutine.
func Install(iso *jsruntime.Isolate, rt *goja.Runtime, opts Options) (*Registry, error) {
	r := &Registry{iso: iso, rt: rt, opts: opts, standard: map[*End]struct{}{}}
	f, err := rt.RunProgram(websocketProgram)
	if err != nil {
		return nil, fmt.Errorf("websocket: %w", err)
	}
	fn, _ := goja.AssertFunction(f)
	res, err := fn(goja.Undefined(), r.nativesObject(), jsruntime.Class(rt, "EventTarget"))
	if err != nil {
		return nil, fmt.Errorf("websocket: %w", err)
	}
	o := res.ToObject(rt)
	r.view, _ = goja.AssertFunction(o.Get("view"))
	r.handleOf, _ = goja.AssertFunction(o.Get("handleOf"))
	if err := rt.Set("WebSocket", o.Get("WebSocket")); err != nil {
		return nil, err
	}
	if err := rt.Set("WebSocketPair", o.Get("WebSocketPair")); err != nil {
		return nil, err
	}
	return r, nil
}

// End returns the handle of a JS WebSocket, or nil if v is not one.
func (r *Registry) End(v goja.Value) *End {
	h, err := r.handleOf(goja.Undefined(), v)
	if err != nil || h == nil || goja.IsUndefined(h) {
		return nil
	}
	e, _ := h.Export().(*End)
	return e
}

// View makes a JS WebSocket for a hibernatable connection whose earlier view
// was dropped (the object hibernated or the code was reloaded).
func (r *Registry) View(c *Conn) *goja.Object {
	e := &End{conn: c, state: Hibernatable, binaryType: r.defaultBinaryType()}
	v, err := r.view(goja.Undefined(), r.rt.ToValue(e))
	if err != nil {
		panic(err)
	}
	e.view = v.ToObject(r.rt)
	return e.view
}

func (r *Registry) defaultBinaryType() string {
	if r.opts.StandardBinaryType {
		return "blob"
	}
	return "arraybuffer"
}

// maxAttachment is workerd's limit on a serialized attachment.
const maxAttachment = 16384

// ReadyState is a WebSocket's readyState.
type ReadyState int

// The readyState values (WebSocket.CONNECTING and so on).
const (
	Connecting ReadyState = iota
	Open
	Closing
	ClosedState
)

// readyState is OPEN until a close frame went one way, CLOSING until it went
// both ways, then CLOSED.
func readyState(e *End) ReadyState {
	if e.state == AwaitingConnection {
		return Connecting
	}
	c := e.conn
	in, out := c.ClosedIncoming(), c.ClosedOutgoing()
	switch {
	case in && out:
		return ClosedState
	case in || out:
		return Closing
	default:
		return Open
	}
}

func (r *Registry) accept(e *End, opts *goja.Object) {
	rt := r.rt
	switch {
	case e.state == AwaitingConnection:
		jsruntime.Throw(rt, jsruntime.TypeError, "Websockets obtained from the 'new WebSocket()' constructor cannot call accept")
	case e.state == Accepted:
		return
	case e.state == Released:
		jsruntime.Throw(rt, jsruntime.TypeError, "Can't accept() WebSocket that was already used in a response.")
	case e.state == Hibernatable:
		jsruntime.Throw(rt, jsruntime.TypeError, "Can't accept() WebSocket after enabling hibernation.")
	case e.state == Accepted:
		return
	case e.client:
		jsruntime.Throw(rt, jsruntime.Error, "Accepting both ends of a WebSocketPair locally is not implemented in emu yet.")
	}
	allowHalfOpen := !r.opts.AutoReplyToClose
	if opts != nil {
		if v := opts.Get("allowHalfOpen"); v != nil && !goja.IsUndefined(v) {
			allowHalfOpen = v.ToBoolean()
		}
	}
	e.state = Accepted
	e.owner = r.iso.CurrentOwner()
	r.standard[e] = struct{}{}
	if e.dial != nil {
		// A socket fetch() opened: the Worker waits for its events.
		e.dial.hold = r.iso.Reserve()
	}
	owner := e.owner
	e.conn.SetSink(func(ev Event) {
		r.iso.Post(owner, func(rt *goja.Runtime) { r.dispatch(e, ev, allowHalfOpen) })
	})
}

// BindView records the JS object of an end (called by bindings that receive
// the object, so events can be dispatched to it).
func (r *Registry) BindView(v goja.Value) *End {
	e := r.End(v)
	if e != nil && e.view == nil {
		e.view = v.ToObject(r.rt)
	}
	return e
}

func (r *Registry) send(e *End, msg goja.Value) {
	rt := r.rt
	c := e.conn
	if c.ClosedOutgoing() {
		jsruntime.Throw(rt, jsruntime.TypeError, "Can't call WebSocket send() after close().")
	}
	if e.state == Released {
		return
	}
	if e.state != Accepted && e.state != Hibernatable {
		jsruntime.Throw(rt, jsruntime.TypeError, "You must call one of accept() or state.acceptWebSocket() on this WebSocket before sending messages.")
	}
	if s, ok := msg.Export().(string); ok {
		c.Send(true, []byte(s))
		return
	}
	if b, ok := jsruntime.BufferSource(msg); ok {
		c.Send(false, append([]byte(nil), b...))
		return
	}
	c.Send(true, []byte(msg.String()))
}

func (r *Registry) close(e *End, codeV, reasonV goja.Value) {
	rt := r.rt
	if e.state == AwaitingConnection {
		// workerd cancels the connection attempt.
		e.state = Released
		e.dial.cancel()
		return
	}
	hasCode := codeV != nil && !goja.IsUndefined(codeV)
	hasReason := reasonV != nil && !goja.IsUndefined(reasonV)
	code := StatusNoStatus
	if hasCode {
		code = StatusCode(codeV.ToInteger())
		if !code.Valid() {
			jsruntime.Throw(rt, jsruntime.InvalidAccessError, "Invalid WebSocket close code: %d.", code)
		}
	}
	reason := ""
	if hasReason {
		reason = reasonV.String()
		if r.opts.CloseReasonLimit && len(reason) > MaxCloseReasonBytes {
			jsruntime.Throw(rt, jsruntime.DOMSyntaxError, "WebSocket close reason must not be longer than 123 bytes when UTF-8 encoded.")
		}
		if !hasCode {
			jsruntime.Throw(rt, jsruntime.InvalidAccessError, "If you specify a WebSocket close reason, you must also specify a code.")
		}
	}
	if e.conn.ClosedOutgoing() || e.state == Released {
		return
	}
	if e.state != Accepted && e.state != Hibernatable {
		jsruntime.Throw(rt, jsruntime.TypeError, "You must call one of accept() or state.acceptWebSocket() on this WebSocket before sending messages.")
	}
	e.conn.Close(code, reason)
}

// dispatch delivers a network event to an accept()ed socket's listeners.
func (r *Registry) dispatch(e *End, ev Event, allowHalfOpen bool) {
	rt := r.rt
	switch ev.Kind {
	case Message:
		r.fire(e, "message", jsruntime.Class(rt, "MessageEvent"), map[string]any{"data": r.MessageData(ev, e.binaryType)})
	case Closed:
		c := e.conn
		if ev.WasClean && !allowHalfOpen && !c.ClosedOutgoing() {
			c.Close(ev.Code, ev.Reason)
		}
		r.fire(e, "close", jsruntime.Class(rt, "CloseEvent"), map[string]any{"code": int(ev.Code), "reason": ev.Reason, "wasClean": ev.WasClean})
		delete(r.standard, e)
		e.dial.release()
		if !c.ClosedOutgoing() {
			// workerd drops the connection once the read loop has ended and
			// the script did not answer the close.
			c.Abort()
		}
	case Errored:
		r.fire(e, "error", jsruntime.Class(rt, "ErrorEvent"), map[string]any{"message": ev.Err.Error(), "error": rt.NewGoError(ev.Err)})
		delete(r.standard, e)
		e.dial.release()
	}
}

// MessageData converts a message payload to what a handler receives: a
// string for text, an ArrayBuffer for binary.
func (r *Registry) MessageData(ev Event, binaryType string) goja.Value {
	if ev.Text {
		return r.rt.ToValue(string(ev.Data))
	}
	return r.rt.ToValue(r.rt.NewArrayBuffer(ev.Data))
}

func (r *Registry) fire(e *End, typ string, ctor *goja.Object, init map[string]any) {
	rt := r.rt
	if e.view == nil {
		return
	}
	evt, err := rt.New(ctor, rt.ToValue(typ), rt.ToValue(init))
	if err != nil {
		r.iso.ReportError(err)
		return
	}
	if h, ok := goja.AssertFunction(e.view.Get("on" + typ)); ok {
		if _, err := h(e.view, evt); err != nil {
			r.iso.ReportError(err)
		}
	}
	dispatch, _ := goja.AssertFunction(e.view.Get("dispatchEvent"))
	if _, err := dispatch(e.view, evt); err != nil {
		r.iso.ReportError(err)
	}
}

// AcceptHibernatable marks an end as accepted by ctx.acceptWebSocket. It
// throws workerd's errors for ends that cannot be.
func (r *Registry) AcceptHibernatable(v goja.Value) *End {
	rt := r.rt
	e := r.BindView(v)
	if e == nil {
		jsruntime.Throw(rt, jsruntime.TypeError, "Failed to execute 'acceptWebSocket' on 'DurableObjectState': parameter 1 is not of type 'WebSocket'.")
	}
	if e.state == Accepted || e.state == Hibernatable {
		jsruntime.Throw(rt, jsruntime.Error, "Cannot call `acceptWebSocket()` if the WebSocket was already accepted via `accept()`")
	}
	if e.client || e.state == Released || e.peer == nil || e.peer.state != AwaitingAcceptance {
		jsruntime.Throw(rt, jsruntime.Error, "Cannot call `acceptWebSocket()` on this WebSocket because its pair has already been accepted or used in a Response.")
	}
	e.state = Hibernatable
	return e
}

// Release is called when a Response carrying the WebSocket v is sent: it
// checks workerd's rules and returns the server end's connection to couple to
// the network.
func (r *Registry) Release(v goja.Value) (*Conn, error) {
	e := r.End(v)
	if e == nil {
		return nil, jsruntime.Errorf(jsruntime.TypeError, "Failed to construct 'Response': webSocket is not a WebSocket.")
	}
	switch e.state {
	case AwaitingConnection:
		return nil, jsruntime.Errorf(jsruntime.TypeError, "Can't return WebSocket in a Response if it was created with `new WebSocket()`")
	case Released:
		return nil, jsruntime.Errorf(jsruntime.TypeError, "Can't return WebSocket that was already used in a response.")
	case Accepted:
		return nil, jsruntime.Errorf(jsruntime.TypeError, "Can't return WebSocket in a Response after calling accept().")
	case Hibernatable:
		return nil, jsruntime.Errorf(jsruntime.TypeError, "Can't return WebSocket in a Response after calling acceptWebSocket().")
	}
	if !e.client {
		return nil, jsruntime.Errorf(jsruntime.TypeError, "Returning the server end of a WebSocketPair is not implemented in emu yet.")
	}
	e.state = Released
	e.conn.markReleased()
	return e.conn, nil
}

// HandOff records that v, the client end of a pair, leaves the Durable
// Object that made it in a Response: its server end then belongs to a
// connection being upgraded, and eviction must keep it (see
// Conn.Released). Anything else is ignored. Call it on the loop.
func (r *Registry) HandOff(v goja.Value) {
	if e := r.End(v); e != nil && e.client && e.state == AwaitingAcceptance {
		e.conn.markReleased()
	}
}

// Discard undoes HandOff for v when the Response carrying it cannot be
// sent as an upgrade (the request did not ask for one): the socket never
// gets a client, and the next eviction drops it, as in workerd. Call it on
// the loop.
func (r *Registry) Discard(v goja.Value) {
	if e := r.End(v); e != nil && e.client && e.state == AwaitingAcceptance {
		e.conn.mu.Lock()
		e.conn.released = false
		e.conn.mu.Unlock()
	}
}

// Standard reports how many accept()ed sockets owner has open.
func (r *Registry) Standard(owner jsruntime.Owner) int {
	n := 0
	for e := range r.standard {
		if e.owner == owner {
			n++
		}
	}
	return n
}

// CloseStandard closes every accept()ed socket with code and reason (a
// reload: such sockets cannot move to new code) and returns how many.
func (r *Registry) CloseStandard(code StatusCode, reason string) int {
	n := 0
	for e := range r.standard {
		if !e.conn.ClosedOutgoing() {
			e.conn.Close(code, reason)
			n++
		}
		delete(r.standard, e)
	}
	return n
}
