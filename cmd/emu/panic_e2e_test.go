package main

import (
	"context"
	"strings"
	"testing"
	"time"

	cws "github.com/coder/websocket"
)

// The EMU_TEST_PANIC hook (see envknobs.go) injects a Go panic on each path
// where emu runs Go code for a client: the request's goroutine, the
// isolate's loop, a socket's reader goroutine and an alarm's timer. Each
// panic is logged with its stack, costs only that request, socket or alarm
// run, and emu keeps serving.

// TestPanicOnRequestPaths: a panic on a request's HTTP goroutine answers that
// request 500; one on the isolate's loop (inside the handler) answers it
// 500 too; the next requests are served.
func TestPanicOnRequestPaths(t *testing.T) {
	t.Parallel()
	p := startEmuEnv(t, testdataCopy(t, "misbehave"), []string{"EMU_TEST_PANIC=request"})
	mark := p.lines()
	if status, _, _ := p.get("/", "X-Emu-Test-Panic", "handler"); status != 500 {
		t.Fatalf("panic on the request goroutine: %d", status)
	}
	p.waitForAfter(mark, "emu internal error (please report): EMU_TEST_PANIC: injected panic on the request's goroutine", 5*time.Second)
	p.waitForAfter(mark, "devserver.(*Server).ServeHTTP", 5*time.Second) // the stack
	if status, body, _ := p.get("/"); status != 200 || body != "still here" {
		t.Fatalf("after the panic: %d %q", status, body)
	}

	mark = p.lines()
	if status, body, _ := p.get("/panic-loop"); status != 500 || !strings.Contains(body, "The script will never generate a response.") {
		t.Fatalf("panic on the loop: %d %q", status, body)
	}
	p.waitForAfter(mark, "emu internal error (please report): EMU_TEST_PANIC: injected panic on the isolate loop", 5*time.Second)
	p.waitForAfter(mark, "jsruntime.(*Isolate).run", 5*time.Second)
	for i := 0; i < 3; i++ {
		if status, body, _ := p.get("/"); status != 200 || body != "still here" {
			t.Fatalf("after the loop panic: %d %q", status, body)
		}
	}
	if status, body, _ := p.get("/hello?room=after"); status != 200 || body != "hello from the object" {
		t.Fatalf("a Durable Object after the loop panic: %d %q", status, body)
	}
}

// TestPanicOnSocketReader: a panic on a socket's reader goroutine closes
// that socket with 1011 and gives the script its error event; HTTP and
// other work go on.
func TestPanicOnSocketReader(t *testing.T) {
	t.Parallel()
	p := startEmuEnv(t, testdataCopy(t, "misbehave"), []string{"EMU_TEST_PANIC=socket"})
	c := dialWS(t, p, "/accept?room=sock")
	mark := p.lines()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := c.Write(ctx, cws.MessageText, []byte("boom")); err != nil {
		t.Fatal(err)
	}
	expectClose(t, c, cws.StatusInternalError)
	p.waitForAfter(mark, "emu internal error (please report): EMU_TEST_PANIC: injected panic on the socket's reader goroutine", 5*time.Second)
	p.waitForAfter(mark, "websocket.(*Conn).read", 5*time.Second)
	waitCounts(t, p, "sock", 5*time.Second, func(c roomCounts) bool { return c.AcceptErrors == 1 })
	if status, body, _ := p.get("/"); status != 200 || body != "still here" {
		t.Fatalf("after the socket panic: %d %q", status, body)
	}
}

// TestPanicOnAlarmTimer: a panic on an alarm's timer goroutine is logged and
// the alarm runs on the retry (at least once, as workerd's alarms).
func TestPanicOnAlarmTimer(t *testing.T) {
	t.Parallel()
	p := startEmuEnv(t, testdataCopy(t, "misbehave"), []string{"EMU_TEST_PANIC=alarm"})
	mark := p.lines()
	if _, body, _ := p.get("/alarm?room=al"); body != "set" {
		t.Fatalf("/alarm: %q", body)
	}
	p.waitForAfter(mark, "emu internal error (please report): EMU_TEST_PANIC: injected panic on the alarm's timer goroutine", 5*time.Second)
	p.waitForAfter(mark, "durableobject.(*Object).fireAlarm", 5*time.Second)
	p.waitForAfter(mark, "alarm ran", 10*time.Second)
	if c := counts(t, p, "al"); c.Alarms != 1 {
		t.Fatalf("alarm counts: %+v", c)
	}
	if status, body, _ := p.get("/"); status != 200 || body != "still here" {
		t.Fatalf("after the alarm panic: %d %q", status, body)
	}
}

// TestPanicOnStorageGoroutine: a panic on a KV namespace's store goroutine
// rejects that operation with workerd's opaque "internal error" (the
// request is a 500), logs the stack, and the next operations work.
func TestPanicOnStorageGoroutine(t *testing.T) {
	t.Parallel()
	p := startEmuEnv(t, testdataCopy(t, "misbehave"), []string{"EMU_TEST_PANIC=storage"})
	mark := p.lines()
	if status, body, _ := p.get("/kv?k=a&v=1"); status != 500 || !strings.HasPrefix(body, "Error: internal error") {
		t.Fatalf("the operation that panicked: %d %q", status, body)
	}
	p.waitForAfter(mark, "emu internal error (please report): EMU_TEST_PANIC: injected panic on the KV store's goroutine", 5*time.Second)
	p.waitForAfter(mark, "kv.(*natives).guarded", 5*time.Second)
	if status, body, _ := p.get("/kv?k=b&v=2"); status != 200 || body != "2" {
		t.Fatalf("the next operation: %d %q", status, body)
	}
}
