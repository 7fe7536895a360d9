package webapi

import (
	"context"
	"errors"
	"io"
	"sync"

	"github.com/dop251/goja"

	"github.com/emu-dev/emu/jsruntime"
)

// ErrBodyStalled ends a streaming body whose stream waits for something
// that can never happen: the isolate went idle (no timer, no I/O) while
// the Go side waited for the next chunk. Its text is workerd's log line
// for a Worker that cannot make progress.
//
//lint:ignore ST1005 workerd's message verbatim
var ErrBodyStalled = errors.New("The script will never generate a response.")

// ErrBodyClosed ends a streaming body whose isolate was closed (a reload
// replaced the Worker, or emu is stopping).
var ErrBodyClosed = errors.New("the Worker's isolate was closed while its response was streaming")

// errDisconnected is what a Response body stream is canceled with when the
// client goes away: workerd's error for a disconnected stream.
var errDisconnected = jsruntime.Errorf(jsruntime.Error, "Network connection lost.")

// A BodyStream is a Response body that is a ReadableStream: the Go side
// reads it chunk by chunk, each read running on the isolate's loop. Next
// starts the read of the following chunk before it returns (so the Worker
// makes it while the caller writes this one); that read is the only one in
// flight, so a slow client slows the Worker (backpressure) and memory stays
// bounded by two chunks and the stream's own queues.
type BodyStream struct {
	iso    *jsruntime.Isolate
	env    *env
	owner  jsruntime.Owner
	length int64

	// Loop goroutine only.
	pump *goja.Object
	read goja.Callable
	cb   goja.Value

	bufs [2][]byte // the chunks' bytes, filled in turn (loop side)
	cur  int       // the buffer the next chunk goes into (loop side)

	res      chan bodyChunk // the result of the read in flight
	inflight bool           // reader side: a read was started and not taken
	ended    error          // reader side: io.EOF or the error that ended it
	cancel   sync.Once
}

type bodyChunk struct {
	b   []byte
	err error
}

// newBodyStream wraps the JS pump object of a stream (on the loop).
func newBodyStream(e *env, pump *goja.Object, length int64) (*BodyStream, error) {
	read, ok := goja.AssertFunction(pump.Get("read"))
	if !ok {
		return nil, errors.New("read response: the body pump has no read")
	}
	s := &BodyStream{
		iso:    e.iso,
		env:    e,
		owner:  e.iso.CurrentOwner(),
		length: length,
		pump:   pump,
		read:   read,
		res:    make(chan bodyChunk, 1),
	}
	s.cb = e.rt.ToValue(s.onChunk)
	return s, nil
}

// Length is the body's length in bytes when the stream knows it (a
// FixedLengthStream, an expectedLength), else -1.
func (s *BodyStream) Length() int64 { return s.length }

// Next returns the next chunk of the body; io.EOF at its end, or the error
// that ended the stream (a JS exception, ErrBodyStalled, ErrBodyClosed).
// The chunk is valid until the next call. It waits for the Worker to
// produce the chunk; ctx ending stops the wait and cancels the stream. Call
// it from one goroutine other than the loop.
func (s *BodyStream) Next(ctx context.Context) ([]byte, error) {
	if s.ended != nil {
		return nil, s.ended
	}
	if !s.inflight && !s.startRead() {
		return nil, s.ended
	}
	select {
	case c := <-s.res:
		s.inflight = false
		if c.err != nil {
			s.ended = c.err
			return nil, c.err
		}
		if c.b == nil {
			s.ended = io.EOF
			return nil, io.EOF
		}
		s.startRead() // the next chunk, made while the caller writes this one
		return c.b, nil
	case <-ctx.Done():
		s.ended = ctx.Err()
		s.Cancel()
		return nil, s.ended
	case <-s.iso.Done():
		s.ended = ErrBodyClosed
		return nil, s.ended
	}
}

// startRead posts a read to the loop (reader side); false if the isolate
// is closed.
func (s *BodyStream) startRead() bool {
	if !s.iso.Post(s.owner, s.start) {
		s.ended = ErrBodyClosed
		return false
	}
	s.inflight = true
	return true
}

// Cancel cancels the JS stream (the client went away, or the body is not
// wanted) with workerd's error for a lost connection. Safe from any
// goroutine; only the first call does anything.
func (s *BodyStream) Cancel() {
	s.cancel.Do(func() {
		s.iso.Post(s.owner, func(rt *goja.Runtime) {
			delete(s.env.bodyReads, s)
			if cancel, ok := goja.AssertFunction(s.pump.Get("cancel")); ok {
				_, _ = cancel(s.pump, errDisconnected.Value(rt))
			}
		})
	})
}

// start runs a read on the loop; the pump calls onChunk when it settles.
func (s *BodyStream) start(rt *goja.Runtime) {
	s.env.bodyReads[s] = struct{}{}
	if _, err := s.read(s.pump, s.cb); err != nil {
		s.deliver(bodyChunk{err: s.env.reportBodyError(err)})
	}
}

// onChunk is the pump's callback: (chunk) for bytes, () at the end, or
// (undefined, error).
func (s *BodyStream) onChunk(call goja.FunctionCall) goja.Value {
	chunk, errv := call.Argument(0), call.Argument(1)
	switch {
	case !goja.IsUndefined(errv):
		s.deliver(bodyChunk{err: s.env.reportBodyError(&jsruntime.JSError{Value: errv})})
	case goja.IsUndefined(chunk) || goja.IsNull(chunk):
		s.deliver(bodyChunk{})
	default:
		b, ok := jsruntime.BufferSource(chunk)
		if !ok {
			s.deliver(bodyChunk{err: errors.New("read response: a body chunk is not bytes")})
			break
		}
		// The buffers alternate: the reader still has the other one.
		buf := append(s.bufs[s.cur][:0], b...)
		s.bufs[s.cur] = buf
		s.cur ^= 1
		s.deliver(bodyChunk{b: buf})
	}
	return goja.Undefined()
}

// deliver hands a read's result to Next (on the loop).
func (s *BodyStream) deliver(c bodyChunk) {
	if _, ok := s.env.bodyReads[s]; !ok {
		return
	}
	delete(s.env.bodyReads, s)
	s.res <- c
}

// reportBodyError logs the exception that ended a streaming body as an
// uncaught one and returns an error for the Go side (on the loop).
func (e *env) reportBodyError(err error) error {
	e.iso.ReportError(err)
	return errors.New("response body stream: " + jsruntime.FormatError(err))
}

// failStalledReads runs when the isolate is idle: reads still waiting can
// never be answered.
func (e *env) failStalledReads() {
	for s := range e.bodyReads {
		s.deliver(bodyChunk{err: ErrBodyStalled})
	}
}
