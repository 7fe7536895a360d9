package main

import (
	"bufio"
	"context"
	"encoding/binary"
	"io"
	"net"
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gobwas/ws"
)

// rawWS is a WebSocket client that can break the protocol.
type rawWS struct {
	nc net.Conn
	br *bufio.Reader
}

func dialRaw(t *testing.T, p *emuProc, path string) *rawWS {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	nc, br, _, err := ws.Dial(ctx, "ws"+strings.TrimPrefix(p.URL, "http")+path)
	if err != nil {
		t.Fatalf("dial %s: %v", path, err)
	}
	if br == nil {
		br = bufio.NewReader(nc)
	}
	t.Cleanup(func() { nc.Close() })
	_ = nc.SetDeadline(time.Now().Add(30 * time.Second))
	return &rawWS{nc: nc, br: br}
}

// frame writes one masked frame with the given first byte (FIN, RSV,
// opcode) and payload.
func (c *rawWS) frame(t *testing.T, b0 byte, payload []byte) {
	t.Helper()
	h := ws.Header{Fin: b0&0x80 != 0, Rsv: (b0 >> 4) & 7, OpCode: ws.OpCode(b0 & 0x0f), Length: int64(len(payload)), Masked: true, Mask: ws.NewMask()}
	if err := ws.WriteHeader(c.nc, h); err != nil {
		t.Fatal(err)
	}
	p := append([]byte(nil), payload...)
	ws.Cipher(p, h.Mask, 0)
	if _, err := c.nc.Write(p); err != nil {
		t.Fatal(err)
	}
}

// next reads the next frame, skipping pongs when skipPongs.
func (c *rawWS) next(t *testing.T, skipPongs bool) ws.Frame {
	t.Helper()
	for {
		h, err := ws.ReadHeader(c.br)
		if err != nil {
			t.Fatalf("read frame: %v", err)
		}
		if h.Length > 1<<20 {
			t.Fatalf("frame of %d bytes", h.Length)
		}
		f := ws.Frame{Header: h, Payload: make([]byte, h.Length)}
		if _, err := io.ReadFull(c.br, f.Payload); err != nil {
			t.Fatalf("read frame: %v", err)
		}
		if skipPongs && f.Header.OpCode == ws.OpPong {
			continue
		}
		return f
	}
}

// expectCloseFrame reads (skipping pongs) until a close frame and checks it.
func (c *rawWS) expectCloseFrame(t *testing.T, code ws.StatusCode, reason string) {
	t.Helper()
	f := c.next(t, true)
	if f.Header.OpCode != ws.OpClose {
		t.Fatalf("got opcode %v, want a close frame", f.Header.OpCode)
	}
	gotCode, gotReason := ws.ParseCloseFrameData(f.Payload)
	if gotCode != code || gotReason != reason {
		t.Fatalf("close %d %q, want %d %q", gotCode, gotReason, code, reason)
	}
	if _, err := c.br.ReadByte(); err != io.EOF {
		t.Fatalf("after the close frame: %v, want the connection closed", err)
	}
}

