package jsruntime

import (
	"sync/atomic"
	"testing"
	"time"
)

// TestCPUWatchCountsCPUTime: a task that has run for the limit in wall time
// but got little CPU (the machine was busy with other processes) is not
// interrupted; once the process has used the limit's CPU time, it is.
func TestCPUWatchCountsCPUTime(t *testing.T) {
	t.Parallel()
	var cpu atomic.Int64 // the fake CPU clock, in ns
	fired := make(chan struct{}, 1)
	w := newCPUWatch(20*time.Millisecond, func() time.Duration { return time.Duration(cpu.Load()) },
		func() { fired <- struct{}{} })
	w.start()
	defer w.stop()
	select {
	case <-fired:
		t.Fatal("interrupted with no CPU time used")
	case <-time.After(100 * time.Millisecond): // five times the limit in wall time
	}
	cpu.Add(int64(25 * time.Millisecond))
	select {
	case <-fired:
	case <-time.After(5 * time.Second):
		t.Fatal("not interrupted after the limit's CPU time")
	}
}

// TestCPUWatchStopped: after stop, a late timer does not interrupt.
func TestCPUWatchStopped(t *testing.T) {
	t.Parallel()
	fired := make(chan struct{}, 1)
	w := newCPUWatch(time.Millisecond, func() time.Duration { return time.Duration(time.Now().UnixNano()) },
		func() { fired <- struct{}{} })
	w.start()
	w.stop()
	w.check() // a timer that fired just as the task ended
	select {
	case <-fired:
		t.Fatal("interrupted after stop")
	default:
	}
}
