package main

import (
	"context"
	"errors"
	"net/url"
	"strings"
	"testing"
	"time"

	cws "github.com/coder/websocket"
)

// TestInspectorAPIViews: the overview, object list and detail, sockets
// (tags, decoded attachment, counters, auto-response), KV with decoded
// values, SQL tables, rows and read-only queries, as the chat room leaves
// them.
func TestInspectorAPIViews(t *testing.T) {
	t.Parallel()
	p := startEmu(t, testdataCopy(t, "inspector"), "--hibernate-after", "1h")
	alice := dialWS(t, p, "/chat?room=main&name=alice")
	bob := dialWS(t, p, "/chat?room=main&name=bob&color=blue")
	sendText(t, alice, "hi")
	if got := readText(t, bob); got != "alice: hi" {
		t.Fatalf("bob got %q", got)
	}
	if got := roundTrip(t, alice, "ping"); got != "pong" {
		t.Fatalf("auto-response: %q", got)
	}
	if code, body, _ := p.get("/put?room=main&key=greeting&value=%22hello%22"); code != 200 {
		t.Fatalf("put: %d %s", code, body)
	}
	p.get(`/put?room=main&key=profile&value=` + url.QueryEscape(`{"n":1,"tags":["a"]}`))

	var ov struct {
		Worker     struct{ Version int }
		Namespaces []struct {
			Binding, ClassName string
			Objects, Sockets   int
			States             map[string]int
		}
	}
	if inspectorAPI(t, p, "GET", "overview", nil, &ov); ov.Worker.Version != 1 || len(ov.Namespaces) != 1 ||
		ov.Namespaces[0].Binding != "CHAT_ROOM" || ov.Namespaces[0].Objects != 1 || ov.Namespaces[0].Sockets != 2 || ov.Namespaces[0].States["idle"] != 1 {
		t.Fatalf("overview: %+v", ov)
	}
	var w struct {
		Name, Entry, Config, CompatibilityDate string
		Bindings                               []struct{ Name, Type, Class string }
	}
	if inspectorAPI(t, p, "GET", "worker", nil, &w); w.Name != "inspector-demo" || w.Entry != "index.js" || w.Config != "wrangler.toml" ||
		w.CompatibilityDate != "2025-04-01" || len(w.Bindings) != 1 || w.Bindings[0].Class != "ChatRoom" {
		t.Fatalf("worker: %+v", w)
	}

	var page struct {
		Total   int
		Objects []objInfo
	}
	inspectorAPI(t, p, "GET", "namespaces/CHAT_ROOM/objects", nil, &page)
	if page.Total != 1 || page.Objects[0].Name != "main" || page.Objects[0].State != "idle" || page.Objects[0].Constructed != 1 ||
		page.Objects[0].Sockets != 2 || page.Objects[0].LastEvent != "fetch" || len(page.Objects[0].Reasons) != 0 {
		t.Fatalf("objects: %+v", page)
	}
	obj := "namespaces/CHAT_ROOM/objects/" + page.Objects[0].ID
	var o objInfo
	if inspectorAPI(t, p, "GET", obj, nil, &o); o.AutoResponse == nil || o.AutoResponse.Request != "ping" || o.AutoResponse.Response != "pong" ||
		o.StorageInfo == nil || o.StorageInfo.KVKeys != 2 || o.StorageInfo.Tables != 1 {
		t.Fatalf("object: %+v", o)
	}

	var socks struct {
		Total   int
		Sockets []sockInfo
	}
	inspectorAPI(t, p, "GET", obj+"/sockets", nil, &socks)
	if socks.Total != 2 || len(socks.Sockets) != 2 {
		t.Fatalf("sockets: %+v", socks)
	}
	a, b := socks.Sockets[0], socks.Sockets[1]
	if !a.Hibernatable || strings.Join(a.Tags, ",") != "user:alice" || a.Attachment != "{ name: 'alice', color: 'orange' }" ||
		a.In != 1 || a.Out != 1 || a.AutoReplies != 1 || !strings.HasPrefix(a.ID, "127.0.0.1:") {
		t.Fatalf("alice's socket: %+v", a)
	}
	if strings.Join(b.Tags, ",") != "user:bob" || b.Attachment != "{ name: 'bob', color: 'blue' }" || b.In != 0 || b.Out != 1 {
		t.Fatalf("bob's socket: %+v", b)
	}
	var one struct{ Total int }
	if inspectorAPI(t, p, "GET", obj+"/sockets?offset=1&limit=1", nil, &one); one.Total != 2 {
		t.Fatalf("paged sockets: %+v", one)
	}

	var kv struct {
		Total   int
		Entries []struct {
			Key, Value string
			Bytes      int
		}
	}
	inspectorAPI(t, p, "GET", obj+"/storage/kv", nil, &kv)
	if kv.Total != 2 || kv.Entries[0].Key != "greeting" || kv.Entries[0].Value != "'hello'" || kv.Entries[0].Bytes == 0 ||
		kv.Entries[1].Key != "profile" || kv.Entries[1].Value != "{ n: 1, tags: [ 'a' ] }" {
		t.Fatalf("kv: %+v", kv)
	}
	if inspectorAPI(t, p, "GET", obj+"/storage/kv?offset=1&limit=1", nil, &kv); kv.Total != 2 || len(kv.Entries) != 1 || kv.Entries[0].Key != "profile" {
		t.Fatalf("kv page 2: %+v", kv)
	}

	var tables struct {
		SQLite bool
		Tables []struct {
			Name, Type, Schema string
			Rows               int
		}
	}
	if inspectorAPI(t, p, "GET", obj+"/storage/sql", nil, &tables); !tables.SQLite || len(tables.Tables) != 1 || tables.Tables[0].Name != "messages" ||
		tables.Tables[0].Rows != 1 || !strings.HasPrefix(tables.Tables[0].Schema, "CREATE TABLE messages") {
		t.Fatalf("tables: %+v", tables)
	}
	var rows struct {
		Columns []string
		Rows    [][]any
		Total   int
	}
	if inspectorAPI(t, p, "GET", obj+"/storage/sql/messages", nil, &rows); strings.Join(rows.Columns, ",") != "id,author,body" ||
		rows.Total != 1 || len(rows.Rows) != 1 || rows.Rows[0][1] != "alice" || rows.Rows[0][2] != "hi" {
		t.Fatalf("rows: %+v", rows)
	}
	if code := inspectorAPI(t, p, "GET", obj+"/storage/sql/nope", nil, nil); code != 404 {
		t.Fatalf("a missing table: %d", code)
	}
	if inspectorAPI(t, p, "POST", obj+"/storage/query", map[string]any{"sql": "SELECT author, count(*) AS n FROM messages WHERE author = ?", "params": []any{"alice"}}, &rows); len(rows.Rows) != 1 || rows.Rows[0][1] != float64(1) {
		t.Fatalf("query: %+v", rows)
	}
	var e apiError
	if code := inspectorAPI(t, p, "POST", obj+"/storage/query", map[string]any{"sql": "DELETE FROM messages"}, &e); code != 400 || e.Error != "only read-only statements can run here" {
		t.Fatalf("a write query: %d %+v", code, e)
	}
	if code := inspectorAPI(t, p, "POST", obj+"/storage/query", map[string]any{"sql": "SELECT * FROM _cf_KV"}, &e); code != 400 || !strings.Contains(e.Error, "SQLITE_AUTH") {
		t.Fatalf("a query of a hidden table: %d %+v", code, e)
	}
	inspectorAPI(t, p, "GET", obj+"/storage/sql/messages", nil, &rows)
	if rows.Total != 1 {
		t.Fatalf("the refused DELETE deleted: %+v", rows)
	}

	for path, want := range map[string]int{
		"namespaces/NOPE/objects":                                 404,
		"namespaces/CHAT_ROOM/objects/" + strings.Repeat("a", 64): 404,
		"namespaces/CHAT_ROOM/objects/xyz":                        404,
		"namespaces/CHAT_ROOM/objects?limit=0":                    400,
		"nothing-here":                                            404,
	} {
		if code := inspectorAPI(t, p, "GET", path, nil, &e); code != want || e.Error == "" {
			t.Errorf("GET %s: %d %+v, want %d with an error", path, code, e, want)
		}
	}
}

