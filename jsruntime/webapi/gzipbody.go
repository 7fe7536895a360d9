package webapi

import (
	"compress/gzip"
	"io"
)

// gzipBody decodes a gzip response body as it is read (workerd decodes a
// fetch() response with Content-Encoding: gzip and keeps the header). The
// gzip header is read on the first Read, off the loop.
type gzipBody struct {
	raw io.ReadCloser
	zr  *gzip.Reader
	err error
}

func newGzipBody(raw io.ReadCloser) io.ReadCloser { return &gzipBody{raw: raw} }

func (g *gzipBody) Read(p []byte) (int, error) {
	if g.err != nil {
		return 0, g.err
	}
	if g.zr == nil {
		zr, err := gzip.NewReader(g.raw)
		if err != nil {
			g.err = err
			return 0, err
		}
		g.zr = zr
	}
	n, err := g.zr.Read(p)
	if err != nil {
		g.err = err
	}
	return n, err
}

func (g *gzipBody) Close() error { return g.raw.Close() }
