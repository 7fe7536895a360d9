package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strconv"
	"sync"
	"time"
)

// httpClient is one keep-alive HTTP/1.1 connection sending the same GET
// again and again: a fixed request, a small hand-written response reader
// (status line, headers, Content-Length body), no allocation per request.
// Both emu and net/http answer these small bodies with a Content-Length.
type httpClient struct {
	conn net.Conn
	br   *bufio.Reader
	req  []byte
	body []byte
}

func dialHTTP(ctx context.Context, addr, path string, src net.IP) (*httpClient, error) {
	conn, err := netDialer(src).DialContext(ctx, "tcp", addr)
	if err != nil {
		return nil, err
	}
	req := fmt.Sprintf("GET %s HTTP/1.1\r\nHost: %s\r\nUser-Agent: emubench\r\n\r\n", path, addr)
	return &httpClient{conn: conn, br: bufio.NewReaderSize(conn, 4096), req: []byte(req)}, nil
}

// get sends the request and reads the response; body is valid until the
// next get.
func (h *httpClient) get() (status int, body []byte, err error) {
	if _, err := h.conn.Write(h.req); err != nil {
		return 0, nil, err
	}
	line, err := h.br.ReadSlice('\n')
	if err != nil {
		return 0, nil, fmt.Errorf("reading the status line: %w", err)
	}
	if len(line) < 12 || !bytes.HasPrefix(line, []byte("HTTP/1.1 ")) {
		return 0, nil, fmt.Errorf("bad status line %q", line)
	}
	status, err = strconv.Atoi(string(line[9:12]))
	if err != nil {
		return 0, nil, fmt.Errorf("bad status line %q", line)
	}
	length := -1
	for {
		line, err = h.br.ReadSlice('\n')
		if err != nil {
			return 0, nil, fmt.Errorf("reading headers: %w", err)
		}
		line = bytes.TrimRight(line, "\r\n")
		if len(line) == 0 {
			break
		}
		name, value, ok := bytes.Cut(line, []byte(":"))
		if !ok {
			return 0, nil, fmt.Errorf("bad header line %q", line)
		}
		value = bytes.TrimSpace(value)
		switch {
		case bytes.EqualFold(name, []byte("Content-Length")):
			if length, err = strconv.Atoi(string(value)); err != nil || length < 0 {
				return 0, nil, fmt.Errorf("bad Content-Length %q", value)
			}
		case bytes.EqualFold(name, []byte("Transfer-Encoding")):
			return 0, nil, fmt.Errorf("Transfer-Encoding %q: the load client reads Content-Length bodies only", value)
		}
	}
	if length < 0 {
		return 0, nil, errors.New("response without Content-Length")
	}
	if cap(h.body) < length {
		h.body = make([]byte, length)
	}
	h.body = h.body[:length]
	if _, err := io.ReadFull(h.br, h.body); err != nil {
		return 0, nil, fmt.Errorf("reading the body: %w", err)
	}
	return status, h.body, nil
}

func (h *httpClient) close() { _ = h.conn.Close() }

// checkFunc judges one response.
type checkFunc func(status int, body []byte) error

// wantBody accepts a 200 with exactly this body.
func wantBody(want string) checkFunc {
	return func(status int, body []byte) error {
		if status != 200 || string(body) != want {
			return fmt.Errorf("got %d %q, want 200 %q", status, body, want)
		}
		return nil
	}
}

// loadResult is what httpLoad measured.
type loadResult struct {
	requests int
	elapsed  time.Duration // from the first request to the last response
}

func (r loadResult) perSecond() float64 { return float64(r.requests) / r.elapsed.Seconds() }

