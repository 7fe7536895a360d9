package durableobject

import (
	"time"

	"github.com/dop251/goja"

	"github.com/emu-dev/emu/bindings/storage"
	"github.com/emu-dev/emu/bindings/websocket"
	"github.com/emu-dev/emu/jsruntime"
)

// Limits of the Hibernation API (workerd's).
const (
	maxTags         = 10
	maxTagLength    = 256
	maxSockets      = 32768
	maxAutoResponse = 2048
	maxEventTimeout = 604800000
)

// newState builds the `ctx` (DurableObjectState) an instance is constructed
// with. Call on v's loop.
func (o *Object) newState(v *Version, inst *instance) *goja.Object {
	rt := v.Iso.Runtime()
	ctx := rt.NewObject()
	set := func(name string, fn func(goja.FunctionCall) goja.Value) { _ = ctx.Set(name, fn) }
	js := v.jsSetup(o.ns.sys)
	var name goja.Value = goja.Undefined()
	if o.name != "" {
		name = rt.ToValue(o.name)
	}
	idObj, _ := js.id(goja.Undefined(), rt.ToValue(o.id), name, rt.ToValue(&nsHandle{o.ns, v}))
	_ = ctx.Set("id", idObj)

	var storageObj *goja.Object
	_ = ctx.DefineAccessorProperty("storage", rt.ToValue(func(goja.FunctionCall) goja.Value {
		if storageObj == nil {
			st, err := o.openStore(v)
			if err != nil {
				jsruntime.Throw(rt, jsruntime.Error, "%s", err.Error())
			}
			storageObj = st.Object(rt, o.storageHooks(v, inst))
		}
		return storageObj
	}), nil, goja.FLAG_FALSE, goja.FLAG_TRUE)

	set("waitUntil", func(c goja.FunctionCall) goja.Value {
		inst.inflight++
		jsruntime.Settle(rt, c.Argument(0), func(goja.Value, error) {
			inst.inflight--
			o.touch(v)
		})
		return goja.Undefined()
	})
	set("blockConcurrencyWhile", func(c goja.FunctionCall) goja.Value {
		fn, ok := goja.AssertFunction(c.Argument(0))
		if !ok {
			jsruntime.Throw(rt, jsruntime.TypeError, "Failed to execute 'blockConcurrencyWhile' on 'DurableObjectState': parameter 1 is not of type 'Function'.")
		}
		p, resolve, reject := rt.NewPromise()
		inst.blocked++
		res, err := fn(goja.Undefined())
		finish := func(val goja.Value, err error) {
			inst.blocked--
			if err != nil {
				_ = reject(errorValue(rt, err))
			} else {
				_ = resolve(val)
			}
			if inst.blocked == 0 {
				waiting := inst.waiting
				inst.waiting = nil
				for _, w := range waiting {
					w()
				}
			}
			o.touch(v)
		}
		if err != nil {
			finish(nil, err)
		} else {
			jsruntime.Settle(rt, res, finish)
		}
		return rt.ToValue(p)
	})
	set("abort", func(c goja.FunctionCall) goja.Value {
		msg := "Application called abort() to reset Durable Object."
		if r := c.Argument(0); !goja.IsUndefined(r) {
			msg = r.String()
		}
		o.mu.Lock()
		if o.inst == inst {
			o.inst = nil
			o.evicted = true
		}
		o.mu.Unlock()
		jsruntime.Throw(rt, jsruntime.Error, "%s", msg)
		return nil
	})
	o.hibernationAPI(v, inst, ctx)
	return ctx
}

func (o *Object) storageHooks(v *Version, inst *instance) storage.Hooks {
	return storage.Hooks{
		AlarmChanged: func(time.Time, bool) { o.alarmChanged(v) },
		HasAlarmHandler: func() bool {
			if inst.obj == nil {
				return true
			}
			_, ok := goja.AssertFunction(inst.obj.Get("alarm"))
			return ok
		},
		InConstructor: func() bool { return inst.constructing },
	}
}

