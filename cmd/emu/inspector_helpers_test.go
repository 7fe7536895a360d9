package main

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	cws "github.com/coder/websocket"
)

// inspectorAPI calls the inspector's API: GETs plainly, POSTs with a JSON
// body and this server's Origin, as the page does. It returns the status
// and the decoded JSON answer.
func inspectorAPI(t testing.TB, p *emuProc, method, path string, body any, out any) int {
	t.Helper()
	var rd *strings.Reader
	hdr := []string{}
	if method == "POST" {
		b, _ := json.Marshal(body)
		rd = strings.NewReader(string(b))
		hdr = append(hdr, "Origin", p.URL, "Content-Type", "application/json")
	}
	var status int
	var text string
	if rd != nil {
		status, text, _ = p.do(method, "/cdn-cgi/emu/api/"+path, rd, hdr...)
	} else {
		status, text, _ = p.do(method, "/cdn-cgi/emu/api/"+path, nil, hdr...)
	}
	if out != nil {
		if err := json.Unmarshal([]byte(text), out); err != nil {
			t.Fatalf("%s %s: %d %q: %v", method, path, status, text, err)
		}
	}
	return status
}

// apiError is the API's error answer.
type apiError struct{ Error string }

type objInfo struct {
	ID, Name, State, LastEvent string
	Reasons                    []string
	Constructed, Sockets       int
	Alarm                      struct {
		At, LastRun, LastOutcome string
		Retry                    int
	}
	AutoResponse *struct{ Request, Response string }
	StorageInfo  *struct{ KVKeys, Tables int }
}

type sockInfo struct {
	ID, Attachment string
	Hibernatable   bool
	Tags           []string
	In, Out        int
	AutoReplies    int
}

// readText reads the next text message of c.
func readText(t testing.TB, c *cws.Conn) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	_, b, err := c.Read(ctx)
	if err != nil {
		t.Fatalf("read: %v", err)
	}
	return string(b)
}

func sendText(t testing.TB, c *cws.Conn, msg string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := c.Write(ctx, cws.MessageText, []byte(msg)); err != nil {
		t.Fatal(err)
	}
}

// objectByName finds an object in the CHAT_ROOM namespace.
func objectByName(t testing.TB, p *emuProc, name string) objInfo {
	t.Helper()
	o, ok := findObject(t, p, name)
	if !ok {
		t.Fatalf("no object %q", name)
	}
	return o
}

// findObject looks an object of the CHAT_ROOM namespace up by name.
func findObject(t testing.TB, p *emuProc, name string) (objInfo, bool) {
	t.Helper()
	var page struct{ Objects []objInfo }
	inspectorAPI(t, p, "GET", "namespaces/CHAT_ROOM/objects?q="+name, nil, &page)
	for _, o := range page.Objects {
		if o.Name == name {
			return o, true
		}
	}
	return objInfo{}, false
}

// waitObject polls an object until ok says its snapshot is as wanted.
func waitObject(t testing.TB, p *emuProc, name string, ok func(objInfo) bool) objInfo {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		o, found := findObject(t, p, name)
		if found && ok(o) {
			return o
		}
		if time.Now().After(deadline) {
			t.Fatalf("object %q never got there: %+v", name, o)
		}
		time.Sleep(20 * time.Millisecond) // polling another process's state
	}
}
