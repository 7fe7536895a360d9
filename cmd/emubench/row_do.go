package main

import (
	"context"
	"fmt"
	"strconv"
	"time"
)

// doRow: testdata/bench-do, a Worker forwarding every request with
// stub.fetch to one Durable Object that does storage get + put. Req/s under
// -conns connections, and the median round trip on one connection. Bare: a
// net/http server doing a SQLite get + put per request. Afterwards the
// counter must equal the number of requests served (no write lost).
func doRow(o options) *row {
	return &row{
		name: "do",
		path: fmt.Sprintf("Worker → DO stub.fetch, storage get + put, one object (%d connections; p50 on 1 × %d)", o.conns, o.seq),
		bare: "net/http + SQLite get+put",
		metrics: []metric{
			{key: "rps", unit: "req/s", target: atLeast(10000, "≥ 10,000 req/s")},
			{key: "p50", label: "p50 ms (1 connection)", unit: "ms", target: atMost(0.15, "≤ 0.15 ms")},
		},
		measure: func(ctx context.Context, b *bench, s side) (sample, []string, error) {
			srv, err := b.startSide(ctx, s, "bench-do", "do")
			if err != nil {
				return nil, nil, err
			}
			defer srv.stop()
			served := 0
			load := func(d time.Duration) (loadResult, error) {
				res, err := httpLoad(ctx, srv.addr, "/", o.conns, o.perSource, d, counterBody)
				served += res.requests
				return res, err
			}
			if o.warmup > 0 {
				if _, err := load(o.warmup); err != nil {
					return nil, nil, fmt.Errorf("warm-up: %w", err)
				}
			}
			res, err := load(o.duration)
			if err != nil {
				return nil, nil, err
			}
			warm := max(o.seq/10, 10)
			ds, err := httpSequential(ctx, srv.addr, "/", warm, o.seq, counterBody)
			if err != nil {
				return nil, nil, fmt.Errorf("sequential: %w", err)
			}
			served += warm + o.seq
			last, err := httpSequential(ctx, srv.addr, "/", 0, 1, wantBody(strconv.Itoa(served+1)))
			if err != nil || len(last) != 1 {
				return nil, nil, fmt.Errorf("the counter after %d requests: %w", served, err)
			}
			return sample{"rps": res.perSecond(), "p50": p50ms(ds)}, nil, nil
		},
	}
}

// counterBody accepts a 200 whose body is a positive integer.
func counterBody(status int, body []byte) error {
	if n, err := strconv.Atoi(string(body)); status != 200 || err != nil || n < 1 {
		return fmt.Errorf("got %d %q, want 200 and a counter", status, body)
	}
	return nil
}
