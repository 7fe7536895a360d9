package websocket

import (
	"bytes"
	"io"
	"net"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/gobwas/ws"
)

// FuzzConnReader feeds arbitrary bytes, as a client would send them, to a
// Conn's reader over an in-memory connection. Whatever arrives, the reader
// does not panic, delivers messages no larger than MaxMessageSize (text as
// valid UTF-8), ends with exactly one terminal event (close or error) as its
// last, and its goroutines end once the client is gone (goleak checks that
// in TestMain). Seeds are in testdata/fuzz/FuzzConnReader; fuzz with
//
//	go test -run '^$' -fuzz '^FuzzConnReader$' -fuzztime 10m ./bindings/websocket
func FuzzConnReader(f *testing.F) {
	masked := func(fr ws.Frame) []byte {
		var b bytes.Buffer
		_ = ws.WriteFrame(&b, ws.MaskFrame(fr))
		return b.Bytes()
	}
	cat := func(parts ...[]byte) []byte { return bytes.Join(parts, nil) }
	for _, seed := range [][]byte{
		nil,
		masked(ws.NewTextFrame([]byte("hello"))),
		cat(masked(ws.NewFrame(ws.OpText, false, []byte("fr"))), masked(ws.NewPingFrame([]byte("p"))), masked(ws.NewFrame(ws.OpContinuation, true, []byte("ag")))),
		cat(masked(ws.NewBinaryFrame([]byte{0, 255})), masked(ws.NewCloseFrame(ws.NewCloseFrameBody(1000, "bye")))),
		masked(ws.NewFrame(ws.OpPing, false, nil)),                   // fragmented control frame
		masked(ws.NewFrame(ws.OpContinuation, true, []byte("x"))),    // nothing to continue
		masked(ws.NewTextFrame([]byte{0xff, 0xfe})),                  // invalid UTF-8
		{0x81, 0xff, 0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff}, // a frame of 2^63 bytes
		{0x82, 0xfe, 0xff, 0xff, 1, 2, 3, 4},                         // announces 64 KiB, sends none
		masked(ws.NewCloseFrame([]byte{3})),                          // one-byte close payload
		{0xf1, 0x80, 0, 0, 0, 0},                                     // RSV bits
		{0x83, 0x80, 0, 0, 0, 0},                                     // reserved opcode
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		server, client := net.Pipe()
		c := NewConn()
		events := make(chan Event, 1024)
		c.SetSink(func(ev Event) { events <- ev })
		c.Attach(server, nil)
		drained := make(chan struct{})
		go func() { _, _ = io.Copy(io.Discard, client); close(drained) }()
		wrote := make(chan struct{})
		go func() {
			_, _ = client.Write(data)
			close(wrote)
		}()
		deadline := time.After(10 * time.Second)
		var got []Event
	wait:
		for {
			select {
			case ev := <-events:
				got = append(got, ev)
				if ev.Kind != Message {
					break wait
				}
			case <-wrote:
				wrote = nil
				client.Close() // all sent: the client goes away
			case <-deadline:
				t.Fatalf("no terminal event after %d events: %+v", len(got), got)
			}
		}
		client.Close()
		server.Close()
		<-drained
		if wrote != nil {
			<-wrote
		}
		// Nothing after the terminal event.
		select {
		case ev := <-events:
			t.Fatalf("event after the terminal one: %+v", ev)
		case <-time.After(time.Millisecond):
		}
		for _, ev := range got[:len(got)-1] {
			if len(ev.Data) > MaxMessageSize {
				t.Fatalf("message of %d bytes", len(ev.Data))
			}
			if ev.Text && !utf8.Valid(ev.Data) {
				t.Fatalf("text message is not UTF-8: %q", ev.Data)
			}
		}
		last := got[len(got)-1]
		switch last.Kind {
		case Closed:
			if last.WasClean && !c.ClosedIncoming() {
				t.Fatalf("clean close not recorded: %+v", last)
			}
		case Errored:
			if last.Err == nil {
				t.Fatal("error event without an error")
			}
		}
	})
}
