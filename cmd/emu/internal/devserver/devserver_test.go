package devserver

import (
	"net/http"
	"testing"
)

func TestCompressible(t *testing.T) {
	t.Parallel()
	for ct, want := range map[string]bool{
		"text/plain;charset=UTF-8": true, "application/json": true, "text/html": true,
		"application/vnd.api+json": true, "image/png": false, "application/octet-stream": false, "": false,
	} {
		if got := compressible(ct); got != want {
			t.Errorf("compressible(%q) = %v", ct, got)
		}
	}
}

func TestAcceptsGzip(t *testing.T) {
	t.Parallel()
	for ae, want := range map[string]bool{"gzip": true, "br, gzip": true, "gzip;q=1.0, deflate": true, "br": false, "": false, "x-gzip2": false} {
		r := &http.Request{Header: http.Header{"Accept-Encoding": {ae}}}
		if got := acceptsGzip(r); got != want {
			t.Errorf("acceptsGzip(%q) = %v", ae, got)
		}
	}
}
