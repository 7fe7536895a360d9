package devserver

import (
	"compress/gzip"
	"errors"
	"io"
	"net/http"
	"strconv"

	"github.com/emu-dev/emu/cmd/emu/internal/worker"
	"github.com/emu-dev/emu/jsruntime/webapi"
)

// writeStream sends a Response whose body the Worker streams: the headers
// at once, then each chunk as the Worker produces it, flushed (chunked
// transfer encoding unless the stream knows its length, gzipped by the same
// rules as a buffered body). Only one chunk is read ahead of the client, so
// a slow client makes the Worker's writes wait. A stream that fails
// mid-way aborts the connection, as workerd does, so the client sees a
// truncated body rather than a complete one. It returns the status sent and
// whether the connection must be aborted.
func (s *Server) writeStream(rw http.ResponseWriter, r *http.Request, resp *worker.Response) (int, bool) {
	body := resp.Stream
	h := rw.Header()
	for k, vs := range resp.Header {
		h[k] = vs
	}
	h["Date"] = nil
	h.Del("Content-Length")
	gz := compressible(h.Get("Content-Type")) && h.Get("Content-Encoding") == "" && acceptsGzip(r)
	if gz {
		h.Set("Content-Encoding", "gzip")
	} else if n := body.Length(); n >= 0 {
		h.Set("Content-Length", strconv.FormatInt(n, 10))
	}
	if r.Method == http.MethodHead {
		body.Cancel()
		rw.WriteHeader(resp.Status)
		return resp.Status, false
	}
	rw.WriteHeader(resp.Status)
	flusher, _ := rw.(http.Flusher)
	flush := func() {
		if flusher != nil {
			flusher.Flush()
		}
	}
	flush()
	var out io.Writer = rw
	var zw *gzip.Writer
	if gz {
		zw = gzipPool.Get().(*gzip.Writer)
		zw.Reset(rw)
		defer gzipPool.Put(zw)
		out = zw
	}
	for {
		b, err := body.Next(r.Context())
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			if errors.Is(err, webapi.ErrBodyStalled) {
				s.logLine("✘ [ERROR] " + err.Error())
			}
			return resp.Status, true
		}
		if _, err := out.Write(b); err != nil {
			body.Cancel()
			return resp.Status, false
		}
		if zw != nil {
			if err := zw.Flush(); err != nil {
				body.Cancel()
				return resp.Status, false
			}
		}
		flush()
	}
	if zw != nil {
		_ = zw.Close()
	}
	return resp.Status, false
}
