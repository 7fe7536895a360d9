package webapi

import (
	"bytes"
	"compress/flate"
	"compress/gzip"
	"compress/zlib"
	"errors"
	"io"
	"runtime"
	"sync"

	"github.com/dop251/goja"

	"github.com/emu-dev/emu/jsruntime"
)

// compressionNatives do the work of compression.js with Go's compress/*:
//
//	zlibNew(compress, format)  a new (de)compressor; format is "gzip", "deflate" or "deflate-raw"
//	zlibWrite(z, bytes)        an ArrayBuffer of the output bytes makes (possibly empty)
//	zlibEnd(z)                 an ArrayBuffer of the rest of the output, at the end of the input
//	zlibClose(z)               drops the (de)compressor
//
// Errors are workerd's: Error "Decompression failed." for corrupt input,
// TypeError "Trailing bytes after end of compressed data" and "Called
// close() on a decompression stream with incomplete data" (the
// strict_compression_checks behaviour).
var compressionNatives = []native{
	{"zlibNew", func(e *env, call goja.FunctionCall) goja.Value {
		format := call.Argument(1).String()
		if call.Argument(0).ToBoolean() {
			return e.rt.ToValue(newDeflater(format))
		}
		return e.rt.ToValue(newInflater(format))
	}},
	{"zlibWrite", func(e *env, call goja.FunctionCall) goja.Value {
		out, err := zlibArg(e, call).write(e.bytesArg(call, 1))
		return e.zlibResult(out, err)
	}},
	{"zlibEnd", func(e *env, call goja.FunctionCall) goja.Value {
		out, err := zlibArg(e, call).end()
		return e.zlibResult(out, err)
	}},
	{"zlibClose", func(e *env, call goja.FunctionCall) goja.Value {
		zlibArg(e, call).close()
		return goja.Undefined()
	}},
}

// A zstream is a compressor or a decompressor fed a chunk at a time.
type zstream interface {
	write(b []byte) ([]byte, error)
	end() ([]byte, error)
	close()
}

func zlibArg(e *env, call goja.FunctionCall) zstream {
	z, ok := call.Argument(0).Export().(zstream)
	if !ok {
		panic(e.rt.NewTypeError("expected a compression stream"))
	}
	return z
}

func (e *env) zlibResult(out []byte, err error) goja.Value {
	if err != nil {
		panic(jsruntime.ErrorValue(e.rt, err))
	}
	return e.rt.ToValue(e.rt.NewArrayBuffer(out))
}

var (
	errDecompress = jsruntime.Errorf(jsruntime.Error, "Decompression failed.")
	errTrailing   = jsruntime.Errorf(jsruntime.TypeError, "Trailing bytes after end of compressed data")
	errIncomplete = jsruntime.Errorf(jsruntime.TypeError, "Called close() on a decompression stream with incomplete data")
)

// deflater compresses: Go's writers are push-based, so it runs on the loop.
type deflater struct {
	out bytes.Buffer
	w   io.WriteCloser
}

func newDeflater(format string) *deflater {
	d := &deflater{}
	switch format {
	case "gzip":
		d.w = gzip.NewWriter(&d.out)
	case "deflate":
		d.w = zlib.NewWriter(&d.out)
	default:
		d.w, _ = flate.NewWriter(&d.out, flate.DefaultCompression) // only fails for a bad level
	}
	return d
}

func (d *deflater) take() []byte {
	b := bytes.Clone(d.out.Bytes())
	d.out.Reset()
	return b
}

func (d *deflater) write(b []byte) ([]byte, error) {
	if _, err := d.w.Write(b); err != nil {
		return nil, jsruntime.Errorf(jsruntime.Error, "Compression failed.")
	}
	return d.take(), nil
}

func (d *deflater) end() ([]byte, error) {
	if err := d.w.Close(); err != nil {
		return nil, jsruntime.Errorf(jsruntime.Error, "Compression failed.")
	}
	return d.take(), nil
}

func (d *deflater) close() {}

// inflater decompresses. Go's decompressors pull their input, so each runs
// on its own goroutine, which reads the chunks write hands it and reports
// the output it made until it needs more input; write waits for that (the
// handoff is bounded by the work of decompressing one chunk, not by I/O).
// The goroutine ends at the end of the data, on an error, on close, or when
// the inflater is garbage collected.
type inflater struct {
	*inflaterCore
}

type inflaterCore struct {
	format   string
	started  bool
	finished bool // the compressed data ended
	failed   error
	input    chan []byte
	events   chan inflateEvent
	quit     chan struct{}
	quitOnce sync.Once
}

type inflateEvent struct {
	data     []byte
	need     bool // the decompressor waits for input
	eof      bool
	leftover int // input bytes after the end of the data
	err      error
}

