package inspector

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"go.uber.org/goleak"

	"github.com/emu-dev/emu/bindings/durableobject"
)

// TestMain fails the run if a test leaves a goroutine behind.
func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

func newHandler(t *testing.T, opts Options) *Handler {
	t.Helper()
	opts.DO = durableobject.NewSystem(durableobject.Options{PersistDir: t.TempDir()})
	h := New(opts)
	t.Cleanup(h.Close)
	return h
}

// serve sends one request, from remote, to h.
func serve(h *Handler, method, target, remote, host, origin string) *httptest.ResponseRecorder {
	r := httptest.NewRequest(method, target, nil)
	r.RemoteAddr = remote
	r.Host = host
	if origin != "" {
		r.Header.Set("Origin", origin)
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w
}

// TestRefusals: the inspector answers loopback clients, under a Host that
// is a loopback name or the --ip address, and takes actions only from its
// own origin; with the inspector off, only the legacy controls answer;
// with --inspector on a non-loopback address, other clients may use it.
func TestRefusals(t *testing.T) {
	t.Parallel()
	const local, far = "127.0.0.1:50000", "192.0.2.7:50000"
	type req struct{ method, path, remote, host, origin string }
	cases := []struct {
		name string
		opts Options
		req  req
		want int
		body string // a part of the answer
	}{
		{"page", Options{IP: "127.0.0.1", Enabled: true}, req{"GET", "/cdn-cgi/emu/", local, "127.0.0.1:8787", ""}, 200, "<title>emu inspector</title>"},
		{"page via localhost", Options{IP: "127.0.0.1", Enabled: true}, req{"GET", "/cdn-cgi/emu/", local, "localhost:8787", ""}, 200, "emu inspector"},
		{"page via [::1]", Options{IP: "::1", Enabled: true}, req{"GET", "/cdn-cgi/emu/", "[::1]:5000", "[::1]:8787", ""}, 200, "emu inspector"},
		{"api", Options{IP: "127.0.0.1", Enabled: true}, req{"GET", "/cdn-cgi/emu/api/overview", local, "127.0.0.1:8787", ""}, 200, `"namespaces":[]`},
		{"no slash", Options{IP: "127.0.0.1", Enabled: true}, req{"GET", "/cdn-cgi/emu", local, "127.0.0.1:8787", ""}, 301, ""},
		{"a far client", Options{IP: "127.0.0.1", Enabled: true}, req{"GET", "/cdn-cgi/emu/api/overview", far, "127.0.0.1:8787", ""}, 403, "loopback clients only"},
		{"a far client, legacy", Options{IP: "0.0.0.0", Enabled: true, AnyClient: true}, req{"GET", "/cdn-cgi/emu/api/runtime", far, "192.0.2.1:8787", ""}, 403, "loopback clients only"},
		{"DNS rebinding", Options{IP: "127.0.0.1", Enabled: true}, req{"GET", "/cdn-cgi/emu/api/overview", local, "evil.example:8787", ""}, 403, "DNS rebinding"},
		{"DNS rebinding, page", Options{IP: "127.0.0.1", Enabled: true}, req{"GET", "/cdn-cgi/emu/", local, "evil.example", ""}, 403, "DNS rebinding"},
		{"DNS rebinding, legacy", Options{IP: "127.0.0.1", Enabled: true}, req{"GET", "/cdn-cgi/emu/api/runtime", local, "evil.example", ""}, 403, "DNS rebinding"},
		{"another IP as Host", Options{IP: "127.0.0.1", Enabled: true}, req{"GET", "/cdn-cgi/emu/api/overview", local, "192.0.2.1:8787", ""}, 403, "DNS rebinding"},
		{"no Host", Options{IP: "127.0.0.1", Enabled: true}, req{"GET", "/cdn-cgi/emu/api/overview", local, "", ""}, 403, "DNS rebinding"},
		{"action, same origin", Options{IP: "127.0.0.1", Enabled: true}, req{"POST", "/cdn-cgi/emu/api/hibernate", local, "127.0.0.1:8787", "http://127.0.0.1:8787"}, 200, `"hibernated":0`},
		{"action, no Origin", Options{IP: "127.0.0.1", Enabled: true}, req{"POST", "/cdn-cgi/emu/api/hibernate", local, "127.0.0.1:8787", ""}, 403, "Origin"},
		{"action, other origin", Options{IP: "127.0.0.1", Enabled: true}, req{"POST", "/cdn-cgi/emu/api/hibernate", local, "127.0.0.1:8787", "http://evil.example"}, 403, "cross-origin"},
		{"action, other port", Options{IP: "127.0.0.1", Enabled: true}, req{"POST", "/cdn-cgi/emu/api/hibernate", local, "127.0.0.1:8787", "http://127.0.0.1:9999"}, 403, "cross-origin"},
		{"action, https origin", Options{IP: "127.0.0.1", Enabled: true}, req{"POST", "/cdn-cgi/emu/api/hibernate", local, "127.0.0.1:8787", "https://127.0.0.1:8787"}, 403, "cross-origin"},
		{"action by GET", Options{IP: "127.0.0.1", Enabled: true}, req{"GET", "/cdn-cgi/emu/api/hibernate", local, "127.0.0.1:8787", ""}, 405, ""},
		{"legacy hibernate, no Origin", Options{IP: "127.0.0.1", Enabled: true}, req{"POST", "/cdn-cgi/emu/hibernate", local, "127.0.0.1:8787", ""}, 200, "hibernated 0"},
		{"legacy hibernate, other origin", Options{IP: "127.0.0.1", Enabled: true}, req{"POST", "/cdn-cgi/emu/hibernate", local, "127.0.0.1:8787", "http://evil.example"}, 403, "cross-origin"},
		{"legacy hibernate by GET", Options{IP: "127.0.0.1", Enabled: true}, req{"GET", "/cdn-cgi/emu/hibernate", local, "127.0.0.1:8787", ""}, 405, ""},
		{"off", Options{IP: "0.0.0.0"}, req{"GET", "/cdn-cgi/emu/", local, "127.0.0.1:8787", ""}, 404, "the inspector is off"},
		{"off, api", Options{IP: "0.0.0.0"}, req{"GET", "/cdn-cgi/emu/api/overview", local, "127.0.0.1:8787", ""}, 404, "--inspector"},
		{"off, legacy runtime", Options{IP: "0.0.0.0"}, req{"GET", "/cdn-cgi/emu/api/runtime", local, "127.0.0.1:8787", ""}, 200, `{"goroutines":`},
		{"off, legacy hibernate", Options{IP: "0.0.0.0"}, req{"POST", "/cdn-cgi/emu/hibernate", local, "127.0.0.1:8787", ""}, 200, "hibernated 0"},
		{"--inspector, far client", Options{IP: "0.0.0.0", Enabled: true, AnyClient: true}, req{"GET", "/cdn-cgi/emu/api/overview", far, "192.0.2.1:8787", ""}, 200, `"namespaces"`},
		{"--inspector, far client, a name", Options{IP: "0.0.0.0", Enabled: true, AnyClient: true}, req{"GET", "/cdn-cgi/emu/api/overview", far, "evil.example:8787", ""}, 403, "DNS rebinding"},
		{"--inspector on one address", Options{IP: "192.0.2.1", Enabled: true, AnyClient: true}, req{"GET", "/cdn-cgi/emu/api/overview", far, "192.0.2.1:8787", ""}, 200, `"namespaces"`},
		{"--inspector on one address, another Host", Options{IP: "192.0.2.1", Enabled: true, AnyClient: true}, req{"GET", "/cdn-cgi/emu/api/overview", far, "192.0.2.2:8787", ""}, 403, "DNS rebinding"},
		{"unknown path", Options{IP: "127.0.0.1", Enabled: true}, req{"GET", "/cdn-cgi/emu/nope", local, "127.0.0.1:8787", ""}, 404, "no such inspector page"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			h := newHandler(t, tc.opts)
			w := serve(h, tc.req.method, tc.req.path, tc.req.remote, tc.req.host, tc.req.origin)
			if w.Code != tc.want || !strings.Contains(w.Body.String(), tc.body) {
				t.Fatalf("%s %s: %d %q, want %d containing %q", tc.req.method, tc.req.path, w.Code, w.Body.String(), tc.want, tc.body)
			}
		})
	}
}

