package main

import (
	"context"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

// TestInspectorReasons: each thing that keeps an object in memory is shown
// as the reason, and Hibernate now is refused with it: a request in
// flight, an accept()ed WebSocket (listed as not hibernatable, and
// closable), blockConcurrencyWhile(), waitUntil(), an open transaction.
func TestInspectorReasons(t *testing.T) {
	t.Parallel()
	p := startEmu(t, testdataCopy(t, "inspector"), "--hibernate-after", "1h")
	refused := func(room, reason string) {
		t.Helper()
		o := waitObject(t, p, room, func(o objInfo) bool { return len(o.Reasons) > 0 && strings.HasPrefix(o.Reasons[0], reason) })
		var e apiError
		if code := inspectorAPI(t, p, "POST", "namespaces/CHAT_ROOM/objects/"+o.ID+"/hibernate", nil, &e); code != 409 || !strings.Contains(e.Error, reason) {
			t.Fatalf("%s: hibernate: %d %+v", room, code, e)
		}
	}
	hibernates := func(room string) {
		t.Helper()
		o := waitObject(t, p, room, func(o objInfo) bool { return len(o.Reasons) == 0 })
		if code := inspectorAPI(t, p, "POST", "namespaces/CHAT_ROOM/objects/"+o.ID+"/hibernate", nil, nil); code != 200 {
			t.Fatalf("%s: hibernate once released: %d", room, code)
		}
	}

	slow := make(chan string, 1)
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
		defer cancel()
		req, _ := http.NewRequestWithContext(ctx, "GET", p.URL+"/slow?room=slow", nil)
		tr := &http.Transport{}
		defer tr.CloseIdleConnections()
		resp, err := (&http.Client{Transport: tr}).Do(req)
		if err != nil {
			slow <- err.Error()
			return
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		slow <- string(b)
	}()
	refused("slow", "1 event in flight (fetch)")
	if o := objectByName(t, p, "slow"); o.State != "active" {
		t.Fatalf("an object with a request in flight is %s", o.State)
	}
	p.get("/release-slow")
	if got := <-slow; got != "slow done" {
		t.Fatalf("slow request: %q", got)
	}
	hibernates("slow")

	c := dialWS(t, p, "/accept?room=acc")
	if got := roundTrip(t, c, "x"); got != "echo: x" {
		t.Fatalf("accept()ed echo: %q", got)
	}
	refused("acc", "1 accept()ed WebSocket")
	acc := objectByName(t, p, "acc")
	var socks struct {
		Total   int
		Sockets []sockInfo
	}
	inspectorAPI(t, p, "GET", "namespaces/CHAT_ROOM/objects/"+acc.ID+"/sockets", nil, &socks)
	if socks.Total != 1 || socks.Sockets[0].Hibernatable || socks.Sockets[0].In != 1 || socks.Sockets[0].Out != 1 {
		t.Fatalf("the accept()ed socket: %+v", socks)
	}
	if code := inspectorAPI(t, p, "POST", "namespaces/CHAT_ROOM/objects/"+acc.ID+"/sockets/"+url.PathEscape(socks.Sockets[0].ID)+"/close", map[string]any{"code": 4003, "reason": "done"}, nil); code != 200 {
		t.Fatalf("close the accept()ed socket: %d", code)
	}
	expectClose(t, c, 4003)
	hibernates("acc")

	p.get("/block?room=bcw")
	refused("bcw", "blockConcurrencyWhile() running")
	p.get("/release-block")
	hibernates("bcw")

	p.get("/wait?room=wu")
	refused("wu", "1 waitUntil() promise pending")
	p.get("/release-wait")
	hibernates("wu")

	p.get("/txn?room=tx")
	refused("tx", "a storage transaction is open")
	p.get("/release-txn")
	hibernates("tx")
	if _, body, _ := p.get("/get?room=tx&key=inTxn"); body != "true" {
		t.Fatalf("the transaction's write: %s", body)
	}
}
