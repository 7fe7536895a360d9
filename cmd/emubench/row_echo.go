package main

import (
	"context"
	"fmt"
	"strconv"
	"sync"
	"time"
)

// echoRow: WebSocket echo throughput on testdata/hibernation-js (every
// client on the one object "foo"), clients × messages written as fast as
// possible while a reader takes the replies. Bare: coder/websocket echoing
// with the same prefix.
func echoRow(o options) *row {
	return &row{
		name:    "echo",
		path:    fmt.Sprintf("WebSocket echo, hibernation-js, %d clients × %d pipelined", o.clients, o.messages),
		bare:    "coder/websocket echo server",
		metrics: []metric{{key: "msgs", unit: "msg/s", target: ratioAtLeast(0.8)}},
		measure: func(ctx context.Context, b *bench, s side) (sample, []string, error) {
			srv, err := b.startSide(ctx, s, "hibernation-js", "ws")
			if err != nil {
				return nil, nil, err
			}
			defer srv.stop()
			rate, err := echoThroughput(ctx, "ws://"+srv.addr+"/websocket", o.clients, o.messages, o.perSource)
			if err != nil {
				return nil, nil, err
			}
			return sample{"msgs": rate}, nil, nil
		},
	}
}

// echoPayload is the m-th message of client c.
func echoPayload(buf []byte, c, m int) []byte {
	buf = append(buf[:0], "msg "...)
	buf = strconv.AppendInt(buf, int64(c), 10)
	buf = append(buf, '-')
	return strconv.AppendInt(buf, int64(m), 10)
}

// echoThroughput connects clients, checks one echo on each (the warm-up,
// not counted), then has each write messages back to back while its reader
// checks every reply; it returns replies per second from the first write to
// the last reply.
func echoThroughput(ctx context.Context, url string, clients, messages, per int) (float64, error) {
	dialed := dialMany(ctx, clients, per, 16, func(int) string { return url }, nil)
	defer dropAll(dialed.clients)
	if dialed.failed > 0 {
		return 0, fmt.Errorf("%d of %d clients failed to connect: %w", dialed.failed, clients, dialed.firstErr)
	}
	deadline := time.Now().Add(2*time.Minute + time.Duration(clients*messages)*100*time.Microsecond)
	for i, c := range dialed.clients {
		if err := expectEcho(c, echoPayload(nil, i, -1), deadline); err != nil {
			return 0, fmt.Errorf("warm-up echo on client %d: %w", i, err)
		}
	}
	var (
		wg       sync.WaitGroup
		mu       sync.Mutex
		firstErr error
		last     time.Time
	)
	fail := func(err error) {
		mu.Lock()
		if firstErr == nil {
			firstErr = err
		}
		mu.Unlock()
	}
	start := time.Now()
	for ci, c := range dialed.clients {
		wg.Add(2)
		go func() { // writer
			defer wg.Done()
			var buf []byte
			for m := range messages {
				buf = echoPayload(buf, ci, m)
				if err := c.send(buf); err != nil {
					fail(fmt.Errorf("client %d: send %d: %w", ci, m, err))
					c.drop() // unblocks the reader
					return
				}
			}
		}()
		go func() { // reader
			defer wg.Done()
			var want, sent []byte
			for m := range messages {
				got, err := c.recv()
				if err != nil {
					fail(fmt.Errorf("client %d: reply %d: %w", ci, m, err))
					c.drop() // unblocks the writer
					return
				}
				sent = echoPayload(sent, ci, m)
				want = append(append(want[:0], echoPrefix...), sent...)
				if string(got) != string(want) {
					fail(fmt.Errorf("client %d: reply %d is %q, want %q", ci, m, got, want))
					c.drop()
					return
				}
			}
			end := time.Now()
			mu.Lock()
			if end.After(last) {
				last = end
			}
			mu.Unlock()
		}()
	}
	wg.Wait()
	if firstErr != nil {
		return 0, firstErr
	}
	return float64(clients*messages) / last.Sub(start).Seconds(), nil
}

// expectEcho does one round trip and checks the prefixed reply.
func expectEcho(c *wsClient, p []byte, deadline time.Time) error {
	got, err := c.roundTrip(p, deadline)
	if err != nil {
		return err
	}
	if want := echoPrefix + string(p); string(got) != want {
		return fmt.Errorf("reply %q, want %q", got, want)
	}
	return nil
}
