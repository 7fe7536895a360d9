package webapi

import (
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/dop251/goja"
)

func TestWebAPIRequest(t *testing.T) {
	runCases(t, []jsCase{
		{"url normalised", `new Request("HTTP://Example.COM:80/a/../b c?q=1#f").url`, `http://example.com/b%20c?q=1#f`},
		{"url object", `new Request(new URL("https://x.example/p")).url`, `https://x.example/p`},
		{"relative url", `new Request("/path")`, `throws: TypeError: Invalid URL: /path`},
		{"defaults",
			`const r = new Request("https://a.example/");
			 JSON.stringify([r.method, r.redirect, r.cf, r.bodyUsed, r.body, r.signal instanceof AbortSignal, r.signal.aborted, r.integrity, r.keepalive])`,
			`["GET","follow",null,false,null,true,false,"",false]`},
		{"method upper-cased", `new Request("https://a/", {method: "post"}).method + new Request("https://a/", {method: "patch"}).method`, `POSTPATCH`},
		{"bad method", `new Request("https://a/", {method: "bad method"})`, `throws: TypeError: Invalid HTTP method string: bad method`},
		{"GET with body", `new Request("https://a/", {body: "x"})`, `throws: TypeError: Request with a GET or HEAD method cannot have a body.`},
		{"HEAD with body", `new Request("https://a/", {method: "HEAD", body: "x"})`, `throws: TypeError: Request with a GET or HEAD method cannot have a body.`},
		{"body text and content-type",
			`const r = new Request("https://a/", {method: "POST", body: "héllo"});
			 r.text().then((t) => t + "|" + r.headers.get("content-type") + "|" + r.bodyUsed)`,
			`héllo|text/plain;charset=UTF-8|true`},
		{"json", `new Request("https://a/", {method: "PUT", body: '{"a":[1]}'}).json().then((j) => j.a[0])`, `1`},
		{"arrayBuffer", `new Request("https://a/", {method: "POST", body: new Uint8Array([1, 2, 3])}).arrayBuffer().then((b) => b.byteLength + ":" + new Uint8Array(b)[2])`, `3:3`},
		{"body used twice",
			`const r = new Request("https://a/", {method: "POST", body: "x"}); r.text(); r.text()`,
			`rejected: TypeError: Body has already been used. It can only be used once. Use tee() first if you need to read it twice.`},
		{"clone", `const r = new Request("https://a/", {method: "POST", body: "x", headers: {a: "1"}}); const c = r.clone();
			 Promise.all([r.text(), c.text()]).then((v) => v.join() + c.method + c.headers.get("a"))`, `x,xPOST1`},
		{"copy from request",
			`const a = new Request("https://a/x", {method: "POST", body: "b", headers: {h: "1"}, redirect: "manual"});
			 const b = new Request(a, {headers: {h: "2"}});
			 b.text().then((t) => [b.url, b.method, b.redirect, b.headers.get("h"), t, a.bodyUsed].join())`,
			`https://a/x,POST,manual,2,b,true`},
		{"request as init (workers-chat-demo)",
			`const a = new Request("https://a/x", {method: "POST", body: "b", headers: {h: "1"}});
			 const b = new Request("https://other/y", a);
			 b.text().then((t) => [b.url, b.method, b.headers.get("h"), t].join())`,
			`https://other/y,POST,1,b`},
		{"used body cannot be reconstructed",
			`const a = new Request("https://a/", {method: "POST", body: "b"}); a.text(); new Request(a)`,
			`throws: TypeError: Cannot reconstruct a Request with a used body.`},
		{"bad redirect", `new Request("https://a/", {redirect: "error"})`,
			`throws: TypeError: Invalid redirect value, must be one of "follow" or "manual" ("error" won't be implemented since it does not make sense at the edge; use "manual" and check the response status code).`},
		{"cf kept", `new Request("https://a/", {cf: {cacheTtl: 5}}).cf.cacheTtl`, `5`},
		{"signal kept", `const c = new AbortController(); new Request("https://a/", {signal: c.signal}).signal === c.signal`, `true`},
		{"search params body",
			`const r = new Request("https://a/", {method: "POST", body: new URLSearchParams({a: "1 2", b: "é"})});
			 r.text().then((t) => t + "|" + r.headers.get("content-type"))`,
			`a=1+2&b=%C3%A9|application/x-www-form-urlencoded;charset=UTF-8`},
		{"blob of no body", `new Request("https://a/").blob().then((b) => b.size + JSON.stringify(b.type))`, `0""`},
		{"toStringTag", `String(new Request("https://a/"))`, `[object Request]`},
	})
}