// TestInspectorAPIActions: every action, its effect through the app and
// its log line: hibernate (refused while a timer pins the object, with
// the reason), fire and delete the alarm, close a socket with a code and
// reason, wipe storage (only when confirmed), hibernate all.
func TestInspectorAPIActions(t *testing.T) {
	t.Parallel()
	p := startEmu(t, testdataCopy(t, "inspector"), "--hibernate-after", "1h")
	alice := dialWS(t, p, "/chat?room=main&name=alice")
	bob := dialWS(t, p, "/chat?room=main&name=bob")
	p.get("/put?room=main&key=greeting&value=hi")
	main := objectByName(t, p, "main")
	obj := "namespaces/CHAT_ROOM/objects/" + main.ID
	var done struct {
		OK      bool
		Message string
	}
	var e apiError

	// Hibernate: refused while a timer pins the object, then done.
	p.get("/hold?room=main")
	if o := objectByName(t, p, "main"); len(o.Reasons) != 1 || !strings.HasPrefix(o.Reasons[0], "1 timer, next due in 9m59") {
		t.Fatalf("reasons of a held object: %+v", o.Reasons)
	}
	if code := inspectorAPI(t, p, "POST", obj+"/hibernate", nil, &e); code != 409 || !strings.HasPrefix(e.Error, "cannot hibernate now: 1 timer, next due in ") {
		t.Fatalf("hibernate a held object: %d %+v", code, e)
	}
	p.get("/release?room=main")
	from := p.lines()
	if code := inspectorAPI(t, p, "POST", obj+"/hibernate", nil, &done); code != 200 || !done.OK {
		t.Fatalf("hibernate: %d %+v", code, done)
	}
	p.waitForAfter(from, `[emu] ChatRoom("main"): hibernated (from the inspector; 2 WebSocket(s) kept open)`, 5*time.Second)
	if o := objectByName(t, p, "main"); o.State != "hibernated" {
		t.Fatalf("after hibernate: %+v", o)
	}
	if code := inspectorAPI(t, p, "POST", obj+"/hibernate", nil, &e); code != 409 || e.Error != "cannot hibernate now: it is not in memory" {
		t.Fatalf("hibernate a hibernated object: %d %+v", code, e)
	}

	// Fire the alarm: the app sees it (a message to every member, a key).
	if code := inspectorAPI(t, p, "POST", obj+"/alarm/fire", nil, &e); code != 409 || e.Error != "no alarm is set" {
		t.Fatalf("fire without an alarm: %d %+v", code, e)
	}
	p.get("/alarm?room=main&ms=3600000")
	if o := objectByName(t, p, "main"); o.Alarm.At == "" {
		t.Fatalf("alarm not shown: %+v", o.Alarm)
	}
	from = p.lines()
	if code := inspectorAPI(t, p, "POST", obj+"/alarm/fire", nil, &done); code != 200 {
		t.Fatalf("fire: %d %+v", code, done)
	}
	if readText(t, alice) != "alarm fired" || readText(t, bob) != "alarm fired" {
		t.Fatal("the alarm's messages did not arrive")
	}
	p.waitForAfter(from, `[emu] ChatRoom("main"): alarm fired from the inspector (it was due `, 5*time.Second)
	if _, body, _ := p.get("/get?room=main&key=lastAlarm"); !strings.HasPrefix(body, `"20`) {
		t.Fatalf("lastAlarm after the alarm: %s", body)
	}
	waitObject(t, p, "main", func(o objInfo) bool { return o.Alarm.At == "" && o.Alarm.LastOutcome == "ok" && o.Alarm.LastRun != "" })

	// Delete the alarm.
	p.get("/alarm?room=main&ms=3600000")
	from = p.lines()
	if code := inspectorAPI(t, p, "POST", obj+"/alarm/delete", nil, &done); code != 200 {
		t.Fatalf("delete alarm: %d %+v", code, done)
	}
	p.waitForAfter(from, `[emu] ChatRoom("main"): alarm deleted from the inspector`, 5*time.Second)
	if o := objectByName(t, p, "main"); o.Alarm.At != "" {
		t.Fatalf("alarm after delete: %+v", o.Alarm)
	}
	if code := inspectorAPI(t, p, "POST", obj+"/alarm/delete", nil, &e); code != 409 {
		t.Fatalf("delete without an alarm: %d %+v", code, e)
	}

	// Close alice's socket with a code and reason.
	var socks struct{ Sockets []sockInfo }
	inspectorAPI(t, p, "GET", obj+"/sockets", nil, &socks)
	sid := url.PathEscape(socks.Sockets[0].ID)
	if code := inspectorAPI(t, p, "POST", obj+"/sockets/"+sid+"/close", map[string]any{"code": 1005}, &e); code != 400 || !strings.HasPrefix(e.Error, "invalid close code") {
		t.Fatalf("close with 1005: %d %+v", code, e)
	}
	if code := inspectorAPI(t, p, "POST", obj+"/sockets/"+sid+"/close", map[string]any{"code": 4000, "reason": strings.Repeat("x", 124)}, &e); code != 400 {
		t.Fatalf("close with a long reason: %d %+v", code, e)
	}
	if code := inspectorAPI(t, p, "POST", obj+"/sockets/127.0.0.1:1/close", map[string]any{"code": 4000}, &e); code != 404 || e.Error != "no such WebSocket" {
		t.Fatalf("close an unknown socket: %d %+v", code, e)
	}
	from = p.lines()
	if code := inspectorAPI(t, p, "POST", obj+"/sockets/"+sid+"/close", map[string]any{"code": 4001, "reason": "kicked"}, &done); code != 200 {
		t.Fatalf("close: %d %+v", code, done)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	_, _, err := alice.Read(ctx)
	cancel()
	var ce cws.CloseError
	if !errors.As(err, &ce) || ce.Code != 4001 || ce.Reason != "kicked" {
		t.Fatalf("alice's read after the close: %v", err)
	}
	p.waitForAfter(from, `[emu] ChatRoom("main"): WebSocket `+socks.Sockets[0].ID+` closed from the inspector (4001 "kicked")`, 5*time.Second)
	waitObject(t, p, "main", func(o objInfo) bool { return o.Sockets == 1 })

	// Wipe: only with the id as confirmation.
	if code := inspectorAPI(t, p, "POST", obj+"/storage/wipe", map[string]any{}, &e); code != 400 || !strings.Contains(e.Error, "confirm") {
		t.Fatalf("wipe without confirmation: %d %+v", code, e)
	}
	if _, body, _ := p.get("/get?room=main&key=greeting"); body != `"hi"` {
		t.Fatalf("an unconfirmed wipe wiped: %s", body)
	}
	from = p.lines()
	if code := inspectorAPI(t, p, "POST", obj+"/storage/wipe", map[string]any{"confirm": main.ID}, &done); code != 200 {
		t.Fatalf("wipe: %d %+v", code, done)
	}
	p.waitForAfter(from, `[emu] ChatRoom("main"): storage wiped from the inspector`, 5*time.Second)
	if _, body, _ := p.get("/get?room=main&key=greeting"); body != "null" {
		t.Fatalf("greeting after the wipe: %s", body)
	}
	var kv struct{ Total int }
	if inspectorAPI(t, p, "GET", obj+"/storage/kv", nil, &kv); kv.Total != 0 {
		t.Fatalf("keys after the wipe: %+v", kv)
	}
	// bob is still connected and the room works on the new storage.
	sendText(t, bob, "still here")
	var rows struct{ Rows [][]any }
	deadline := time.Now().Add(10 * time.Second)
	for inspectorAPI(t, p, "GET", obj+"/storage/sql/messages", nil, &rows); len(rows.Rows) != 1; inspectorAPI(t, p, "GET", obj+"/storage/sql/messages", nil, &rows) {
		if time.Now().After(deadline) {
			t.Fatalf("messages after the wipe: %+v", rows)
		}
		time.Sleep(20 * time.Millisecond) // polling another process's state
	}

	// Hibernate all.
	p.get("/put?room=other&key=k&value=1")
	var all struct{ Hibernated int }
	if code := inspectorAPI(t, p, "POST", "hibernate", nil, &all); code != 200 || all.Hibernated != 2 {
		t.Fatalf("hibernate all: %d %+v", code, all)
	}
	if o := objectByName(t, p, "other"); o.State != "hibernated" {
		t.Fatalf("other after hibernate all: %+v", o)
	}
}

// TestWhyItStaysInMemoryIsLogged: when --hibernate-after passes and an
// object stays in memory, the reason is logged at debug level.
func TestWhyItStaysInMemoryIsLogged(t *testing.T) {
	t.Parallel()
	p := startEmu(t, testdataCopy(t, "inspector"), "--hibernate-after", "200ms", "--log-level", "debug")
	from := p.lines()
	p.get("/hold?room=pinned")
	p.waitForAfter(from, `[emu] ChatRoom("pinned"): stays in memory after 200ms idle: 1 timer, next due in 9m59`, 10*time.Second)
	p.get("/release?room=pinned")
	p.waitForAfter(from, `[emu] ChatRoom("pinned"): hibernated (idle; 0 WebSocket(s) kept open)`, 10*time.Second)
}
