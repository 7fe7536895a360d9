package main

import (
	"bufio"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"net"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/gobwas/ws"
)

// maxSources is how many source addresses sockets may spread over:
// 127.0.0.2 .. 127.0.0.254.
const maxSources = 253

// ipBindAddressNoPort is IP_BIND_ADDRESS_NO_PORT from <linux/in.h>: bind()
// takes the source address but leaves the port to connect(), which then
// needs only the 4-tuple to be unique. Without it, every bind() would reserve
// an ephemeral port for itself on the whole machine, and 100,000 sockets
// would starve other programs' connect() of ports.
const ipBindAddressNoPort = 24

// dialTimeout bounds one connect + handshake.
const dialTimeout = 30 * time.Second

// sourceIP is the source address of the i-th socket when per sockets share
// one: 127.0.0.2 for the first per, then 127.0.0.3, ... The ephemeral port
// range (32768-60999 here) is per source address, so more than ~28,000
// sockets to one server need several.
func sourceIP(i, per int) net.IP {
	return net.IPv4(127, 0, 0, byte(2+i/per))
}

// netDialer dials from src (any port).
func netDialer(src net.IP) *net.Dialer {
	return &net.Dialer{
		Timeout:   dialTimeout,
		LocalAddr: &net.TCPAddr{IP: src},
		Control: func(_, _ string, c syscall.RawConn) error {
			var serr error
			err := c.Control(func(fd uintptr) {
				serr = syscall.SetsockoptInt(int(fd), syscall.IPPROTO_IP, ipBindAddressNoPort, 1)
			})
			return errors.Join(err, serr)
		},
	}
}

// wsClient is a lean WebSocket client: a net.Conn, no goroutine, buffers
// allocated on first use (an idle socket costs a descriptor and a few
// hundred bytes).
type wsClient struct {
	conn net.Conn
	br   *bufio.Reader
	hdr  []byte // frame header scratch
	wbuf []byte // one outgoing frame
	rbuf []byte // one incoming frame's payload
	msg  []byte // the message being assembled
}

// dialWS opens a WebSocket to url from src.
func dialWS(ctx context.Context, url string, src net.IP) (*wsClient, error) {
	d := ws.Dialer{Timeout: dialTimeout, NetDial: netDialer(src).DialContext}
	conn, br, _, err := d.Dial(ctx, url)
	if err != nil {
		return nil, err
	}
	return &wsClient{conn: conn, br: br}, nil
}

// send writes one masked text frame with payload p in one write.
func (c *wsClient) send(p []byte) error {
	mask := ws.NewMask()
	b := c.wbuf[:0]
	b = append(b, 0x80|byte(ws.OpText))
	switch n := len(p); {
	case n < 126:
		b = append(b, 0x80|byte(n))
	case n <= 0xffff:
		b = append(b, 0x80|126)
		b = binary.BigEndian.AppendUint16(b, uint16(n))
	default:
		b = append(b, 0x80|127)
		b = binary.BigEndian.AppendUint64(b, uint64(n))
	}
	b = append(b, mask[:]...)
	start := len(b)
	b = append(b, p...)
	ws.Cipher(b[start:], mask, 0)
	c.wbuf = b
	_, err := c.conn.Write(b)
	return err
}

// recv returns the next data message (valid until the next recv); a close
// frame is an error naming its code and reason.
func (c *wsClient) recv() ([]byte, error) {
	if c.br == nil {
		c.br = bufio.NewReaderSize(c.conn, 4096)
	}
	if c.hdr == nil {
		c.hdr = make([]byte, 0, ws.MaxHeaderSize)
	}
	c.msg = c.msg[:0]
	for {
		h, err := ws.ReadHeaderBuffer(c.br, c.hdr)
		if err != nil {
			return nil, err
		}
		if h.Length > 64<<20 {
			return nil, fmt.Errorf("frame of %d bytes", h.Length)
		}
		if int64(cap(c.rbuf)) < h.Length {
			c.rbuf = make([]byte, h.Length)
		}
		payload := c.rbuf[:h.Length]
		if _, err := io.ReadFull(c.br, payload); err != nil {
			return nil, err
		}
		if h.Masked {
			ws.Cipher(payload, h.Mask, 0)
		}
		switch h.OpCode {
		case ws.OpClose:
			code, reason := ws.ParseCloseFrameData(payload)
			return nil, fmt.Errorf("closed by the server: %d %q", code, reason)
		case ws.OpPing, ws.OpPong:
			continue // neither server pings in these rows
		}
		c.msg = append(c.msg, payload...)
		if h.Fin {
			return c.msg, nil
		}
	}
}

// roundTrip sends p and waits (until deadline) for the reply.
func (c *wsClient) roundTrip(p []byte, deadline time.Time) ([]byte, error) {
	_ = c.conn.SetDeadline(deadline)
	if err := c.send(p); err != nil {
		return nil, err
	}
	return c.recv()
}

// drop closes the TCP connection at once (RST, no TIME_WAIT left behind).
func (c *wsClient) drop() {
	if tc, ok := c.conn.(*net.TCPConn); ok {
		_ = tc.SetLinger(0)
	}
	_ = c.conn.Close()
}

// dialOutcome is what dialMany got.
type dialOutcome struct {
	clients  []*wsClient // nil where the dial failed
	opened   int
	failed   int
	firstErr error
	elapsed  time.Duration
}

// maxDialFailures stops dialMany early: past it the server (or the
// machine) is not taking more sockets, and waiting out every dial timeout
// would only make the run long.
const maxDialFailures = 200

// dialMany opens n WebSockets, url(i) for the i-th, at most conc handshakes
// at a time, per sockets per source address. progress (if set) is called
// every 10,000 sockets.
func dialMany(ctx context.Context, n, per, conc int, url func(i int) string, progress func(opened int)) dialOutcome {
	out := dialOutcome{clients: make([]*wsClient, n)}
	var next, opened, failed atomic.Int64
	var mu sync.Mutex
	var wg sync.WaitGroup
	start := time.Now()
	for range min(conc, n) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for ctx.Err() == nil && failed.Load() < maxDialFailures {
				i := int(next.Add(1) - 1)
				if i >= n {
					return
				}
				c, err := dialWS(ctx, url(i), sourceIP(i, per))
				if err != nil {
					failed.Add(1)
					mu.Lock()
					if out.firstErr == nil {
						out.firstErr = fmt.Errorf("socket %d (from %s): %w", i, sourceIP(i, per), err)
					}
					mu.Unlock()
					continue
				}
				out.clients[i] = c
				if o := opened.Add(1); progress != nil && o%10000 == 0 {
					progress(int(o))
				}
			}
		}()
	}
	wg.Wait()
	out.opened, out.failed, out.elapsed = int(opened.Load()), int(failed.Load()), time.Since(start)
	if out.firstErr == nil && ctx.Err() != nil && out.opened < n {
		out.firstErr = context.Cause(ctx)
	}
	return out
}

// dropAll closes every client, a few goroutines at a time.
func dropAll(cs []*wsClient) {
	var wg sync.WaitGroup
	const workers = 8
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := w; i < len(cs); i += workers {
				if cs[i] != nil {
					cs[i].drop()
				}
			}
		}()
	}
	wg.Wait()
}
