package main

import (
	"context"
	"os/exec"
	"strings"
	"testing"
	"time"
)

// TestHono runs testdata/hono, an app built with the Hono framework from
// npm (routing, middleware, context storage on AsyncLocalStorage, error
// handling) with a Durable Object behind it: `npm ci` installs hono into a
// copy, emu bundles it from node_modules. It needs npm (Debian: apt-get
// install -y nodejs npm) and the npm registry.
//
// It does not run in parallel: npm is heavy enough to upset the timing of
// the transcript tests on two cores.
func TestHono(t *testing.T) {
	npm, err := exec.LookPath("npm")
	if err != nil {
		t.Skip("npm is not installed: TestHono installs hono from the npm registry (apt-get install -y nodejs npm)")
	}
	dir := testdataCopy(t, "hono")
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	install := exec.CommandContext(ctx, npm, "ci", "--no-audit", "--no-fund", "--ignore-scripts", "--prefer-offline")
	install.Dir = dir
	if out, err := install.CombinedOutput(); err != nil {
		t.Fatalf("npm ci: %v\n%s", err, out)
	}
	p := startEmu(t, dir)

	t.Run("routes", func(t *testing.T) {
		if status, body, h := p.get("/"); status != 200 || body != "Hello Hono!" || h.Get("X-Powered-By") != "hono+emu" {
			t.Errorf("GET / = %d %q %v", status, body, h)
		}
		if status, body, h := p.get("/api/hello/emu?q=1"); status != 200 || body != `{"hello":"emu","q":"1"}` || h.Get("Content-Type") != "application/json" {
			t.Errorf("GET /api/hello/emu = %d %q %v", status, body, h)
		}
		status, body, _ := p.do("POST", "/api/echo", strings.NewReader(`{"x":[1,2]}`), "Content-Type", "application/json")
		if status != 201 || body != `{"got":{"x":[1,2]}}` {
			t.Errorf("POST /api/echo = %d %q", status, body)
		}
		if status, body, _ := p.get("/nowhere"); status != 404 || body != `{"error":"not found","path":"/nowhere"}` {
			t.Errorf("GET /nowhere = %d %q", status, body)
		}
	})

	t.Run("middleware", func(t *testing.T) {
		status, _, h := p.do("OPTIONS", "/api/echo", nil, "Origin", "https://example.com", "Access-Control-Request-Method", "POST")
		if status != 204 || h.Get("Access-Control-Allow-Origin") != "https://example.com" || h.Get("Access-Control-Allow-Methods") != "GET,POST" {
			t.Errorf("CORS preflight = %d %v", status, h)
		}
		if status, body, h := p.get("/admin/secret"); status != 401 || body != "Unauthorized" || h.Get("X-Frame-Options") != "SAMEORIGIN" {
			t.Errorf("GET /admin/secret without a token = %d %q %v", status, body, h)
		}
		if status, body, _ := p.get("/admin/secret", "Authorization", "Bearer let-me-in"); status != 200 || body != "the secret" {
			t.Errorf("GET /admin/secret = %d %q", status, body)
		}
		mark := p.lines()
		p.get("/api/hello/logged")
		p.waitForAfter(mark, "<-- GET /api/hello/logged", 5*time.Second)
		p.waitForAfter(mark, "--> GET /api/hello/logged", 5*time.Second)
	})

	t.Run("errors", func(t *testing.T) {
		if status, body, _ := p.get("/teapot"); status != 418 || body != "I'm a teapot" {
			t.Errorf("GET /teapot = %d %q", status, body)
		}
		if status, body, _ := p.get("/error"); status != 500 || body != `{"error":"unexpected"}` {
			t.Errorf("GET /error = %d %q", status, body)
		}
	})

	// hono/context-storage keeps each request's context in an
	// AsyncLocalStorage; concurrent requests, one waiting on a timer, each
	// read their own.
	t.Run("context storage", func(t *testing.T) {
		type result struct{ id, body string }
		results := make(chan result, 4)
		for i, delay := range []string{"40", "0", "20", "5"} {
			id := "req-" + string(rune('a'+i))
			go func() {
				body, err := getWithHeader(p.URL+"/api/whoami?delay="+delay, "X-Request-Id", id)
				if err != nil {
					body = err.Error()
				}
				results <- result{id, body}
			}()
		}
		for range 4 {
			if r := <-results; r.body != r.id {
				t.Errorf("request %s read the context of %q", r.id, r.body)
			}
		}
	})

	t.Run("durable object", func(t *testing.T) {
		for i, want := range []string{`{"value":2}`, `{"value":5}`} {
			by := []string{"2", "3"}[i]
			if status, body, _ := p.do("POST", "/api/counter/hits", strings.NewReader(`{"by":`+by+`}`)); status != 200 || body != want {
				t.Errorf("POST /api/counter/hits (by %s) = %d %q, want %s", by, status, body, want)
			}
		}
		if status, body, _ := p.get("/api/counter/hits"); status != 200 || body != `{"count":5,"method":"GET"}` {
			t.Errorf("GET /api/counter/hits = %d %q", status, body)
		}
		if _, body, _ := p.get("/api/counter/other"); body != `{"count":0,"method":"GET"}` {
			t.Errorf("another object: %q", body)
		}
	})
}
