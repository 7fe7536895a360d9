package websocket

import (
	"bufio"
	"crypto/sha1"
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"
)

// wsGUID is RFC 6455's key suffix for Sec-WebSocket-Accept.
const wsGUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"

// ErrBadHandshake is returned by Upgrade for a request that is not a valid
// WebSocket handshake; a 400 has been written.
var ErrBadHandshake = errors.New("bad WebSocket handshake: missing Sec-WebSocket-Key")

// Upgrade completes the WebSocket handshake of r on w (a 101 with hdr's
// Sec-WebSocket-Protocol, if any) and couples the connection to c: what the
// script queued is written and the reader starts. Call it for a Conn whose
// client end was returned in a Response (see Registry.Release), from the
// HTTP handler's goroutine. If the handshake cannot complete, c sees the
// client go away (a close event with 1006) and the error says why.
func (c *Conn) Upgrade(w http.ResponseWriter, r *http.Request, hdr http.Header) error {
	key := r.Header.Get("Sec-WebSocket-Key")
	if key == "" {
		http.Error(w, "Bad WebSocket handshake: missing Sec-WebSocket-Key", http.StatusBadRequest)
		c.readFailed(ErrBadHandshake)
		return ErrBadHandshake
	}
	hj, ok := w.(http.Hijacker)
	if !ok {
		err := errors.New("upgrade: the connection cannot be hijacked")
		http.Error(w, "WebSocket upgrade not supported", http.StatusInternalServerError)
		c.readFailed(err)
		return err
	}
	nc, brw, err := hj.Hijack()
	if err != nil {
		c.readFailed(err)
		return fmt.Errorf("upgrade: hijack: %w", err)
	}
	sum := sha1.Sum([]byte(key + wsGUID))
	var b strings.Builder
	b.WriteString("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ")
	b.WriteString(base64.StdEncoding.EncodeToString(sum[:]))
	b.WriteString("\r\n")
	if p := hdr.Get("Sec-WebSocket-Protocol"); p != "" {
		b.WriteString("Sec-WebSocket-Protocol: " + p + "\r\n")
	}
	b.WriteString("\r\n")
	_ = nc.SetDeadline(time.Time{})
	if _, err := nc.Write([]byte(b.String())); err != nil {
		nc.Close()
		c.readFailed(err)
		return fmt.Errorf("upgrade: write 101: %w", err)
	}
	var br *bufio.Reader
	if brw.Reader.Buffered() > 0 {
		br = brw.Reader
	}
	c.Attach(nc, br)
	return nil
}
