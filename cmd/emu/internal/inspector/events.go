package inspector

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"sync"
	"time"
)

// LogLine is one of emu's own log lines ("[emu] …"), kept for the page.
type LogLine struct {
	Time  time.Time `json:"time"`
	Level string    `json:"level"`
	Text  string    `json:"text"`
}

// logRing keeps the last lines and hands new ones to open streams.
type logRing struct {
	mu    sync.Mutex
	lines []LogLine
	subs  map[chan LogLine]struct{}
}

// ringSize is how many lines the page can show from before it opened.
const ringSize = 200

// Record keeps a line of emu's log (debug lines are not kept). Cheap: a
// mutex and an append; streams get the line if they have room.
// A nil Handler records nothing.
func (h *Handler) Record(level, text string) {
	if h == nil || level == "debug" {
		return
	}
	l := LogLine{Time: time.Now(), Level: level, Text: text}
	g := &h.log
	g.mu.Lock()
	defer g.mu.Unlock()
	if len(g.lines) == ringSize {
		copy(g.lines, g.lines[1:])
		g.lines = g.lines[:ringSize-1]
	}
	g.lines = append(g.lines, l)
	for ch := range g.subs {
		select {
		case ch <- l:
		default: // a stalled page misses lines rather than slowing emu
		}
	}
}

func (g *logRing) subscribe() (chan LogLine, []LogLine) {
	ch := make(chan LogLine, 64)
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.subs == nil {
		g.subs = map[chan LogLine]struct{}{}
	}
	g.subs[ch] = struct{}{}
	return ch, append([]LogLine(nil), g.lines...)
}

func (g *logRing) unsubscribe(ch chan LogLine) {
	g.mu.Lock()
	delete(g.subs, ch)
	g.mu.Unlock()
}

func (h *Handler) getLog(w http.ResponseWriter, r *http.Request) {
	h.log.mu.Lock()
	lines := append([]LogLine{}, h.log.lines...)
	h.log.mu.Unlock()
	writeJSON(w, http.StatusOK, map[string]any{"lines": lines})
}

// events is the live stream (Server-Sent Events): an "overview" event at
// once and whenever anything changes (checked every Interval while the
// stream is open), and a "log" event per line of emu's log.
func (h *Handler) events(w http.ResponseWriter, r *http.Request) {
	rc := http.NewResponseController(w)
	hdr := w.Header()
	hdr.Set("Content-Type", "text/event-stream")
	hdr.Set("X-Accel-Buffering", "no")
	w.WriteHeader(http.StatusOK)
	lines, backlog := h.log.subscribe()
	defer h.log.unsubscribe(lines)

	send := func(event string, v any) bool {
		b, err := json.Marshal(v)
		if err != nil {
			return false
		}
		_ = rc.SetWriteDeadline(time.Now().Add(10 * time.Second))
		if _, err := fmt.Fprintf(w, "event: %s\ndata: %s\n\n", event, b); err != nil {
			return false
		}
		return rc.Flush() == nil
	}
	var last []byte
	tick := func() bool {
		ov, err := h.overview()
		if err != nil {
			return send("problem", map[string]string{"error": err.Error()})
		}
		b, _ := json.Marshal(ov)
		if bytes.Equal(b, last) {
			return true
		}
		last = b
		return send("overview", ov)
	}
	if !tick() {
		return
	}
	for _, l := range backlog {
		if !send("log", l) {
			return
		}
	}
	ticker := time.NewTicker(h.opts.Interval)
	defer ticker.Stop()
	quiet := 0
	for {
		select {
		case <-r.Context().Done():
			return
		case <-h.closed:
			return
		case l := <-lines:
			if !send("log", l) {
				return
			}
		case <-ticker.C:
			before := last
			if !tick() {
				return
			}
			if bytes.Equal(before, last) {
				quiet++
			} else {
				quiet = 0
			}
			if quiet*int(h.opts.Interval/time.Millisecond) >= 15000 {
				// A comment keeps proxies and the browser from timing out.
				quiet = 0
				_ = rc.SetWriteDeadline(time.Now().Add(10 * time.Second))
				if _, err := fmt.Fprint(w, ": ping\n\n"); err != nil || rc.Flush() != nil {
					return
				}
			}
		}
	}
}
