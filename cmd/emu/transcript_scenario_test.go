package main

// The scenario driver of TestTranscripts: it plays a fixed scenario against
// a running Worker over loopback and writes down everything the server
// answers (HTTP status, headers and body; every WebSocket frame with its
// opcode, payload, close code and reason) in the format of the reference
// transcripts in testdata/transcripts, which were recorded from workerd.
//
// The WebSocket client speaks the protocol over raw TCP, with a fixed
// Sec-WebSocket-Key, so what the server sends is shown exactly, close frames
// and TCP closes included, and every read is bounded by a deadline.

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha1"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"
)

// Timing of the scenarios: every wait is an upper bound of a read.
const (
	stepTimeout   = 10 * time.Second       // dial, handshake, HTTP exchange, one write
	quietWindow   = 400 * time.Millisecond // "expect nothing": how long silence is awaited
	replyWait     = 3 * time.Second        // "expect a frame": how long it may take
	bigReplyWait  = 10 * time.Second       // the echo of a message of megabytes
	lateCloseWait = 10 * time.Second       // after a missing close frame: how much longer to watch
	afterCloseEOF = 2 * time.Second        // after the server's close frame: how long until TCP closes

)

// WebSocket protocol constants (RFC 6455).
const (
	wsClientKey   = "dGhlIHNhbXBsZSBub25jZQ==" // the RFC's sample key: a deterministic Accept header
	wsAcceptGUID  = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"
	wsMask        = 0x11223344 // masking key of every client frame
	wsMaxReadSize = 64 << 20   // larger frames are refused rather than allocated

	wsOpContinuation = 0x0
	wsOpText         = 0x1
	wsOpBinary       = 0x2
	wsOpClose        = 0x8
	wsOpPing         = 0x9
	wsOpPong         = 0xa
)

// transcript is the recorder: it runs a scenario against one server and
// writes the text that is compared with the reference.
type transcript struct {
	base string // http://127.0.0.1:PORT
	host string // 127.0.0.1:PORT
	out  strings.Builder

	// awaitDrop, if set, runs drop (which closes a client's TCP connection
	// without a close frame) and returns once the server has processed the
	// drop; otherwise drop just runs.
	awaitDrop func(drop func())
}

// newTranscript returns a recorder for the server at base, which must be a
// loopback address.
func newTranscript(base string) (*transcript, error) {
	u, err := url.Parse(base)
	if err != nil {
		return nil, err
	}
	if ip := net.ParseIP(u.Hostname()); ip == nil || !ip.IsLoopback() {
		return nil, fmt.Errorf("transcript: %s is not a loopback address", base)
	}
	return &transcript{base: strings.TrimSuffix(base, "/"), host: u.Host}, nil
}

// run plays the named scenario ("echo", "chat" or "big") and returns the
// transcript.
func (r *transcript) run(scenario string) (string, error) {
	switch scenario {
	case "echo":
		r.echo()
	case "chat":
		r.chat()
	case "big":
		r.big()
	default:
		return "", fmt.Errorf("unknown scenario %q", scenario)
	}
	return r.out.String(), nil
}

// step starts a section of the transcript.
func (r *transcript) step(format string, a ...any) {
	fmt.Fprintf(&r.out, "\n## "+format+"\n", a...)
}

// say writes one indented line.
func (r *transcript) say(format string, a ...any) {
	fmt.Fprintf(&r.out, "   "+format+"\n", a...)
}

