package main

import (
	"context"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	cws "github.com/coder/websocket"
)

// chromium finds a Chromium or Chrome binary: $EMU_CHROMIUM, else the usual
// names on PATH.
func chromium() string {
	if p := os.Getenv("EMU_CHROMIUM"); p != "" {
		return p
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome", "headless-shell"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// newBrowser starts headless Chromium for the test (it skips the test
// where there is none) and returns a context to run chromedp actions in.
func newBrowser(t *testing.T) context.Context {
	t.Helper()
	path := chromium()
	if path == "" {
		t.Skip("Chromium not found: the inspector's browser test needs it (apt-get update && apt-get install -y chromium, or set EMU_CHROMIUM to a Chrome or Chromium binary)")
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path),
		chromedp.NoSandbox, // containers run tests as root
		chromedp.WindowSize(1360, 1000),
		chromedp.Flag("disable-dev-shm-usage", true),
	)
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelCtx := chromedp.NewContext(alloc)
	ctx, cancelTimeout := context.WithTimeout(ctx, 2*time.Minute)
	t.Cleanup(func() {
		cancelTimeout()
		_ = chromedp.Cancel(ctx) // closes the browser and waits for it
		cancelCtx()
		cancelAlloc()
	})
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("starting Chromium (%s): %v", path, err)
	}
	return ctx
}

// browse runs chromedp actions, failing the test with what was being done.
func browse(t *testing.T, ctx context.Context, what string, actions ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	if err := chromedp.Do(ctx, actions...); err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}

// click clicks (with the mouse, as a user) the element sel selects.
func click(t *testing.T, ctx context.Context, what, sel string) {
	t.Helper()
	browse(t, ctx, what, chromedp.Click(chromedp.CSS(sel)))
}

// evalJS evaluates a JS expression in the page.
func evalJS[T any](t *testing.T, ctx context.Context, what, expr string) T {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](expr))
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
	return v
}

// waitJS polls a JS expression in the page until it is true.
func waitJS(t *testing.T, ctx context.Context, what, expr string) {
	t.Helper()
	_, err := chromedp.Run(ctx, chromedp.Poll[bool](expr, chromedp.WithPollingTimeout(20*time.Second), chromedp.WithPollingInterval(50*time.Millisecond)))
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}

