package durableobject

import (
	"github.com/dop251/goja"

	"github.com/emu-dev/emu/bindings/websocket"
	"github.com/emu-dev/emu/jsruntime"
)

// Limits of the Hibernation API (workerd's).
const (
	maxTags         = 10
	maxTagLength    = 256
	maxSockets      = 32768
	maxAutoResponse = 2048
	maxEventTimeout = 604800000 // ms
)

// hibernationMethods are the Hibernation API's methods of ctx.
var hibernationMethods = []stateMethod{
	{"acceptWebSocket", (*state).acceptWebSocket},
	{"getWebSockets", (*state).getWebSockets},
	{"getTags", (*state).getTags},
	{"setWebSocketAutoResponse", (*state).setWebSocketAutoResponse},
	{"getWebSocketAutoResponse", (*state).getWebSocketAutoResponse},
	{"getWebSocketAutoResponseTimestamp", (*state).getWebSocketAutoResponseTimestamp},
	{"setHibernatableWebSocketEventTimeout", (*state).setHibernatableWebSocketEventTimeout},
	{"getHibernatableWebSocketEventTimeout", (*state).getHibernatableWebSocketEventTimeout},
}

// acceptWebSocket makes the server end of a pair hibernatable: the object
// owns it, and its events go to webSocketMessage/Close/Error, through the
// constructor again if the object was evicted meanwhile.
func (st *state) acceptWebSocket(c goja.FunctionCall) goja.Value {
	rt, o := st.v.rt, st.o
	wsv := c.Argument(0)
	tags := st.tagsArg(c.Argument(1))
	o.mu.Lock()
	n := len(o.sockets)
	o.mu.Unlock()
	if n >= maxSockets {
		jsruntime.Throw(rt, jsruntime.Error, "only %d websockets can be accepted on a single Durable Object instance", maxSockets)
	}
	conn := st.v.WS.AcceptHibernatable(wsv).Conn()
	conn.Tags = tags
	st.inst.views[conn] = wsv.ToObject(rt)
	o.mu.Lock()
	o.sockets = append(o.sockets, conn)
	o.mu.Unlock()
	conn.SetAutoResponse(o.autoResponse)
	conn.SetSink(func(ev websocket.Event) { o.wsEvent(conn, ev) })
	return goja.Undefined()
}

// tagsArg checks acceptWebSocket's tags as workerd does; duplicates count
// once.
func (st *state) tagsArg(t goja.Value) []string {
	rt := st.v.rt
	if goja.IsUndefined(t) || goja.IsNull(t) {
		return nil
	}
	var raw []goja.Value
	if err := rt.ExportTo(t, &raw); err != nil {
		jsruntime.Throw(rt, jsruntime.TypeError, "Failed to execute 'acceptWebSocket' on 'DurableObjectState': parameter 2 is not of type 'Array'.")
	}
	var tags []string
	seen := map[string]bool{}
	for _, tv := range raw {
		if len(seen) >= maxTags {
			jsruntime.Throw(rt, jsruntime.Error, "a Hibernatable WebSocket cannot have more than %d tags", maxTags)
		}
		tag := tv.String()
		if len(tag) > maxTagLength {
			jsruntime.Throw(rt, jsruntime.Error, "\"%s\" is longer than the max tag length (%d characters).", tag, maxTagLength)
		}
		if !seen[tag] {
			seen[tag] = true
			tags = append(tags, tag)
		}
	}
	return tags
}

// getWebSockets lists the object's hibernatable sockets, newest first, or
// those with a tag in order of acceptance (workerd's orders).
func (st *state) getWebSockets(c goja.FunctionCall) goja.Value {
	o := st.o
	tag, hasTag := "", false
	if t := c.Argument(0); !goja.IsUndefined(t) {
		tag, hasTag = t.String(), true
	}
	o.mu.Lock()
	socks := append([]*websocket.Conn(nil), o.sockets...)
	o.mu.Unlock()
	out := []any{}
	if !hasTag {
		for i := len(socks) - 1; i >= 0; i-- {
			out = append(out, st.view(socks[i]))
		}
		return st.v.rt.ToValue(out)
	}
	for _, s := range socks {
		for _, t := range s.Tags {
			if t == tag {
				out = append(out, st.view(s))
				break
			}
		}
	}
	return st.v.rt.ToValue(out)
}

func (st *state) getTags(c goja.FunctionCall) goja.Value {
	rt := st.v.rt
	e := st.v.WS.End(c.Argument(0))
	if e == nil || (e.State() != websocket.Hibernatable && e.State() != websocket.Accepted) {
		jsruntime.Throw(rt, jsruntime.Error, "you must call 'acceptWebSocket()' before attempting to access the tags of a WebSocket.")
	}
	if e.State() == websocket.Accepted {
		jsruntime.Throw(rt, jsruntime.Error, "only hibernatable websockets can have tags.")
	}
	tags := make([]any, 0, len(e.Conn().Tags))
	for _, t := range e.Conn().Tags {
		tags = append(tags, t)
	}
	return rt.ToValue(tags)
}

