package main

import (
	"encoding/json"
	"fmt"
	"testing"
	"time"

	cws "github.com/coder/websocket"
)

// emuGoroutines asks a running emu how many goroutines it has.
func emuGoroutines(t *testing.T, p *emuProc) int {
	t.Helper()
	code, body, _ := p.get("/cdn-cgi/emu/api/runtime")
	var rt struct{ Goroutines int }
	if err := json.Unmarshal([]byte(body), &rt); code != 200 || err != nil || rt.Goroutines == 0 {
		t.Fatalf("runtime stats: %d %q %v", code, body, err)
	}
	return rt.Goroutines
}

// TestNoGoroutineLeak: sockets of both kinds, opened and closed (cleanly and
// by a TCP drop), requests, a forced hibernation and a wake leave emu with
// the goroutines it had before. The count is polled, with a deadline, until
// it is back: goroutines of closed connections end shortly after the close.
func TestNoGoroutineLeak(t *testing.T) {
	t.Parallel()
	p := startEmu(t, testdataCopy(t, "do-features"))
	p.get("/")
	base := emuGoroutines(t, p)

	var socks []*cws.Conn
	for i := 0; i < 20; i++ {
		c := dialWS(t, p, fmt.Sprintf("/ws?tag=t%d", i))
		roundTrip(t, c, "hi")
		socks = append(socks, c)
	}
	open := emuGoroutines(t, p)
	if _, body, _ := p.do("POST", "/cdn-cgi/emu/hibernate", nil); body != "hibernated 1\n" {
		t.Fatalf("hibernate: %q", body)
	}
	roundTrip(t, socks[0], "wake")
	for i, c := range socks {
		if i%2 == 0 {
			_ = c.Close(cws.StatusNormalClosure, "bye")
		} else {
			_ = c.CloseNow() // a TCP drop
		}
	}
	for i := 0; i < 20; i++ {
		p.get("/")
	}

	deadline := time.Now().Add(10 * time.Second)
	for {
		// One goroutine may be this stats request's own connection.
		n := emuGoroutines(t, p)
		if n <= base+1 {
			// The count does see sockets (each open one has its reader;
			// other goroutines come and go, so only a clear majority is
			// required of the difference).
			if open-n < len(socks)/2 {
				t.Fatalf("%d goroutines with %d sockets open, %d after they closed", open, len(socks), n)
			}
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("emu has %d goroutines, %d before the sockets and requests", n, base)
		}
		time.Sleep(50 * time.Millisecond) // polling an external process
	}
}
