package webapi

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/dop251/goja"

	"github.com/emu-dev/emu/jsruntime"
)

// Outgoing fetch(): fetch.js builds the Request and calls fetchStart, which
// sends it with Go's net/http client off the loop (iso.Reserve + enqueue)
// and follows redirects as workerd's fetchImpl does. The response body is
// read chunk by chunk as the script reads (fetchRead), so a slow reader
// slows the upstream.
//
//	fetchStart(method, url, headerPairs, bytes|null, pump|null, manual, decode, cb) -> handle
//	fetchAbort(handle)                 aborts the request in flight and its body
//	fetchRead(handle, max, cb)         cb(bytes) / cb(null) at the end / cb(undefined, error)
//	fetchCancel(handle)                closes the response body
//	fetchUpgrade(url, headerPairs, cb) a WebSocket upgrade (upgrade.go)
var outboundNatives = []native{
	{"fetchStart", (*env).fetchStart},
	{"fetchAbort", func(e *env, call goja.FunctionCall) goja.Value {
		if f, ok := call.Argument(0).Export().(*outFetch); ok {
			f.cancel()
		}
		return goja.Undefined()
	}},
	{"fetchRead", (*env).fetchRead},
	{"fetchUpgrade", (*env).fetchUpgrade},
	{"fetchCancel", func(e *env, call goja.FunctionCall) goja.Value {
		if f, ok := call.Argument(0).Export().(*outFetch); ok {
			f.closeBody()
		}
		return goja.Undefined()
	}},
}

// maxRedirects is workerd's MAX_REDIRECT_COUNT.
const maxRedirects = 20

// outbound is an isolate's HTTP client: one Transport (no proxy from the
// environment, no transparent decompression) and a context canceled when
// the isolate closes, so nothing outlives it.
type outbound struct {
	client *http.Client
	ctx    context.Context
}

