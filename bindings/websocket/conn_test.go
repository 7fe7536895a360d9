package websocket

import (
	"bufio"
	"io"
	"net"
	"testing"
	"time"

	"github.com/gobwas/ws"
)

// pair couples a Conn to one end of a loopback TCP connection and returns
// the client end and a channel of the Conn's events.
func pair(t *testing.T) (*Conn, net.Conn, chan Event) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	accepted := make(chan net.Conn, 1)
	go func() {
		nc, _ := ln.Accept()
		accepted <- nc
	}()
	client, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	server := <-accepted
	t.Cleanup(func() { client.Close(); server.Close() })
	c := NewConn()
	events := make(chan Event, 16)
	c.SetSink(func(ev Event) { events <- ev })
	c.Attach(server, nil)
	_ = client.SetDeadline(time.Now().Add(10 * time.Second))
	return c, client, events
}

func clientSend(t *testing.T, nc net.Conn, f ws.Frame) {
	t.Helper()
	if err := ws.WriteFrame(nc, ws.MaskFrame(f)); err != nil {
		t.Fatal(err)
	}
}

func next(t *testing.T, events chan Event) Event {
	t.Helper()
	select {
	case ev := <-events:
		return ev
	case <-time.After(10 * time.Second):
		t.Fatal("no event")
		return Event{}
	}
}

func TestMessagesPingAndFragments(t *testing.T) {
	t.Parallel()
	c, client, events := pair(t)
	br := bufio.NewReader(client)

	clientSend(t, client, ws.NewTextFrame([]byte("hello")))
	if ev := next(t, events); ev.Kind != Message || !ev.Text || string(ev.Data) != "hello" {
		t.Fatalf("text: %+v", ev)
	}
	clientSend(t, client, ws.NewBinaryFrame([]byte{0, 1, 255}))
	if ev := next(t, events); ev.Kind != Message || ev.Text || string(ev.Data) != "\x00\x01\xff" {
		t.Fatalf("binary: %+v", ev)
	}
	clientSend(t, client, ws.NewFrame(ws.OpText, false, []byte("frag")))
	clientSend(t, client, ws.NewPingFrame([]byte("p1"))) // control frames may interleave
	clientSend(t, client, ws.NewFrame(ws.OpContinuation, true, []byte("ment")))
	if ev := next(t, events); string(ev.Data) != "fragment" {
		t.Fatalf("fragments: %+v", ev)
	}
	f, err := readFrame(t, br)
	if err != nil || f.Header.OpCode != ws.OpPong || string(f.Payload) != "p1" {
		t.Fatalf("pong: %+v %v", f.Header, err)
	}

	if !c.Send(true, []byte("out")) {
		t.Fatal("send refused")
	}
	f, err = readFrame(t, br)
	if err != nil || f.Header.OpCode != ws.OpText || string(f.Payload) != "out" {
		t.Fatalf("server message: %+v %v", f.Header, err)
	}
}

func TestCloseHandshakeIsTheScripts(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name       string
		clientBody []byte
		wantCode   StatusCode
		wantReason string
		replyCode  StatusCode
		wantReply  string
	}{
		{"code and reason", ws.NewCloseFrameBody(1000, "bye"), 1000, "bye", 1000, "\x03\xe8ok"},
		{"no status code", nil, StatusNoStatus, "", StatusNoStatus, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			c, client, events := pair(t)
			br := bufio.NewReader(client)
			clientSend(t, client, ws.NewCloseFrame(tc.clientBody))
			ev := next(t, events)
			if ev.Kind != Closed || ev.Code != tc.wantCode || ev.Reason != tc.wantReason || !ev.WasClean {
				t.Fatalf("close event: %+v", ev)
			}
			// Nothing was echoed by itself: the reply is the script's.
			if !c.ClosedIncoming() || c.ClosedOutgoing() {
				t.Fatalf("state after client close: in=%v out=%v", c.ClosedIncoming(), c.ClosedOutgoing())
			}
			c.Close(tc.replyCode, "ok")
			f, err := readFrame(t, br)
			if err != nil || f.Header.OpCode != ws.OpClose || string(f.Payload) != tc.wantReply {
				t.Fatalf("reply: %+v %q %v", f.Header, f.Payload, err)
			}
			if _, err := br.ReadByte(); err == nil {
				t.Fatal("server did not close TCP after the handshake")
			}
		})
	}
}

func TestDropIs1006AndAutoResponse(t *testing.T) {
	t.Parallel()
	c, client, events := pair(t)
	c.SetAutoResponse(func() *AutoResponse { return &AutoResponse{Request: "ping", Response: "pong"} })
	br := bufio.NewReader(client)
	clientSend(t, client, ws.NewTextFrame([]byte("ping")))
	f, err := readFrame(t, br)
	if err != nil || string(f.Payload) != "pong" || c.AutoResponseTime().IsZero() {
		t.Fatalf("auto-response: %q %v", f.Payload, err)
	}
	client.Close()
	ev := next(t, events)
	if ev.Kind != Closed || ev.Code != StatusAbnormal || ev.Reason != ReasonDisconnected || ev.WasClean {
		t.Fatalf("drop: %+v", ev)
	}
	select {
	case ev := <-events:
		t.Fatalf("auto-responded message was delivered: %+v", ev)
	default:
	}
}

func TestQueuedBeforeAttach(t *testing.T) {
	t.Parallel()
	c := NewConn()
	c.Send(true, []byte("early"))
	ln, _ := net.Listen("tcp", "127.0.0.1:0")
	defer ln.Close()
	go func() {
		nc, _ := ln.Accept()
		c.Attach(nc, nil)
	}()
	client, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer client.Close()
	_ = client.SetDeadline(time.Now().Add(10 * time.Second))
	f, err := readFrame(t, bufio.NewReader(client))
	if err != nil || string(f.Payload) != "early" {
		t.Fatalf("queued message: %q %v", f.Payload, err)
	}
}

func TestValidCloseCode(t *testing.T) {
	t.Parallel()
	for code, want := range map[StatusCode]bool{999: false, 1000: true, 1004: false, 1005: false, 1006: false, 1011: true, 1015: false, 3000: true, 4999: true, 5000: false} {
		if got := code.Valid(); got != want {
			t.Errorf("StatusCode(%d).Valid() = %v", code, got)
		}
	}
}

// readFrame reads one frame as a client does, with a bound on its size.
func readFrame(t *testing.T, r io.Reader) (ws.Frame, error) {
	t.Helper()
	h, err := ws.ReadHeader(r)
	if err != nil {
		return ws.Frame{}, err
	}
	if h.Length > 1<<20 {
		t.Fatalf("frame of %d bytes", h.Length)
	}
	p := make([]byte, h.Length)
	if _, err := io.ReadFull(r, p); err != nil {
		return ws.Frame{}, err
	}
	if h.Masked {
		ws.Cipher(p, h.Mask, 0)
	}
	return ws.Frame{Header: h, Payload: p}, nil
}
