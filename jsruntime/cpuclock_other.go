//go:build !unix

package jsruntime

import "time"

// processCPU falls back to wall time where the process CPU clock is not
// available, so the CPU limit is a wall-time limit there.
func processCPU() time.Duration { return time.Duration(time.Now().UnixNano()) }
