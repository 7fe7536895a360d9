package webapi

import (
	"compress/gzip"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// upstream is a loopback server for fetch() tests: /echo answers with the
// request's method, headers and body; /redirect/N redirects N times then
// lands on /echo; /gzip sends a gzip body; /hang never answers; /slow
// sends one chunk and then waits for the client to go away.
func upstream(t *testing.T) *httptest.Server {
	t.Helper()
	mux := http.NewServeMux()
	mux.HandleFunc("/echo", func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		w.Header().Set("X-Method", r.Method)
		w.Header().Set("X-Content-Type", r.Header.Get("Content-Type"))
		w.Header().Set("X-Auth", r.Header.Get("Authorization"))
		w.Header().Set("X-UA", r.Header.Get("User-Agent"))
		w.Header().Set("X-Len", fmt.Sprint(r.ContentLength))
		_, _ = fmt.Fprintf(w, "%s %s %s", r.Method, r.URL.RequestURI(), b)
	})
	mux.HandleFunc("/redirect/", func(w http.ResponseWriter, r *http.Request) {
		var n int
		_, _ = fmt.Sscanf(strings.TrimPrefix(r.URL.Path, "/redirect/"), "%d", &n)
		code := 302
		if c := r.URL.Query().Get("code"); c != "" {
			_, _ = fmt.Sscanf(c, "%d", &code)
		}
		next := "/echo"
		if n > 1 {
			next = fmt.Sprintf("/redirect/%d?code=%d", n-1, code)
		}
		http.Redirect(w, r, next, code)
	})
	mux.HandleFunc("/gzip", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Encoding", "gzip")
		zw := gzip.NewWriter(w)
		_, _ = zw.Write([]byte("hello gzip"))
		_ = zw.Close()
	})
	mux.HandleFunc("/hang", func(w http.ResponseWriter, r *http.Request) {
		<-r.Context().Done()
	})
	mux.HandleFunc("/slow", func(w http.ResponseWriter, r *http.Request) {
		_, _ = w.Write([]byte("first"))
		w.(http.Flusher).Flush()
		<-r.Context().Done()
	})
	mux.HandleFunc("/big", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Length", "1048576")
		_, _ = w.Write(make([]byte, 1<<20))
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv
}

// closedPort returns a loopback address nothing listens on.
func closedPort(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	_ = l.Close()
	return addr
}

