package webapi

import (
	"errors"
	"net/http"
	"strings"

	"github.com/dop251/goja"
)

// An UpgradeResult is the answer to fetch() of a WebSocket upgrade: status
// 101 with the client end of the connection as WebSocket, or another
// status (no WebSocket) when the server refused.
type UpgradeResult struct {
	Status    int
	Header    http.Header
	WebSocket goja.Value
}

// A WebSocketUpgrader opens an outgoing WebSocket for fetch() of a request
// with `Upgrade: websocket` (workerd hands such a request to the client's
// openWebSocket). It is called on the loop and calls done on the loop, once.
type WebSocketUpgrader func(rawURL string, header http.Header, done func(res *UpgradeResult, err error))

// SetWebSocketUpgrader makes fetch() of a WebSocket upgrade go through u
// (the websocket binding's client); without one such a fetch is an
// ordinary HTTP request. Call it on the loop after Install.
func SetWebSocketUpgrader(rt *goja.Runtime, u WebSocketUpgrader) error {
	e := envOf(rt)
	if e == nil {
		return errors.New("set WebSocket upgrader: web APIs are not installed on this runtime")
	}
	e.upgrader = u
	return nil
}

// fetchUpgrade is host.fetchUpgrade(url, headerPairs, cb): null when no
// upgrader is set, else undefined and cb(error) or cb(undefined, result).
func (e *env) fetchUpgrade(call goja.FunctionCall) goja.Value {
	rt := e.rt
	if e.upgrader == nil {
		return goja.Null()
	}
	var pairs []string
	if err := rt.ExportTo(call.Argument(1), &pairs); err != nil {
		panic(rt.NewTypeError("fetch: bad headers"))
	}
	h := http.Header{}
	for i := 0; i+1 < len(pairs); i += 2 {
		k := http.CanonicalHeaderKey(pairs[i])
		h[k] = append(h[k], pairs[i+1])
	}
	cb, ok := goja.AssertFunction(call.Argument(2))
	if !ok {
		panic(rt.NewTypeError("fetch: no callback"))
	}
	e.upgrader(call.Argument(0).String(), h, func(res *UpgradeResult, err error) {
		if err != nil {
			_, _ = cb(goja.Undefined(), fetchErrorValue(rt, err))
			return
		}
		names := make([]any, 0, 2*len(res.Header))
		for k, vs := range res.Header {
			for _, v := range vs {
				names = append(names, strings.ToLower(k), v)
			}
		}
		o := rt.NewObject()
		mustSet(o.Set("status", res.Status))
		mustSet(o.Set("headers", rt.NewArray(names...)))
		ws := res.WebSocket
		if ws == nil {
			ws = goja.Null()
		}
		mustSet(o.Set("webSocket", ws))
		_, _ = cb(goja.Undefined(), goja.Undefined(), o)
	})
	return goja.Undefined()
}
