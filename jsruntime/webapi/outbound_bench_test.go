package webapi

import (
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
)

// BenchmarkFetchLoopback is sequential GETs of a small body from a loopback
// Go server: by a script's fetch() (worker) and by Go's own net/http client
// (go), against the same server in the same run.
func BenchmarkFetchLoopback(b *testing.B) {
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = w.Write([]byte("hello from upstream"))
	}))
	defer srv.Close()
	var conns atomic.Int64
	srv.Config.ConnState = func(_ net.Conn, s http.ConnState) {
		if s == http.StateNew {
			conns.Add(1)
		}
	}
	srv.Start()
	defer func() { b.Logf("connections: %d", conns.Load()) }()
	b.Run("worker", func(b *testing.B) {
		iso, _ := newIsolate(b)
		src := fmt.Sprintf(`(async () => { for (let i = 0; i < %d; i++) { const r = await fetch(%q); await r.text(); } return "done"; })()`, b.N, srv.URL)
		b.ResetTimer()
		if got := evalAsync(b, iso, src); got != "done" {
			b.Fatal(got)
		}
	})
	b.Run("go", func(b *testing.B) {
		tr := &http.Transport{DisableCompression: true, MaxIdleConnsPerHost: 64}
		defer tr.CloseIdleConnections()
		cl := &http.Client{Transport: tr}
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			res, err := cl.Get(srv.URL)
			if err != nil {
				b.Fatal(err)
			}
			_, _ = io.ReadAll(res.Body)
			_ = res.Body.Close()
		}
	})
}
