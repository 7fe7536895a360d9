package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

// middlewareFrames are wrangler's dev middleware frames in workerd's error
// bodies; emu has no such middleware.
var middlewareFrames = regexp.MustCompile(`\\n    at async (jsonError|drainBody) \([^)]*\)`)

// dropNoticedLine is what emu prints once an echo example's close handler
// has run for a dropped connection: each of them answers the 1006 close
// with ws.close(1006, ...), which throws. By then the socket is gone from
// the counts.
const dropNoticedLine = "Invalid WebSocket close code: 1006."

// TestTranscripts plays the recorded scenarios against emu for every seed
// example and compares with what workerd answered, byte for byte (Date is
// not printed).
func TestTranscripts(t *testing.T) {
	t.Parallel()
	cases := []struct{ name, scenario, ref string }{
		{"hibernation-js", "echo", "hibernation-js.txt"},
		{"hibernation-ts", "echo", "hibernation-ts.txt"},
		{"websocket-js", "echo", "websocket-js.txt"},
		{"websocket-ts", "echo", "websocket-ts.txt"},
		{"durableobject-class", "echo", "durableobject-class.txt"},
		{"chatroom", "chat", "chatroom.txt"},
		{"hibernation-js", "big", "hibernation-js.big-messages.txt"},
	}
	for _, tc := range cases {
		t.Run(tc.name+"/"+tc.scenario, func(t *testing.T) {
			t.Parallel()
			// What workerd answered (see testdata/transcripts/README.md).
			want, err := os.ReadFile(filepath.Join("..", "..", "testdata", "transcripts", tc.ref))
			if err != nil {
				t.Fatal(err)
			}
			p := startEmu(t, testdataCopy(t, tc.name))
			if tc.name == "durableobject-class" {
				// workerd's transcript was recorded after one readiness
				// probe; in this example every plain request leaves an
				// accepted socket behind, so the probe shows up in its
				// counts ("connections: 12"). Replaying wrangler dev 4.86
				// showed 11 without the probe and the reference byte for
				// byte with it.
				p.get("/")
			}
			rec, err := newTranscript(p.URL)
			if err != nil {
				t.Fatal(err)
			}
			// The server has noticed a dropped client once emu logs the
			// close handler's error; watching the log changes nothing on
			// the server, unlike a request would.
			rec.awaitDrop = func(drop func()) {
				from := p.lines()
				drop()
				p.waitForAfter(from, dropNoticedLine, 10*time.Second)
			}
			got, err := rec.run(tc.scenario)
			if err != nil {
				t.Fatal(err)
			}
			w := middlewareFrames.ReplaceAllString(string(want), "")
			if got != w {
				t.Errorf("transcript differs from workerd's:\n%s", lineDiff(w, got))
			}
		})
	}
}

// lineDiff shows the lines that differ, with their numbers.
func lineDiff(want, got string) string {
	wl, gl := strings.Split(want, "\n"), strings.Split(got, "\n")
	var b strings.Builder
	n := max(len(wl), len(gl))
	shown := 0
	for i := 0; i < n && shown < 40; i++ {
		var w, g string
		if i < len(wl) {
			w = wl[i]
		}
		if i < len(gl) {
			g = gl[i]
		}
		if w != g {
			b.WriteString("line " + strconv.Itoa(i+1) + ":\n  workerd: " + w + "\n  emu:     " + g + "\n")
			shown++
		}
	}
	return b.String()
}