// TestPageHeaders: the page may not be framed and runs only its own
// script; API answers are not cached or sniffed.
func TestPageHeaders(t *testing.T) {
	t.Parallel()
	h := newHandler(t, Options{IP: "127.0.0.1", Enabled: true})
	w := serve(h, "GET", "/cdn-cgi/emu/", "127.0.0.1:1", "127.0.0.1:8787", "")
	csp := w.Header().Get("Content-Security-Policy")
	if !strings.Contains(csp, "script-src 'self'") || !strings.Contains(csp, "frame-ancestors 'none'") || w.Header().Get("X-Frame-Options") != "DENY" {
		t.Fatalf("page headers: %v", w.Header())
	}
	for _, asset := range []string{"app.js", "style.css"} {
		w = serve(h, "GET", "/cdn-cgi/emu/"+asset, "127.0.0.1:1", "127.0.0.1:8787", "")
		if w.Code != http.StatusOK || w.Body.Len() == 0 || w.Header().Get("X-Content-Type-Options") != "nosniff" {
			t.Fatalf("%s: %d, %d bytes, %v", asset, w.Code, w.Body.Len(), w.Header())
		}
	}
	w = serve(h, "GET", "/cdn-cgi/emu/api/worker", "127.0.0.1:1", "127.0.0.1:8787", "")
	if w.Header().Get("Cache-Control") != "no-store" || w.Header().Get("Content-Type") != "application/json" {
		t.Fatalf("api headers: %v", w.Header())
	}
}

// TestLoopback decides when the inspector is on by default.
func TestLoopback(t *testing.T) {
	t.Parallel()
	for ip, want := range map[string]bool{"127.0.0.1": true, "127.0.0.2": true, "::1": true, "[::1]": true, "localhost": true,
		"0.0.0.0": false, "::": false, "192.0.2.1": false, "example.com": false} {
		if got := Loopback(ip); got != want {
			t.Errorf("Loopback(%q) = %v", ip, got)
		}
	}
}
