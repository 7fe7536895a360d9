package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// launchRow: `emu dev` on a copy of testdata/bench-hello, -launches times:
// from starting the process to the first 200 (polled every 1 ms); then, on
// one running emu, -launches saves of index.js with a new body: from the
// write to the new body answering. Medians per round. No bare side.
func launchRow(o options) *row {
	return &row{
		name: "launch",
		path: fmt.Sprintf("launch → first 200; save → new code answering (bench-hello, median of %d each)", o.launches),
		metrics: []metric{
			{key: "launch", label: "launch → 200 ms", unit: "ms", target: atMost(50, "≤ 50 ms")},
			{key: "save", label: "save → new code ms", unit: "ms", target: atMost(30, "≤ 30 ms")},
		},
		measure: func(ctx context.Context, b *bench, _ side) (sample, []string, error) {
			dir, err := b.testdataCopy("bench-hello")
			if err != nil {
				return nil, nil, err
			}
			var launches []time.Duration
			for range o.launches {
				d, err := b.launchOnce(ctx, dir)
				if err != nil {
					return nil, nil, err
				}
				launches = append(launches, d)
			}
			saves, err := b.saves(ctx, dir, o.launches)
			if err != nil {
				return nil, nil, err
			}
			return sample{"launch": p50ms(launches), "save": p50ms(saves)}, nil, nil
		},
	}
}

// launchOnce starts emu on a free port and times it to the first 200.
func (b *bench) launchOnce(ctx context.Context, dir string) (time.Duration, error) {
	port, err := freePort()
	if err != nil {
		return 0, err
	}
	addr := "127.0.0.1:" + strconv.Itoa(port)
	start := time.Now()
	p, err := b.spawn("emu", b.emuBin, dir, []string{"dev", "--port", strconv.Itoa(port), "--log-level", b.opts.logLevel}, nil)
	if err != nil {
		return 0, err
	}
	defer p.stop()
	end, err := pollUntil(ctx, addr, "/", wantBody("hello"), 30*time.Second)
	if err != nil {
		return 0, fmt.Errorf("launch: %w%s", err, p.logTail(10))
	}
	return end.Sub(start), nil
}

// saves runs emu and rewrites index.js n times, each with a new body,
// timing each write to the new body answering.
func (b *bench) saves(ctx context.Context, dir string, n int) ([]time.Duration, error) {
	p, err := b.startEmu(ctx, dir)
	if err != nil {
		return nil, err
	}
	defer p.stop()
	if _, err := pollUntil(ctx, p.addr, "/", wantBody("hello"), 30*time.Second); err != nil {
		return nil, err
	}
	entry := filepath.Join(dir, "index.js")
	src, err := os.ReadFile(entry)
	if err != nil {
		return nil, err
	}
	const body = `new Response("hello")`
	if !strings.Contains(string(src), body) {
		return nil, fmt.Errorf("%s has no %s to change", entry, body)
	}
	var ds []time.Duration
	for i := range n {
		want := "hello v" + strconv.Itoa(i+1)
		next := strings.Replace(string(src), body, `new Response("`+want+`")`, 1)
		start := time.Now()
		if err := os.WriteFile(entry, []byte(next), 0o644); err != nil {
			return nil, err
		}
		end, err := pollUntil(ctx, p.addr, "/", wantBody(want), 30*time.Second)
		if err != nil {
			return nil, fmt.Errorf("save %d: %w%s", i+1, err, p.logTail(10))
		}
		ds = append(ds, end.Sub(start))
	}
	return ds, nil
}