// TestInspectorInBrowser drives the page in headless Chromium: the chat
// room with its two sockets and their tags; the room turning hibernated
// by itself while the page stays open (no reload); Fire now on an alarm
// set through the app, whose effect the app's clients see; the KV view
// with a key the app wrote; Hibernate now on another object (refused
// while a timer pins it, with the reason shown; done once released).
func TestInspectorInBrowser(t *testing.T) {
	t.Parallel()
	ctx := newBrowser(t)
	p := startEmu(t, testdataCopy(t, "inspector"), "--hibernate-after", "3s")
	alice := dialWS(t, p, "/chat?room=main&name=alice")
	bob := dialWS(t, p, "/chat?room=main&name=bob&color=teal")
	sendText(t, alice, "hello bob")
	if got := readText(t, bob); got != "alice: hello bob" {
		t.Fatalf("bob got %q", got)
	}
	sendText(t, bob, "hi alice")
	readText(t, alice)
	p.get("/put?room=main&key=greeting&value=%22hello%22")
	p.get("/put?room=main&key=settings&value=" + strings.ReplaceAll(`{"theme":"dark","max":50}`, `"`, "%22"))
	p.get("/alarm?room=main&ms=3600000")

	browse(t, ctx, "open the inspector", chromedp.Navigate(p.URL+"/cdn-cgi/emu/"))
	evalJS[string](t, ctx, "mark the page", `window.emuTestMarker = "same page"`)
	waitJS(t, ctx, "the room in the list", `document.querySelector('tr[data-name="main"]') !== null`)
	click(t, ctx, "open the room", `tr[data-name="main"]`)
	waitJS(t, ctx, "two sockets", `document.querySelectorAll("#sockets tbody tr[data-socket]").length === 2`)
	tags := evalJS[[]string](t, ctx, "read the tags", `[...document.querySelectorAll("#sockets .tag")].map((e) => e.textContent)`)
	if strings.Join(tags, ",") != "user:alice,user:bob" {
		t.Fatalf("tags on the page: %q", tags)
	}
	if state := evalJS[string](t, ctx, "read the state", `document.querySelector("#object-title").dataset.state`); state != "idle" {
		t.Fatalf("the room is %q, want idle", state)
	}

	// The room hibernates by itself; the open page shows it.
	waitJS(t, ctx, "the room turns hibernated", `document.querySelector("#object-title").dataset.state === "hibernated"`)
	if marker := evalJS[string](t, ctx, "check the page was not reloaded", `window.emuTestMarker`); marker != "same page" {
		t.Fatalf("the page was reloaded (marker %q)", marker)
	}

	// Fire now: the alarm set through the app runs; its clients see it.
	waitJS(t, ctx, "the alarm is shown", `!document.querySelector("#fire-alarm").disabled`)
	from := p.lines()
	click(t, ctx, "fire the alarm", `#fire-alarm`)
	if a, b := readText(t, alice), readText(t, bob); a != "alarm fired" || b != "alarm fired" {
		t.Fatalf("after Fire now the clients got %q and %q", a, b)
	}
	p.waitForAfter(from, `[emu] ChatRoom("main"): alarm fired from the inspector`, 5*time.Second)
	if _, body, _ := p.get("/get?room=main&key=lastAlarm"); !strings.HasPrefix(body, `"20`) {
		t.Fatalf("lastAlarm after Fire now: %s", body)
	}
	waitJS(t, ctx, "the alarm's outcome", `document.querySelector("#alarm-outcome")?.textContent === "ok"`)

	// The KV view shows what the app stored.
	click(t, ctx, "open the KV view", `#tab-kv`)
	waitJS(t, ctx, "the greeting key", `[...document.querySelectorAll("#kv tr[data-key]")].some((r) => r.dataset.key === "greeting" && r.querySelector(".value").textContent === "'hello'")`)
	waitJS(t, ctx, "a decoded object", `document.querySelector('#kv tr[data-key="settings"] .value')?.textContent === "{ theme: 'dark', max: 50 }"`)

	// The SQL view: the app's table, its rows, a read-only query.
	click(t, ctx, "open the SQL view", `#tab-sql`)
	waitJS(t, ctx, "the messages table", `document.querySelector('.table-card[data-table="messages"]') !== null`)
	click(t, ctx, "open the table", `.table-card[data-table="messages"] a`)
	waitJS(t, ctx, "the table's rows", `/hello bob/.test(document.querySelector("#table-rows").textContent)`)
	browse(t, ctx, "type a query", chromedp.SendKeys(chromedp.CSS(`#query`), "SELECT author, count(*) AS n FROM messages GROUP BY author ORDER BY author"))
	click(t, ctx, "run the query", `#run-query`)
	waitJS(t, ctx, "the query's result", `[...document.querySelectorAll("#query-result td")].map((e) => e.textContent).join(",") === "alice,1,bob,1"`)
	browse(t, ctx, "type a write", chromedp.SetValue(chromedp.CSS(`#query`), "DELETE FROM messages"))
	click(t, ctx, "run the write", `#run-query`)
	waitJS(t, ctx, "the refusal", `document.querySelector("#query-result").textContent === "only read-only statements can run here"`)

	// Close bob's socket with a code and reason.
	click(t, ctx, "open the WebSockets view", `#tab-sockets`)
	waitJS(t, ctx, "the sockets", `document.querySelectorAll("#sockets tbody tr[data-socket]").length === 2`)
	browse(t, ctx, "set the close code", chromedp.SetValue(chromedp.CSS(`#close-code`), "4002"))
	browse(t, ctx, "set the close reason", chromedp.SetValue(chromedp.CSS(`#close-reason`), "bye from the page"))
	click(t, ctx, "close bob's socket", `#sockets tbody tr:nth-child(2) .close-socket`)
	ctxRead, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	_, _, err := bob.Read(ctxRead)
	cancel()
	if cs := cws.CloseStatus(err); cs != 4002 || !strings.Contains(err.Error(), "bye from the page") {
		t.Fatalf("bob's socket after Close: %v", err)
	}
	waitJS(t, ctx, "one socket left", `document.querySelectorAll("#sockets tbody tr[data-socket]").length === 1`)

	// Another object: Hibernate now is refused while a timer pins it (the
	// page says why), and works once it is released.
	p.get("/put?room=other&key=x&value=1")
	p.get("/hold?room=other")
	click(t, ctx, "back to the list", `#back`)
	waitJS(t, ctx, "the other room in the list", `document.querySelector('tr[data-name="other"]') !== null`)
	click(t, ctx, "open the other room", `tr[data-name="other"]`)
	waitJS(t, ctx, "why it stays in memory", `/1 timer, next due in/.test(document.querySelector("#object-facts").textContent)`)
	click(t, ctx, "try to hibernate it", `#hibernate-one`)
	waitJS(t, ctx, "the refusal", `/cannot hibernate now: 1 timer/.test(document.querySelector("#toast").textContent)`)
	p.get("/release?room=other")
	waitJS(t, ctx, "idle, not pinned", `document.querySelector("#object-title").dataset.state === "idle" && !/timer/.test(document.querySelector("#object-facts").textContent)`)
	from = p.lines()
	click(t, ctx, "hibernate it", `#hibernate-one`)
	waitJS(t, ctx, "the other room turns hibernated", `document.querySelector("#object-title").dataset.state === "hibernated"`)
	p.waitForAfter(from, `[emu] ChatRoom("other"): hibernated (from the inspector; 0 WebSocket(s) kept open)`, 5*time.Second)
	// Wipe the other object's storage, after a confirmation.
	click(t, ctx, "open its KV view", `#tab-kv`)
	waitJS(t, ctx, "its key", `document.querySelector('#kv tr[data-key="x"]') !== null`)
	click(t, ctx, "wipe", `#wipe`)
	waitJS(t, ctx, "the confirmation", `!document.querySelector("#wipe-confirm").hidden`)
	click(t, ctx, "confirm", `#wipe-yes`)
	waitJS(t, ctx, "no keys", `document.querySelector("#kv tr[data-key]") === null && /No keys/.test(document.querySelector("#kv").textContent)`)
	if _, body, _ := p.get("/get?room=other&key=x"); body != "null" {
		t.Fatalf("x after the wipe: %s", body)
	}
	if marker := evalJS[string](t, ctx, "check the page was not reloaded", `window.emuTestMarker`); marker != "same page" {
		t.Fatalf("the page was reloaded (marker %q)", marker)
	}
}

