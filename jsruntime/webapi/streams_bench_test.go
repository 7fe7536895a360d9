package webapi

import (
	"context"
	"errors"
	"io"
	"syscall"
	"testing"
	"time"

	"github.com/dop251/goja"
)

// BenchmarkStreamBody is the Go side reading a 64 MiB Response body made
// of 64 KiB chunks piped through a TransformStream: the in-process part of
// cmd/emu's BenchmarkStreamPipeThrough (no HTTP).
func BenchmarkStreamBody(b *testing.B) {
	const size = 64 << 20
	iso := newBareIsolate(b)
	do(b, iso, func(rt *goja.Runtime) error {
		// As for a Worker with a current compatibility date.
		return Install(iso, rt, Options{FixupTransformStreamBackpressure: true})
	})
	b.SetBytes(size)
	b.ReportAllocs()
	cpu0 := cpuTime()
	for b.Loop() {
		var body *BodyStream
		do(b, iso, func(rt *goja.Runtime) error {
			v, err := rt.RunString(`(() => {
				let left = 64 << 20;
				const chunk = new Uint8Array(64 << 10).fill(120);
				const s = new ReadableStream({
					pull(c) {
						if (left <= 0) return c.close();
						left -= chunk.byteLength;
						c.enqueue(chunk);
					},
				});
				return new Response(s.pipeThrough(new TransformStream()));
			})()`)
			if err != nil {
				return err
			}
			d, err := ReadResponse(rt, v)
			if err != nil {
				return err
			}
			body = d.Stream
			return nil
		})
		n := 0
		for {
			c, err := body.Next(context.Background())
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				b.Fatal(err)
			}
			n += len(c)
		}
		if n != size {
			b.Fatalf("read %d bytes", n)
		}
	}
	// CPU time is steadier than wall time on a shared machine.
	b.ReportMetric(float64((cpuTime()-cpu0).Milliseconds())/float64(b.N), "cpu-ms/op")
}

// cpuTime is the process's user and system CPU time so far.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
