package main

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"
)

// streamClient is an HTTP client for streaming tests: no transparent gzip,
// no pooled connections left behind.
func streamClient(t testing.TB) *http.Client {
	tr := &http.Transport{DisableCompression: true}
	t.Cleanup(tr.CloseIdleConnections)
	return &http.Client{Transport: tr}
}

// open sends a request and returns the response with its body unread.
func (p *emuProc) open(ctx context.Context, cl *http.Client, method, path string, body io.Reader, hdr ...string) *http.Response {
	p.t.Helper()
	req, err := http.NewRequestWithContext(ctx, method, p.URL+path, body)
	if err != nil {
		p.t.Fatal(err)
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	resp, err := cl.Do(req)
	if err != nil {
		p.t.Fatalf("%s %s: %v", method, path, err)
	}
	return resp
}

// A Response made of a TransformStream's readable reaches the client chunk
// by chunk: the client has the first chunk while the Worker has not
// written the second yet (it waits for /next, which the test sends only
// after reading the first).
func TestStreamResponseChunkByChunk(t *testing.T) {
	p := startEmu(t, testdataCopy(t, "streams"))
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	resp := p.open(ctx, streamClient(t), "GET", "/chunks", nil)
	defer resp.Body.Close()
	if resp.StatusCode != 200 || resp.ContentLength != -1 || len(resp.TransferEncoding) != 1 || resp.TransferEncoding[0] != "chunked" {
		t.Fatalf("status %d, length %d, transfer encoding %v; want 200, chunked", resp.StatusCode, resp.ContentLength, resp.TransferEncoding)
	}
	br := bufio.NewReader(resp.Body)
	first, err := br.ReadString('\n')
	if err != nil || first != "first chunk\n" {
		t.Fatalf("first chunk %q, %v", first, err)
	}
	if status, body, _ := p.get("/next"); status != 200 || body != "released" {
		t.Fatalf("/next: %d %q", status, body)
	}
	rest, err := io.ReadAll(br)
	if err != nil || string(rest) != "second chunk\n" {
		t.Fatalf("rest %q, %v", rest, err)
	}
}

// Chunks written from timers arrive whole; a client that accepts gzip gets
// them gzipped, still streamed.
func TestStreamResponseFromTimersGzip(t *testing.T) {
	p := startEmu(t, testdataCopy(t, "streams"))
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	cl := streamClient(t)
	want := "tick 1\ntick 2\ntick 3\ntick 4\ntick 5\n"
	resp := p.open(ctx, cl, "GET", "/ticks", nil)
	b, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil || string(b) != want || resp.Header.Get("Content-Encoding") != "" {
		t.Errorf("plain: %q %v %v", b, err, resp.Header)
	}
	resp = p.open(ctx, cl, "GET", "/ticks", nil, "Accept-Encoding", "gzip")
	defer resp.Body.Close()
	if resp.Header.Get("Content-Encoding") != "gzip" || resp.ContentLength != -1 {
		t.Fatalf("gzip response headers %v, length %d", resp.Header, resp.ContentLength)
	}
	zr, err := gzip.NewReader(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	br := bufio.NewReader(zr)
	// Each tick is flushed as it is made: the first line decodes before
	// the stream ends.
	if line, err := br.ReadString('\n'); err != nil || line != "tick 1\n" {
		t.Fatalf("first gzipped line %q, %v", line, err)
	}
	rest, err := io.ReadAll(br)
	if err != nil || "tick 1\n"+string(rest) != want {
		t.Errorf("gzipped: %q %v", rest, err)
	}
}

// A request body is a ReadableStream the Worker pipes through
// TextDecoderStream, a TransformStream and TextEncoderStream; through
// CompressionStream and DecompressionStream, checked with Go's gzip.
func TestStreamRequestBodyThroughTransforms(t *testing.T) {
	p := startEmu(t, testdataCopy(t, "streams"))
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	cl := streamClient(t)
	read := func(resp *http.Response) []byte {
		t.Helper()
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		if err != nil {
			t.Fatalf("read: %v", err)
		}
		return b
	}

	if b := read(p.open(ctx, cl, "POST", "/upper", strings.NewReader("héllo wörld, ünïcode"))); string(b) != "HÉLLO WÖRLD, ÜNÏCODE" {
		t.Errorf("upper: %q", b)
	}

	// 1 MiB of compressible data: CompressionStream's gzip is valid gzip.
	plain := make([]byte, 1<<20)
	rng := rand.New(rand.NewPCG(1, 2))
	for i := range plain {
		plain[i] = "abcdefgh"[rng.IntN(8)]
	}
	gz := read(p.open(ctx, cl, "POST", "/gzip", bytes.NewReader(plain)))
	zr, err := gzip.NewReader(bytes.NewReader(gz))
	if err != nil {
		t.Fatal(err)
	}
	if got, err := io.ReadAll(zr); err != nil || !bytes.Equal(got, plain) {
		t.Errorf("gzip round trip: %d bytes, %v", len(got), err)
	}
	if len(gz) >= len(plain)/2 {
		t.Errorf("gzip made %d bytes of %d", len(gz), len(plain))
	}

	// Go's gzip, decompressed by DecompressionStream.
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	_, _ = zw.Write(plain)
	_ = zw.Close()
	if got := read(p.open(ctx, cl, "POST", "/gunzip", bytes.NewReader(buf.Bytes()))); !bytes.Equal(got, plain) {
		t.Errorf("gunzip: %d bytes", len(got))
	}

	// for await over the body, in the bundled Worker.
	if got := read(p.open(ctx, cl, "POST", "/count", bytes.NewReader(plain))); string(got) != "1048576 bytes in some chunks" {
		t.Errorf("count: %q", got)
	}
	if got := read(p.open(ctx, cl, "GET", "/generator", nil)); string(got) != "line 1\nline 2\nline 3\n" {
		t.Errorf("generator: %q", got)
	}

	// The body as a stream, echoed.
	resp := p.open(ctx, cl, "POST", "/echo", strings.NewReader("echo me"))
	if got := read(resp); string(got) != "echo me" || resp.Header.Get("X-Body-Type") != "[object ReadableStream]" {
		t.Errorf("echo: %q %v", got, resp.Header)
	}
}

// Corrupt gzip: the response has started (200), so the connection is cut
// and the error logged as workerd's DecompressionStream error.
func TestStreamDecompressionErrorAborts(t *testing.T) {
	p := startEmu(t, testdataCopy(t, "streams"))
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	from := p.lines()
	resp := p.open(ctx, streamClient(t), "POST", "/gunzip", strings.NewReader("this is not gzip at all"))
	defer resp.Body.Close()
	if _, err := io.ReadAll(resp.Body); err == nil {
		t.Error("a corrupt gzip body read to a clean end")
	}
	p.waitForAfter(from, "Decompression failed.", 10*time.Second)
}

// A stream that errors after its first chunk: the client gets the chunk,
// then a cut connection; the error is logged.
func TestStreamErrorMidway(t *testing.T) {
	p := startEmu(t, testdataCopy(t, "streams"))
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	from := p.lines()
	resp := p.open(ctx, streamClient(t), "GET", "/error", nil)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if string(b) != "partial" || !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Errorf("body %q, error %v; want the first chunk, then an unexpected EOF", b, err)
	}
	p.waitForAfter(from, "boom in the middle", 10*time.Second)
	p.waitForAfter(from, "GET /error 200 OK", 10*time.Second)
}

// A stream nothing can ever write to ends the response (cut) instead of
// hanging the client.
func TestStreamStalledEnds(t *testing.T) {
	p := startEmu(t, testdataCopy(t, "streams"))
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	from := p.lines()
	resp := p.open(ctx, streamClient(t), "GET", "/stalled", nil)
	defer resp.Body.Close()
	if _, err := io.ReadAll(resp.Body); !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Errorf("read error %v, want an unexpected EOF", err)
	}
	p.waitForAfter(from, "The script will never generate a response.", 10*time.Second)
}

