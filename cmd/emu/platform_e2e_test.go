package main

import (
	"bufio"
	"encoding/json"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"
)

// TestPlatformWorker drives a Worker using encodings, engine built-ins and
// globals emu fills in for goja, and an uncaught engine error whose
// response and log line read as workerd's.
func TestPlatformWorker(t *testing.T) {
	t.Parallel()
	p := startEmu(t, testdataCopy(t, "platform"))

	status, body, _ := p.get("/encoding")
	var enc map[string]any
	if status != 200 || json.Unmarshal([]byte(body), &enc) != nil {
		t.Fatalf("/encoding = %d %s", status, body)
	}
	if enc["sjis"] != "日本" || enc["streamed"] != "h✓" || enc["latin1"] != "windows-1252" ||
		enc["bad"] != `RangeError: "x-user-defined" is not a valid encoding.` {
		t.Errorf("/encoding = %s", body)
	}
	if into, _ := json.Marshal(enc["into"]); string(into) != `{"read":1,"written":1}` {
		t.Errorf("encodeInto = %s", into)
	}

	status, body, _ = p.get("/globals")
	want := `{"groups":{"odd":[1,3],"even":[2]},"iter":[2,4,6],"wellFormed":false,"stack":"string",` +
		`"navigator":["Cloudflare-Workers","en"],"flags":{"delete_all_deletes_alarm":false,"nodejs_compat":true,` +
		`"web_socket_auto_reply_to_close":true,"websocket_close_reason_byte_limit":false,"websocket_standard_binary_type":false},` +
		`"timeOrigin":0,"unhandled":["quiet"]}`
	if status != 200 || body != want {
		t.Errorf("/globals = %d\n got %s\nwant %s", status, body, want)
	}
	if strings.Contains(p.output(), "quiet") {
		t.Errorf("a prevented unhandled rejection was logged:\n%s", p.output())
	}

	if _, body, _ = p.get("/caught"); body != "o.method is not a function" {
		t.Errorf("/caught = %q", body)
	}

	from := p.lines()
	status, body, _ = p.get("/throw")
	if status != 500 || !strings.HasPrefix(body, "TypeError: Cannot read properties of undefined (reading 'x')\n    at ") {
		t.Errorf("/throw = %d %q", status, body)
	}
	p.waitForAfter(from, "Uncaught TypeError: Cannot read properties of undefined (reading 'x')", 5*time.Second)

	// The Worker's statusText is the reason phrase on the wire.
	conn, err := net.DialTimeout("tcp", strings.TrimPrefix(p.URL, "http://"), 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	_ = conn.SetDeadline(time.Now().Add(10 * time.Second))
	if _, err := conn.Write([]byte("GET /status HTTP/1.1\r\nHost: x\r\n\r\n")); err != nil {
		t.Fatal(err)
	}
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.Status != "418 Short And Stout" {
		t.Errorf("status line = %q", resp.Status)
	}
}
