package main

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// manyRow: testdata/bench-many, -objects objects with one hibernatable
// WebSocket each, all evicted with emu's dev control; RSS of emu then, and
// the round trip of a message to a hibernated object (constructor + handler
// + reply), over -wakes distinct objects. No bare side.
func manyRow(o options) *row {
	return &row{
		name: "many",
		path: fmt.Sprintf("%s hibernated objects (bench-many), one socket each: RSS; wake = message to one → reply, p50 of %d",
			thousands(int64(o.objects)), o.wakes),
		metrics: []metric{
			{key: "hibernated", label: "objects hibernated", unit: "objects", target: atLeast(float64(o.objects), "all "+thousands(int64(o.objects)))},
			{key: "rss", label: "RSS MiB", unit: "MiB", target: atMost(500, "≤ 500 MiB")},
			{key: "wake", label: "wake p50 ms", unit: "ms", target: atMost(1, "≤ 1 ms")},
		},
		measure: func(ctx context.Context, b *bench, _ side) (sample, []string, error) {
			dir, err := b.testdataCopy("bench-many")
			if err != nil {
				return nil, nil, err
			}
			// Eviction only by the dev control below, so it evicts them all.
			srv, err := b.startEmu(ctx, dir, "--hibernate-after", "1h")
			if err != nil {
				return nil, nil, err
			}
			defer srv.stop()
			var notes []string
			n, capNote := b.socketCap("many", o.objects)
			if capNote != "" {
				notes = append(notes, capNote)
			}
			dialed := dialMany(ctx, n, o.perSource, o.dialConc,
				func(i int) string { return "ws://" + srv.addr + "/ws?name=o" + strconv.Itoa(i) },
				func(n int) { b.logf("many: %s objects with a socket", thousands(int64(n))) })
			defer dropAll(dialed.clients)
			if dialed.opened < n {
				notes = append(notes, fmt.Sprintf("many: opened %d of %d sockets; first error: %v", dialed.opened, n, dialed.firstErr))
			}
			status, body, err := simpleRequest(ctx, "POST", "http://"+srv.addr+"/cdn-cgi/emu/hibernate")
			if err != nil {
				return nil, notes, fmt.Errorf("hibernating: %w", err)
			}
			hibernated, err := strconv.Atoi(strings.TrimSpace(strings.TrimPrefix(body, "hibernated ")))
			if status != 200 || err != nil {
				return nil, notes, fmt.Errorf("hibernating: %d %q", status, body)
			}
			if hibernated != dialed.opened {
				return nil, notes, fmt.Errorf("hibernated %d objects, want all %d with a socket", hibernated, dialed.opened)
			}
			rss, err := srv.rss()
			if err != nil {
				return nil, notes, err
			}
			ds, err := wakeEach(dialed.clients, o.wakes)
			if err != nil {
				return nil, notes, err
			}
			srv.stop()
			return sample{"hibernated": float64(hibernated), "rss": mib(rss), "wake": p50ms(ds)}, notes, nil
		},
	}
}

// wakeEach sends one message to each of up to n hibernated objects (spread
// evenly over the open clients) and times the echo.
func wakeEach(cs []*wsClient, n int) ([]time.Duration, error) {
	var open []int
	for i, c := range cs {
		if c != nil {
			open = append(open, i)
		}
	}
	n = min(n, len(open))
	deadline := time.Now().Add(time.Minute + time.Duration(n)*10*time.Millisecond)
	ds := make([]time.Duration, 0, n)
	for k := range n {
		i := open[k*len(open)/n]
		msg := []byte("wake " + strconv.Itoa(i))
		t0 := time.Now()
		got, err := cs[i].roundTrip(msg, deadline)
		if err != nil {
			return nil, fmt.Errorf("waking object o%d: %w", i, err)
		}
		d := time.Since(t0)
		if string(got) != string(msg) {
			return nil, fmt.Errorf("object o%d answered %q, want %q", i, got, msg)
		}
		ds = append(ds, d)
	}
	return ds, nil
}
