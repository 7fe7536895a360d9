package main

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestBasicsWorker(t *testing.T) {
	t.Parallel()
	p := startEmu(t, testdataCopy(t, "basics"), "--var", "EXTRA:from-flag")

	status, body, h := p.get("/")
	if status != 200 || body != "Hello World!" {
		t.Fatalf("GET / = %d %q", status, body)
	}
	if got := h.Get("Content-Type"); got != "text/plain;charset=UTF-8" {
		t.Errorf("Content-Type = %q", got)
	}
	if got := h.Get("Content-Length"); got != "12" {
		t.Errorf("Content-Length = %q", got)
	}
	if _, ok := h["Date"]; ok {
		t.Errorf("workerd sends no Date header on a normal response; got %q", h.Get("Date"))
	}
	p.waitFor("GET / 200 OK (", 5*time.Second)

	_, body, _ = p.get("/vars")
	if body != `{"GREETING":"hello","LIMIT":3,"EXTRA":"from-flag"}` {
		t.Errorf("/vars = %s", body)
	}
	_, body, _ = p.get("/import")
	if body != "HI EMU! message of the day" {
		t.Errorf("/import = %q", body)
	}
	if _, body, _ = p.get("/async-iter"); body != "sum 5 1" {
		t.Errorf("/async-iter = %q", body)
	}
	_, body, _ = p.get("/timer")
	if body != "waited true" {
		t.Errorf("/timer = %q", body)
	}
	status, body, _ = p.do("POST", "/echo", strings.NewReader(`{"a":[1,2]}`), "Content-Type", "application/json")
	if status != 200 || body != `{"method":"POST","got":{"a":[1,2]},"type":"application/json"}` {
		t.Errorf("POST /echo = %d %s", status, body)
	}

	// What a Worker sees of a request, as under wrangler dev.
	_, body, _ = p.get("/request", "X-Test", "1")
	var seen struct {
		URL     string     `json:"url"`
		Headers [][]string `json:"headers"`
		CF      []string   `json:"cf"`
	}
	if err := json.Unmarshal([]byte(body), &seen); err != nil {
		t.Fatalf("/request: %v: %s", err, body)
	}
	if seen.URL != p.URL+"/request" {
		t.Errorf("request.url = %q", seen.URL)
	}
	hdrs := map[string]string{}
	var names []string
	for _, kv := range seen.Headers {
		hdrs[kv[0]] = kv[1]
		names = append(names, kv[0])
	}
	if hdrs["cf-connecting-ip"] != "127.0.0.1" || hdrs["x-test"] != "1" {
		t.Errorf("headers = %v", seen.Headers)
	}
	for i := 1; i < len(names); i++ {
		if names[i-1] > names[i] {
			t.Errorf("headers not sorted: %v", names)
		}
	}
	if len(seen.CF) != 23 || seen.CF[0] != "asOrganization" {
		t.Errorf("request.cf keys = %v", seen.CF)
	}

	// gzip for clients that accept it.
	status, body, h = p.get("/", "Accept-Encoding", "gzip")
	if status != 200 || h.Get("Content-Encoding") != "gzip" {
		t.Fatalf("gzip: %d %v", status, h)
	}
	zr, err := gzip.NewReader(strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	plain, _ := io.ReadAll(zr)
	if string(plain) != "Hello World!" {
		t.Errorf("gunzipped = %q", plain)
	}

	// console.log is printed as a bare line.
	p.get("/log")
	p.waitFor("a log line { n: 1 }", 5*time.Second)
}

func TestThrownErrorsAnswer500WithMappedStack(t *testing.T) {
	t.Parallel()
	p := startEmu(t, testdataCopy(t, "basics"))

	status, body, _ := p.get("/throw")
	if status != 500 {
		t.Fatalf("/throw status %d", status)
	}
	if !strings.HasPrefix(body, "Error: boom from the handler\n") || !strings.Contains(body, "index.js:27:") {
		t.Errorf("/throw body lacks the error and the mapped stack (index.js:27):\n%s", body)
	}
	p.waitFor("✘ [ERROR] Uncaught Error: boom from the handler", 5*time.Second)
	p.waitFor("index.js:27:", 5*time.Second)

	status, body, _ = p.get("/reject")
	if status != 500 || !strings.HasPrefix(body, "TypeError: rejected on purpose") {
		t.Errorf("/reject = %d %q", status, body)
	}
	status, _, _ = p.get("/never")
	if status != 500 {
		t.Errorf("/never status %d", status)
	}
	p.waitFor("The script will never generate a response.", 5*time.Second)

	if status, _, _ := p.get("/unhandled"); status != 200 {
		t.Errorf("/unhandled status %d", status)
	}
	p.waitFor("✘ [ERROR] Uncaught (in promise) Error: nobody catches me", 5*time.Second)

	// Still serving.
	if status, body, _ := p.get("/"); status != 200 || body != "Hello World!" {
		t.Errorf("after errors: %d %q", status, body)
	}
}

func TestTypeScriptWorkerWithJSONC(t *testing.T) {
	t.Parallel()
	p := startEmu(t, testdataCopy(t, "typescript"), "--var", "NAME:ts")
	status, body, _ := p.get("/")
	if status != 200 || body != "sum=5 big=1000 name=ts" {
		t.Fatalf("GET / = %d %q", status, body)
	}
}

func TestCPULimit(t *testing.T) {
	t.Parallel()
	p := startEmu(t, testdataCopy(t, "cpu"))
	status, _, _ := p.get("/spin")
	if status != 503 {
		t.Fatalf("/spin status %d, want 503", status)
	}
	p.waitFor("Worker exceeded CPU time limit.", 5*time.Second)
	if status, body, _ := p.get("/"); status != 200 || body != "still here" {
		t.Fatalf("after the limit: %d %q", status, body)
	}
}

// runEmu runs emu to completion (for commands that must fail fast).
func runEmu(t *testing.T, dir string, args ...string) (int, string) {
	t.Helper()
	cmd := exec.Command(emuBin, args...)
	cmd.Dir = dir
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	done := make(chan error, 1)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { done <- cmd.Wait() }()
	select {
	case <-done:
	case <-time.After(20 * time.Second):
		_ = cmd.Process.Kill()
		<-done
		t.Fatalf("emu %v did not exit; output:\n%s", args, out.String())
	}
	return cmd.ProcessState.ExitCode(), out.String()
}

func TestBadInputExitsWithOneClearLine(t *testing.T) {
	t.Parallel()
	t.Run("bad config", func(t *testing.T) {
		code, out := runEmu(t, testdataCopy(t, "bad-config"), "dev", "--port", "0")
		if code != 2 || !strings.Contains(out, "wrangler.toml:2") || !strings.Contains(out, "compatibility_date") {
			t.Fatalf("exit %d, output:\n%s", code, out)
		}
		if strings.Contains(out, "goroutine ") {
			t.Fatalf("stack dump in output:\n%s", out)
		}
	})
	t.Run("missing entry", func(t *testing.T) {
		code, out := runEmu(t, t.TempDir(), "dev", "--port", "0", "nope.js")
		if code != 2 || !strings.Contains(out, "nope.js") {
			t.Fatalf("exit %d, output:\n%s", code, out)
		}
	})
	t.Run("class not exported", func(t *testing.T) {
		code, out := runEmu(t, testdataCopy(t, "missing-class"), "dev", "--port", "0", "--no-reload")
		if code != 2 || !strings.Contains(out, "✘ [ERROR] Your Worker depends on the following Durable Objects, which are not exported in your entrypoint file: Rooms.") {
			t.Fatalf("exit %d, output:\n%s", code, out)
		}
	})
	t.Run("syntax error", func(t *testing.T) {
		code, out := runEmu(t, testdataCopy(t, "syntax-error"), "dev", "--port", "0", "--no-reload", "index.js")
		if code != 2 || !strings.Contains(out, "index.js:3:28: ERROR: Expected \")\" but found \";\"") {
			t.Fatalf("exit %d, output:\n%s", code, out)
		}
		if !strings.Contains(out, `return new Response("x" ;`) || !strings.Contains(out, "^") {
			t.Fatalf("no source line with a caret:\n%s", out)
		}
	})
}

func TestVersionAndHelp(t *testing.T) {
	t.Parallel()
	code, out := runEmu(t, t.TempDir(), "--version")
	if code != 0 || !strings.HasPrefix(out, "emu version ") {
		t.Fatalf("--version: %d %q", code, out)
	}
	code, out = runEmu(t, t.TempDir(), "dev", "--help")
	if code != 0 || !strings.Contains(out, "--persist-to") {
		t.Fatalf("dev --help: %d %q", code, out)
	}
}

func TestIgnoredWranglerFlagsAndGracefulStop(t *testing.T) {
	t.Parallel()
	dir := testdataCopy(t, "basics")
	p := startEmu(t, dir, "--local", "--inspector-port", "9230", "--show-interactive-dev-session=false", "--ip", "127.0.0.1")
	if status, _, _ := p.get("/"); status != 200 {
		t.Fatalf("status %d", status)
	}
	if code := p.stop(); code != 0 {
		t.Fatalf("exit code after SIGINT = %d", code)
	}
	if _, err := os.Stat(filepath.Join(dir, "index.js")); err != nil {
		t.Fatal(err)
	}
}
