package main

import (
	"context"
	"fmt"
)

// httpRow: testdata/bench-hello under conns keep-alive connections for
// -duration (like wrk -t2 -c50), after -warmup. Bare: net/http's hello.
func httpRow(o options) *row {
	return &row{
		name:    "http",
		path:    fmt.Sprintf("HTTP hello Worker, %d keep-alive connections, %s", o.conns, o.duration),
		bare:    "net/http hello",
		metrics: []metric{{key: "rps", unit: "req/s", target: ratioAtLeast(0.5)}},
		measure: func(ctx context.Context, b *bench, s side) (sample, []string, error) {
			srv, err := b.startSide(ctx, s, "bench-hello", "http")
			if err != nil {
				return nil, nil, err
			}
			defer srv.stop()
			rps, err := loadAfterWarmup(ctx, b.opts, srv.addr, "/", wantBody("hello"))
			if err != nil {
				return nil, nil, err
			}
			return sample{"rps": rps}, nil, nil
		},
	}
}

// loadAfterWarmup runs the load for -warmup (not counted), then for
// -duration, and returns requests per second.
func loadAfterWarmup(ctx context.Context, o options, addr, path string, check checkFunc) (float64, error) {
	if o.warmup > 0 {
		if _, err := httpLoad(ctx, addr, path, o.conns, o.perSource, o.warmup, check); err != nil {
			return 0, fmt.Errorf("warm-up: %w", err)
		}
	}
	res, err := httpLoad(ctx, addr, path, o.conns, o.perSource, o.duration, check)
	if err != nil {
		return 0, err
	}
	return res.perSecond(), nil
}
