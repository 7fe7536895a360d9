package main

import (
	"context"
	"fmt"
	"time"
)

// echoP50Row: one client, messages one at a time (send, wait for the
// reply), on testdata/hibernation-js; the median round trip.
func echoP50Row(o options) *row {
	return &row{
		name:    "echo-p50",
		path:    fmt.Sprintf("WebSocket echo p50, hibernation-js, 1 client × %d sequential", o.seq),
		bare:    "coder/websocket echo server",
		metrics: []metric{{key: "p50", label: "p50 ms", unit: "ms", target: ratioAtMost(1.5)}},
		measure: func(ctx context.Context, b *bench, s side) (sample, []string, error) {
			srv, err := b.startSide(ctx, s, "hibernation-js", "ws")
			if err != nil {
				return nil, nil, err
			}
			defer srv.stop()
			ds, err := echoSequential(ctx, "ws://"+srv.addr+"/websocket", max(o.seq/10, 10), o.seq)
			if err != nil {
				return nil, nil, err
			}
			return sample{"p50": p50ms(ds)}, nil, nil
		},
	}
}

// echoSequential does warm round trips (not counted), then n timed ones.
func echoSequential(ctx context.Context, url string, warm, n int) ([]time.Duration, error) {
	c, err := dialWS(ctx, url, sourceIP(0, 1))
	if err != nil {
		return nil, err
	}
	defer c.drop()
	deadline := time.Now().Add(time.Minute + time.Duration(warm+n)*10*time.Millisecond)
	ds := make([]time.Duration, 0, n)
	var buf []byte
	for i := range warm + n {
		if ctx.Err() != nil {
			return nil, context.Cause(ctx)
		}
		buf = echoPayload(buf, 0, i)
		t0 := time.Now()
		if err := expectEcho(c, buf, deadline); err != nil {
			return nil, fmt.Errorf("message %d: %w", i, err)
		}
		if i >= warm {
			ds = append(ds, time.Since(t0))
		}
	}
	return ds, nil
}
