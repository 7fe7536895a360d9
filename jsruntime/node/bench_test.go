package node

import (
	"crypto/sha256"
	"encoding/base64"
	"testing"

	"github.com/dop251/goja"

	"github.com/emu-dev/emu/jsruntime"
	"github.com/emu-dev/emu/jsruntime/webapi"
)

// benchJS calls the function src evaluates to b.N times on the loop.
func benchJS(b *testing.B, src string) {
	iso, _ := newIsolate(b, Options{})
	err := iso.Do(func(rt *goja.Runtime) error {
		v, err := rt.RunString(src)
		if err != nil {
			return err
		}
		fn, _ := goja.AssertFunction(v)
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			if _, err := fn(goja.Undefined()); err != nil {
				return err
			}
		}
		b.StopTimer()
		return nil
	})
	if err != nil {
		b.Fatal(jsruntime.FormatError(err))
	}
}

var kib = func() []byte {
	b := make([]byte, 1024)
	for i := range b {
		b[i] = byte(i)
	}
	return b
}()

// BenchmarkSHA256 hashes 1 KiB with createHash (baseline: BenchmarkSHA256Go).
func BenchmarkSHA256(b *testing.B) {
	benchJS(b, `(() => { const c = require("crypto"); const d = Buffer.alloc(1024, 7); return () => c.createHash("sha256").update(d).digest("hex"); })()`)
}

func BenchmarkSHA256Go(b *testing.B) {
	for i := 0; i < b.N; i++ {
		_ = sha256.Sum256(kib)
	}
}

// BenchmarkBase64 round-trips 1 KiB through Buffer's base64 (baseline:
// BenchmarkBase64Go).
func BenchmarkBase64(b *testing.B) {
	benchJS(b, `(() => { const s = Buffer.alloc(1024, 7).toString("base64"); return () => Buffer.from(s, "base64").toString("base64"); })()`)
}

func BenchmarkBase64Go(b *testing.B) {
	s := base64.StdEncoding.EncodeToString(kib)
	for i := 0; i < b.N; i++ {
		d, _ := base64.StdEncoding.DecodeString(s)
		_ = base64.StdEncoding.EncodeToString(d)
	}
}

// BenchmarkALSRun is AsyncLocalStorage.run with a getStore inside.
func BenchmarkALSRun(b *testing.B) {
	benchJS(b, `(() => { const als = new (require("async_hooks").AsyncLocalStorage)(); const f = () => als.getStore(); return () => als.run(1, f); })()`)
}

// BenchmarkEmit is an EventEmitter emit to two listeners.
func BenchmarkEmit(b *testing.B) {
	benchJS(b, `(() => { const e = new (require("events"))(); let n = 0; e.on("x", () => n++); e.on("x", () => n++); return () => e.emit("x", 1); })()`)
}

// BenchmarkInstall is the cost the modules add to a new version of a
// Worker: an isolate with the web APIs and the modules, and a first import
// of node:buffer (baseline: BenchmarkInstallWebAPIOnly).
func BenchmarkInstall(b *testing.B) {
	webapi.Prepare()
	Prepare()
	for i := 0; i < b.N; i++ {
		installOnce(b, true)
	}
}

func BenchmarkInstallWebAPIOnly(b *testing.B) {
	webapi.Prepare()
	for i := 0; i < b.N; i++ {
		installOnce(b, false)
	}
}

func installOnce(b *testing.B, withNode bool) {
	iso, err := jsruntime.New(jsruntime.Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer iso.Close()
	err = iso.Do(func(rt *goja.Runtime) error {
		if err := webapi.Install(iso, rt, webapi.Options{}); err != nil {
			return err
		}
		if !withNode {
			return nil
		}
		if err := Install(iso, rt, Options{Mode: V2}); err != nil {
			return err
		}
		_, err := rt.RunString(`__emu_node("buffer")`)
		return err
	})
	if err != nil {
		b.Fatal(err)
	}
}
