package main

import (
	"bufio"
	"context"
	"io"
	"net"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// rawDo sends a request with a chosen Host header and returns status and
// body.
func rawDo(t testing.TB, p *emuProc, method, path, host string, hdr ...string) (int, string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, method, p.URL+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	if host != "" {
		req.Host = host
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	tr := &http.Transport{}
	defer tr.CloseIdleConnections()
	cl := &http.Client{Transport: tr, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := cl.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// rawPath sends a request line with the path exactly as given (no client
// cleaning) and returns the status line and body.
func rawPath(t testing.TB, p *emuProc, path string) string {
	t.Helper()
	nc, err := net.DialTimeout("tcp", strings.TrimPrefix(p.URL, "http://"), 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer nc.Close()
	_ = nc.SetDeadline(time.Now().Add(10 * time.Second))
	host := strings.TrimPrefix(p.URL, "http://")
	if _, err := io.WriteString(nc, "GET "+path+" HTTP/1.1\r\nHost: "+host+"\r\nConnection: close\r\n\r\n"); err != nil {
		t.Fatal(err)
	}
	resp, err := http.ReadResponse(bufio.NewReader(nc), nil)
	if err != nil {
		t.Fatalf("GET %s: %v", path, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.Status + " " + string(b)
}

// TestInspectorGuards, over the real server: the banner names the page;
// requests under a foreign Host (DNS rebinding) and actions without this
// server's Origin (CSRF) are refused; no spelling of a path under
// /cdn-cgi/emu/ reaches the Worker.
func TestInspectorGuards(t *testing.T) {
	t.Parallel()
	p := startEmu(t, testdataCopy(t, "inspector"))
	p.waitFor("Inspector on "+p.URL+"/cdn-cgi/emu/", 5*time.Second)
	host := strings.TrimPrefix(p.URL, "http://")
	port := host[strings.LastIndex(host, ":")+1:]

	for _, h := range []string{"", "localhost:" + port, "[::1]:" + port} {
		if code, body := rawDo(t, p, "GET", "/cdn-cgi/emu/", h); code != 200 || !strings.Contains(body, "<title>emu inspector</title>") {
			t.Errorf("page with Host %q: %d", h, code)
		}
	}
	for _, path := range []string{"/cdn-cgi/emu/", "/cdn-cgi/emu/api/overview", "/cdn-cgi/emu/api/runtime", "/cdn-cgi/emu/api/events"} {
		if code, body := rawDo(t, p, "GET", path, "evil.example:"+port); code != 403 || !strings.Contains(body, "DNS rebinding") {
			t.Errorf("GET %s with a foreign Host: %d %q", path, code, body)
		}
	}
	for _, origin := range []string{"", "http://evil.example", "http://localhost:1", "null"} {
		code, body := rawDo(t, p, "POST", "/cdn-cgi/emu/api/hibernate", "", "Origin", origin)
		if code != 403 {
			t.Errorf("POST with Origin %q: %d %q", origin, code, body)
		}
	}
	if code, body := rawDo(t, p, "POST", "/cdn-cgi/emu/api/hibernate", "", "Origin", p.URL); code != 200 || !strings.Contains(body, `"hibernated":0`) {
		t.Errorf("POST with this server's Origin: %d %q", code, body)
	}
	// The legacy control keeps working for scripts (no Origin), not for
	// other pages.
	if code, body := rawDo(t, p, "POST", "/cdn-cgi/emu/hibernate", ""); code != 200 || body != "hibernated 0\n" {
		t.Errorf("legacy hibernate: %d %q", code, body)
	}
	if code, _ := rawDo(t, p, "POST", "/cdn-cgi/emu/hibernate", "", "Origin", "http://evil.example"); code != 403 {
		t.Errorf("legacy hibernate from another origin: %d", code)
	}

	if got := rawPath(t, p, "/cdn-cgi/emux"); !strings.Contains(got, "worker saw /cdn-cgi/emux") {
		t.Fatalf("a path beside /cdn-cgi/emu/ should reach the Worker: %q", got)
	}
	for _, path := range []string{"/cdn-cgi/emu", "/cdn-cgi/emu/", "/cdn-cgi/emu/x", "/cdn-cgi/./emu/x", "//cdn-cgi/emu/x",
		"/cdn-cgi/%65mu/x", "/cdn-cgi/emu/../emu/x", "/a/../cdn-cgi/emu/x", "/cdn-cgi%2Femu/x", "/cdn-cgi/emu%2Fx"} {
		if got := rawPath(t, p, path); strings.Contains(got, "worker saw") {
			t.Errorf("%s reached the Worker: %q", path, got)
		}
	}
}

// TestInspectorOff: --inspector=false turns the page and its API off (no
// banner line) and keeps the legacy controls.
func TestInspectorOff(t *testing.T) {
	t.Parallel()
	p := startEmu(t, testdataCopy(t, "inspector"), "--inspector=false")
	if code, body, _ := p.get("/cdn-cgi/emu/"); code != 404 || !strings.Contains(body, "the inspector is off") {
		t.Fatalf("page: %d %q", code, body)
	}
	if code, body, _ := p.get("/cdn-cgi/emu/x"); code != 404 || strings.Contains(body, "worker saw") {
		t.Fatalf("a path under /cdn-cgi/emu/: %d %q", code, body)
	}
	if _, body, _ := p.do("POST", "/cdn-cgi/emu/hibernate", nil); body != "hibernated 0\n" {
		t.Fatalf("legacy hibernate: %q", body)
	}
	if strings.Contains(p.output(), "Inspector on") {
		t.Fatalf("banner names the inspector:\n%s", p.output())
	}
}

// sseEvent is one Server-Sent Event.
type sseEvent struct{ name, data string }

// openEvents opens the inspector's live stream and returns its events.
func openEvents(t testing.TB, p *emuProc) <-chan sseEvent {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	req, _ := http.NewRequestWithContext(ctx, "GET", p.URL+"/cdn-cgi/emu/api/events", nil)
	tr := &http.Transport{}
	resp, err := (&http.Client{Transport: tr}).Do(req)
	if err != nil {
		cancel()
		t.Fatal(err)
	}
	if ct := resp.Header.Get("Content-Type"); resp.StatusCode != 200 || ct != "text/event-stream" {
		t.Fatalf("events: %d %s", resp.StatusCode, ct)
	}
	ch := make(chan sseEvent, 256)
	done := make(chan struct{})
	go func() {
		defer close(done)
		sc := bufio.NewScanner(resp.Body)
		sc.Buffer(make([]byte, 1<<20), 1<<22)
		var ev sseEvent
		for sc.Scan() {
			line := sc.Text()
			switch {
			case strings.HasPrefix(line, "event: "):
				ev.name = line[len("event: "):]
			case strings.HasPrefix(line, "data: "):
				ev.data = line[len("data: "):]
			case line == "" && ev.name != "":
				select {
				case ch <- ev:
				default:
				}
				ev = sseEvent{}
			}
		}
	}()
	t.Cleanup(func() {
		cancel()
		resp.Body.Close()
		<-done
		tr.CloseIdleConnections()
	})
	return ch
}

// nextEvent waits for an event named name whose data contains want.
func nextEvent(t testing.TB, ch <-chan sseEvent, name, want string) sseEvent {
	t.Helper()
	deadline := time.After(10 * time.Second)
	for {
		select {
		case ev := <-ch:
			if ev.name == name && strings.Contains(ev.data, want) {
				return ev
			}
		case <-deadline:
			t.Fatalf("no %q event with %q", name, want)
			return sseEvent{}
		}
	}
}

// TestInspectorEvents: the live stream sends the overview at once and
// again when an object changes, and emu's log lines as they happen; a
// stopping emu ends it.
func TestInspectorEvents(t *testing.T) {
	t.Parallel()
	p := startEmu(t, testdataCopy(t, "inspector"), "--hibernate-after", "1h")
	events := openEvents(t, p)
	nextEvent(t, events, "overview", `"objects":0`)
	c := dialWS(t, p, "/chat?room=live&name=x")
	if ev := nextEvent(t, events, "overview", `"sockets":1`); !strings.Contains(ev.data, `"idle":1`) {
		t.Fatalf("overview with the socket: %s", ev.data)
	}
	if _, body, _ := p.do("POST", "/cdn-cgi/emu/hibernate", nil); body != "hibernated 1\n" {
		t.Fatalf("hibernate: %q", body)
	}
	nextEvent(t, events, "log", `ChatRoom(\"live\"): hibernated (forced; 1 WebSocket(s) kept open)`)
	nextEvent(t, events, "overview", `"hibernated":1`)
	roundTrip(t, c, "ping") // answered without waking the object
	sendText(t, c, "wake")
	nextEvent(t, events, "log", `woke up for webSocketMessage: constructor ran again`)
	nextEvent(t, events, "overview", `"idle":1`)
	start := time.Now()
	if code := p.stop(); code != 0 {
		t.Fatalf("exit code %d", code)
	}
	if d := time.Since(start); d > 4*time.Second {
		t.Fatalf("stopping with a live stream open took %s", d)
	}
}

type workerStatus struct {
	Version      int
	Changed      []string
	BuildError   string
	BuildErrorAt string
	LoadedAt     string
}

// TestInspectorWorkerReloadsAndRestarts: the Worker view follows reloads
// (version, what changed) and shows a failed build while the version
// before keeps serving; after a restart, objects with storage on disk are
// listed as not loaded (their names unknown) and their storage is
// readable.
func TestInspectorWorkerReloadsAndRestarts(t *testing.T) {
	t.Parallel()
	dir := testdataCopy(t, "inspector")
	p := startEmu(t, dir, "--hibernate-after", "1h")
	p.get("/put?room=kept&key=k&value=%22v%22")
	var w workerStatus
	if inspectorAPI(t, p, "GET", "worker", nil, &w); w.Version != 1 || len(w.Changed) != 0 || w.BuildError != "" {
		t.Fatalf("at start: %+v", w)
	}
	from := p.lines()
	edit(t, filepath.Join(dir, "index.js"), `new Response("inspector demo")`, `new Response("inspector demo v2")`)
	p.waitForAfter(from, "Reloaded in ", 10*time.Second)
	if inspectorAPI(t, p, "GET", "worker", nil, &w); w.Version != 2 || strings.Join(w.Changed, ",") != "index.js" || w.BuildError != "" {
		t.Fatalf("after a reload: %+v", w)
	}
	from = p.lines()
	edit(t, filepath.Join(dir, "index.js"), `new Response("inspector demo v2")`, `new Response("inspector demo v3"`)
	p.waitForAfter(from, "The last good version keeps serving.", 10*time.Second)
	if inspectorAPI(t, p, "GET", "worker", nil, &w); w.Version != 2 || !strings.Contains(w.BuildError, "index.js:") || w.BuildErrorAt == "" {
		t.Fatalf("after a failed build: %+v", w)
	}
	if _, body, _ := p.get("/"); body != "inspector demo v2" {
		t.Fatalf("the last good version: %q", body)
	}
	p.stop()

	edit(t, filepath.Join(dir, "index.js"), `new Response("inspector demo v3"`, `new Response("inspector demo v3")`)
	p = startEmu(t, dir, "--hibernate-after", "1h")
	var page struct {
		Total   int
		Objects []objInfo
	}
	inspectorAPI(t, p, "GET", "namespaces/CHAT_ROOM/objects", nil, &page)
	if page.Total != 1 || page.Objects[0].Name != "" || page.Objects[0].State != "not loaded" {
		t.Fatalf("after a restart: %+v", page)
	}
	var kv struct {
		Entries []struct{ Key, Value string }
	}
	inspectorAPI(t, p, "GET", "namespaces/CHAT_ROOM/objects/"+page.Objects[0].ID+"/storage/kv", nil, &kv)
	if len(kv.Entries) != 1 || kv.Entries[0].Key != "k" || kv.Entries[0].Value != "'v'" {
		t.Fatalf("storage of an object not loaded: %+v", kv)
	}
	p.get("/get?room=kept&key=k") // the name is known once a stub names it
	if o := objectByName(t, p, "kept"); o.ID != page.Objects[0].ID || o.State != "idle" {
		t.Fatalf("after a request: %+v", o)
	}
}