// outboundOf returns e's client, made on first use (loop only).
func (e *env) outboundOf() *outbound {
	if e.out != nil {
		return e.out
	}
	tr := &http.Transport{
		Proxy:               nil,
		DialContext:         (&net.Dialer{Timeout: 30 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
		ForceAttemptHTTP2:   true,
		DisableCompression:  true,
		MaxIdleConnsPerHost: 64,
		IdleConnTimeout:     90 * time.Second,
	}
	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		<-e.iso.Done()
		cancel()
		tr.CloseIdleConnections()
	}()
	e.out = &outbound{
		client: &http.Client{
			Transport:     tr,
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		},
		ctx: ctx,
	}
	return e.out
}

// An outFetch is one fetch() in flight and then its response body.
type outFetch struct {
	ctx    context.Context
	cancel context.CancelFunc

	mu   sync.Mutex
	body io.ReadCloser // the response body once there is one
}

func (f *outFetch) closeBody() {
	f.mu.Lock()
	b := f.body
	f.body = nil
	f.mu.Unlock()
	if b != nil {
		_ = b.Close()
	}
	f.cancel()
}

// outRequest is what fetch.js passes for one request.
type outRequest struct {
	method   string
	url      string
	header   http.Header
	host     string
	bytes    []byte      // a buffered body (nil: none, or a stream)
	stream   *BodyStream // a streamed body
	manual   bool        // redirect: "manual"
	decode   bool        // encodeResponseBody: "automatic"
	streamed bool
}

func (e *env) fetchStart(call goja.FunctionCall) goja.Value {
	rt := e.rt
	r := &outRequest{method: call.Argument(0).String(), url: call.Argument(1).String(), header: http.Header{}}
	var pairs []string
	if err := rt.ExportTo(call.Argument(2), &pairs); err != nil {
		panic(rt.NewTypeError("fetch: bad headers"))
	}
	for i := 0; i+1 < len(pairs); i += 2 {
		if strings.EqualFold(pairs[i], "host") {
			r.host = pairs[i+1]
			continue
		}
		k := http.CanonicalHeaderKey(pairs[i])
		r.header[k] = append(r.header[k], pairs[i+1])
	}
	if _, ok := r.header["User-Agent"]; !ok {
		r.header["User-Agent"] = []string{""} // net/http sends none
	}
	if b := call.Argument(3); !goja.IsNull(b) && !goja.IsUndefined(b) {
		bs, ok := jsruntime.BufferSource(b)
		if !ok {
			panic(rt.NewTypeError("fetch: bad body"))
		}
		r.bytes = append([]byte{}, bs...)
	}
	if p, ok := call.Argument(4).(*goja.Object); ok {
		s, err := newBodyStream(e, p, -1)
		if err != nil {
			panic(rt.NewGoError(err))
		}
		r.stream, r.streamed = s, true
	}
	r.manual = call.Argument(5).ToBoolean()
	r.decode = call.Argument(6).ToBoolean()
	cb, ok := goja.AssertFunction(call.Argument(7))
	if !ok {
		panic(rt.NewTypeError("fetch: no callback"))
	}
	out := e.outboundOf()
	ctx, cancel := context.WithCancel(out.ctx)
	f := &outFetch{ctx: ctx, cancel: cancel}
	enqueue := e.iso.Reserve()
	go func() {
		res, urls, err := out.do(ctx, r)
		var first []byte
		var eof bool
		if err != nil {
			cancel()
		} else {
			if r.decode && strings.EqualFold(strings.TrimSpace(res.Header.Get("Content-Encoding")), "gzip") {
				res.Body = newGzipBody(res.Body)
			}
			f.mu.Lock()
			f.body = res.Body
			f.mu.Unlock()
			first, eof = prefetch(r, res)
			if eof {
				f.closeBody()
			}
		}
		enqueue(func(rt *goja.Runtime) {
			if err != nil {
				_, _ = cb(goja.Undefined(), fetchErrorValue(rt, err))
				return
			}
			o := e.responseValue(res, urls, r)
			if first != nil {
				mustSet(o.Set("first", rt.NewArrayBuffer(first)))
			}
			mustSet(o.Set("eof", eof))
			_, _ = cb(goja.Undefined(), goja.Undefined(), o)
		})
	}()
	return rt.ToValue(f)
}

// responseValue is the object fetch.js makes the Response of.
func (e *env) responseValue(res *http.Response, urls []string, r *outRequest) *goja.Object {
	rt := e.rt
	names := make([]any, 0, 2*len(res.Header))
	for k, vs := range res.Header {
		for _, v := range vs {
			names = append(names, strings.ToLower(k), v)
		}
	}
	o := rt.NewObject()
	mustSet(o.Set("status", res.StatusCode))
	mustSet(o.Set("statusText", strings.TrimSpace(strings.TrimPrefix(res.Status, strconv.Itoa(res.StatusCode)))))
	mustSet(o.Set("headers", rt.NewArray(names...)))
	u := make([]any, len(urls))
	for i, s := range urls {
		u[i] = s
	}
	mustSet(o.Set("urls", rt.NewArray(u...)))
	return o
}

// prefetchMax is the largest body read with the response head.
const prefetchMax = 64 << 10

// prefetch reads a small body whose length is known with the response
// head (off the loop), saving the script's reads a trip each: the bytes
// read and whether that was all of it. A body of unknown length or a
// larger one is left to be read as the script reads.
func prefetch(r *outRequest, res *http.Response) ([]byte, bool) {
	if r.method == "HEAD" || res.ContentLength < 0 || res.ContentLength > prefetchMax || res.Header.Get("Content-Encoding") != "" {
		return nil, false
	}
	buf := make([]byte, res.ContentLength+1)
	n, err := io.ReadFull(res.Body, buf)
	if err == io.ErrUnexpectedEOF || err == io.EOF {
		return buf[:n], true
	}
	return buf[:n], false
}

// do sends r, following redirects unless r.manual (workerd's
// handleHttpRedirectResponse): 303 (and 301/302 for POST) becomes a GET
// without body, a streamed body cannot be sent twice, Authorization is
// dropped across origins, at most maxRedirects hops.
func (o *outbound) do(ctx context.Context, r *outRequest) (*http.Response, []string, error) {
	urls := []string{r.url}
	method := r.method
	body, stream := r.bytes, r.stream
	header := r.header
	for {
		req, err := http.NewRequestWithContext(ctx, method, urls[len(urls)-1], nil)
		if err != nil {
			return nil, nil, jsruntime.Errorf(jsruntime.TypeError, "Fetch API cannot load: %s", urls[len(urls)-1])
		}
		req.Header = header
		if r.host != "" {
			req.Host = r.host
		}
		switch {
		case stream != nil:
			req.Body = io.NopCloser(&streamReader{ctx: ctx, s: stream})
			req.ContentLength = -1
			if cl := header.Get("Content-Length"); cl != "" {
				req.ContentLength = parseLength(cl)
			}
			stream = nil
		case body != nil:
			b := body
			req.ContentLength = int64(len(b))
			req.Body = io.NopCloser(strings.NewReader(string(b)))
			req.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(strings.NewReader(string(b))), nil }
		}
		res, err := o.client.Do(req)
		if err != nil {
			return nil, nil, err
		}
		loc := res.Header.Get("Location")
		if r.manual || !isRedirect(res.StatusCode) || loc == "" {
			return res, urls, nil
		}
		_, _ = io.Copy(io.Discard, io.LimitReader(res.Body, 1<<20))
		_ = res.Body.Close()
		base, _ := url.Parse(urls[len(urls)-1])
		next, err := base.Parse(loc)
		if err != nil || (next.Scheme != "http" && next.Scheme != "https") {
			return nil, nil, jsruntime.Errorf(jsruntime.TypeError, "Invalid Location header; unable to follow redirect.")
		}
		if len(urls)-1 >= maxRedirects {
			return nil, nil, jsruntime.Errorf(jsruntime.TypeError, "Too many redirects.")
		}
		if next.Scheme != base.Scheme || next.Host != base.Host {
			header = header.Clone()
			header.Del("Authorization")
		}
		urls = append(urls, next.String())
		if res.StatusCode != 303 && r.streamed && (r.method != "GET" && r.method != "HEAD") {
			return nil, nil, jsruntime.Errorf(jsruntime.TypeError, "A request with a one-time-use body (it was initialized from a stream, not a buffer) encountered a redirect requiring the body to be retransmitted. To avoid this error in the future, construct this request from a buffer-like body initializer.")
		}
		if ((res.StatusCode == 301 || res.StatusCode == 302) && method == "POST") || (res.StatusCode == 303 && method != "HEAD") {
			method, body = "GET", nil
		}
	}
}

