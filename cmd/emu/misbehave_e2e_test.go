package main

import (
	"context"
	"encoding/json"
	"net/http"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	cws "github.com/coder/websocket"
)

// roomCounts reads the Room object's counters (testdata/misbehave).
type roomCounts struct {
	Closes, Errors, AcceptCloses, AcceptErrors, Alarms, Sockets int
}

func counts(t *testing.T, p *emuProc, room string) roomCounts {
	t.Helper()
	status, body, _ := p.get("/counts?room=" + room)
	var c roomCounts
	if err := json.Unmarshal([]byte(body), &c); status != 200 || err != nil {
		t.Fatalf("counts: %d %q %v", status, body, err)
	}
	return c
}

// waitCounts polls the counters (another process's state) until ok, with a
// deadline.
func waitCounts(t *testing.T, p *emuProc, room string, d time.Duration, ok func(roomCounts) bool) roomCounts {
	t.Helper()
	deadline := time.Now().Add(d)
	for {
		c := counts(t, p, room)
		if ok(c) {
			return c
		}
		if time.Now().After(deadline) {
			t.Fatalf("counters of %s after %s: %+v", room, d, c)
		}
		time.Sleep(20 * time.Millisecond) // polling an external process
	}
}

// rssMiB is a process's resident set size.
func rssMiB(t *testing.T, pid int) int {
	t.Helper()
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/status")
	if err != nil {
		t.Skipf("no /proc: %v", err)
	}
	for _, line := range strings.Split(string(b), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			kb, _ := strconv.Atoi(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")))
			return kb >> 10
		}
	}
	t.Fatal("no VmRSS")
	return 0
}

// TestMisbehavingScripts: deep recursion, allocation bombs, endless loops in
// a Durable Object's constructor, alarm() and webSocketMessage, and a
// handler that never settles each end with workerd's answer for that event
// alone; emu's memory stays bounded and it keeps serving.
func TestMisbehavingScripts(t *testing.T) {
	t.Parallel()
	// A small memory limit, so the bombs reach it long before the 1 s CPU
	// limit even under -race (which makes copying a large string slow).
	p := startEmuEnv(t, testdataCopy(t, "misbehave"), []string{"EMU_MEMORY_LIMIT_MB=48"})
	stillServing := func(t *testing.T, after string) {
		t.Helper()
		if status, body, _ := p.get("/"); status != 200 || body != "still here" {
			t.Fatalf("after %s: %d %q", after, status, body)
		}
	}

	t.Run("deep recursion", func(t *testing.T) {
		status, body, _ := p.get("/recurse")
		if status != 500 || !strings.HasPrefix(body, "RangeError: Maximum call stack size exceeded") {
			t.Fatalf("/recurse: %d %q", status, body)
		}
		stillServing(t, "recursion")
	})

	for _, path := range []string{"/bomb", "/array-bomb"} {
		t.Run(path, func(t *testing.T) {
			mark := p.lines()
			status, body, _ := p.get(path)
			if status != 503 || body != "Worker exceeded memory limit." {
				t.Fatalf("%s: %d %q", path, status, body)
			}
			p.waitForAfter(mark, "✘ [ERROR] Worker exceeded memory limit.", 5*time.Second)
			if rss := rssMiB(t, p.cmd.Process.Pid); rss > 1024 {
				t.Fatalf("RSS %d MiB after %s with a 48 MiB limit", rss, path)
			}
			stillServing(t, path)
		})
	}

	t.Run("endless constructor", func(t *testing.T) {
		// The caller's stub.fetch rejects with the limit's error; uncaught,
		// it is the Worker's 500.
		if status, body, _ := p.get("/spin-constructor?room=ctor"); status != 500 || !strings.HasPrefix(body, "Error: Worker exceeded CPU time limit.") {
			t.Fatalf("/spin-constructor: %d %q", status, body)
		}
		if status, body, _ := p.get("/hello?room=ctor"); status != 200 || body != "hello from the object" {
			t.Fatalf("the object after its constructor was interrupted: %d %q", status, body)
		}
	})

	t.Run("endless alarm", func(t *testing.T) {
		mark := p.lines()
		if _, body, _ := p.get("/alarm?room=alarm&spin=1"); body != "set" {
			t.Fatalf("/alarm: %q", body)
		}
		// The interrupted run counts as a failure and is retried (2 s).
		p.waitForAfter(mark, "Worker exceeded CPU time limit.", 10*time.Second)
		p.waitForAfter(mark, "alarm ran", 15*time.Second)
		if c := counts(t, p, "alarm"); c.Alarms != 1 {
			t.Fatalf("alarm counts: %+v", c)
		}
	})

	t.Run("endless webSocketMessage", func(t *testing.T) {
		c := dialWS(t, p, "/ws?room=wsspin")
		if got := roundTrip(t, c, "hi"); got != "echo hi" {
			t.Fatalf("echo: %q", got)
		}
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := c.Write(ctx, cws.MessageText, []byte("spin")); err != nil {
			t.Fatal(err)
		}
		expectClose(t, c, cws.StatusInternalError)
		c2 := dialWS(t, p, "/ws?room=wsspin")
		if got := roundTrip(t, c2, "again"); got != "echo again" {
			t.Fatalf("the object after webSocketMessage was interrupted: %q", got)
		}
	})

	t.Run("never settles", func(t *testing.T) {
		if status, body, _ := p.get("/hang"); status != 500 || !strings.Contains(body, "The script will never generate a response.") {
			t.Fatalf("/hang: %d %q", status, body)
		}
		stillServing(t, "hang")
	})

	t.Run("never settles with a socket open", func(t *testing.T) {
		// No response can be known never to come while a socket is open:
		// the client gives up, and emu drops the request and keeps serving.
		base := emuGoroutines(t, p)
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		defer cancel()
		req, _ := http.NewRequestWithContext(ctx, "GET", p.URL+"/hang-with-socket?room=hang", nil)
		tr := &http.Transport{}
		defer tr.CloseIdleConnections()
		if resp, err := (&http.Client{Transport: tr}).Do(req); err == nil {
			resp.Body.Close()
			t.Fatalf("/hang-with-socket answered %d", resp.StatusCode)
		}
		stillServing(t, "hang with a socket")
		waitGoroutines(t, p, base+1, 10*time.Second)
	})
}

// waitGoroutines polls emu's goroutine count until it is at most n.
func waitGoroutines(t *testing.T, p *emuProc, n int, d time.Duration) {
	t.Helper()
	deadline := time.Now().Add(d)
	for {
		got := emuGoroutines(t, p)
		if got <= n {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("emu has %d goroutines, want at most %d", got, n)
		}
		time.Sleep(20 * time.Millisecond) // polling an external process
	}
}
