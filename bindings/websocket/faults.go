package websocket

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"runtime/debug"

	"github.com/gobwas/ws"
)

// How a Conn deals with clients that misbehave: frames that break RFC 6455
// (an error event, then close 1002), a Go panic on the reader goroutine
// (close 1011 for that socket alone), and a client that stops reading (the
// connection dropped once more than maxQueued waits to be sent).

// StatusProtocolError is the close code for a client that broke RFC 6455.
const StatusProtocolError StatusCode = 1002

// protocolError is what workerd reports (error event, then a close frame
// with code 1002 and the description as reason) for a frame that breaks
// RFC 6455.
func protocolError(desc string) error {
	return fmt.Errorf("WebSocket protocol error; protocolError.statusCode = %d; protocolError.description = %s", StatusProtocolError, desc)
}

// maxControlPayload is RFC 6455's bound on a control frame's payload.
const maxControlPayload = 125

// frameError checks a frame header against RFC 6455 given whether a
// fragmented message is in progress, and returns a description of the
// violation or "".
func frameError(h ws.Header, inMessage bool) string {
	switch {
	case h.Rsv != 0:
		return "Received frame had RSV bits set, but no extension was negotiated"
	case h.OpCode.IsControl() && !h.Fin:
		return "Received fragmented control frame"
	case h.OpCode.IsControl() && h.Length > maxControlPayload:
		return "Received control frame with payload larger than 125 bytes"
	case h.OpCode.IsReserved():
		return fmt.Sprintf("Received frame with unknown opcode %d", h.OpCode)
	case h.OpCode == ws.OpContinuation && !inMessage:
		return "Received unexpected continuation frame"
	case (h.OpCode == ws.OpText || h.OpCode == ws.OpBinary) && inMessage:
		return "Received new data frame while a fragmented message was in progress"
	case h.OpCode == ws.OpClose && h.Length == 1:
		return "Received close frame with a one-byte payload"
	}
	return ""
}

// readPayload reads n bytes, growing the buffer as they arrive rather than
// trusting the header's length, so a client that announces a large frame
// and sends nothing costs nothing.
func readPayload(br *bufio.Reader, n int64) ([]byte, error) {
	if n <= 64<<10 {
		p := make([]byte, n)
		_, err := io.ReadFull(br, p)
		return p, err
	}
	var b bytes.Buffer
	b.Grow(64 << 10)
	if _, err := io.CopyN(&b, br, n); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// recoverRead ends this socket alone when emu panics on its reader
// goroutine: the stack is logged, the script gets an error event and the
// client a close frame with 1011, and the rest of emu keeps serving.
func (c *Conn) recoverRead() {
	v := recover()
	if v == nil {
		return
	}
	c.mu.Lock()
	logf := c.logf
	c.mu.Unlock()
	if logf != nil {
		logf(fmt.Sprintf("emu internal error (please report): %v\n%s", v, debug.Stack()))
	}
	c.fail(StatusInternalError, "Internal error", errors.New("internal error"))
}

// fail ends the connection for a client's fault: an error event, then a
// close frame with code and reason, after which the TCP connection is
// closed (at once if a close frame was already sent).
func (c *Conn) fail(code StatusCode, reason string, err error) {
	c.mu.Lock()
	c.closedIn = true
	c.mu.Unlock()
	c.deliver(Event{Kind: Errored, Err: err})
	if len(reason) > MaxCloseReasonBytes {
		reason = reason[:MaxCloseReasonBytes]
	}
	if !c.enqueue(c.frame(ws.OpClose, ws.NewCloseFrameBody(ws.StatusCode(code), reason)), true) {
		c.Abort()
	}
}

// errSlowReader is the error event of a socket whose client stopped reading.
var errSlowReader = fmt.Errorf("WebSocket client stopped reading: more than %d MiB waited to be sent", maxQueued>>20)

// dropSlow gives up on a client that does not read what it is sent rather
// than let the queue grow: the TCP connection is closed (a close frame
// could not get through), the sink gets one error event and the log one
// line. Called with c.mu held; it releases it.
func (c *Conn) dropSlow() {
	first := !c.dropped && !c.closedIn
	c.dropped, c.closedIn = true, true
	c.queue, c.queued = nil, 0
	nc, logf := c.nc, c.logf
	c.mu.Unlock()
	if nc != nil {
		nc.Close()
	}
	if first {
		if logf != nil {
			logf(errSlowReader.Error() + "; connection closed")
		}
		c.deliver(Event{Kind: Errored, Err: errSlowReader})
	}
}

// SetLog sets where the Conn reports a client it gave up on (once per
// connection); nil logs nothing.
func (c *Conn) SetLog(logf func(string)) {
	c.mu.Lock()
	c.logf = logf
	c.mu.Unlock()
}