func isRedirect(s int) bool { return s == 301 || s == 302 || s == 303 || s == 307 || s == 308 }

func parseLength(s string) int64 {
	var n int64
	for _, c := range strings.TrimSpace(s) {
		if c < '0' || c > '9' {
			return -1
		}
		n = n*10 + int64(c-'0')
	}
	return n
}

// streamReader reads a request body that is a ReadableStream.
type streamReader struct {
	ctx  context.Context
	s    *BodyStream
	rest []byte
}

func (r *streamReader) Read(p []byte) (int, error) {
	if len(r.rest) == 0 {
		b, err := r.s.Next(r.ctx)
		if err != nil {
			return 0, err
		}
		r.rest = b
	}
	n := copy(p, r.rest)
	r.rest = r.rest[n:]
	return n, nil
}

// fetchErrorValue is the JS error a failed request rejects with: a
// ScriptError as it is, a lost or refused connection workerd's "Network
// connection lost.", anything else workerd's "internal error".
func fetchErrorValue(rt *goja.Runtime, err error) goja.Value {
	var se *jsruntime.ScriptError
	if errors.As(err, &se) {
		return se.Value(rt)
	}
	if errors.Is(err, syscall.ECONNREFUSED) || errors.Is(err, syscall.ECONNRESET) || errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		return errDisconnected.Value(rt)
	}
	return jsruntime.Errorf(jsruntime.Error, "internal error").Value(rt)
}

func (e *env) fetchRead(call goja.FunctionCall) goja.Value {
	rt := e.rt
	f, ok := call.Argument(0).Export().(*outFetch)
	if !ok {
		panic(rt.NewTypeError("fetchRead: bad handle"))
	}
	n := int(call.Argument(1).ToInteger())
	if n <= 0 {
		n = 4096
	}
	cb, ok := goja.AssertFunction(call.Argument(2))
	if !ok {
		panic(rt.NewTypeError("fetchRead: no callback"))
	}
	f.mu.Lock()
	body := f.body
	f.mu.Unlock()
	if body == nil {
		_, _ = cb(goja.Undefined(), goja.Null())
		return goja.Undefined()
	}
	enqueue := e.iso.Reserve()
	go func() {
		buf := make([]byte, n)
		m, err := body.Read(buf)
		for m == 0 && err == nil {
			m, err = body.Read(buf)
		}
		enqueue(func(rt *goja.Runtime) {
			switch {
			case m > 0:
				_, _ = cb(goja.Undefined(), rt.ToValue(rt.NewArrayBuffer(buf[:m])))
			case err == io.EOF:
				f.closeBody()
				_, _ = cb(goja.Undefined(), goja.Null())
			default:
				f.closeBody()
				_, _ = cb(goja.Undefined(), goja.Undefined(), fetchErrorValue(rt, err))
			}
		})
	}()
	return goja.Undefined()
}
