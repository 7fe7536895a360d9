package websocket

import (
	"bytes"
	"encoding/binary"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gobwas/ws"
)

// TestProtocolErrors: each frame that breaks RFC 6455 gives the script one
// error event with workerd's wording and the client a close frame with
// 1002 and the description; then the connection is closed.
func TestProtocolErrors(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name   string
		frames []ws.Frame
		desc   string
	}{
		{"fragmented ping", []ws.Frame{ws.NewFrame(ws.OpPing, false, nil)}, "Received fragmented control frame"},
		{"long ping", []ws.Frame{ws.NewPingFrame(make([]byte, 126))}, "Received control frame with payload larger than 125 bytes"},
		{"stray continuation", []ws.Frame{ws.NewFrame(ws.OpContinuation, true, []byte("x"))}, "Received unexpected continuation frame"},
		{"text inside a fragmented message", []ws.Frame{ws.NewFrame(ws.OpText, false, []byte("a")), ws.NewTextFrame([]byte("b"))},
			"Received new data frame while a fragmented message was in progress"},
		{"one-byte close", []ws.Frame{ws.NewCloseFrame([]byte{3})}, "Received close frame with a one-byte payload"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, client, events := pair(t)
			for _, f := range tc.frames {
				clientSend(t, client, f)
			}
			ev := next(t, events)
			want := "WebSocket protocol error; protocolError.statusCode = 1002; protocolError.description = " + tc.desc
			if ev.Kind != Errored || ev.Err.Error() != want {
				t.Fatalf("event %+v, want error %q", ev, want)
			}
			f, err := readFrame(t, client)
			if err != nil || f.Header.OpCode != ws.OpClose {
				t.Fatalf("close frame: %+v %v", f.Header, err)
			}
			if code, reason := ws.ParseCloseFrameData(f.Payload); code != 1002 || reason != tc.desc {
				t.Fatalf("close %d %q", code, reason)
			}
			if _, err := readFrame(t, client); err == nil {
				t.Fatal("the connection stayed open")
			}
		})
	}
}

// TestAnnouncedFrameCostsNothing: a header announcing a 30 MiB frame with
// a few bytes behind it does not make the reader allocate 30 MiB (not
// parallel: it measures the process's allocations).
func TestAnnouncedFrameCostsNothing(t *testing.T) {
	_, client, events := pair(t)
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	hdr := []byte{0x82, 0x80 | 127}
	hdr = binary.BigEndian.AppendUint64(hdr, 30<<20)
	hdr = append(hdr, 0, 0, 0, 0, 'a', 'b', 'c')
	if _, err := client.Write(hdr); err != nil {
		t.Fatal(err)
	}
	client.Close() // the reader has the header and 3 bytes when it sees the end
	if ev := next(t, events); ev.Kind != Closed || ev.Code != StatusAbnormal {
		t.Fatalf("after the drop: %+v", ev)
	}
	runtime.ReadMemStats(&after)
	if d := after.TotalAlloc - before.TotalAlloc; d > 8<<20 {
		t.Fatalf("the reader allocated %d MiB for 3 bytes of payload", d>>20)
	}
}

// TestSlowReaderDropped: a client that reads nothing while the script keeps
// sending loses its connection once maxQueued is waiting; the script gets
// one error event and the log one line, and later sends are refused.
func TestSlowReaderDropped(t *testing.T) {
	t.Parallel()
	c, _, events := pair(t)
	var mu sync.Mutex
	var logged []string
	c.SetLog(func(s string) { mu.Lock(); logged = append(logged, s); mu.Unlock() })
	chunk := bytes.Repeat([]byte("x"), 1<<20)
	sent := 0
	for c.Send(false, chunk) {
		if sent++; sent > 2*maxQueued>>20 {
			t.Fatalf("%d MiB accepted for a client that reads nothing", sent)
		}
	}
	ev := next(t, events)
	if ev.Kind != Errored || ev.Err != errSlowReader {
		t.Fatalf("event %+v", ev)
	}
	if c.Send(true, []byte("more")) {
		t.Fatal("a send after the drop was accepted")
	}
	mu.Lock()
	defer mu.Unlock()
	if len(logged) != 1 || !strings.Contains(logged[0], "stopped reading") {
		t.Fatalf("logged %q", logged)
	}
	select {
	case ev := <-events:
		t.Fatalf("a second event: %+v", ev)
	case <-time.After(50 * time.Millisecond): // nothing else may arrive
	}
}