// TestInspectorScreenshot makes docs/inspector.png: run it with
// EMU_INSPECTOR_SCREENSHOT=$PWD/docs/inspector.png (it skips otherwise).
// It checks the page shows what the picture is meant to show.
func TestInspectorScreenshot(t *testing.T) {
	path := os.Getenv("EMU_INSPECTOR_SCREENSHOT")
	if path == "" {
		t.Skip("set EMU_INSPECTOR_SCREENSHOT to the PNG file to write")
	}
	ctx := newBrowser(t)
	p := startEmu(t, testdataCopy(t, "inspector"), "--hibernate-after", "1h")
	for _, room := range []string{"lobby", "design-review"} {
		p.get("/put?room=" + room + "&key=topic&value=%22" + room + "%22")
	}
	p.do("POST", "/cdn-cgi/emu/hibernate", nil)
	alice := dialWS(t, p, "/chat?room=main&name=alice")
	bob := dialWS(t, p, "/chat?room=main&name=bob&color=teal")
	carol := dialWS(t, p, "/chat?room=main&name=carol&color=plum")
	for _, m := range []struct {
		c    *cws.Conn
		text string
	}{{alice, "hello all"}, {bob, "hi alice"}, {carol, "morning!"}} {
		sendText(t, m.c, m.text)
	}
	roundTrip(t, alice, "ping")
	p.get("/put?room=main&key=greeting&value=%22hello%22")
	p.get("/put?room=main&key=settings&value=" + strings.ReplaceAll(`{"theme":"dark","max":50}`, `"`, "%22"))
	p.get("/alarm?room=main&ms=1800000")
	p.get("/hold?room=main")
	p.get("/put?room=lobby&key=seen&value=3")

	browse(t, ctx, "open the inspector", chromedp.Navigate(p.URL+"/cdn-cgi/emu/"))
	waitJS(t, ctx, "the room in the list", `document.querySelector('tr[data-name="main"]') !== null`)
	click(t, ctx, "open the room", `tr[data-name="main"]`)
	waitJS(t, ctx, "three sockets", `document.querySelectorAll("#sockets tbody tr[data-socket]").length === 3`)
	waitJS(t, ctx, "why it stays in memory", `/1 timer, next due in/.test(document.querySelector("#object-facts").textContent)`)
	waitJS(t, ctx, "the log", `document.querySelectorAll("#log li").length >= 3`)
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatalf("screenshot: %v", err)
	}
	if err := os.WriteFile(path, png, 0o644); err != nil {
		t.Fatal(err)
	}
}