func TestFetchOutbound(t *testing.T) {
	srv := upstream(t)
	u := srv.URL
	dead := closedPort(t)
	cases := []jsCase{
		{"get", `fetch("` + u + `/echo?a=1").then(async r => [r.status, r.statusText, r.ok, r.url, r.redirected, await r.text()].join("|"))`,
			`200|OK|true|` + u + `/echo?a=1|false|GET /echo?a=1 `},
		{"no user agent", `fetch("` + u + `/echo").then(r => JSON.stringify(r.headers.get("x-ua")))`, `""`},
		{"string body", `fetch("` + u + `/echo", {method: "POST", body: "hi"}).then(async r => r.headers.get("x-content-type") + "|" + r.headers.get("x-len") + "|" + await r.text())`,
			`text/plain;charset=UTF-8|2|POST /echo hi`},
		{"bytes body", `fetch("` + u + `/echo", {method: "PUT", body: new Uint8Array([104, 105]).buffer}).then(r => r.text())`, `PUT /echo hi`},
		{"view body", `fetch("` + u + `/echo", {method: "PUT", body: new DataView(new Uint8Array([120, 104, 105]).buffer, 1)}).then(r => r.text())`, `PUT /echo hi`},
		{"search params body", `fetch("` + u + `/echo", {method: "POST", body: new URLSearchParams("a=1&b=2")}).then(async r => r.headers.get("x-content-type") + "|" + await r.text())`,
			`application/x-www-form-urlencoded;charset=UTF-8|POST /echo a=1&b=2`},
		{"stream body", `fetch("` + u + `/echo", {method: "POST", body: new ReadableStream({start(c) { c.enqueue(new TextEncoder().encode("str")); c.enqueue(new TextEncoder().encode("eam")); c.close(); }})}).then(async r => r.headers.get("x-len") + "|" + await r.text())`,
			`-1|POST /echo stream`},
		{"request object", `fetch(new Request("` + u + `/echo", {method: "DELETE", headers: {"x-a": "b"}})).then(r => r.text())`, `DELETE /echo `},
		{"redirect follow", `fetch("` + u + `/redirect/3").then(async r => [r.status, r.redirected, r.url.slice(r.url.lastIndexOf("/")), await r.text()].join("|"))`,
			`200|true|/echo|GET /echo `},
		{"redirect 303 post becomes get", `fetch("` + u + `/redirect/1?code=303", {method: "POST", body: "x"}).then(r => r.text())`, `GET /echo `},
		{"redirect 307 keeps body", `fetch("` + u + `/redirect/1?code=307", {method: "POST", body: "x"}).then(r => r.text())`, `POST /echo x`},
		{"redirect 307 stream body", `fetch("` + u + `/redirect/1?code=307", {method: "POST", body: new ReadableStream({start(c) { c.enqueue(new Uint8Array([1])); c.close(); }})}).then(r => r.text())`,
			`rejected: TypeError: A request with a one-time-use body (it was initialized from a stream, not a buffer) encountered a redirect requiring the body to be retransmitted. To avoid this error in the future, construct this request from a buffer-like body initializer.`},
		{"redirect manual", `fetch("` + u + `/redirect/1", {redirect: "manual"}).then(r => [r.status, r.redirected, r.headers.get("location")].join("|"))`, `302|false|/echo`},
		{"redirect error", `fetch("` + u + `/redirect/1", {redirect: "error"})`,
			`rejected: TypeError: Invalid redirect value, must be one of "follow" or "manual" ("error" won't be implemented since it does not make sense at the edge; use "manual" and check the response status code).`},
		{"too many redirects", `fetch("` + u + `/redirect/21")`, `rejected: TypeError: Too many redirects.`},
		{"twenty redirects", `fetch("` + u + `/redirect/20").then(r => r.status)`, `200`},
		{"gzip decoded, header kept", `fetch("` + u + `/gzip").then(async r => r.headers.get("content-encoding") + "|" + await r.text())`, `gzip|hello gzip`},
		{"gzip manual", `fetch("` + u + `/gzip", {encodeResponseBody: "manual"}).then(async r => (await r.arrayBuffer()).byteLength > 10)`, `true`},
		{"head has null body", `fetch("` + u + `/echo", {method: "HEAD"}).then(r => String(r.body))`, `null`},
		{"big body streamed", `fetch("` + u + `/big").then(async r => { let n = 0; const rd = r.body.getReader(); for (;;) { const {done, value} = await rd.read(); if (done) return n; n += value.byteLength; } })`, `1048576`},
		{"abort in flight", `const c = new AbortController(); const p = fetch("` + u + `/hang", {signal: c.signal}); setTimeout(() => c.abort(), 10); p`, `rejected: AbortError: The operation was aborted`},
		{"abort before", `fetch("` + u + `/echo", {signal: AbortSignal.abort("why")})`, `rejected: why`},
		{"timeout", `fetch("` + u + `/hang", {signal: AbortSignal.timeout(20)})`, `rejected: TimeoutError: The operation was aborted due to timeout`},
		{"abort body read", `const c = new AbortController(); fetch("` + u + `/slow", {signal: c.signal}).then(async r => { const rd = r.body.getReader(); const first = await rd.read(); c.abort(); return rd.read().then(() => "read", e => new TextDecoder().decode(first.value) + " " + e.name); })`, `first AbortError`},
		{"cancel body", `fetch("` + u + `/slow").then(r => r.body.cancel()).then(() => "ok")`, `ok`},
		{"closed port", `fetch("http://` + dead + `/")`, `rejected: Error: Network connection lost.`},
		{"bad url", `fetch("http://")`, `rejected: TypeError: Invalid URL: http://`},
		{"bad scheme", `fetch("ftp://127.0.0.1/")`, `rejected: TypeError: Fetch API cannot load: ftp://127.0.0.1/`},
		{"bad cache", `fetch("` + u + `/echo", {cache: "force-cache"})`, `rejected: TypeError: Unsupported cache mode: force-cache`},
		{"cache no-store", `fetch("` + u + `/echo", {cache: "no-store", cf: {cacheTtl: 5}}).then(r => r.status)`, `200`},
		{"get with body", `fetch("` + u + `/echo", {body: "x"})`, `rejected: TypeError: Request with a GET or HEAD method cannot have a body.`},
	}
	runAsyncCases(t, cases)
}