func (st *state) setWebSocketAutoResponse(c goja.FunctionCall) goja.Value {
	rt, o := st.v.rt, st.o
	p := c.Argument(0)
	if goja.IsUndefined(p) || goja.IsNull(p) {
		o.mu.Lock()
		o.auto = nil
		o.mu.Unlock()
		return goja.Undefined()
	}
	po := p.ToObject(rt)
	req, resp := po.Get("request").String(), po.Get("response").String()
	if len(req) > maxAutoResponse {
		jsruntime.Throw(rt, jsruntime.RangeError, "Request cannot be larger than %d bytes. A request of size %d was provided.", maxAutoResponse, len(req))
	}
	if len(resp) > maxAutoResponse {
		jsruntime.Throw(rt, jsruntime.RangeError, "Response cannot be larger than %d bytes. A response of size %d was provided.", maxAutoResponse, len(resp))
	}
	o.mu.Lock()
	o.auto = &websocket.AutoResponse{Request: req, Response: resp}
	o.mu.Unlock()
	return goja.Undefined()
}

func (st *state) getWebSocketAutoResponse(goja.FunctionCall) goja.Value {
	rt := st.v.rt
	ar := st.o.autoResponse()
	if ar == nil {
		return goja.Null()
	}
	pair, err := rt.New(st.v.js.pairClass, rt.ToValue(ar.Request), rt.ToValue(ar.Response))
	if err != nil {
		panic(err)
	}
	return pair
}

func (st *state) getWebSocketAutoResponseTimestamp(c goja.FunctionCall) goja.Value {
	rt := st.v.rt
	e := st.v.WS.End(c.Argument(0))
	if e == nil {
		return goja.Null()
	}
	t := e.Conn().AutoResponseTime()
	if t.IsZero() {
		return goja.Null()
	}
	d, err := rt.New(rt.Get("Date").ToObject(rt), rt.ToValue(t.UnixMilli()))
	if err != nil {
		panic(err)
	}
	return d
}

// setHibernatableWebSocketEventTimeout records the timeout (not enforced yet).
func (st *state) setHibernatableWebSocketEventTimeout(c goja.FunctionCall) goja.Value {
	ms := float64(0)
	if t := c.Argument(0); !goja.IsUndefined(t) {
		ms = t.ToFloat()
	}
	if ms > maxEventTimeout {
		jsruntime.Throw(st.v.rt, jsruntime.Error, "Event timeout should not exceed %d ms.", maxEventTimeout)
	}
	st.o.mu.Lock()
	st.o.timeout = ms
	st.o.mu.Unlock()
	return goja.Undefined()
}

func (st *state) getHibernatableWebSocketEventTimeout(goja.FunctionCall) goja.Value {
	st.o.mu.Lock()
	defer st.o.mu.Unlock()
	if st.o.timeout == 0 {
		return goja.Null()
	}
	return st.v.rt.ToValue(st.o.timeout)
}

func (o *Object) autoResponse() *websocket.AutoResponse {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.auto
}

// view is the instance's JS WebSocket for c, made on first use after a wake
// so identity holds within one instance (peer !== ws works).
func (st *state) view(c *websocket.Conn) *goja.Object {
	return st.o.view(st.v, st.inst, c)
}

func (o *Object) view(v *Version, inst *instance, c *websocket.Conn) *goja.Object {
	if w := inst.views[c]; w != nil {
		return w
	}
	w := v.WS.View(c)
	inst.views[c] = w
	return w
}

// handlers are the instance methods hibernatable socket events call.
var handlers = map[websocket.EventKind]string{
	websocket.Message: "webSocketMessage",
	websocket.Closed:  "webSocketClose",
	websocket.Errored: "webSocketError",
}

// wsEvent delivers a network event of a hibernatable socket: the object is
// constructed again first if it was evicted. Called from the reader
// goroutine.
func (o *Object) wsEvent(c *websocket.Conn, ev websocket.Event) {
	v := o.ns.sys.Current()
	if v == nil {
		return
	}
	handler := handlers[ev.Kind]
	o.post(v, func(rt *goja.Runtime) {
		o.event(v, handler, func(rt *goja.Runtime, inst *instance) (goja.Value, error) {
			ws := o.view(v, inst, c)
			if ev.Kind != websocket.Message {
				defer o.forget(inst, c)
			}
			fn, ok := goja.AssertFunction(inst.obj.Get(handler))
			if !ok {
				return goja.Undefined(), nil
			}
			switch ev.Kind {
			case websocket.Message:
				return fn(inst.obj, ws, v.WS.MessageData(ev, "arraybuffer"))
			case websocket.Closed:
				return fn(inst.obj, ws, rt.ToValue(int(ev.Code)), rt.ToValue(ev.Reason), rt.ToValue(ev.WasClean))
			default:
				return fn(inst.obj, ws, rt.NewGoError(ev.Err))
			}
		}, func(_ goja.Value, err error) {
			if err != nil {
				if jsruntime.IsInterrupt(err) && !c.ClosedOutgoing() {
					c.Close(websocket.StatusInternalError, "") // its handler hit a limit
				}
				v.Iso.ReportError(err)
			}
		})
	})
}

// forget removes a socket whose close or error event was dispatched. A
// socket the script did not answer stays connected until the object is
// evicted, as in workerd.
func (o *Object) forget(inst *instance, c *websocket.Conn) {
	o.mu.Lock()
	defer o.mu.Unlock()
	for i, s := range o.sockets {
		if s == c {
			o.sockets = append(o.sockets[:i:i], o.sockets[i+1:]...)
			break
		}
	}
	delete(inst.views, c)
	if !c.ClosedOutgoing() {
		o.zombies = append(o.zombies, c)
	}
}
