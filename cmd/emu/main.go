// workerd's WebCrypto takes RSA keys from 256 bits up (crypto.subtle,
// jsruntime/webapi/subtle_rsa.go); Go's crypto/rsa refuses keys under 1024
// bits unless this is set.
//go:debug rsa1024min=0

// Command emu is a local development emulator for Cloudflare Workers and
// Durable Objects: `emu dev index.js` serves a Worker on
// http://127.0.0.1:8787 the way workerd does.
package main

import (
	"context"
	"os"
	"os/signal"
	"runtime/pprof"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	// EMU_CPUPROFILE=file writes a CPU profile of the whole run (for
	// working on emu's speed: go tool pprof file).
	if path := os.Getenv("EMU_CPUPROFILE"); path != "" {
		if f, err := os.Create(path); err == nil && pprof.StartCPUProfile(f) == nil {
			code := run(ctx, os.Args, os.Stdout, os.Stderr)
			pprof.StopCPUProfile()
			f.Close()
			os.Exit(code)
		}
	}
	os.Exit(run(ctx, os.Args, os.Stdout, os.Stderr))
}
