package main

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	cws "github.com/coder/websocket"
)

// dialWS opens a WebSocket to p.
func dialWS(t testing.TB, p *emuProc, path string) *cws.Conn {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	c, resp, err := cws.Dial(ctx, "ws"+strings.TrimPrefix(p.URL, "http")+path, nil)
	if err != nil {
		t.Fatalf("dial %s: %v", path, err)
	}
	if resp.StatusCode != 101 {
		t.Fatalf("dial %s: status %d", path, resp.StatusCode)
	}
	t.Cleanup(func() { c.CloseNow() })
	return c
}

// roundTrip sends text and returns the next text message.
func roundTrip(t testing.TB, c *cws.Conn, msg string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := c.Write(ctx, cws.MessageText, []byte(msg)); err != nil {
		t.Fatalf("write %q: %v", msg, err)
	}
	typ, b, err := c.Read(ctx)
	if err != nil {
		t.Fatalf("read reply to %q: %v", msg, err)
	}
	if typ != cws.MessageText {
		t.Fatalf("reply to %q is binary", msg)
	}
	return string(b)
}

// expectClose reads until the server closes c and checks its close code.
func expectClose(t testing.TB, c *cws.Conn, want cws.StatusCode) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	_, _, err := c.Read(ctx)
	if got := cws.CloseStatus(err); got != want {
		t.Fatalf("read: %v (close status %d), want %d", err, got, want)
	}
}

type roomReply struct {
	Message  string          `json:"message"`
	Instance int             `json:"instance"`
	BornWith int             `json:"bornWith"`
	Att      json.RawMessage `json:"att"`
	Tags     []string        `json:"tags"`
	Peers    int             `json:"peers"`
	Auto     bool            `json:"auto"`
}

func roomTrip(t testing.TB, c *cws.Conn, msg string) roomReply {
	t.Helper()
	var r roomReply
	s := roundTrip(t, c, msg)
	if err := json.Unmarshal([]byte(s), &r); err != nil {
		t.Fatalf("reply %q: %v", s, err)
	}
	return r
}

// TestHibernationKeepsSocketsAndRerunsConstructor: after the idle threshold
// the object is evicted, the socket stays open, and the next message runs
// the constructor again (which sees the socket) before the handler; tags and
// attachment survive; auto-response is answered without waking the object.
func TestHibernationKeepsSocketsAndRerunsConstructor(t *testing.T) {
	t.Parallel()
	p := startEmu(t, testdataCopy(t, "do-features"), "--hibernate-after", "200ms")
	c := dialWS(t, p, "/ws?tag=red")

	r := roomTrip(t, c, "first")
	if r.Instance != 1 || r.BornWith != 0 || string(r.Att) != `{"tag":"red","joined":1}` ||
		strings.Join(r.Tags, ",") != "red,all" || r.Peers != 1 {
		t.Fatalf("before hibernation: %+v", r)
	}
	mark := p.lines()
	p.waitForAfter(mark, `Room("main"): hibernated (idle; 1 WebSocket(s) kept open)`, 10*time.Second)

	// Auto-response is answered in Go: the object stays hibernated.
	if got := roundTrip(t, c, "ping"); got != "pong" {
		t.Fatalf("auto-response = %q", got)
	}

	mark = p.lines()
	r = roomTrip(t, c, "second")
	if r.Instance != 2 || r.BornWith != 1 || string(r.Att) != `{"tag":"red","joined":1}` ||
		strings.Join(r.Tags, ",") != "red,all" || r.Peers != 1 || !r.Auto {
		t.Fatalf("after hibernation: %+v", r)
	}
	p.waitForAfter(mark, `Room("main"): woke up for webSocketMessage: constructor ran again`, 5*time.Second)
}

// TestForcedHibernation: the dev control evicts a live object at once; its
// sockets stay open and the next message runs the constructor, which sees
// them all. (The default idle threshold, 10 s, keeps timing out of it.)
func TestForcedHibernation(t *testing.T) {
	t.Parallel()
	p := startEmu(t, testdataCopy(t, "do-features"))
	c := dialWS(t, p, "/ws?tag=red")
	c2 := dialWS(t, p, "/ws?tag=blue")
	if r := roomTrip(t, c2, "hello"); r.Peers != 2 || r.Instance != 1 {
		t.Fatalf("second socket: %+v", r)
	}
	_, body, _ := p.do("POST", "/cdn-cgi/emu/hibernate", nil)
	if body != "hibernated 1\n" {
		t.Fatalf("hibernate control: %q", body)
	}
	if r := roomTrip(t, c, "third"); r.Instance != 2 || r.BornWith != 2 || r.Peers != 2 || string(r.Att) != `{"tag":"red","joined":1}` {
		t.Fatalf("after forced hibernation: %+v", r)
	}

	// The close handshake is the script's: webSocketClose answers it.
	if err := c.Close(cws.StatusNormalClosure, "done"); err != nil {
		t.Fatalf("close: %v", err)
	}
	if r := roomTrip(t, c2, "last"); r.Peers != 1 {
		t.Fatalf("closed socket still listed: %+v", r)
	}
}

