//go:build unix

package jsruntime

import (
	"time"

	"golang.org/x/sys/unix"
)

// processCPU is the CPU time the process has used so far.
func processCPU() time.Duration {
	var ts unix.Timespec
	if err := unix.ClockGettime(unix.CLOCK_PROCESS_CPUTIME_ID, &ts); err != nil {
		return time.Duration(time.Now().UnixNano()) // no CPU clock: wall time
	}
	return time.Duration(ts.Nano())
}
