package main

import (
	"encoding/json"
	"testing"
	"time"
)

type counterState struct {
	Loaded   bool `json:"loaded"`
	Value    int  `json:"value"`
	Instance int  `json:"instance"`
}

// TestBlockConcurrencyWhileInConstructor: a constructor that awaits inside
// blockConcurrencyWhile (the docs' way to load state) delays the object's
// first event until it is done, and nothing else has to enter the isolate
// for that to happen: the first fetch, the first RPC call, the first message
// after a wake from hibernation and an alarm that wakes the object are each
// answered on their own.
func TestBlockConcurrencyWhileInConstructor(t *testing.T) {
	t.Parallel()
	p := startEmu(t, testdataCopy(t, "block-concurrency"))
	decode := func(what, s string) counterState {
		t.Helper()
		var st counterState
		if err := json.Unmarshal([]byte(s), &st); err != nil {
			t.Fatalf("%s: %q: %v", what, s, err)
		}
		return st
	}

	if code, body, _ := p.get("/?name=a"); code != 200 || decode("first fetch", body) != (counterState{true, 0, 1}) {
		t.Fatalf("first fetch: %d %s", code, body)
	}
	if code, body, _ := p.get("/rpc?name=b"); code != 200 || decode("first RPC", body) != (counterState{true, 1, 2}) {
		t.Fatalf("first RPC: %d %s", code, body)
	}

	c := dialWS(t, p, "/ws?name=b")
	if st := decode("message", roundTrip(t, c, "hi")); st != (counterState{true, 1, 2}) {
		t.Fatalf("message before hibernation: %+v", st)
	}
	if _, body, _ := p.do("POST", "/cdn-cgi/emu/hibernate", nil); body != "hibernated 2\n" {
		t.Fatalf("hibernate control: %q", body)
	}
	if st := decode("message after wake", roundTrip(t, c, "again")); st != (counterState{true, 1, 3}) {
		t.Fatalf("message after a wake: %+v", st)
	}

	// An alarm that wakes a hibernated object runs after its constructor's
	// blockConcurrencyWhile too (the alarm is 1.5 s out, so the object is
	// hibernated by then).
	if code, body, _ := p.get("/alarm?name=d"); code != 200 || decode("alarm fetch", body) != (counterState{true, 0, 4}) {
		t.Fatalf("set alarm: %d %s", code, body)
	}
	mark := p.lines()
	if _, body, _ := p.do("POST", "/cdn-cgi/emu/hibernate", nil); body != "hibernated 2\n" { // b (woken above) and d
		t.Fatalf("hibernate control before the alarm: %q", body)
	}
	p.waitForAfter(mark, "alarm ran: loaded=true instance=5", 10*time.Second)
}