func TestWebAPIResponse(t *testing.T) {
	runCases(t, []jsCase{
		{"defaults",
			`const r = new Response();
			 JSON.stringify([r.status, r.statusText, r.ok, r.redirected, r.url, r.type, r.webSocket, r.body, r.bodyUsed, [...r.headers]])`,
			`[200,"OK",true,false,"","default",null,null,false,[]]`},
		{"string body", `const r = new Response("hi"); r.text().then((t) => t + "|" + r.headers.get("content-type"))`, `hi|text/plain;charset=UTF-8`},
		{"content-type not replaced", `new Response("x", {headers: {"Content-Type": "text/html"}}).headers.get("content-type")`, `text/html`},
		{"status and text", `const r = new Response(null, {status: 404}); r.status + " " + r.statusText + " " + r.ok`, `404 Not Found false`},
		{"custom status text", `new Response(null, {status: 299, statusText: "Fine"}).statusText + new Response(null, {status: 299}).statusText`, `FineSuccessful`},
		{"status 101 without webSocket", `new Response(null, {status: 101})`,
			`throws: RangeError: Responses may only be constructed with status codes in the range 200 to 599, inclusive.`},
		{"status 600", `new Response(null, {status: 600})`,
			`throws: RangeError: Responses may only be constructed with status codes in the range 200 to 599, inclusive.`},
		{"webSocket needs 101", `new Response(null, {webSocket: {}})`,
			`throws: RangeError: Responses with a WebSocket must have status code 101.`},
		{"webSocket kept", `const ws = {}; const r = new Response(null, {status: 101, webSocket: ws}); (r.webSocket === ws) + " " + r.statusText`,
			`true Switching Protocols`},
		{"webSocket null is absent", `new Response(null, {webSocket: null}).webSocket`, `null`},
		{"101 with body", `new Response("x", {status: 101, webSocket: {}})`,
			`throws: TypeError: Response with null body status (101, 204, 205, or 304) cannot have a body.`},
		{"204 with body", `new Response("x", {status: 204})`,
			`throws: TypeError: Response with null body status (101, 204, 205, or 304) cannot have a body.`},
		{"204 with empty body", `new Response("", {status: 204}).body`, `null`},
		{"clone webSocket", `new Response(null, {status: 101, webSocket: {}}).clone()`,
			`throws: TypeError: Cannot clone a response to a WebSocket handshake.`},
		{"clone", `const r = new Response("a", {status: 201, headers: {x: "1"}}); const c = r.clone();
			 Promise.all([r.text(), c.text()]).then((v) => v.join() + c.status + c.headers.get("x"))`, `a,a2011`},
		{"body used", `const r = new Response("x"); r.text(); r.arrayBuffer()`,
			`rejected: TypeError: Body has already been used. It can only be used once. Use tee() first if you need to read it twice.`},
		{"json static",
			`const r = Response.json({a: 1}, {status: 202, headers: {x: "y"}});
			 r.text().then((t) => [r.status, r.headers.get("content-type"), r.headers.get("x"), t].join("|"))`,
			`202|application/json|y|{"a":1}`},
		{"json keeps content-type", `Response.json(1, {headers: {"content-type": "text/json"}}).headers.get("content-type")`, `text/json`},
		{"redirect", `const r = Response.redirect("https://a.example/x y"); r.status + " " + r.headers.get("location")`, `302 https://a.example/x%20y`},
		{"redirect status", `Response.redirect("https://a/", 200)`,
			`throws: RangeError: 200 is not a redirect status code. It must be one of: 301, 302, 303, 307, or 308.`},
		{"redirect bad url", `Response.redirect("/x")`, `throws: TypeError: Unable to parse URL: /x`},
		{"error", `const r = Response.error(); r.type + " " + r.status + " " + JSON.stringify(r.statusText)`, `error 0 ""`},
		{"bad statusText", `new Response(null, {statusText: "a\nb"})`, `throws: TypeError: Invalid statusText`},
		{"bytes body", `new Response(new Uint8Array([104, 105]).buffer).text()`, `hi`},
		{"dataview body", `new Response(new DataView(new Uint8Array([0, 104, 105]).buffer, 1)).text()`, `hi`},
		{"bytes()", `new Response("ab").bytes().then((b) => b.constructor.name + b.length)`, `Uint8Array2`},
		{"invalid UTF-8 text", `new Response(new Uint8Array([0x61, 0xff, 0x62])).text()`, "a\uFFFDb"},
		{"init from response", `const a = new Response(null, {status: 201, statusText: "Yay", headers: {x: "1"}}); const b = new Response("z", a);
			 b.status + b.statusText + b.headers.get("x")`, `201Yay1`},
		{"stream body", `new Response(new ReadableStream({start(c) { c.enqueue(new TextEncoder().encode("h")); c.enqueue(new Uint8Array([105])); c.close(); }})).text()`, `hi`},
		{"body stream reader",
			`const r = new Response("hey"); const rd = r.body.getReader();
			 rd.read().then((x) => new TextDecoder().decode(x.value) + r.bodyUsed).then((s) => rd.read().then((y) => s + y.done))`,
			`heytruetrue`},
		{"body stream then text", `const r = new Response("hey"); r.body; r.text()`, `hey`},
		{"string stream chunks rejected", `new Response(new ReadableStream({start(c) { c.enqueue("x"); c.close(); }})).text()`,
			`rejected: TypeError: This ReadableStream did not return bytes.`},
		{"formData of a text body", `new Response("x").formData()`,
			`rejected: TypeError: Unrecognized Content-Type header value. FormData can only parse the following MIME types: multipart/form-data, application/x-www-form-urlencoded`},
	})
}