// TestStandardSocketsPinTheObject: an object with accept()ed sockets is never
// evicted; once they close, it can be.
func TestStandardSocketsPinTheObject(t *testing.T) {
	t.Parallel()
	p := startEmu(t, testdataCopy(t, "websocket-js"))
	c := dialWS(t, p, "/websocket")
	if got := roundTrip(t, c, "hi"); got != "[Durable Object]: hi" {
		t.Fatalf("echo = %q", got)
	}
	for i := 0; i < 3; i++ {
		if _, body, _ := p.do("POST", "/cdn-cgi/emu/hibernate", nil); body != "hibernated 0\n" {
			t.Fatalf("object with an accept()ed socket was evicted: %q", body)
		}
	}
	if _, body, _ := p.get("/getCurrentConnections"); !strings.HasPrefix(body, "There is 1 WebSocket client") {
		t.Fatalf("counter reset, object was reconstructed: %q", body)
	}
	if err := c.Close(cws.StatusNormalClosure, "bye"); err != nil {
		t.Fatalf("close: %v", err)
	}
	if _, body, _ := p.get("/getCurrentConnections"); !strings.HasPrefix(body, "There are 0 WebSocket clients") {
		t.Fatalf("after close: %q", body)
	}
	if _, body, _ := p.do("POST", "/cdn-cgi/emu/hibernate", nil); body != "hibernated 1\n" {
		t.Fatalf("idle object without sockets not evicted: %q", body)
	}
}

func TestRPCAndIDs(t *testing.T) {
	t.Parallel()
	p := startEmu(t, testdataCopy(t, "do-features"))
	cases := []struct{ path, want string }{
		{"/rpc", `{"hello":"Hello, world!","add":{"sum":5,"when":"1970-01-01T00:00:00.000Z","set":{}}}`},
		{"/rpc-error", "RangeError: nope"},
		{"/rpc-missing", `TypeError: The RPC receiver does not implement the method "noSuchMethod".`},
		{"/rpc-misuse", "TypeError: 'alarm' is a reserved method and cannot be called over RPC.\n" +
			"TypeError: 'webSocketMessage' is a reserved method and cannot be called over RPC.\n" +
			"TypeError: \"version\" is not a function.\n" +
			// A stub's RPC properties are workerd's non-masking wildcard:
			// stub.toString is Object.prototype.toString, called locally.
			"no error"},
		{"/rpc-plain", "TypeError: The receiving Durable Object does not support RPC, because its class was not declared with `extends DurableObject`. In order to enable RPC, make sure your class extends the special class `DurableObject`, which can be imported from the module \"cloudflare:workers\"."},
		{"/ids", `{"hex":true,"equal":true,"parsedEqual":true,"uniqueDiffers":true,"name":"x","errors":["TypeError: Invalid Durable Object ID: must be 64 hex digits","TypeError: Durable Object ID is not valid for this namespace.","TypeError: Durable Object ID is not valid for this namespace."]}`},
	}
	for _, tc := range cases {
		if status, body, _ := p.get(tc.path); status != 200 || body != tc.want {
			t.Errorf("GET %s = %d %s\nwant %s", tc.path, status, body, tc.want)
		}
	}
	status, body, _ := p.do("POST", "/forward", strings.NewReader("payload"), "X-H", "v")
	if want := `{"url":"https://room.internal/echo-request","method":"POST","body":"payload","h":"v"}`; status != 200 || body != want {
		t.Errorf("stub.fetch(url, request) = %d %s\nwant %s", status, body, want)
	}
}

// TestIDsStableAcrossRestarts: idFromName gives the same id after a restart.
func TestIDsStableAcrossRestarts(t *testing.T) {
	t.Parallel()
	dir := testdataCopy(t, "do-features")
	id := func() string {
		p := startEmu(t, dir)
		_, body, _ := p.get("/?room=stable")
		p.stop()
		var r struct{ ID string }
		_ = json.Unmarshal([]byte(body), &r)
		return r.ID
	}
	a, b := id(), id()
	if len(a) != 64 || a != b {
		t.Fatalf("ids %q and %q", a, b)
	}
}

