package main

import (
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"
)

// pollUntil GETs url until the body satisfies ok, and returns when it did.
func pollUntil(b *testing.B, url string, ok func(status int, body string) bool, limit time.Duration) time.Time {
	b.Helper()
	tr := &http.Transport{}
	defer tr.CloseIdleConnections()
	cl := &http.Client{Transport: tr, Timeout: 2 * time.Second}
	deadline := time.Now().Add(limit)
	for time.Now().Before(deadline) {
		resp, err := cl.Get(url)
		if err == nil {
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if ok(resp.StatusCode, string(body)) {
				return time.Now()
			}
		}
		time.Sleep(time.Millisecond) // polling interval of the measurement, not synchronisation
	}
	b.Fatalf("%s: no matching answer within %s", url, limit)
	return time.Time{}
}

// reportMedian reports the median of ds in ms as a custom metric.
func reportMedian(b *testing.B, name string, ds []time.Duration) {
	sort.Slice(ds, func(i, j int) bool { return ds[i] < ds[j] })
	b.ReportMetric(float64(ds[len(ds)/2].Microseconds())/1000, name)
}

// BenchmarkStartup measures launch -> first 200 of a hello Worker (the
// figure wrangler dev takes 2344 ms for on this machine kind).
func BenchmarkStartup(b *testing.B) {
	dir := testdataCopy(b, "basics")
	var ds []time.Duration
	for i := 0; i < b.N; i++ {
		port := freePort(b)
		start := time.Now()
		cmd := exec.Command(emuBin, "dev", "--port", fmt.Sprint(port), "--no-reload")
		cmd.Dir = dir
		if err := cmd.Start(); err != nil {
			b.Fatal(err)
		}
		end := pollUntil(b, fmt.Sprintf("http://127.0.0.1:%d/", port), func(s int, _ string) bool { return s == 200 }, 20*time.Second)
		ds = append(ds, end.Sub(start))
		_ = cmd.Process.Signal(os.Interrupt)
		_ = cmd.Wait()
	}
	reportMedian(b, "ms-to-first-200", ds)
}

// BenchmarkSaveToNewCode measures a save of the entry -> the new code
// answering (wrangler dev: 340 ms, dropping every socket).
func BenchmarkSaveToNewCode(b *testing.B) {
	dir := testdataCopy(b, "basics")
	p := startEmu(b, dir)
	entry := filepath.Join(dir, "index.js")
	src, err := os.ReadFile(entry)
	if err != nil {
		b.Fatal(err)
	}
	var ds []time.Duration
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		want := fmt.Sprintf("Hello v%d!", i)
		next := strings.Replace(string(src), `"Hello World!"`, fmt.Sprintf("%q", want), 1)
		start := time.Now()
		if err := os.WriteFile(entry, []byte(next), 0o644); err != nil {
			b.Fatal(err)
		}
		end := pollUntil(b, p.URL+"/", func(_ int, body string) bool { return body == want }, 10*time.Second)
		ds = append(ds, end.Sub(start))
	}
	reportMedian(b, "ms-save-to-new-code", ds)
}

// freePort finds a free loopback port for a process that cannot be given 0.
func freePort(b *testing.B) int {
	b.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

// BenchmarkHTTPPut is the round trip of an HTTP request whose Durable Object
// does one get and one put (committed before the response leaves).
func BenchmarkHTTPPut(b *testing.B) {
	p := startEmu(b, testdataCopy(b, "storage"))
	tr := &http.Transport{}
	defer tr.CloseIdleConnections()
	cl := &http.Client{Transport: tr}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		resp, err := cl.Get(p.URL + "/incr?name=bench")
		if err != nil {
			b.Fatal(err)
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
	}
}

// BenchmarkWakeRoundTrip is a message to a hibernated object: the
// constructor runs again, then webSocketMessage answers (wrangler dev:
// 7-21 ms).
func BenchmarkWakeRoundTrip(b *testing.B) {
	p := startEmu(b, testdataCopy(b, "do-features"))
	c := dialWS(b, p, "/ws?tag=w")
	var ds []time.Duration
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		if _, body, _ := p.do("POST", "/cdn-cgi/emu/hibernate", nil); body != "hibernated 1\n" {
			b.Fatalf("hibernate: %q", body)
		}
		b.StartTimer()
		start := time.Now()
		if r := roomTrip(b, c, "wake"); r.Instance != i+2 {
			b.Fatalf("reply from instance %d, want %d", r.Instance, i+2)
		}
		ds = append(ds, time.Since(start))
	}
	reportMedian(b, "ms-wake-round-trip", ds)
}
