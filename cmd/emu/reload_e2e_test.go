package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	cws "github.com/coder/websocket"
)

// edit rewrites a file of a test's copy, replacing old with new.
func edit(t testing.TB, path, old, new string) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	s := string(b)
	if !strings.Contains(s, old) {
		t.Fatalf("%s does not contain %q", path, old)
	}
	if err := os.WriteFile(path, []byte(strings.Replace(s, old, new, 1)), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestReloadKeepsHibernatableSockets edits the reply prefix while a client is
// connected: the same socket's next reply comes from the new code.
func TestReloadKeepsHibernatableSockets(t *testing.T) {
	t.Parallel()
	dir := testdataCopy(t, "hibernation-js")
	entry := filepath.Join(dir, "index.js")
	p := startEmu(t, dir)
	c := dialWS(t, p, "/websocket")
	if got := roundTrip(t, c, "a"); got != "[Durable Object]: a" {
		t.Fatalf("before: %q", got)
	}
	prefix := "[Durable Object]: "
	for i, next := range []string{"[v2]: ", "[v3]: ", "[v4]: "} {
		mark := p.lines()
		edit(t, entry, "ws.send(`"+prefix, "ws.send(`"+next)
		p.waitForAfter(mark, "Reloaded in ", 10*time.Second)
		if got, want := roundTrip(t, c, "msg"), next+"msg"; got != want {
			t.Fatalf("edit %d: reply %q, want %q", i+1, got, want)
		}
		prefix = next
	}
	if _, body, _ := p.get("/getCurrentConnections"); body != "There is 1 WebSocket client connected to this Durable Object instance." {
		t.Fatalf("socket lost across reloads: %q", body)
	}
}

// TestReloadClosesStandardSocketsWith1012: accept()ed sockets cannot move to
// new code; clients are told to reconnect.
func TestReloadClosesStandardSocketsWith1012(t *testing.T) {
	t.Parallel()
	dir := testdataCopy(t, "websocket-js")
	p := startEmu(t, dir)
	c := dialWS(t, p, "/websocket")
	if got := roundTrip(t, c, "a"); got != "[Durable Object]: a" {
		t.Fatalf("before: %q", got)
	}
	mark := p.lines()
	edit(t, filepath.Join(dir, "index.js"), "server.send(`[Durable Object]: ", "server.send(`[new]: ")
	p.waitForAfter(mark, "1012 Service Restart", 10*time.Second)
	expectClose(t, c, cws.StatusServiceRestart)
	c2 := dialWS(t, p, "/websocket")
	if got := roundTrip(t, c2, "b"); got != "[new]: b" {
		t.Fatalf("reconnected: %q", got)
	}
}

// TestReloadSurvivesSyntaxErrors: a broken save is reported with
// file:line:column and the last good version keeps serving; the fix is
// picked up, and so is a new file the entry imports.
func TestReloadSurvivesSyntaxErrors(t *testing.T) {
	t.Parallel()
	dir := testdataCopy(t, "hibernation-js")
	entry := filepath.Join(dir, "index.js")
	p := startEmu(t, dir)
	c := dialWS(t, p, "/websocket")

	mark := p.lines()
	edit(t, entry, "ws.send(`[Durable Object]: ${message}`);", "ws.send(`[broken]: ${message}`;")
	p.waitForAfter(mark, "index.js:71:34: ERROR: Expected \")\" but found \";\"", 10*time.Second)
	p.waitForAfter(mark, "The last good version keeps serving.", 10*time.Second)
	if got := roundTrip(t, c, "still"); got != "[Durable Object]: still" {
		t.Fatalf("during the error: %q", got)
	}
	if status, _, _ := p.get("/"); status != 200 {
		t.Fatalf("HTTP during the error: %d", status)
	}

	// Fix it by importing a new file.
	if err := os.WriteFile(filepath.Join(dir, "prefix.js"), []byte("export const PREFIX = \"[from prefix.js]: \";\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	mark = p.lines()
	b, _ := os.ReadFile(entry)
	fixed := "import { PREFIX } from \"./prefix.js\";\n" + strings.Replace(string(b), "ws.send(`[broken]: ${message}`;", "ws.send(`${PREFIX}${message}`);", 1)
	if err := os.WriteFile(entry, []byte(fixed), 0o644); err != nil {
		t.Fatal(err)
	}
	p.waitForAfter(mark, "Reloaded in ", 10*time.Second)
	if got := roundTrip(t, c, "fixed"); got != "[from prefix.js]: fixed" {
		t.Fatalf("after the fix: %q", got)
	}
	// Editing the imported file reloads too.
	mark = p.lines()
	edit(t, filepath.Join(dir, "prefix.js"), "[from prefix.js]", "[edited]")
	p.waitForAfter(mark, "Reloaded in ", 10*time.Second)
	if got := roundTrip(t, c, "x"); got != "[edited]: x" {
		t.Fatalf("after editing the import: %q", got)
	}
}

// TestStartsWithSyntaxErrorAndServesOnceFixed: emu starts, reports the
// error, and serves as soon as the file is fixed.
func TestStartsWithSyntaxErrorAndServesOnceFixed(t *testing.T) {
	t.Parallel()
	dir := testdataCopy(t, "syntax-error")
	p := startEmu(t, dir, "index.js")
	p.waitFor("index.js:3:28: ERROR", 5*time.Second)
	if status, _, _ := p.get("/"); status != 503 {
		t.Fatalf("status before the fix: %d", status)
	}
	mark := p.lines()
	edit(t, filepath.Join(dir, "index.js"), `new Response("x" ;`, `new Response("fixed");`)
	p.waitForAfter(mark, "Reloaded in ", 10*time.Second)
	if status, body, _ := p.get("/"); status != 200 || body != "fixed" {
		t.Fatalf("after the fix: %d %q", status, body)
	}
}

// TestReloadOnConfigChange: editing wrangler.toml reloads with the new vars.
func TestReloadOnConfigChange(t *testing.T) {
	t.Parallel()
	dir := testdataCopy(t, "basics")
	p := startEmu(t, dir)
	if _, body, _ := p.get("/vars"); body != `{"GREETING":"hello","LIMIT":3,"EXTRA":null}` {
		t.Fatalf("before: %s", body)
	}
	mark := p.lines()
	edit(t, filepath.Join(dir, "wrangler.toml"), `GREETING = "hello"`, `GREETING = "bonjour"`)
	p.waitForAfter(mark, "Reloaded in ", 10*time.Second)
	if _, body, _ := p.get("/vars"); body != `{"GREETING":"bonjour","LIMIT":3,"EXTRA":null}` {
		t.Fatalf("after: %s", body)
	}
}

// TestReloadIgnoresFilesOutsideTheBundle: a log file or notes in the
// project do not reload (emu dev > dev.log must not loop); the entry does.
func TestReloadIgnoresFilesOutsideTheBundle(t *testing.T) {
	t.Parallel()
	dir := testdataCopy(t, "basics")
	p := startEmu(t, dir)
	mark := p.lines()
	for i := 0; i < 3; i++ {
		if err := os.WriteFile(filepath.Join(dir, "dev.log"), []byte(strings.Repeat("x", i)), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	edit(t, filepath.Join(dir, "index.js"), `"Hello World!"`, `"Hello again!"`)
	line := p.waitForAfter(mark, "Reloaded in ", 10*time.Second)
	if !strings.HasSuffix(line, "(index.js changed)") {
		t.Fatalf("reload line %q names files outside the bundle", line)
	}
	if _, body, _ := p.get("/"); body != "Hello again!" {
		t.Fatalf("after reload: %q", body)
	}
}
