package main

import (
	"context"
	"fmt"
)

// httpP50Row: testdata/bench-hello, one connection, requests one after
// another; the median round trip.
func httpP50Row(o options) *row {
	return &row{
		name:    "http-p50",
		path:    fmt.Sprintf("HTTP hello p50, 1 connection × %d sequential", o.seq),
		bare:    "net/http hello",
		metrics: []metric{{key: "p50", label: "p50 ms", unit: "ms", target: ratioAtMost(1.5)}},
		measure: func(ctx context.Context, b *bench, s side) (sample, []string, error) {
			srv, err := b.startSide(ctx, s, "bench-hello", "http")
			if err != nil {
				return nil, nil, err
			}
			defer srv.stop()
			ds, err := httpSequential(ctx, srv.addr, "/", max(o.seq/10, 10), o.seq, wantBody("hello"))
			if err != nil {
				return nil, nil, err
			}
			return sample{"p50": p50ms(ds)}, nil, nil
		},
	}
}