// A FixedLengthStream body is sent with its Content-Length.
func TestStreamFixedLength(t *testing.T) {
	p := startEmu(t, testdataCopy(t, "streams"))
	status, body, h := p.get("/fixed")
	if status != 200 || body != "hello world" || h.Get("Content-Length") != "11" || h.Get("Transfer-Encoding") != "" {
		t.Errorf("%d %q %v", status, body, h)
	}
}

// Backpressure: while the client does not read, the Worker's source is not
// pulled beyond what the socket buffers hold; reading again resumes it.
func TestStreamBackpressure(t *testing.T) {
	p := startEmu(t, testdataCopy(t, "streams"))
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	resp := p.open(ctx, streamClient(t), "GET", "/endless", nil)
	defer resp.Body.Close()
	if _, err := io.ReadFull(resp.Body, make([]byte, 64<<10)); err != nil {
		t.Fatal(err)
	}
	// settled polls /produced until two readings 50 ms apart agree (the
	// polling interval of the measurement, not synchronisation).
	settled := func() int {
		t.Helper()
		last := -1
		deadline := time.Now().Add(20 * time.Second)
		for time.Now().Before(deadline) {
			_, body, _ := p.get("/produced")
			n, err := strconv.Atoi(body)
			if err != nil {
				t.Fatalf("/produced: %q", body)
			}
			if n == last {
				return n
			}
			last = n
			time.Sleep(50 * time.Millisecond)
		}
		t.Fatal("the stream never stopped producing while the client did not read")
		return 0
	}
	stalled := settled()
	// Without backpressure the source would run on without bound; with it,
	// production stops within the socket buffers (a few MiB on loopback).
	if stalled > 32<<20 {
		t.Fatalf("produced %d bytes while the client read 64 KiB", stalled)
	}
	if _, err := io.ReadFull(resp.Body, make([]byte, stalled+(8<<20))); err != nil {
		t.Fatal(err)
	}
	if again := settled(); again <= stalled {
		t.Errorf("produced %d after reading more, %d before", again, stalled)
	}
}

// BenchmarkStreamPipeThrough is 64 MiB piped through a TransformStream into
// a Response that emu streams to a Go client (MiB/s, median of b.N runs).
func BenchmarkStreamPipeThrough(b *testing.B) {
	p := startEmu(b, testdataCopy(b, "streams"))
	cl := streamClient(b)
	const size = 64 << 20
	var rates []time.Duration
	b.SetBytes(size)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		start := time.Now()
		resp := p.open(context.Background(), cl, "GET", fmt.Sprintf("/big?size=%d", size), nil)
		n, err := io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if err != nil || n != size {
			b.Fatalf("read %d bytes, %v", n, err)
		}
		rates = append(rates, time.Since(start))
	}
	b.StopTimer()
	reportMedian(b, "ms-per-64MiB", rates)
	mid := rates[len(rates)/2]
	b.ReportMetric(float64(size)/(1<<20)/mid.Seconds(), "MiB/s-median")
}
