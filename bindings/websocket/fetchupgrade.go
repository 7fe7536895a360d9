package websocket

import (
	"context"
	"errors"
	"net/http"
	"strings"

	"github.com/dop251/goja"
	"github.com/gobwas/ws"

	"github.com/emu-dev/emu/jsruntime/webapi"
)

// FetchUpgrade opens an outgoing WebSocket for fetch() of a request with
// `Upgrade: websocket` (see webapi.SetWebSocketUpgrader): rawURL is http(s)
// (or ws(s)); header are the request's headers, Sec-WebSocket-Protocol
// offered as subprotocols. On a 101 done gets the socket, AWAITING
// acceptance: the script calls accept() (events queue until then); another
// status is a Response without a WebSocket. Call it on the loop; done runs
// on the loop.
func (r *Registry) FetchUpgrade(rawURL string, header http.Header, done func(*webapi.UpgradeResult, error)) {
	target := rawURL
	switch {
	case strings.HasPrefix(target, "http:"):
		target = "ws:" + target[len("http:"):]
	case strings.HasPrefix(target, "https:"):
		target = "wss:" + target[len("https:"):]
	}
	h := http.Header{}
	var protocols []string
	for k, vs := range header {
		switch k {
		case "Upgrade", "Connection", "Sec-Websocket-Key", "Sec-Websocket-Version", "Sec-Websocket-Extensions", "Host", "Content-Length":
		case "Sec-Websocket-Protocol":
			for _, v := range vs {
				for _, p := range strings.Split(v, ",") {
					if p = strings.TrimSpace(p); p != "" {
						protocols = append(protocols, p)
					}
				}
			}
		default:
			h[k] = vs
		}
	}
	owner := r.iso.CurrentOwner()
	enqueue := r.iso.Reserve()
	go func() {
		res := http.Header{}
		d := ws.Dialer{
			Protocols: protocols,
			Header:    ws.HandshakeHeaderHTTP(h),
			OnHeader: func(k, v []byte) error {
				res.Add(string(k), string(v))
				return nil
			},
		}
		nc, br, hs, err := d.Dial(context.Background(), target)
		enqueue(func(rt *goja.Runtime) {
			var se ws.StatusError
			switch {
			case errors.As(err, &se):
				done(&webapi.UpgradeResult{Status: int(se), Header: http.Header{}}, nil)
				return
			case err != nil:
				done(nil, err)
				return
			}
			// gobwas reports only the headers it does not check itself.
			res.Set("Upgrade", "websocket")
			res.Set("Connection", "Upgrade")
			if hs.Protocol != "" {
				res.Set("Sec-WebSocket-Protocol", hs.Protocol)
			}
			conn := NewConn()
			conn.masked = true
			e := &End{conn: conn, state: AwaitingAcceptance, binaryType: r.defaultBinaryType(), owner: owner,
				dial: &clientState{url: rawURL, protocol: hs.Protocol, cancel: func() {}}}
			v, verr := r.view(goja.Undefined(), rt.ToValue(e))
			if verr != nil {
				_ = nc.Close()
				done(nil, verr)
				return
			}
			e.view = v.ToObject(rt)
			conn.Attach(nc, br)
			done(&webapi.UpgradeResult{Status: http.StatusSwitchingProtocols, Header: res, WebSocket: e.view}, nil)
		})
	}()
}