// httpLoad runs conns keep-alive connections, each sending requests one
// after another for d (like wrk -c conns -d d), and counts the responses.
func httpLoad(ctx context.Context, addr, path string, conns, per int, d time.Duration, check checkFunc) (loadResult, error) {
	clients := make([]*httpClient, 0, conns)
	defer func() {
		for _, c := range clients {
			c.close()
		}
	}()
	for i := range conns {
		c, err := dialHTTP(ctx, addr, path, sourceIP(i, per))
		if err != nil {
			return loadResult{}, fmt.Errorf("connection %d: %w", i, err)
		}
		clients = append(clients, c)
	}
	var (
		mu       sync.Mutex
		total    int
		last     time.Time
		firstErr error
		wg       sync.WaitGroup
	)
	start := time.Now()
	deadline := start.Add(d)
	for _, c := range clients {
		_ = c.conn.SetDeadline(deadline.Add(30 * time.Second))
		wg.Add(1)
		go func() {
			defer wg.Done()
			n := 0
			var err error
			for time.Now().Before(deadline) && ctx.Err() == nil {
				var status int
				var body []byte
				if status, body, err = c.get(); err == nil {
					err = check(status, body)
				}
				if err != nil {
					break
				}
				n++
			}
			end := time.Now()
			mu.Lock()
			total += n
			if end.After(last) {
				last = end
			}
			if err != nil && firstErr == nil {
				firstErr = err
			}
			mu.Unlock()
		}()
	}
	wg.Wait()
	if firstErr == nil && ctx.Err() != nil {
		firstErr = context.Cause(ctx)
	}
	return loadResult{requests: total, elapsed: last.Sub(start)}, firstErr
}

// httpSequential sends n requests one after another on one connection and
// returns each round trip, after warm requests that are not counted.
func httpSequential(ctx context.Context, addr, path string, warm, n int, check checkFunc) ([]time.Duration, error) {
	c, err := dialHTTP(ctx, addr, path, sourceIP(0, 1))
	if err != nil {
		return nil, err
	}
	defer c.close()
	_ = c.conn.SetDeadline(time.Now().Add(2 * time.Minute))
	ds := make([]time.Duration, 0, n)
	for i := range warm + n {
		if ctx.Err() != nil {
			return nil, context.Cause(ctx)
		}
		t0 := time.Now()
		status, body, err := c.get()
		if err == nil {
			err = check(status, body)
		}
		if err != nil {
			return nil, fmt.Errorf("request %d: %w", i, err)
		}
		if i >= warm {
			ds = append(ds, time.Since(t0))
		}
	}
	return ds, nil
}

// simpleRequest does one request with net/http (for the rows' control
// requests: counts, the hibernate control) and returns status and body.
func simpleRequest(ctx context.Context, method, url string) (int, string, error) {
	ctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, method, url, nil)
	if err != nil {
		return 0, "", err
	}
	tr := &http.Transport{DisableCompression: true}
	defer tr.CloseIdleConnections()
	resp, err := (&http.Client{Transport: tr}).Do(req)
	if err != nil {
		return 0, "", err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	return resp.StatusCode, string(body), err
}

// pollUntil sends GET path to addr every millisecond (reconnecting while
// the server is not listening yet) until check accepts the response, and
// returns when it did.
func pollUntil(ctx context.Context, addr, path string, check checkFunc, limit time.Duration) (time.Time, error) {
	deadline := time.Now().Add(limit)
	var c *httpClient
	defer func() {
		if c != nil {
			c.close()
		}
	}()
	var last error
	for time.Now().Before(deadline) && ctx.Err() == nil {
		if c == nil {
			var err error
			if c, err = dialHTTP(ctx, addr, path, sourceIP(0, 1)); err != nil {
				c, last = nil, err
			}
		}
		if c != nil {
			_ = c.conn.SetDeadline(time.Now().Add(5 * time.Second))
			status, body, err := c.get()
			if err == nil {
				if err = check(status, body); err == nil {
					return time.Now(), nil
				}
			} else {
				c.close()
				c = nil
			}
			last = err
		}
		time.Sleep(time.Millisecond) // the polling interval of the measurement
	}
	if ctx.Err() != nil {
		return time.Time{}, context.Cause(ctx)
	}
	return time.Time{}, fmt.Errorf("no matching answer within %s: %v", limit, last)
}