// hibernationAPI adds the WebSocket Hibernation methods to ctx.
func (o *Object) hibernationAPI(v *Version, inst *instance, ctx *goja.Object) {
	rt := v.Iso.Runtime()
	set := func(name string, fn func(goja.FunctionCall) goja.Value) { _ = ctx.Set(name, fn) }

	set("acceptWebSocket", func(c goja.FunctionCall) goja.Value {
		wsv := c.Argument(0)
		var tags []string
		if t := c.Argument(1); !goja.IsUndefined(t) && !goja.IsNull(t) {
			var raw []goja.Value
			if err := rt.ExportTo(t, &raw); err != nil {
				jsruntime.Throw(rt, jsruntime.TypeError, "Failed to execute 'acceptWebSocket' on 'DurableObjectState': parameter 2 is not of type 'Array'.")
			}
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
		}
		o.mu.Lock()
		n := len(o.sockets)
		o.mu.Unlock()
		if n >= maxSockets {
			jsruntime.Throw(rt, jsruntime.Error, "only %d websockets can be accepted on a single Durable Object instance", maxSockets)
		}
		e := v.WS.AcceptHibernatable(wsv)
		conn := e.Conn()
		conn.Tags = tags
		inst.views[conn] = wsv.ToObject(rt)
		o.mu.Lock()
		o.sockets = append(o.sockets, conn)
		o.mu.Unlock()
		conn.SetAutoResponse(o.autoResponse)
		conn.SetSink(func(ev websocket.Event) { o.wsEvent(conn, ev) })
		return goja.Undefined()
	})
	set("getWebSockets", func(c goja.FunctionCall) goja.Value {
		tag, hasTag := "", false
		if t := c.Argument(0); !goja.IsUndefined(t) {
			tag, hasTag = t.String(), true
		}
		o.mu.Lock()
		socks := append([]*websocket.Conn(nil), o.sockets...)
		o.mu.Unlock()
		var out []any
		if !hasTag {
			for i := len(socks) - 1; i >= 0; i-- {
				out = append(out, o.view(v, inst, socks[i]))
			}
		} else {
			for _, s := range socks {
				for _, t := range s.Tags {
					if t == tag {
						out = append(out, o.view(v, inst, s))
						break
					}
				}
			}
		}
		if out == nil {
			out = []any{}
		}
		return rt.ToValue(out)
	})
	set("getTags", func(c goja.FunctionCall) goja.Value {
		e := v.WS.End(c.Argument(0))
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
	})
	set("setWebSocketAutoResponse", func(c goja.FunctionCall) goja.Value {
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
	})
	set("getWebSocketAutoResponse", func(goja.FunctionCall) goja.Value {
		o.mu.Lock()
		ar := o.auto
		o.mu.Unlock()
		if ar == nil {
			return goja.Null()
		}
		pair, err := rt.New(v.js.pairClass, rt.ToValue(ar.Request), rt.ToValue(ar.Response))
		if err != nil {
			panic(err)
		}
		return pair
	})
	set("getWebSocketAutoResponseTimestamp", func(c goja.FunctionCall) goja.Value {
		e := v.WS.End(c.Argument(0))
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
	})
	set("setHibernatableWebSocketEventTimeout", func(c goja.FunctionCall) goja.Value {
		ms := float64(0)
		if t := c.Argument(0); !goja.IsUndefined(t) {
			ms = t.ToFloat()
		}
		if ms > maxEventTimeout {
			jsruntime.Throw(rt, jsruntime.Error, "Event timeout should not exceed %d ms.", maxEventTimeout)
		}
		o.mu.Lock()
		o.timeout = ms
		o.mu.Unlock()
		return goja.Undefined()
	})
	set("getHibernatableWebSocketEventTimeout", func(goja.FunctionCall) goja.Value {
		o.mu.Lock()
		defer o.mu.Unlock()
		if o.timeout == 0 {
			return goja.Null()
		}
		return rt.ToValue(o.timeout)
	})
}

func (o *Object) autoResponse() *websocket.AutoResponse {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.auto
}

// view is the instance's JS WebSocket for conn, made on first use after a
// wake so identity holds within one instance (peer !== ws works).
func (o *Object) view(v *Version, inst *instance, c *websocket.Conn) *goja.Object {
	if w := inst.views[c]; w != nil {
		return w
	}
	w := v.WS.View(c)
	inst.views[c] = w
	return w
}

// wsEvent delivers a network event of a hibernatable socket: the object is
// constructed again first if it was evicted. Called from the reader
// goroutine.
func (o *Object) wsEvent(c *websocket.Conn, ev websocket.Event) {
	v := o.ns.sys.Current()
	if v == nil {
		return
	}
	o.post(v, func(rt *goja.Runtime) {
		handler := map[websocket.EventKind]string{websocket.Message: "webSocketMessage", websocket.Closed: "webSocketClose", websocket.Errored: "webSocketError"}[ev.Kind]
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
				return fn(inst.obj, ws, rt.ToValue(ev.Code), rt.ToValue(ev.Reason), rt.ToValue(ev.WasClean))
			default:
				return fn(inst.obj, ws, rt.NewGoError(ev.Err))
			}
		}, func(_ goja.Value, err error) {
			if err != nil {
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
