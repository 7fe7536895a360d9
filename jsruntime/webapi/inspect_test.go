package webapi

import (
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/dop251/goja"
)

// testdata/inspect_node.json holds expressions and what Node's util.inspect
// and util.format give for them (generated with Node 20, whose inspect
// workerd's is a port of); emu must print the same.
func TestInspectMatchesNode(t *testing.T) {
	b, err := os.ReadFile("testdata/inspect_node.json")
	if err != nil {
		t.Fatal(err)
	}
	var cases []struct{ Src, Want string }
	if err := json.Unmarshal(b, &cases); err != nil {
		t.Fatal(err)
	}
	iso, _ := newIsolate(t)
	do(t, iso, func(rt *goja.Runtime) error {
		inspect, formatWithOptions, err := InspectFunctions(rt)
		if err != nil {
			return err
		}
		util := rt.NewObject()
		_ = util.Set("inspect", inspect)
		_ = util.Set("format", func(c goja.FunctionCall) goja.Value {
			f, _ := goja.AssertFunction(formatWithOptions)
			v, err := f(goja.Undefined(), append([]goja.Value{rt.NewObject()}, c.Arguments...)...)
			if err != nil {
				panic(err)
			}
			return v
		})
		return rt.Set("util", util)
	})
	for _, tc := range cases {
		got := eval(t, iso, tc.Src)
		if got != tc.Want {
			t.Errorf("%s\n got:\n%s\nwant:\n%s", tc.Src, got, tc.Want)
		}
	}
}

// Web API objects print as workerd prints them (api/tests/
// http-test.js, "inspect tests"): the values of their getters in workerd's
// order and inspect-only properties in brackets.
func TestInspectWebAPIObjects(t *testing.T) {
	cases := []struct{ src, want string }{
		{`new URL("http://user:pass@placeholder:8787/path?a=1&a=2&b=3")`, `URL {
  origin: 'http://placeholder:8787',
  href: 'http://user:pass@placeholder:8787/path?a=1&a=2&b=3',
  protocol: 'http:',
  username: 'user',
  password: 'pass',
  host: 'placeholder:8787',
  hostname: 'placeholder',
  port: '8787',
  pathname: '/path',
  search: '?a=1&a=2&b=3',
  hash: '',
  searchParams: URLSearchParams(3) { 'a' => '1', 'a' => '2', 'b' => '3' }
}`},
		{`new Request("http://placeholder/", {method: "POST", body: "message", headers: {"Content-Type": "text/plain"}})`, `Request {
  method: 'POST',
  url: 'http://placeholder/',
  headers: Headers(1) { 'content-type' => 'text/plain', [immutable]: false },
  redirect: 'follow',
  fetcher: null,
  signal: AbortSignal { aborted: false, reason: undefined, onabort: null },
  cf: undefined,
  integrity: '',
  keepalive: false,
  cache: undefined,
  body: ReadableStream { locked: false, [state]: 'readable', [supportsBYOB]: true },
  bodyUsed: false
}`},
		{`Response.redirect("http://placeholder/not-found", 302)`, `Response {
  status: 302,
  statusText: 'Found',
  headers: Headers(1) {
    'location' => 'http://placeholder/not-found',
    [immutable]: true
  },
  ok: false,
  redirected: false,
  url: '',
  webSocket: null,
  cf: undefined,
  type: 'default',
  body: null,
  bodyUsed: false
}`},
		{`new Headers()`, `Headers(0) { [immutable]: false }`},
		{`({h: new Headers([["b", "2"], ["a", "1"]])})`, `{ h: Headers(2) { 'a' => '1', 'b' => '2', [immutable]: false } }`},
		{`[new URLSearchParams("x=1")]`, `[ URLSearchParams(1) { 'x' => '1' } ]`},
		{`new TextDecoder()`, `TextDecoder { encoding: 'utf-8', fatal: false, ignoreBOM: false }`},
		{`AbortSignal.abort("why")`, `AbortSignal { aborted: true, reason: 'why', onabort: null }`},
		{`({deep: {deeper: {r: new Response("x")}}})`, `{ deep: { deeper: { r: [Response] } } }`},
	}
	iso, lines := newIsolate(t)
	for _, tc := range cases {
		*lines = nil
		eval(t, iso, "console.log("+tc.src+")")
		if got := strings.Join(*lines, "\n"); got != "log: "+tc.want {
			t.Errorf("%s\n got:\n%s\nwant:\nlog: %s", tc.src, got, tc.want)
		}
	}
}

// Errors print as their stack, with their own properties and cause after
// it; an error the engine raised prints in V8's format too.
func TestInspectErrors(t *testing.T) {
	iso, lines := newIsolate(t)
	eval(t, iso, `function fail() { const e = new RangeError("outer", { cause: new TypeError("inner") }); e.code = "E_OUT"; return e; }
console.log(fail());
try { null.x; } catch (e) { console.log({ caught: e }); }`)
	got := strings.Join(*lines, "\n")
	// (goja's message for null.x says "undefined"; V8's differs.)
	want := "log: RangeError: outer\n    at fail (<anonymous>:1:29)\n    at <anonymous>:2:17 {\n" +
		"  code: 'E_OUT',\n" +
		"  [cause]: TypeError: inner\n      at fail (<anonymous>:1:62)\n      at <anonymous>:2:17\n}\n" +
		"log: {\n  caught: TypeError: Cannot read property 'x' of undefined\n      at <eval>:3:12\n}"
	if got != want {
		t.Errorf("got:\n%s\nwant:\n%s", got, want)
	}
}
