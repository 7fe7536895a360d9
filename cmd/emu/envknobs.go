package main

import (
	"fmt"
	"strconv"
	"time"
)

// envKnobs are settings read once from the environment at startup, for
// tests and for tuning; none is needed in normal use.
//
//   - EMU_MEMORY_LIMIT_MB: the Go heap size (MiB) past which the running
//     task is interrupted with "Worker exceeded memory limit." (default 1024).
//   - EMU_READ_HEADER_TIMEOUT: how long a client may take to send its
//     request headers (a Go duration; default 30s).
//   - EMU_TEST_PANIC: a test hook, inert unless set: "request" makes a
//     request with the header `X-Emu-Test-Panic: handler` panic on its HTTP
//     goroutine and defines a global `__emuTestPanic()` that panics on the
//     isolate's loop; "socket" makes every text message a client sends on
//     an accept()ed WebSocket panic on the socket's reader goroutine;
//     "alarm" makes the first alarm that fires panic on its timer goroutine;
//     "storage" makes the first KV namespace operation panic on its store's
//     goroutine. Each proves emu recovers there, answers 500 / closes that
//     socket with 1011 / retries that alarm / rejects that operation with
//     "internal error", logs the stack, and keeps serving.
type envKnobs struct {
	MemoryLimit       uint64
	ReadHeaderTimeout time.Duration
	TestPanic         string
}

func readEnvKnobs(getenv func(string) string) (envKnobs, error) {
	var k envKnobs
	if s := getenv("EMU_MEMORY_LIMIT_MB"); s != "" {
		n, err := strconv.ParseUint(s, 10, 32)
		if err != nil || n == 0 {
			return k, fmt.Errorf("EMU_MEMORY_LIMIT_MB=%q: expected a positive number of MiB", s)
		}
		k.MemoryLimit = n << 20
	}
	if s := getenv("EMU_READ_HEADER_TIMEOUT"); s != "" {
		d, err := time.ParseDuration(s)
		if err != nil || d <= 0 {
			return k, fmt.Errorf("EMU_READ_HEADER_TIMEOUT=%q: expected a positive duration such as 5s", s)
		}
		k.ReadHeaderTimeout = d
	}
	switch s := getenv("EMU_TEST_PANIC"); s {
	case "", "request", "socket", "alarm", "storage":
		k.TestPanic = s
	default:
		return k, fmt.Errorf("EMU_TEST_PANIC=%q: expected request, socket, alarm or storage", s)
	}
	return k, nil
}