func TestWebAPIRequestRoundTrip(t *testing.T) {
	iso, _ := newIsolate(t)
	h := http.Header{
		"Accept":           {"*/*"},
		"User-Agent":       {"curl/7.88.1"},
		"X-Test":           {"1", "2"},
		"Cf-Connecting-Ip": {"127.0.0.1"},
		"Host":             {"127.0.0.1:8787"},
		"Content-Type":     {"application/json"},
	}
	do(t, iso, func(rt *goja.Runtime) error {
		req, err := NewRequest(rt, "POST", "http://127.0.0.1:8787/a?b=1", h, []byte(`{"n":41}`))
		if err != nil {
			return err
		}
		return rt.Set("req", req)
	})
	got := eval(t, iso, `JSON.stringify({
		url: req.url, method: req.method, redirect: req.redirect,
		headers: [...req.headers],
		cf: Object.keys(req.cf).sort().join(), colo: req.cf.colo,
		instance: req instanceof Request,
	})`)
	want := `{"url":"http://127.0.0.1:8787/a?b=1","method":"POST","redirect":"manual",` +
		`"headers":[["accept","*/*"],["cf-connecting-ip","127.0.0.1"],["content-length","8"],["content-type","application/json"],["host","127.0.0.1:8787"],["user-agent","curl/7.88.1"],["x-test","1, 2"]],` +
		`"cf":"asOrganization,asn,botManagement,city,clientAcceptEncoding,clientTcpRtt,clientTrustScore,colo,continent,country,edgeRequestKeepAliveStatus,httpProtocol,latitude,longitude,metroCode,postalCode,region,regionCode,requestPriority,timezone,tlsCipher,tlsClientAuth,tlsVersion",` +
		`"colo":"DFW","instance":true}`
	if got != want {
		t.Errorf("incoming request:\n got %s\nwant %s", got, want)
	}
	if got := eval(t, iso, `req.headers.set("x", "1")`); got != "throws: TypeError: Can't modify immutable headers." {
		t.Errorf("set on incoming headers: %s", got)
	}

	do(t, iso, func(rt *goja.Runtime) error {
		// A handler answers from the body; ReadResponse reads it back.
		v, err := rt.RunString(`req.json().then((j) => new Response(JSON.stringify({n: j.n + 1}), {
			status: 201, statusText: "Made", headers: [["Set-Cookie", "a=1"], ["set-cookie", "b=2"], ["X-Multi", "p"], ["x-multi", "q"]],
		}))`)
		if err != nil {
			return err
		}
		p := v.Export().(*goja.Promise)
		if p.State() != goja.PromiseStateFulfilled {
			return fmt.Errorf("handler promise %v: %v", p.State(), p.Result())
		}
		res, err := ReadResponse(rt, p.Result())
		if err != nil {
			return err
		}
		if res.Status != 201 || res.StatusText != "Made" || string(res.Body) != `{"n":42}` || res.WebSocket != nil {
			t.Errorf("response = %d %q %q ws=%v", res.Status, res.StatusText, res.Body, res.WebSocket)
		}
		wantH := http.Header{
			"Content-Type": {"text/plain;charset=UTF-8"},
			"Set-Cookie":   {"a=1", "b=2"},
			"X-Multi":      {"p", "q"},
		}
		for k, vs := range wantH {
			if !slices.Equal(res.Header[k], vs) {
				t.Errorf("header %s = %q, want %q", k, res.Header[k], vs)
			}
		}
		if len(res.Header) != len(wantH) {
			t.Errorf("headers = %v", res.Header)
		}

		// The body was consumed.
		if _, err := ReadResponse(rt, p.Result()); err == nil || !strings.Contains(err.Error(), "Body has already been used") {
			t.Errorf("second ReadResponse: %v", err)
		}
		return nil
	})
}

