package websocket

import (
	"net"
	"testing"
	"time"

	"github.com/gobwas/ws"
)

// The client side of an outgoing connection masks every frame it sends
// (RFC 6455 5.3) and reads the server's unmasked frames.
func TestClientConnMasksFrames(t *testing.T) {
	t.Parallel()
	server, client := net.Pipe()
	t.Cleanup(func() { server.Close(); client.Close() })
	c := NewConn()
	c.masked = true
	events := make(chan Event, 4)
	c.SetSink(func(ev Event) { events <- ev })
	c.Attach(client, nil)
	_ = server.SetDeadline(time.Now().Add(10 * time.Second))

	c.Send(true, []byte("hello"))
	f, err := readFrame(t, server)
	if err != nil {
		t.Fatal(err)
	}
	if !f.Header.Masked || f.Header.OpCode != ws.OpText {
		t.Fatalf("frame header %+v: want a masked text frame", f.Header)
	}
	if string(f.Payload) != "hello" {
		t.Fatalf("unmasked payload %q", f.Payload)
	}

	if err := ws.WriteFrame(server, ws.NewTextFrame([]byte("from server"))); err != nil {
		t.Fatal(err)
	}
	if ev := next(t, events); ev.Kind != Message || string(ev.Data) != "from server" {
		t.Fatalf("event %+v", ev)
	}

	c.Close(StatusNormal, "bye")
	f, err = readFrame(t, server)
	if err != nil {
		t.Fatal(err)
	}
	if !f.Header.Masked || f.Header.OpCode != ws.OpClose {
		t.Fatalf("close frame header %+v", f.Header)
	}
	if code, reason := ws.ParseCloseFrameData(f.Payload); code != 1000 || reason != "bye" {
		t.Fatalf("close %d %q", code, reason)
	}
}
