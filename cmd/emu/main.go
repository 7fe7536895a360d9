// Command emu is a local development emulator for Cloudflare Workers and
// Durable Objects: `emu dev index.js` serves a Worker on
// http://127.0.0.1:8787 the way workerd does.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	os.Exit(run(ctx, os.Args, os.Stdout, os.Stderr))
}
