package main

import (
	"context"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// TestHibernationDuringUpgrade: a socket the object accepted is its own from
// the moment the Response is returned, while the 101 is still being written.
// Forced evictions hammered in parallel with many upgrades must never tear a
// socket down between the 101 and its coupling to the connection: every
// client gets its echo.
func TestHibernationDuringUpgrade(t *testing.T) {
	t.Parallel()
	p := startEmu(t, testdataCopy(t, "do-features"))
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()

	stop := make(chan struct{})
	var evictions atomic.Int64
	var wg sync.WaitGroup
	wg.Add(1)
	go func() { // evict as often as the server allows
		defer wg.Done()
		tr := &http.Transport{}
		defer tr.CloseIdleConnections()
		cl := &http.Client{Transport: tr}
		for {
			select {
			case <-stop:
				return
			default:
			}
			req, _ := http.NewRequestWithContext(ctx, "POST", p.URL+"/cdn-cgi/emu/hibernate", nil)
			resp, err := cl.Do(req)
			if err != nil {
				return
			}
			resp.Body.Close()
			evictions.Add(1)
		}
	}()
	defer func() { close(stop); wg.Wait() }()

	const clients = 300
	for i := 0; i < clients; i++ {
		c := dialWS(t, p, "/ws?tag=t")
		if got := roundTrip(t, c, "x"); !strings.Contains(got, `"message":"x"`) {
			t.Fatalf("client %d: reply %q", i, got)
		}
		c.CloseNow()
	}
	if evictions.Load() == 0 {
		t.Fatal("no eviction ran alongside the upgrades")
	}
}
