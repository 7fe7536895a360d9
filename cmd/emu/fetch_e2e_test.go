package main

import (
	"bytes"
	"context"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"
)

// fetchUpstream is the loopback server the fetch testdata Worker calls:
// /data echoes a POST's body (or a fixed text) with a marker header, and
// every request is reported on seen as "METHOD /path body".
func fetchUpstream(t *testing.T) (*httptest.Server, chan string) {
	t.Helper()
	seen := make(chan string, 16)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		seen <- r.Method + " " + r.URL.Path + " " + string(b) + " " + r.Header.Get("X-From")
		w.Header().Set("X-Upstream", "yes")
		if r.URL.Path == "/data" && len(b) > 0 {
			_, _ = w.Write(b)
			return
		}
		_, _ = w.Write([]byte("upstream says hi"))
	}))
	t.Cleanup(srv.Close)
	return srv, seen
}

// waitSeen returns the next request the upstream saw, failing after 10s.
func waitSeen(t *testing.T, seen chan string) string {
	t.Helper()
	select {
	case s := <-seen:
		return s
	case <-time.After(10 * time.Second):
		t.Fatal("the upstream received nothing")
		return ""
	}
}

func TestFetchOutboundE2E(t *testing.T) {
	srv, seen := fetchUpstream(t)
	p := startEmu(t, testdataCopy(t, "fetch"))
	to := "?to=" + url.QueryEscape(srv.URL)

	t.Run("proxy get", func(t *testing.T) {
		code, body, h := p.get("/proxy" + to)
		if code != 200 || body != "upstream says hi" || h.Get("X-Upstream") != "yes" {
			t.Fatalf("got %d %q %v", code, body, h)
		}
		if s := waitSeen(t, seen); s != "GET /data  worker" {
			t.Fatalf("upstream saw %q", s)
		}
	})
	t.Run("proxy post streams the body both ways", func(t *testing.T) {
		big := bytes.Repeat([]byte("0123456789"), 100_000)
		code, body, _ := p.do("POST", "/proxy"+to, bytes.NewReader(big))
		if code != 200 || body != string(big) {
			t.Fatalf("got %d, %d bytes", code, len(body))
		}
		if s := waitSeen(t, seen); !strings.HasPrefix(s, "POST /data 0123456789") || !strings.HasSuffix(s, " worker") {
			t.Fatalf("upstream saw %.40q", s)
		}
	})
	t.Run("text", func(t *testing.T) {
		if code, body, _ := p.get("/text" + to); code != 200 || body != "200 yes upstream says hi" {
			t.Fatalf("got %d %q", code, body)
		}
		waitSeen(t, seen)
	})
	t.Run("waitUntil", func(t *testing.T) {
		if code, body, _ := p.get("/wait-until" + to); code != 200 || body != "queued" {
			t.Fatalf("got %d %q", code, body)
		}
		if s := waitSeen(t, seen); s != "POST /later from waitUntil " {
			t.Fatalf("upstream saw %q", s)
		}
	})
	t.Run("alarm posts upstream", func(t *testing.T) {
		from := p.lines()
		if code, body, _ := p.get("/alarm" + to); code != 200 || body != "armed" {
			t.Fatalf("got %d %q", code, body)
		}
		if s := waitSeen(t, seen); s != `POST /alarm {"from":"alarm"} ` {
			t.Fatalf("upstream saw %q", s)
		}
		p.waitForAfter(from, "alarm posted: 200 upstream says hi", 10*time.Second)
	})
	t.Run("closed port", func(t *testing.T) {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		dead := "http://" + l.Addr().String()
		_ = l.Close()
		code, body, _ := p.get("/refused?to=" + url.QueryEscape(dead))
		if code != 200 || body != "Error: Network connection lost." {
			t.Fatalf("got %d %q", code, body)
		}
	})
}

// wsEcho is a loopback WebSocket server speaking subprotocol "echo": it
// echoes every message and answers "bye" with a close (1000, "done").
func wsEcho(t *testing.T) string {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c, err := websocket.Accept(w, r, &websocket.AcceptOptions{Subprotocols: []string{"echo"}})
		if err != nil {
			return
		}
		defer c.CloseNow()
		ctx, cancel := context.WithTimeout(r.Context(), 10*time.Second)
		defer cancel()
		for {
			typ, b, err := c.Read(ctx)
			if err != nil {
				return
			}
			if string(b) == "bye" {
				_ = c.Close(websocket.StatusNormalClosure, "done")
				return
			}
			if err := c.Write(ctx, typ, b); err != nil {
				return
			}
		}
	}))
	t.Cleanup(srv.Close)
	return "ws" + strings.TrimPrefix(srv.URL, "http")
}

func TestWebSocketClientE2E(t *testing.T) {
	echo := wsEcho(t)
	p := startEmu(t, testdataCopy(t, "fetch"))
	code, body, _ := p.get("/ws?to=" + url.QueryEscape(echo))
	want := strings.Join([]string{
		"state 0 url true",
		"TypeError: You must call one of accept() or state.acceptWebSocket() on this WebSocket before sending messages.",
		"open 1 echo",
		"text hello",
		"binary 1,2,3",
		"close 1000 done true 2",
		"closed 3",
	}, "\n")
	if code != 200 || body != want {
		t.Fatalf("got %d\n%s\nwant\n%s", code, body, want)
	}
	code, body, _ = p.get("/ws-fetch?to=" + url.QueryEscape("http"+strings.TrimPrefix(echo, "ws")))
	want = "status 101 true echo\nmessage via fetch\nclose 1000 done"
	if code != 200 || body != want {
		t.Fatalf("fetch upgrade: got %d\n%s\nwant\n%s", code, body, want)
	}
	for _, tc := range []struct{ to, want string }{
		{"http://127.0.0.1/", "SyntaxError: WebSocket Constructor: The url scheme must be ws or wss."},
		{"not a url", "SyntaxError: WebSocket Constructor: The url is invalid."},
		{"ws://127.0.0.1/#x", "SyntaxError: WebSocket Constructor: The url fragment must be empty."},
	} {
		if _, body, _ := p.get("/ws-bad?to=" + url.QueryEscape(tc.to)); body != tc.want {
			t.Errorf("new WebSocket(%q): got %q, want %q", tc.to, body, tc.want)
		}
	}
}