// TestZeroConfig runs the seed examples with no wrangler.toml: bindings are
// inferred from the exported classes.
func TestZeroConfig(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ name, entry, binding string }{
		{"hibernation-js", "index.js", "env.WEBSOCKET_HIBERNATION_SERVER = Durable Object WebSocketHibernationServer (SQLite)"},
		{"websocket-ts", "index.ts", "env.WEBSOCKET_SERVER = Durable Object WebSocketServer (SQLite)"},
		{"chatroom", "index.js", "env.CHAT_ROOM = Durable Object ChatRoom (SQLite)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			dir := testdataCopy(t, tc.name)
			if err := os.Remove(filepath.Join(dir, "wrangler.toml")); err != nil {
				t.Fatal(err)
			}
			p := startEmu(t, dir, tc.entry)
			p.waitFor(tc.binding, 5*time.Second)
			p.waitFor("No compatibility_date was specified", 5*time.Second)
			if tc.name == "chatroom" {
				a, b := dialWS(t, p, "/?room=z"), dialWS(t, p, "/?room=z")
				ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
				defer cancel()
				if err := a.Write(ctx, cws.MessageText, []byte("yo")); err != nil {
					t.Fatal(err)
				}
				if _, m, err := b.Read(ctx); err != nil || string(m) != "yo" {
					t.Fatalf("relay: %q %v", m, err)
				}
				return
			}
			c := dialWS(t, p, "/websocket")
			if got := roundTrip(t, c, "zero"); got != "[Durable Object]: zero" {
				t.Fatalf("echo = %q", got)
			}
		})
	}
}

// TestWebSocketMisuseErrors checks every misuse workerd rejects, with its
// class and exact message (testdata/ws-errors/want.txt, checked line by line
// against workerd-semantics.md §1–2).
func TestWebSocketMisuseErrors(t *testing.T) {
	t.Parallel()
	dir := testdataCopy(t, "ws-errors")
	want, err := os.ReadFile(filepath.Join(dir, "want.txt"))
	if err != nil {
		t.Fatal(err)
	}
	p := startEmu(t, dir, "index.js")
	if _, body, _ := p.get("/"); body != string(want) {
		t.Fatalf("misuse report differs:\n%s", lineDiff(string(want), body))
	}
	// Checked when the response is sent, as in workerd.
	status, body, _ := p.get("/return-accepted", "Upgrade", "websocket", "Connection", "Upgrade",
		"Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ==", "Sec-WebSocket-Version", "13")
	if want := "TypeError: Can't return WebSocket in a Response after calling accept()."; status != 500 || body != want {
		t.Fatalf("returning an accept()ed socket: %d %q, want 500 %q", status, body, want)
	}
}

// TestCtrlCClosesSocketsWith1001: stopping emu closes hibernatable and
// accept()ed sockets with 1001 Going Away, and exits 0.
func TestCtrlCClosesSocketsWith1001(t *testing.T) {
	t.Parallel()
	for _, name := range []string{"hibernation-js", "websocket-js"} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			p := startEmu(t, testdataCopy(t, name))
			c := dialWS(t, p, "/websocket")
			if got := roundTrip(t, c, "hi"); got != "[Durable Object]: hi" {
				t.Fatalf("echo = %q", got)
			}
			if code := p.stop(); code != 0 {
				t.Fatalf("exit code %d", code)
			}
			expectClose(t, c, cws.StatusGoingAway)
		})
	}
}

// TestPendingTimerPinsTheObject: an object with a pending timer is not
// evicted; once the timer is cleared, it can be.
func TestPendingTimerPinsTheObject(t *testing.T) {
	t.Parallel()
	p := startEmu(t, testdataCopy(t, "do-features"))
	if _, body, _ := p.get("/arm-timer?room=timer"); body != "armed" {
		t.Fatalf("arm: %q", body)
	}
	if _, body, _ := p.do("POST", "/cdn-cgi/emu/hibernate", nil); body != "hibernated 0\n" {
		t.Fatalf("object with a pending timer was evicted: %q", body)
	}
	if _, body, _ := p.get("/disarm-timer?room=timer"); body != "disarmed" {
		t.Fatalf("disarm: %q", body)
	}
	if _, body, _ := p.do("POST", "/cdn-cgi/emu/hibernate", nil); body != "hibernated 1\n" {
		t.Fatalf("idle object not evicted: %q", body)
	}
}
