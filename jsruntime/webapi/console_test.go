package webapi

import (
	"regexp"
	"strings"
	"testing"

	"github.com/dop251/goja"
)

func TestWebAPIConsole(t *testing.T) {
	cases := []struct{ src, want string }{
		{`console.log("plain", 1, "two")`, `log: plain 1 two`},
		{`console.log({a: 1, b: 'x', c: [1, 2], d: {e: {f: {g: 1}}}})`, `log: { a: 1, b: 'x', c: [ 1, 2 ], d: { e: { f: [Object] } } }`},
		{`console.log([1, "a", null, undefined, true, -0, 10n])`, `log: [ 1, 'a', null, undefined, true, -0, 10n ]`},
		{`console.log([])`, `log: []`},
		{`console.log({})`, `log: {}`},
		{`console.info("it's", ["it's"])`, `info: it's [ "it's" ]`},
		{`console.warn({"a-b": 1, [Symbol("s")]: 2})`, `warn: { 'a-b': 1, [Symbol(s)]: 2 }`},
		{`console.error(new Map([["k", 1]]), new Set([1]))`, `error: Map(1) { 'k' => 1 } Set(1) { 1 }`},
		{`console.debug("%s is %d years and %i", "Bob", 42.5, 42.5, "extra")`, `debug: Bob is 42.5 years and 42 extra`},
		{`console.log("%o and %j %%", {a: 1}, {b: 2})`, `log: { a: 1 } and {"b":2} %`},
		{`class Foo { constructor() { this.x = 1; } } console.log(new Foo())`, `log: Foo { x: 1 }`},
		{`console.log(Object.create(null))`, `log: [Object: null prototype] {}`},
		{`const a = {name: "a"}; a.self = a; console.log(a)`, `log: <ref *1> { name: 'a', self: [Circular *1] }`},
		{`console.log(function named() {}, () => {}, class K {})`, `log: [Function: named] [Function (anonymous)] [class K]`},
		{`console.log(new Uint8Array([1, 2]), new ArrayBuffer(2))`, `log: Uint8Array(2) [ 1, 2 ] ArrayBuffer { [Uint8Contents]: <00 00>, byteLength: 2 }`},
		{`console.log(Promise.resolve(4), new Promise(() => {}))`, `log: Promise { 4 } Promise { <pending> }`},
		{`console.log(new Date(0), /x/g, null, undefined)`, `log: 1970-01-01T00:00:00.000Z /x/g null undefined`},
		{`console.log({s: "a\nb"})`, `log: { s: 'a\nb' }`},
		{`console.log(new Headers({a: "1"}))`, `log: Headers(1) { 'a' => '1', [immutable]: false }`},
		{`console.log({long1: "aaaaaaaaaaaaaaaaaaaa", long2: "bbbbbbbbbbbbbbbbbbbb", long3: "cccccccccccccccccccc"})`,
			"log: {\n  long1: 'aaaaaaaaaaaaaaaaaaaa',\n  long2: 'bbbbbbbbbbbbbbbbbbbb',\n  long3: 'cccccccccccccccccccc'\n}"},
		{`console.assert(false, "bad %s", "thing")`, `error: Assertion failed: bad thing`},
		{`console.group("g"); console.log("in"); console.groupEnd(); console.log("out")`, "log: g\nlog:   in\nlog: out"},
		{`console.count(); console.count()`, "info: default: 1\ninfo: default: 2"},
	}
	for _, tc := range cases {
		t.Run(tc.src, func(t *testing.T) {
			t.Parallel()
			iso, lines := newIsolate(t)
			do(t, iso, func(rt *goja.Runtime) error {
				_, err := rt.RunString(tc.src)
				return err
			})
			if got := strings.Join(*lines, "\n"); got != tc.want {
				t.Errorf("got:\n%s\nwant:\n%s", got, tc.want)
			}
		})
	}
}

func TestWebAPIConsoleError(t *testing.T) {
	iso, lines := newIsolate(t)
	do(t, iso, func(rt *goja.Runtime) error {
		_, err := rt.RunString(`function f() { console.log(new TypeError("bad")) } f()`)
		return err
	})
	got := strings.Split((*lines)[0], "\n")
	if got[0] != "log: TypeError: bad" || len(got) < 2 || !strings.HasPrefix(got[1], "    at f (") {
		t.Errorf("error logged as %q, want its stack", (*lines)[0])
	}
	if regexp.MustCompile(`\(\d+\)`).MatchString((*lines)[0]) {
		t.Errorf("stack keeps goja's pc offsets: %q", (*lines)[0])
	}
}

// TestInspect renders values as console.log shows them nested (strings
// quoted), to the given depth.
func TestInspect(t *testing.T) {
	iso, _ := newIsolate(t)
	for _, tc := range []struct {
		src   string
		depth int
		want  string
	}{
		{`"it's"`, 2, `"it's"`},
		{`({a: 1, m: new Map([["k", new Set([1n])]]), d: new Date(0)})`, 4, "{\n  a: 1,\n  m: Map(1) { 'k' => Set(1) { 1n } },\n  d: 1970-01-01T00:00:00.000Z\n}"},
		{`({a: {b: {c: {}}}})`, 1, `{ a: { b: [Object] } }`},
	} {
		do(t, iso, func(rt *goja.Runtime) error {
			v, err := rt.RunString(tc.src)
			if err != nil {
				return err
			}
			got, err := Inspect(rt, v, tc.depth)
			if err != nil {
				return err
			}
			if got != tc.want {
				t.Errorf("Inspect(%s, %d) = %s, want %s", tc.src, tc.depth, got, tc.want)
			}
			return nil
		})
	}
}
