package websocket

import (
	"testing"

	"github.com/gobwas/ws"
)

// TestStatsCountMessagesBothWays: delivered messages count in, sends count
// out (an auto-response too), auto-answered messages count apart, and the
// client's address and the upgrade time are known once attached.
func TestStatsCountMessagesBothWays(t *testing.T) {
	t.Parallel()
	c, client, events := pair(t)
	c.SetAutoResponse(func() *AutoResponse { return &AutoResponse{Request: "ping", Response: "pong"} })
	if s := c.Stats(); s.Remote != client.LocalAddr().String() || s.Since.IsZero() {
		t.Fatalf("stats after attach: %+v (client %s)", s, client.LocalAddr())
	}
	clientSend(t, client, ws.NewTextFrame([]byte("a")))
	clientSend(t, client, ws.NewTextFrame([]byte("b")))
	next(t, events)
	next(t, events)
	clientSend(t, client, ws.NewTextFrame([]byte("ping")))
	if f, err := readFrame(t, client); err != nil || string(f.Payload) != "pong" {
		t.Fatalf("auto-response: %q %v", f.Payload, err)
	}
	c.Send(true, []byte("x"))
	if _, err := readFrame(t, client); err != nil {
		t.Fatal(err)
	}
	c.Close(StatusNormal, "bye")
	s := c.Stats()
	if s.In != 2 || s.Out != 2 || s.AutoReplies != 1 || s.AutoReplyAt.IsZero() || !s.ClosedByUs || s.ClosedByPeer {
		t.Fatalf("stats: %+v; want in 2, out 2 (one auto-response), 1 auto reply, closed by us only", s)
	}
}
