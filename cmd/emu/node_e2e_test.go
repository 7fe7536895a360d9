package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// TestNodeCompat drives testdata/node-compat: a Worker with nodejs_compat
// using Node.js built-ins directly and through an npm-style CommonJS
// package that requires them by their bare names.
//
// The tests of this file do not run in parallel, to leave the machine to the
// timing-sensitive transcript tests.
func TestNodeCompat(t *testing.T) {
	p := startEmu(t, testdataCopy(t, "node-compat"))

	t.Run("buffer crypto path", func(t *testing.T) {
		status, body, _ := p.get("/buffer")
		want := `{"base64":"aMOpbGxv","hex":"6869","global":true,` +
			`"sha256":"ff0ea194607d481a25de97516dd57b7117df111931d2610f2e9e2e6ac5940546",` +
			`"hmac":"lPxqL36JuBls904QeajBHrZ5pVI=","uuid":36,"path":"/a/c"}`
		if status != 200 || body != want {
			t.Errorf("/buffer = %d %s\nwant %s", status, body, want)
		}
	})

	t.Run("process.env", func(t *testing.T) {
		_, body, _ := p.get("/env")
		// (emu's env lists vars in name order; wrangler's in the config's.)
		want := `{"env":{"CONFIG":"{\"mode\":\"test\",\"tags\":[\"a\",\"b\"]}","GREETING":"hello","LIMIT":"3"},"version":"v22.14.0","platform":"linux"}`
		if body != want {
			t.Errorf("/env = %s\nwant %s", body, want)
		}
	})

	// Concurrent requests each see their own AsyncLocalStorage store across
	// timers, awaits and promisified callbacks, and so does an EventEmitter
	// listener they trigger.
	t.Run("AsyncLocalStorage per request", func(t *testing.T) {
		type result struct{ id, body string }
		results := make(chan result, 6)
		for i, delay := range []int{60, 0, 30, 10, 45, 5} {
			id := fmt.Sprintf("req-%d", i)
			go func() {
				body, err := getWithHeader(p.URL+fmt.Sprintf("/id?delay=%d", delay), "X-Request-Id", id)
				if err != nil {
					body = err.Error()
				}
				results <- result{id, body}
			}()
		}
		for range 6 {
			r := <-results
			if want := r.id + " -> " + r.id; r.body != want {
				t.Errorf("request %s saw %q, want %q", r.id, r.body, want)
			}
		}
		p.waitFor("hit /id in request req-0", 5*time.Second)
		p.waitFor("hit /id in request req-5", 5*time.Second)
	})

	t.Run("console.log as workerd prints", func(t *testing.T) {
		mark := p.lines()
		p.get("/log", "X-Request-Id", "log-1")
		p.waitForAfter(mark, "{ buf: <Buffer 61 62>, map: Map(1) { 1 => { a: [Array] } } }", 5*time.Second)
		p.waitForAfter(mark, "Error: logged", 5*time.Second)
		p.waitForAfter(mark, "  [cause]: TypeError: why", 5*time.Second)
		p.waitForAfter(mark, "'log-1'", 5*time.Second)
	})

	t.Run("error.stack", func(t *testing.T) {
		_, body, _ := p.get("/stack")
		lines := strings.Split(body, "\n")
		if lines[0] != "Error: where" || len(lines) < 2 || !regexp.MustCompile(`^    at .*index\.js:\d+:\d+\)?$`).MatchString(lines[1]) {
			t.Errorf("stack:\n%s", body)
		}
		if strings.Contains(body, "emu:") || strings.Contains(body, "native") || regexp.MustCompile(`:\d+:\d+\(\d+\)`).MatchString(body) {
			t.Errorf("stack has emu's frames or goja's offsets:\n%s", body)
		}
	})

	t.Run("not implemented", func(t *testing.T) {
		status, body, _ := p.get("/fs")
		if status != 500 || body != "Error ERR_METHOD_NOT_IMPLEMENTED: The fs.readFileSync method is not implemented" {
			t.Errorf("/fs = %d %q", status, body)
		}
	})

	t.Run("assert", func(t *testing.T) {
		status, body, _ := p.get("/assert")
		if status != 500 || !strings.HasPrefix(body, "AssertionError [ERR_ASSERTION]: Expected values to be strictly equal:\n\n1 !== 2\n") {
			t.Errorf("/assert = %d %q", status, body)
		}
		p.waitFor("✘ [ERROR] Uncaught AssertionError [ERR_ASSERTION]: Expected values to be strictly equal:", 5*time.Second)
	})
}

// Without nodejs_compat the build fails as wrangler's does, with its hint;
// with nodejs_compat before 2024-09-23 (v1) bare names need the prefix.
func TestNodeCompatFlags(t *testing.T) {
	cases := []struct {
		name, from, to string
		want           []string
	}{
		{"no flag", `compatibility_flags = ["nodejs_compat"]`, ``, []string{
			`ERROR: Could not resolve "node:buffer"`,
			`The package "node:buffer" wasn't found on the file system but is built into node.`,
			`- Add the "nodejs_compat" compatibility flag to your project.`,
		}},
		{"v1", `compatibility_date = "2025-06-01"`, `compatibility_date = "2024-09-01"`, []string{
			`packages/reqctx/index.js:3:38: ERROR: Could not resolve "async_hooks"`,
			`- Make sure to prefix the module name with "node:" or update your compatibility_date to 2024-09-23 or later.`,
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			dir := testdataCopy(t, "node-compat")
			edit(t, filepath.Join(dir, "wrangler.toml"), tc.from, tc.to)
			code, out := runEmu(t, dir, "dev", "--port", "0", "--no-reload")
			if code != 2 {
				t.Fatalf("exit %d, output:\n%s", code, out)
			}
			for _, w := range tc.want {
				if !strings.Contains(out, w) {
					t.Errorf("output lacks %q:\n%s", w, out)
				}
			}
		})
	}
}

// With nodejs_compat_v2 the globals exist; an explicit
// nodejs_compat_do_not_populate_process_env leaves process.env empty.
func TestNodeCompatV2FlagsAndEnv(t *testing.T) {
	dir := testdataCopy(t, "node-compat")
	edit(t, filepath.Join(dir, "wrangler.toml"), `compatibility_flags = ["nodejs_compat"]`,
		`compatibility_flags = ["nodejs_compat_v2", "nodejs_compat_do_not_populate_process_env"]`)
	p := startEmu(t, dir)
	if _, body, _ := p.get("/env"); body != `{"env":{},"version":"v22.14.0","platform":"linux"}` {
		t.Errorf("/env = %s", body)
	}
	if _, body, _ := p.get("/buffer"); !strings.Contains(body, `"global":true`) {
		t.Errorf("/buffer = %s", body)
	}
}

// getWithHeader GETs url with one request header, from any goroutine.
func getWithHeader(url, key, value string) (string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, "GET", url, nil)
	if err != nil {
		return "", err
	}
	req.Header.Set(key, value)
	tr := &http.Transport{DisableCompression: true}
	defer tr.CloseIdleConnections()
	resp, err := (&http.Client{Transport: tr}).Do(req)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return string(b), err
}