// headers writes h sorted by name, without Date (it changes every time).
func (r *transcript) headers(h http.Header) {
	keys := make([]string, 0, len(h))
	for k := range h {
		if k != "Date" {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	for _, k := range keys {
		r.say("  %s: %s", k, strings.Join(h[k], ", "))
	}
}

// request does one plain HTTP request (hdr: name, value pairs) on a fresh
// connection and writes the status, headers and body. Compression is not
// negotiated by the client, so the headers are what the server chose; a
// gzip body is shown decompressed.
func (r *transcript) request(method, path string, hdr ...string) {
	ctx, cancel := context.WithTimeout(context.Background(), stepTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, method, r.base+path, nil)
	if err != nil {
		r.say("%s %s -> error: %v", method, path, err)
		return
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	tr := &http.Transport{DisableCompression: true}
	defer tr.CloseIdleConnections()
	resp, err := (&http.Client{Transport: tr}).Do(req)
	if err != nil {
		r.say("%s %s -> error: %v", method, path, err)
		return
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		r.say("%s %s -> error reading body: %v", method, path, err)
		return
	}
	if resp.Header.Get("Content-Encoding") == "gzip" {
		if zr, err := gzip.NewReader(bytes.NewReader(body)); err == nil {
			if plain, err := io.ReadAll(zr); err == nil {
				body = plain
			}
		}
	}
	r.say("%s %s -> %s", method, path, resp.Status)
	r.headers(resp.Header)
	// Go moves these out of the header map; show them as sent.
	switch {
	case len(resp.TransferEncoding) > 0:
		r.say("  Transfer-Encoding: %s", strings.Join(resp.TransferEncoding, ", "))
	case resp.ContentLength >= 0 && resp.Header.Get("Content-Length") == "":
		r.say("  Content-Length: %d", resp.ContentLength)
	}
	r.say("body %q", body)
}

// wsClient is one raw WebSocket connection, named in the transcript. A nil
// *wsClient (the upgrade failed, which the transcript shows) ignores every
// call, so a scenario goes on and the difference shows in the comparison.
type wsClient struct {
	name string
	rec  *transcript
	nc   net.Conn
	br   *bufio.Reader
}

// connect opens a WebSocket to path and writes the upgrade response.
func (r *transcript) connect(name, path string) *wsClient {
	nc, err := net.DialTimeout("tcp", r.host, stepTimeout)
	if err != nil {
		r.say("%s: dial %s -> error: %v", name, path, err)
		return nil
	}
	_ = nc.SetDeadline(time.Now().Add(stepTimeout))
	req := "GET " + path + " HTTP/1.1\r\n" +
		"Host: " + r.host + "\r\n" +
		"Upgrade: websocket\r\n" +
		"Connection: Upgrade\r\n" +
		"Sec-WebSocket-Key: " + wsClientKey + "\r\n" +
		"Sec-WebSocket-Version: 13\r\n\r\n"
	if _, err := io.WriteString(nc, req); err != nil {
		r.say("%s: write upgrade -> error: %v", name, err)
		nc.Close()
		return nil
	}
	br := bufio.NewReader(nc)
	resp, err := http.ReadResponse(br, nil)
	if err != nil {
		r.say("%s: upgrade %s -> error: %v", name, path, err)
		nc.Close()
		return nil
	}
	r.say("%s: upgrade %s -> %s", name, path, resp.Status)
	r.headers(resp.Header)
	if resp.StatusCode != http.StatusSwitchingProtocols {
		body, _ := io.ReadAll(resp.Body)
		r.say("%s: body %q", name, body)
		nc.Close()
		return nil
	}
	sum := sha1.Sum([]byte(wsClientKey + wsAcceptGUID))
	if resp.Header.Get("Sec-WebSocket-Accept") != base64.StdEncoding.EncodeToString(sum[:]) {
		r.say("%s: BAD Sec-WebSocket-Accept", name)
	}
	_ = nc.SetDeadline(time.Time{})
	return &wsClient{name: name, rec: r, nc: nc, br: br}
}

// wsFrame is one frame as received.
type wsFrame struct {
	fin     bool
	op      byte
	masked  bool
	payload []byte
}

// String shows the frame as the transcript does: opcode and payload, close
// code and reason, flags that a server should not set; long ones cut.
func (f wsFrame) String() string {
	var s string
	switch f.op {
	case wsOpText:
		s = fmt.Sprintf("TEXT %q", f.payload)
	case wsOpBinary:
		s = fmt.Sprintf("BINARY %d bytes %s", len(f.payload), hex.EncodeToString(f.payload))
	case wsOpClose:
		if len(f.payload) >= 2 {
			s = fmt.Sprintf("CLOSE code=%d reason=%q", binary.BigEndian.Uint16(f.payload), f.payload[2:])
		} else {
			s = fmt.Sprintf("CLOSE (no status code, %d payload bytes)", len(f.payload))
		}
	case wsOpPing:
		s = fmt.Sprintf("PING %q", f.payload)
	case wsOpPong:
		s = fmt.Sprintf("PONG %q", f.payload)
	case wsOpContinuation:
		s = fmt.Sprintf("CONTINUATION %d bytes", len(f.payload))
	default:
		s = fmt.Sprintf("OPCODE %d, %d bytes", f.op, len(f.payload))
	}
	if !f.fin {
		s += " (FIN=0)"
	}
	if f.masked {
		s += " (MASKED!)"
	}
	if len(s) > 300 {
		s = s[:300] + fmt.Sprintf("... [%d bytes payload]", len(f.payload))
	}
	return s
}

// readErrText names why a read ended without a frame.
func readErrText(err error) string {
	var ne net.Error
	switch {
	case errors.Is(err, io.EOF):
		return "EOF (TCP closed by server)"
	case errors.As(err, &ne) && ne.Timeout():
		return "nothing (timeout)"
	case errors.Is(err, io.ErrUnexpectedEOF):
		return "unexpected EOF"
	default:
		return "error: " + err.Error()
	}
}

// elapsedText is a duration coarse enough to be the same on every run. The
// references show two kinds of time: "<50ms", an answer the client's own
// frame caused, and whole seconds, a server timer. emu answers with no
// delay of its own, so an answer that takes longer than 50 ms was slowed by
// the machine (tests in parallel under -race); up to schedulingSlack still
// reads as "<50ms". A real delay of emu's (a debounce, a timer) past it
// shows as "<1s", which no reference has.
func elapsedText(d time.Duration) string {
	switch {
	case d < schedulingSlack:
		return "<50ms"
	case d < time.Second:
		return "<1s"
	default:
		return d.Round(100 * time.Millisecond).String()
	}
}

// timerText is elapsedText for a close that a server timer causes (the
// unanswered socket is dropped when its object hibernates, 10 s after its
// last event). Such a close arrives late by however long the machine takes
// to run the timer, its task and the TCP close, which under load (tests in
// parallel, -race) can pass the 50 ms the 100 ms rounding leaves: up to
// timerSlack past a whole second reads as that second. Early is only the
// rounding's 50 ms, as for every other time shown.
func timerText(d time.Duration) string {
	if whole := d.Truncate(time.Second); whole > 0 && d-whole < timerSlack {
		d = whole
	}
	return elapsedText(d)
}

// timerSlack is how late a timer-caused close may be and still read as on
// time in a transcript; schedulingSlack is how long an immediate answer may
// take on a loaded machine.
const (
	timerSlack      = 500 * time.Millisecond
	schedulingSlack = 500 * time.Millisecond
)

// write sends one masked frame with FIN set.
func (c *wsClient) write(op byte, payload []byte) error {
	n := len(payload)
	buf := make([]byte, 0, 14+n)
	buf = append(buf, 0x80|op)
	switch {
	case n < 126:
		buf = append(buf, 0x80|byte(n))
	case n <= 0xffff:
		buf = append(buf, 0x80|126)
		buf = binary.BigEndian.AppendUint16(buf, uint16(n))
	default:
		buf = append(buf, 0x80|127)
		buf = binary.BigEndian.AppendUint64(buf, uint64(n))
	}
	buf = binary.BigEndian.AppendUint32(buf, wsMask)
	mask := buf[len(buf)-4:]
	start := len(buf)
	buf = append(buf, payload...)
	for i := range payload {
		buf[start+i] ^= mask[i%4]
	}
	_ = c.nc.SetWriteDeadline(time.Now().Add(stepTimeout))
	_, err := c.nc.Write(buf)
	return err
}

// read reads one frame, which must arrive completely within d.
func (c *wsClient) read(d time.Duration) (wsFrame, error) {
	_ = c.nc.SetReadDeadline(time.Now().Add(d))
	var f wsFrame
	var h [2]byte
	if _, err := io.ReadFull(c.br, h[:]); err != nil {
		return f, err
	}
	f.fin, f.op = h[0]&0x80 != 0, h[0]&0x0f
	f.masked = h[1]&0x80 != 0
	n := uint64(h[1] & 0x7f)
	switch n {
	case 126:
		var ext [2]byte
		if _, err := io.ReadFull(c.br, ext[:]); err != nil {
			return f, err
		}
		n = uint64(binary.BigEndian.Uint16(ext[:]))
	case 127:
		var ext [8]byte
		if _, err := io.ReadFull(c.br, ext[:]); err != nil {
			return f, err
		}
		n = binary.BigEndian.Uint64(ext[:])
	}
	if n > wsMaxReadSize {
		return f, fmt.Errorf("frame of %d bytes is too large", n)
	}
	var mask [4]byte
	if f.masked {
		if _, err := io.ReadFull(c.br, mask[:]); err != nil {
			return f, err
		}
	}
	f.payload = make([]byte, n)
	if _, err := io.ReadFull(c.br, f.payload); err != nil {
		return f, err
	}
	if f.masked {
		for i := range f.payload {
			f.payload[i] ^= mask[i%4]
		}
	}
	return f, nil
}

// send writes a data frame and notes it.
func (c *wsClient) send(op byte, payload []byte, note string) {
	if c == nil {
		return
	}
	c.rec.say("%s > %s", c.name, note)
	if err := c.write(op, payload); err != nil {
		c.rec.say("%s write error: %v", c.name, err)
	}
}

// sendText sends a text message.
func (c *wsClient) sendText(s string) {
	c.send(wsOpText, []byte(s), fmt.Sprintf("TEXT %q", s))
}

// sendBinary sends a binary message.
func (c *wsClient) sendBinary(b []byte) {
	c.send(wsOpBinary, b, fmt.Sprintf("BINARY %d bytes %s", len(b), hex.EncodeToString(b)))
}

// ping sends a ping; a failed write shows as a missing pong.
func (c *wsClient) ping(payload string) {
	if c == nil {
		return
	}
	c.rec.say("%s > PING %q", c.name, payload)
	_ = c.write(wsOpPing, []byte(payload))
}

// expect waits up to d for one frame and writes it down, or why none came.
func (c *wsClient) expect(d time.Duration) (wsFrame, bool) {
	if c == nil {
		return wsFrame{}, false
	}
	f, err := c.read(d)
	if err != nil {
		c.rec.say("%s < %s", c.name, readErrText(err))
		return f, false
	}
	c.rec.say("%s < %s", c.name, f)
	return f, true
}

// expectNothing checks that no frame comes within the quiet window.
func (c *wsClient) expectNothing() { c.expect(quietWindow) }

// closeWith starts the closing handshake (code 0: an empty close frame) and
// writes down the server's side of it: its close frame and how long it
// took, then whether the server closes TCP. It returns once the handshake
// is over, which is when the server has finished with the socket.
func (c *wsClient) closeWith(code int, reason string) {
	if c == nil {
		return
	}
	var p []byte
	if code != 0 {
		p = binary.BigEndian.AppendUint16(nil, uint16(code))
		p = append(p, reason...)
		c.rec.say("%s > CLOSE code=%d reason=%q", c.name, code, reason)
	} else {
		c.rec.say("%s > CLOSE (no status code)", c.name)
	}
	start := time.Now()
	if err := c.write(wsOpClose, p); err != nil {
		c.rec.say("%s write error: %v", c.name, err)
	}
	c.awaitClose(start)
	c.nc.Close()
}

// awaitClose reads until the server's close frame (showing frames before
// it) and then the TCP close. Without a close frame in time it watches a
// while longer for whatever the server does.
func (c *wsClient) awaitClose(start time.Time) {
	for range 20 {
		f, ok := c.expect(replyWait)
		if !ok {
			late, err := c.read(lateCloseWait)
			if err != nil {
				c.rec.say("%s < within 10s more: %s (at %s)", c.name, readErrText(err), timerText(time.Since(start)))
			} else {
				c.rec.say("%s < after %s: %s", c.name, elapsedText(time.Since(start)), late)
			}
			return
		}
		if f.op == wsOpClose {
			c.rec.say("%s   (close frame after %s)", c.name, elapsedText(time.Since(start)))
			c.awaitEOF()
			return
		}
	}
}

// awaitEOF checks that the server closes TCP after its close frame.
func (c *wsClient) awaitEOF() {
	if _, err := c.read(afterCloseEOF); err != nil {
		c.rec.say("%s < then %s", c.name, readErrText(err))
	} else {
		c.rec.say("%s < then more data after close!", c.name)
	}
}

// drop closes the TCP connection without a close frame.
func (c *wsClient) drop() {
	if c == nil {
		return
	}
	c.nc.Close()
	c.rec.say("%s TCP closed by client", c.name)
}

// dropNoticed drops the connection and, if the recorder can tell (see
// transcript.awaitDrop), returns once the server has processed the drop.
func (c *wsClient) dropNoticed() {
	switch {
	case c == nil:
	case c.rec.awaitDrop == nil:
		c.drop()
	default:
		c.rec.awaitDrop(c.drop)
	}
}

// echo is the scenario of the echo examples (hibernation-*, websocket-*,
// durableobject-class): HTTP routes, two clients, every kind of message,
// every way of closing, and the connection count after each.
func (r *transcript) echo() {
	r.step("GET / (usage text)")
	r.request("GET", "/")
	r.step("GET /getCurrentConnections with 0 clients")
	r.request("GET", "/getCurrentConnections")
	r.step("GET /getCurrentConnections with Accept-Encoding: gzip (body shown decompressed)")
	r.request("GET", "/getCurrentConnections", "Accept-Encoding", "gzip")
	r.step("GET /websocket without Upgrade")
	r.request("GET", "/websocket")
	r.step("GET /websocket with Upgrade: other")
	r.request("GET", "/websocket", "Upgrade", "other")
	r.step("POST /unknown/path?x=1")
	r.request("POST", "/unknown/path?x=1")
	r.step("GET /websocket?x=1 (query string: endsWith fails)")
	r.request("GET", "/websocket?x=1")

	r.step("connect c1 to /websocket")
	c1 := r.connect("c1", "/websocket")
	r.step("GET /getCurrentConnections with 1 client")
	r.request("GET", "/getCurrentConnections")
	r.step("connect c2 to /websocket")
	c2 := r.connect("c2", "/websocket")
	r.step("GET /getCurrentConnections with 2 clients")
	r.request("GET", "/getCurrentConnections")

	r.step("c1 text echo")
	c1.sendText("hello")
	c1.expect(replyWait)
	r.step("c1 binary echo")
	c1.sendBinary([]byte{0x00, 0x01, 0x02, 0xff})
	c1.expect(replyWait)
	r.step("c1 empty text")
	c1.sendText("")
	c1.expect(replyWait)
	r.step("c1 unicode text")
	c1.sendText("héllo wörld ✓")
	c1.expect(replyWait)
	r.step("c1 three pipelined messages (order)")
	for _, m := range []string{"one", "two", "three"} {
		c1.sendText(m)
	}
	for range 3 {
		c1.expect(replyWait)
	}
	r.step("c2 text echo; c1 must receive nothing")
	c2.sendText("from c2")
	c2.expect(replyWait)
	c1.expectNothing()
	r.step("c1 ping")
	c1.ping("p1")
	c1.expect(replyWait)

	// closeWith returns after the server's close frame and TCP close (or,
	// with no close frame, after the TCP close or the time limit): the
	// server has handled the close by then, so the count is read at once.
	r.step("c1 closes with 1000 \"bye\"")
	c1.closeWith(1000, "bye")
	r.step("GET /getCurrentConnections after c1 closed")
	r.request("GET", "/getCurrentConnections")
	r.step("c2 closes with 4000 \"custom reason\"")
	c2.closeWith(4000, "custom reason")
	r.step("GET /getCurrentConnections after c2 closed")
	r.request("GET", "/getCurrentConnections")

	r.step("c3 connects then closes with an empty close frame (no status code)")
	c3 := r.connect("c3", "/websocket")
	c3.closeWith(0, "")
	r.request("GET", "/getCurrentConnections")

	// The headers name the time points the reference was recorded at; here
	// both counts are read once the server has processed the drop (see
	// awaitDrop), which is what those pauses waited for.
	r.step("c4 connects then drops TCP without a close frame")
	c4 := r.connect("c4", "/websocket")
	c4.sendText("before drop")
	c4.expect(replyWait)
	c4.dropNoticed()
	r.step("GET /getCurrentConnections 0.5s after c4 dropped")
	r.request("GET", "/getCurrentConnections")
	r.step("GET /getCurrentConnections 2.5s after c4 dropped")
	r.request("GET", "/getCurrentConnections")

	r.step("c5 connects to /some/prefix/websocket (endsWith match)")
	c5 := r.connect("c5", "/some/prefix/websocket")
	c5.sendText("prefix")
	c5.expect(replyWait)
	c5.closeWith(1001, "going away")
}

// chat is the scenario of the chat room example: rooms chosen by ?room=
// (default lobby), messages relayed to the other members only.
func (r *transcript) chat() {
	r.step("GET /?room=lobby without Upgrade")
	r.request("GET", "/?room=lobby")
	r.step("GET / without Upgrade")
	r.request("GET", "/")
	r.step("GET /?room=lobby without Upgrade, Accept-Encoding: gzip")
	r.request("GET", "/?room=lobby", "Accept-Encoding", "gzip")

	r.step("connect a1, a2 to /?room=lobby, d1 to / (default room), b1 to /?room=other")
	a1 := r.connect("a1", "/?room=lobby")
	a2 := r.connect("a2", "/?room=lobby")
	d1 := r.connect("d1", "/")
	b1 := r.connect("b1", "/?room=other")

	r.step("a1 sends text: a2 and d1 receive it, a1 and b1 do not")
	a1.sendText("hi from a1")
	a2.expect(replyWait)
	d1.expect(replyWait)
	a1.expectNothing()
	b1.expectNothing()

	r.step("a2 sends binary: a1 and d1 receive binary, b1 does not")
	a2.sendBinary([]byte{0xca, 0xfe, 0x00, 0x01})
	a1.expect(replyWait)
	d1.expect(replyWait)
	a2.expectNothing()
	b1.expectNothing()

	r.step("b1 sends in room other: nobody receives (alone in room)")
	b1.sendText("hi from b1")
	for _, c := range []*wsClient{a1, a2, d1, b1} {
		c.expectNothing()
	}

	r.step("a1 closes with 1000 \"bye\"")
	a1.closeWith(1000, "bye")
	r.step("a2 sends after a1 left: d1 receives")
	a2.sendText("a1 gone?")
	d1.expect(replyWait)
	a2.expectNothing()

	r.step("d1 closes with 4001 \"custom\"")
	d1.closeWith(4001, "custom")
	r.step("a2 closes with an empty close frame")
	a2.closeWith(0, "")
	r.step("b1 drops TCP without close frame")
	b1.drop() // e1's room is another object than b1's: nothing to wait for
	r.step("reconnect e1 to /?room=lobby, send alone")
	e1 := r.connect("e1", "/?room=lobby")
	e1.sendText("anyone?")
	e1.expectNothing()
	e1.closeWith(1000, "")
}

// big sends text messages around the usual size limits, each on a fresh
// connection, and shows whether they are echoed or refused.
func (r *transcript) big() {
	for _, n := range []int{65535, 65536, 1 << 20, 1<<20 + 1, 4 << 20} {
		r.step("text message of %d bytes", n)
		c := r.connect("big", "/websocket")
		if c == nil {
			continue
		}
		r.say("big > TEXT of %d bytes", n)
		if err := c.write(wsOpText, bytes.Repeat([]byte("a"), n)); err != nil {
			r.say("big write error: %v", err)
		}
		if f, ok := c.expect(bigReplyWait); ok && f.op == wsOpClose {
			// Refused: the server closed first; only the TCP close is left.
			if _, err := c.read(afterCloseEOF); err != nil {
				r.say("big < then %s", readErrText(err))
			}
			c.nc.Close()
			continue
		}
		c.closeWith(1000, "")
	}
}
