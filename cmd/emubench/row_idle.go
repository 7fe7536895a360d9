package main

import (
	"context"
	"fmt"
	"regexp"
	"strconv"
	"time"
)

// idleRow: -sockets WebSockets held open and idle on one object
// (testdata/hibernation-js's "foo"), spread over source addresses. Open is
// the server's own count (/getCurrentConnections), RSS is VmRSS of the
// server process once all are open; an echo on a sample of them checks they
// work. Bare: coder/websocket holding the same count.
func idleRow(o options) *row {
	return &row{
		name: "idle",
		path: fmt.Sprintf("idle WebSockets on one object (hibernation-js), %s sockets", thousands(int64(o.sockets))),
		bare: "coder/websocket holding the same count",
		metrics: []metric{
			{key: "open", label: "open sockets", unit: "open", target: atLeast(float64(o.sockets), "all "+thousands(int64(o.sockets))+" open")},
			{key: "rss", label: "RSS MiB", unit: "MiB", target: atMost(2048, "≤ 2 GiB")},
			{key: "per", label: "RSS KiB per socket", unit: "KiB/socket"},
			{key: "proj", label: "RSS MiB at " + thousands(int64(o.sockets)) + ", extrapolated (fewer could be opened)",
				unit: "MiB", target: atMost(2048, "≤ 2 GiB"), optional: true},
			{key: "rate", unit: "opened/s"},
		},
		measure: func(ctx context.Context, b *bench, s side) (sample, []string, error) {
			srv, err := b.startSide(ctx, s, "hibernation-js", "ws")
			if err != nil {
				return nil, nil, err
			}
			defer srv.stop()
			var notes []string
			n, capNote := b.socketCap("idle", o.sockets)
			if capNote != "" && s == sideEmu {
				notes = append(notes, capNote)
			}
			base, err := srv.rss()
			if err != nil {
				return nil, nil, err
			}
			url := "ws://" + srv.addr + "/websocket"
			dialed := dialMany(ctx, n, o.perSource, o.dialConc, func(int) string { return url },
				func(n int) { b.logf("idle: %s: %s sockets open", s, thousands(int64(n))) })
			defer dropAll(dialed.clients)
			if dialed.opened < n {
				notes = append(notes, fmt.Sprintf("idle, %s: opened %s of %s sockets; first error: %v",
					s, thousands(int64(dialed.opened)), thousands(int64(n)), dialed.firstErr))
			}
			rss, err := srv.rss()
			if err != nil {
				return nil, notes, err
			}
			open, err := countOpen(ctx, srv.addr)
			if err != nil {
				return nil, notes, err
			}
			if open != dialed.opened {
				notes = append(notes, fmt.Sprintf("idle, %s: the server counts %d sockets, the client opened %d", s, open, dialed.opened))
			}
			if err := echoSample(dialed.clients, 100); err != nil {
				return nil, notes, err
			}
			// Stop the server before the clients go: 100,000 sockets
			// dropped first would be 100,000 close events to run.
			srv.stop()
			smp := sample{"open": float64(open), "rss": mib(rss), "rate": float64(dialed.opened) / dialed.elapsed.Seconds()}
			if dialed.opened > 0 {
				smp["per"] = float64(rss-base) / 1024 / float64(dialed.opened)
				if dialed.opened < o.sockets {
					// A straight line through RSS before and with the sockets.
					smp["proj"] = mib(base) + smp["per"]*float64(o.sockets)/1024
				}
			}
			return smp, notes, nil
		},
	}
}

var connectionsRE = regexp.MustCompile(`(\d+) WebSocket clients? connected`)

// countOpen asks the object (or the bare server) how many sockets it holds.
func countOpen(ctx context.Context, addr string) (int, error) {
	status, body, err := simpleRequest(ctx, "GET", "http://"+addr+"/getCurrentConnections")
	if err != nil {
		return 0, fmt.Errorf("counting sockets: %w", err)
	}
	m := connectionsRE.FindStringSubmatch(body)
	if status != 200 || m == nil {
		return 0, fmt.Errorf("counting sockets: %d %q", status, body)
	}
	return strconv.Atoi(m[1])
}

// echoSample checks one echo on up to n open clients spread evenly.
func echoSample(cs []*wsClient, n int) error {
	var open []int
	for i, c := range cs {
		if c != nil {
			open = append(open, i)
		}
	}
	deadline := time.Now().Add(30 * time.Second)
	for k := range min(n, len(open)) {
		i := open[k*len(open)/min(n, len(open))]
		if err := expectEcho(cs[i], echoPayload(nil, i, 0), deadline); err != nil {
			return fmt.Errorf("echo on socket %d: %w", i, err)
		}
	}
	return nil
}

func mib(bytes int64) float64 { return float64(bytes) / (1 << 20) }