// TestMisbehavingPeers: clients that break RFC 6455, send too much, flood
// pings, stop reading or dribble their headers each lose their own
// connection with the close code workerd uses (the script gets an error
// event), and emu keeps serving the others.
func TestMisbehavingPeers(t *testing.T) {
	t.Parallel()
	p := startEmuEnv(t, testdataCopy(t, "misbehave"), []string{"EMU_READ_HEADER_TIMEOUT=1s"})
	stillServing := func(t *testing.T) {
		t.Helper()
		if status, body, _ := p.get("/"); status != 200 || body != "still here" {
			t.Fatalf("%d %q", status, body)
		}
	}

	t.Run("fragmented control frame", func(t *testing.T) {
		c := dialRaw(t, p, "/ws?room=frag")
		c.frame(t, byte(ws.OpPing), []byte("no FIN")) // FIN clear on a control frame
		c.expectCloseFrame(t, 1002, "Received fragmented control frame")
		waitCounts(t, p, "frag", 5*time.Second, func(c roomCounts) bool { return c.Errors == 1 })
		stillServing(t)
	})

	t.Run("protocol errors", func(t *testing.T) {
		for i, tc := range []struct {
			b0      byte
			payload []byte
			reason  string
		}{
			{0x80 | byte(ws.OpContinuation), []byte("x"), "Received unexpected continuation frame"},
			{0x80 | 0x40 | byte(ws.OpText), []byte("x"), "Received frame had RSV bits set, but no extension was negotiated"},
			{0x80 | 0x3, nil, "Received frame with unknown opcode 3"},
			{0x80 | byte(ws.OpPing), make([]byte, 126), "Received control frame with payload larger than 125 bytes"},
		} {
			room := "proto" + strconv.Itoa(i)
			c := dialRaw(t, p, "/ws?room="+room)
			c.frame(t, tc.b0, tc.payload)
			c.expectCloseFrame(t, 1002, tc.reason)
			waitCounts(t, p, room, 5*time.Second, func(c roomCounts) bool { return c.Errors == 1 })
		}
		stillServing(t)
	})

	t.Run("frame over the limit", func(t *testing.T) {
		c := dialRaw(t, p, "/ws?room=big")
		// A header announcing 33 MiB: refused before any of it is read.
		hdr := []byte{0x82, 0x80 | 127}
		hdr = binary.BigEndian.AppendUint64(hdr, 33<<20)
		hdr = append(hdr, 1, 2, 3, 4)
		if _, err := c.nc.Write(hdr); err != nil {
			t.Fatal(err)
		}
		c.expectCloseFrame(t, 1009, "")
		waitCounts(t, p, "big", 5*time.Second, func(c roomCounts) bool { return c.Errors == 1 })
		stillServing(t)
	})

	t.Run("ping flood", func(t *testing.T) {
		c := dialRaw(t, p, "/ws?room=pings")
		done := make(chan error, 1)
		go func() {
			var err error
			for i := 0; i < 20000 && err == nil; i++ {
				err = ws.WriteFrame(c.nc, ws.MaskFrame(ws.NewPingFrame([]byte(strconv.Itoa(i)))))
			}
			done <- err
		}()
		pongs := 0
		for pongs < 20000 {
			f := c.next(t, false)
			if f.Header.OpCode != ws.OpPong {
				t.Fatalf("frame %v during the flood", f.Header.OpCode)
			}
			if string(f.Payload) != strconv.Itoa(pongs) {
				t.Fatalf("pong %q, want %d", f.Payload, pongs)
			}
			pongs++
		}
		if err := <-done; err != nil {
			t.Fatal(err)
		}
		c.frame(t, 0x80|byte(ws.OpText), []byte("after"))
		if f := c.next(t, true); string(f.Payload) != "echo after" {
			t.Fatalf("after the flood: %q", f.Payload)
		}
		stillServing(t)
	})

	t.Run("client that never reads", func(t *testing.T) {
		c := dialRaw(t, p, "/ws?room=slow")
		mark := p.lines()
		c.frame(t, 0x80|byte(ws.OpText), []byte("flood")) // 128 MiB back, never read
		p.waitForAfter(mark, "WebSocket client stopped reading: more than 64 MiB waited to be sent; connection closed", 20*time.Second)
		waitCounts(t, p, "slow", 5*time.Second, func(c roomCounts) bool { return c.Errors == 1 })
		stillServing(t)
		if rss := rssMiB(t, p.cmd.Process.Pid); rss > 512 {
			t.Fatalf("RSS %d MiB after a client stopped reading", rss)
		}
		if n := p.countAfter(mark, "stopped reading"); n != 1 {
			t.Fatalf("logged %d times", n)
		}
	})

	t.Run("slowloris", func(t *testing.T) {
		nc, err := net.Dial("tcp", strings.TrimPrefix(p.URL, "http://"))
		if err != nil {
			t.Fatal(err)
		}
		defer nc.Close()
		start := time.Now()
		if _, err := io.WriteString(nc, "GET / HTTP/1.1\r\nHost: x\r\nX-Slow: "); err != nil {
			t.Fatal(err)
		}
		_ = nc.SetReadDeadline(time.Now().Add(10 * time.Second))
		// The rest of the headers never comes: the server hangs up after
		// EMU_READ_HEADER_TIMEOUT.
		if _, err := io.ReadAll(nc); err != nil {
			t.Fatalf("the server did not close the connection: %v", err)
		}
		if d := time.Since(start); d > 5*time.Second {
			t.Fatalf("closed after %s", d)
		}
		stillServing(t)
	})
}

// TestManyClientsDropAtOnce: N clients (500; EMU_DROP_CLIENTS=10000 for the
// full run) on one Durable Object drop their TCP connections at the same
// moment: the object's webSocketClose runs for every one of them, and emu's
// goroutines return to their baseline.
func TestManyClientsDropAtOnce(t *testing.T) {
	t.Parallel()
	n := 500
	if s := os.Getenv("EMU_DROP_CLIENTS"); s != "" {
		n, _ = strconv.Atoi(s)
	}
	p := startEmu(t, testdataCopy(t, "misbehave"))
	p.get("/hello?room=drop")
	base := emuGoroutines(t, p)
	addr := strings.TrimPrefix(p.URL, "http://")
	conns := make([]net.Conn, n)
	var wg sync.WaitGroup
	errs := make(chan error, n)
	sem := make(chan struct{}, 64)
	for i := range conns {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			// Sources spread over 127.0.0.x so many sockets do not run out
			// of ports.
			src := &net.TCPAddr{IP: net.IPv4(127, 0, 0, byte(1+i%200))}
			d := ws.Dialer{Timeout: 20 * time.Second, NetDial: func(ctx context.Context, network, addr string) (net.Conn, error) {
				return (&net.Dialer{LocalAddr: src}).DialContext(ctx, network, addr)
			}}
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			nc, _, _, err := d.Dial(ctx, "ws://"+addr+"/ws?room=drop")
			if err != nil {
				errs <- err
				return
			}
			conns[i] = nc
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatalf("dial: %v", err)
	}
	waitCounts(t, p, "drop", 60*time.Second, func(c roomCounts) bool { return c.Sockets == n })
	for _, nc := range conns { // all at once
		go nc.Close()
	}
	c := waitCounts(t, p, "drop", 120*time.Second, func(c roomCounts) bool { return c.Closes == n })
	if c.Closes != n || c.Sockets != 0 {
		t.Fatalf("after %d drops: %+v", n, c)
	}
	waitGoroutines(t, p, base+1, 30*time.Second)
	t.Logf("%d clients dropped at once: %d webSocketClose events", n, c.Closes)
}

// countAfter counts the output lines at index >= from that contain s.
func (p *emuProc) countAfter(from int, s string) int {
	p.mu.Lock()
	defer p.mu.Unlock()
	n := 0
	for _, l := range p.out[from:] {
		if strings.Contains(l, s) {
			n++
		}
	}
	return n
}