func TestWebAPINewRequestBodies(t *testing.T) {
	iso, _ := newIsolate(t)
	for _, tc := range []struct {
		name   string
		h      http.Header
		body   []byte
		want   string
		method string
	}{
		{"no body", http.Header{}, nil, `null|null|`, "GET"},
		{"empty body without length", http.Header{}, []byte{}, `null|null|`, "GET"},
		{"empty body with length", http.Header{"Content-Length": {"0"}}, []byte{}, `object|0|`, "POST"},
		{"chunked", http.Header{"Transfer-Encoding": {"chunked"}}, []byte("ab"), `object|null|ab`, "POST"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			do(t, iso, func(rt *goja.Runtime) error {
				req, err := NewRequest(rt, tc.method, "http://h/", tc.h, tc.body)
				if err != nil {
					return err
				}
				_ = rt.Set("r", req)
				return nil
			})
			got := eval(t, iso, `(r.body === null ? "null" : typeof r.body) + "|" + r.headers.get("content-length") + "|"`)
			text := eval(t, iso, `r.text()`)
			if got+text != tc.want {
				t.Errorf("got %s, want %s", got+text, tc.want)
			}
		})
	}
	do(t, iso, func(rt *goja.Runtime) error {
		if _, err := NewRequest(rt, "GET", "/relative", nil, nil); err == nil {
			t.Error("NewRequest with a relative URL succeeded")
		}
		return nil
	})
}

func TestWebAPIReadResponse(t *testing.T) {
	iso, _ := newIsolate(t)
	do(t, iso, func(rt *goja.Runtime) (err error) {
		defer func() {
			switch r := recover().(type) {
			case nil:
			case runError:
				err = r.err
			default:
				panic(r)
			}
		}()
		// read runs src and reads its value back. A failure to run src
		// panics with a runError, which the deferred recover returns.
		read := func(src string) (*ResponseData, error) {
			t.Helper()
			v, err := rt.RunString(src)
			if err != nil {
				panic(runError{err})
			}
			return ReadResponse(rt, v)
		}
		if _, err := read(`({status: 200})`); !errors.Is(err, ErrNotResponse) {
			t.Errorf("plain object: %v", err)
		}
		if _, err := ReadResponse(rt, goja.Undefined()); !errors.Is(err, ErrNotResponse) {
			t.Errorf("undefined: %v", err)
		}
		d, err := read(`globalThis.ws = {tag: "client"}; new Response(null, {status: 101, webSocket: ws})`)
		if err != nil {
			return err
		}
		if d.Status != 101 || d.StatusText != "Switching Protocols" || d.Body != nil || d.WebSocket == nil || d.WebSocket.Get("tag").String() != "client" {
			t.Errorf("websocket response: %+v", d)
		}
		d, err = read(`new Response(new Uint8Array([0, 1, 255]))`)
		if err != nil || string(d.Body) != "\x00\x01\xff" {
			t.Errorf("bytes body: %q %v", d.Body, err)
		}
		d, err = read(`new Response("é")`)
		if err != nil || string(d.Body) != "é" {
			t.Errorf("string body: %q %v", d.Body, err)
		}
		// A stream body streams (no Content-Length unless the stream knows
		// its length), even one that is closed already.
		d, err = read(`new Response(new ReadableStream({start(c) { c.enqueue(new Uint8Array([97])); c.close(); }}))`)
		if err != nil || d.Body != nil || d.Stream == nil || d.Stream.Length() != -1 {
			t.Errorf("stream body: %+v %v", d, err)
		}
		d, err = read(`new Response(new FixedLengthStream(3).readable)`)
		if err != nil || d.Stream == nil || d.Stream.Length() != 3 {
			t.Errorf("fixed length stream body: %+v %v", d, err)
		}
		d, err = read(`new Response(new ReadableStream({expectedLength: 5}))`)
		if err != nil || d.Stream == nil || d.Stream.Length() != 5 {
			t.Errorf("expectedLength body: %+v %v", d, err)
		}
		// A body stream nobody read is still its buffer.
		d, err = read(`const b = new Response("buffered"); b.body; b`)
		if err != nil || string(d.Body) != "buffered" || d.Stream != nil {
			t.Errorf("untouched body stream: %+v %v", d, err)
		}
		if _, err := read(`const l = new Response("x"); l.body.getReader(); l`); err == nil ||
			!strings.Contains(err.Error(), "TypeError: The ReadableStream has been locked to a reader.") {
			t.Errorf("locked body: %v", err)
		}
		if _, err := read(`const u = new Response("x"); u.text(); u`); err == nil ||
			!strings.Contains(err.Error(), "TypeError: Body has already been used.") {
			t.Errorf("used body: %v", err)
		}
		d, err = read(`const r = new Response("x"); r.clone()`)
		if err != nil || string(d.Body) != "x" {
			t.Errorf("cloned body: %q %v", d.Body, err)
		}
		return nil
	})
}

// runError carries a failure to run a script out of a helper running on the
// loop (which must not call t.Fatal).
type runError struct{ err error }