func newInflater(format string) *inflater {
	c := &inflaterCore{
		format: format,
		input:  make(chan []byte),
		events: make(chan inflateEvent),
		quit:   make(chan struct{}),
	}
	z := &inflater{c}
	runtime.AddCleanup(z, func(c *inflaterCore) { c.close() }, c)
	return z
}

func (c *inflaterCore) close() {
	c.quitOnce.Do(func() { close(c.quit) })
}

func (c *inflaterCore) write(b []byte) ([]byte, error) {
	if c.failed != nil {
		return nil, c.failed
	}
	if c.finished {
		if len(b) > 0 {
			return c.fail(errTrailing)
		}
		return nil, nil
	}
	if len(b) == 0 {
		return nil, nil
	}
	if !c.started {
		c.started = true
		go c.run()
		if ev := c.next(); ev.err != nil {
			return c.fail(ev.err)
		}
	}
	select {
	case c.input <- bytes.Clone(b):
	case <-c.quit:
		return nil, errDecompress
	}
	return c.collect()
}

func (c *inflaterCore) end() ([]byte, error) {
	if c.failed != nil {
		return nil, c.failed
	}
	if c.finished || !c.started {
		c.close()
		if !c.finished {
			return c.fail(errIncomplete)
		}
		return nil, nil
	}
	close(c.input)
	return c.collect()
}

// collect gathers the goroutine's output until it needs input or stops.
func (c *inflaterCore) collect() ([]byte, error) {
	var out []byte
	for {
		ev := c.next()
		switch {
		case ev.err != nil:
			return c.fail(ev.err)
		case ev.eof:
			c.finished = true
			c.close()
			if ev.leftover > 0 {
				return c.fail(errTrailing)
			}
			return out, nil
		case ev.need:
			return out, nil
		}
		out = append(out, ev.data...)
	}
}

func (c *inflaterCore) next() inflateEvent {
	select {
	case ev := <-c.events:
		return ev
	case <-c.quit:
		return inflateEvent{err: errDecompress}
	}
}

func (c *inflaterCore) fail(err error) ([]byte, error) {
	c.failed = err
	c.close()
	return nil, err
}

// run is the decompressing goroutine.
func (c *inflaterCore) run() {
	r := &chanReader{c: c}
	send := func(ev inflateEvent) bool {
		select {
		case c.events <- ev:
			return true
		case <-c.quit:
			return false
		}
	}
	var zr io.Reader
	var err error
	switch c.format {
	case "gzip":
		var g *gzip.Reader
		if g, err = gzip.NewReader(r); err == nil {
			g.Multistream(false)
			zr = g
		}
	case "deflate":
		zr, err = zlib.NewReader(r)
	default:
		zr = flate.NewReader(r)
	}
	if err != nil {
		send(inflateEvent{err: inflateError(err)})
		return
	}
	buf := make([]byte, 16<<10)
	for {
		n, err := zr.Read(buf)
		if n > 0 && !send(inflateEvent{data: bytes.Clone(buf[:n])}) {
			return
		}
		if errors.Is(err, io.EOF) {
			send(inflateEvent{eof: true, leftover: len(r.cur)})
			return
		}
		if err != nil {
			send(inflateEvent{err: inflateError(err)})
			return
		}
	}
}

// inflateError maps a decompressor's error to workerd's.
func inflateError(err error) error {
	if errors.Is(err, io.ErrUnexpectedEOF) {
		return errIncomplete
	}
	return errDecompress
}

// chanReader feeds the decompressor the chunks write hands over, saying
// when it needs more. It is an io.ByteReader so the decompressors do not
// read ahead through a bufio.Reader.
type chanReader struct {
	c   *inflaterCore
	cur []byte
	eof bool
}

func (r *chanReader) fill() bool {
	for len(r.cur) == 0 {
		if r.eof {
			return false
		}
		select {
		case r.c.events <- inflateEvent{need: true}:
		case <-r.c.quit:
			r.eof = true
			return false
		}
		select {
		case b, ok := <-r.c.input:
			if !ok {
				r.eof = true
				return false
			}
			r.cur = b
		case <-r.c.quit:
			r.eof = true
			return false
		}
	}
	return true
}

func (r *chanReader) Read(p []byte) (int, error) {
	if !r.fill() {
		return 0, io.ErrUnexpectedEOF
	}
	n := copy(p, r.cur)
	r.cur = r.cur[n:]
	return n, nil
}

func (r *chanReader) ReadByte() (byte, error) {
	if !r.fill() {
		return 0, io.ErrUnexpectedEOF
	}
	b := r.cur[0]
	r.cur = r.cur[1:]
	return b, nil
}
