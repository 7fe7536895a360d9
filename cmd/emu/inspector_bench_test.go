package main

import (
	"io"
	"net/http"
	"testing"
)

// benchEcho is WebSocket echo round trips, one client, against the
// hibernation example (a Durable Object that answers every message).
func benchEcho(b *testing.B, pageOpen bool) {
	p := startEmu(b, testdataCopy(b, "hibernation-js"))
	if pageOpen {
		openEvents(b, p)
	}
	c := dialWS(b, p, "/websocket")
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if got := roundTrip(b, c, "msg"); got != "[Durable Object]: msg" {
			b.Fatalf("reply %q", got)
		}
	}
}

// BenchmarkEcho is an echo round trip with no inspector page open.
func BenchmarkEcho(b *testing.B) { benchEcho(b, false) }

// BenchmarkEchoInspectorOpen is BenchmarkEcho while an inspector page
// listens to the live stream (the object changes with every message, so
// the stream sends an overview every second).
func BenchmarkEchoInspectorOpen(b *testing.B) { benchEcho(b, true) }

// BenchmarkHTTPPutInspectorOpen is BenchmarkHTTPPut while an inspector
// page listens to the live stream.
func BenchmarkHTTPPutInspectorOpen(b *testing.B) {
	p := startEmu(b, testdataCopy(b, "storage"))
	openEvents(b, p)
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
