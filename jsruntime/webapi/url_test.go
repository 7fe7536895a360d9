package webapi

import (
	"testing"

	"github.com/dop251/goja"
)

func TestWebAPIURL(t *testing.T) {
	runCases(t, []jsCase{
		{"components",
			`const u = new URL("https://user:pa%20ss@Example.COM:8080/p/a/t/h?query=1&b=2#Hash");
			 JSON.stringify([u.href, u.origin, u.protocol, u.username, u.password, u.host, u.hostname, u.port, u.pathname, u.search, u.hash])`,
			`["https://user:pa%20ss@example.com:8080/p/a/t/h?query=1&b=2#Hash","https://example.com:8080","https:","user","pa%20ss","example.com:8080","example.com","8080","/p/a/t/h","?query=1&b=2","#Hash"]`},
		{"default port dropped", `new URL("https://a.example:443/").href + " " + new URL("ws://a:80").href`, `https://a.example/ ws://a/`},
		{"dot segments", `new URL("http://a/b/c/./../../g/..").pathname + " " + new URL("http://a/../../x").pathname`, `/ /x`},
		{"relative with base", `new URL("../d?x#y", "http://a/b/c/e").href`, `http://a/b/d?x#y`},
		{"scheme-relative", `new URL("//other/p", "https://a/b").href`, `https://other/p`},
		{"backslashes", `new URL("http:\\\\a\\b\\c").href`, `http://a/b/c`},
		{"spaces and tabs", `new URL("  http://a/ b\tc\n ").href`, `http://a/%20bc`},
		{"invalid", `new URL("not a url")`, `throws: TypeError: Invalid URL string.`},
		{"invalid base", `new URL("/x", "nope")`, `throws: TypeError: Invalid URL string.`},
		{"invalid host", `new URL("http://a b/")`, `throws: TypeError: Invalid URL string.`},
		{"bad port", `new URL("http://a:70000/")`, `throws: TypeError: Invalid URL string.`},
		{"no arguments", `new URL()`, `throws: TypeError: Failed to construct 'URL': 1 argument required, but only 0 present.`},
		{"canParse", `[URL.canParse("https://a"), URL.canParse("/a"), URL.canParse("/a", "https://b")].join()`, `true,false,true`},
		{"ipv4", `new URL("http://0x7f.1/").host + " " + new URL("http://192.168.257/").host`, `127.0.0.1 192.168.1.1`},
		{"ipv4 invalid", `new URL("http://1.2.3.4.5/")`, `throws: TypeError: Invalid URL string.`},
		{"ipv6", `new URL("http://[0:0:0:0:0:0:0:1]:8080/").host + " " + new URL("http://[2001:db8:0:0:1:0:0:1]/").hostname + " " + new URL("http://[::ffff:192.168.0.1]/").hostname`,
			`[::1]:8080 [2001:db8::1:0:0:1] [::ffff:c0a8:1]`},
		{"idn", `new URL("https://Bücher.example/").hostname`, `xn--bcher-kva.example`},
		{"percent-decoded host", `new URL("http://%41.com/").host`, `a.com`},
		{"non-special", `const u = new URL("foo://Bar/baz?q#h"); [u.host, u.pathname, u.origin, u.href].join()`, `Bar,/baz,null,foo://Bar/baz?q#h`},
		{"opaque path", `const u = new URL("mailto:Someone@Example.com"); [u.pathname, u.host, u.href].join()`, `Someone@Example.com,,mailto:Someone@Example.com`},
		{"file", `new URL("file:///C:/a/../b").href + " " + new URL("file://localhost/x").href`, `file:///C:/b file:///x`},
		{"query encoding", `new URL("http://a/?x='y z'&é").search + " " + new URL("foo://a/?'").search`, `?x=%27y%20z%27&%C3%A9 ?'`},
		{"fragment encoding", `new URL("http://a/#a b<c>").hash`, `#a%20b%3Cc%3E`},
		{"unicode path", `new URL("http://a/✓").pathname`, `/%E2%9C%93`},
		{"searchParams live",
			`const u = new URL("https://a/?x=1&y=2"); u.searchParams.set("x", "a b"); u.searchParams.append("z", "&");
			 const h1 = u.href; u.search = "?q=9"; h1 + " " + u.searchParams.get("q") + " " + u.searchParams.get("x")`,
			`https://a/?x=a+b&y=2&z=%26 9 null`},
		{"searchParams empties query", `const u = new URL("https://a/?x=1"); u.searchParams.delete("x"); u.href`, `https://a/`},
		{"searchParams identity", `const u = new URL("https://a/"); u.searchParams === u.searchParams`, `true`},
		{"setters",
			`const u = new URL("http://a.example/p?q#h");
			 u.protocol = "https"; u.host = "b.example:81"; u.pathname = "x y"; u.hash = "frag"; u.search = "k=v"; u.username = "us er"; u.password = "p";
			 u.href`,
			`https://us%20er:p@b.example:81/x%20y?k=v#frag`},
		{"port setter", `const u = new URL("http://a:1/"); u.port = "80"; const a = u.href; u.port = "abc"; const b = u.href; u.port = ""; a + " " + b + " " + u.href`,
			`http://a/ http://a/ http://a/`},
		{"hostname setter ignores port", `const u = new URL("http://a/"); u.hostname = "b:9"; u.host`, `a`},
		{"protocol special to non-special ignored", `const u = new URL("http://a/"); u.protocol = "foo"; u.protocol`, `http:`},
		{"href setter", `const u = new URL("http://a/"); u.href = "https://b/c"; u.host + u.pathname`, `b/c`},
		{"href setter invalid", `new URL("http://a/").href = "nope"`, `throws: TypeError: Invalid URL string.`},
		{"toJSON and toString", `JSON.stringify({u: new URL("http://a")}) + String(new URL("http://b"))`, `{"u":"http://a/"}http://b/`},
		{"blob origin", `new URL("blob:https://a.example/uuid").origin`, `https://a.example`},
	})
}

// TestWebAPIURLParser checks the parser on inputs from the URL Standard's
// edge cases, resolved against http://example.org/foo/bar.
func TestWebAPIURLParser(t *testing.T) {
	iso, _ := newIsolate(t)
	const fail = "FAIL"
	cases := [][2]string{
		{"http://example\t.\norg", "http://example.org/"},
		{"https://test:@test", "https://test@test/"},
		{"non-special://:@test/x", "non-special://test/x"},
		{"http:foo.com", "http://example.org/foo/foo.com"},
		{"\t   :foo.com   \n", "http://example.org/foo/:foo.com"},
		{"a:\t foo.com", "a: foo.com"},
		{"http://f:21/ b ? d # e ", "http://f:21/%20b%20?%20d%20#%20e"},
		{"lolscheme:x x#x x", "lolscheme:x x#x%20x"},
		{"http://f:00000000000000000000080/c", "http://f/c"},
		{"http://f: /c", fail},
		{"http://f:999999/c", fail},
		{"", "http://example.org/foo/bar"},
		{"?", "http://example.org/foo/bar?"},
		{"..", "http://example.org/"},
		{"\\\\x\\hello", "http://x/hello"},
		{"foo://", "foo://"},
		{"http://&a:foo(b]c@d:2/", "http://&a:foo(b%5Dc@d:2/"},
		{"http://::@c@d:2", "http://:%3A%40c@d:2/"},
		{"http://user:pass@/", fail},
		{"http://[1::2]:3:4", fail},
		{"http://[::127.0.0.1]", "http://[::7f00:1]/"},
		{"http://example.com/foo/%2e%2", "http://example.com/foo/%2e%2"},
		{"http://example.com/foo/%2e./%2e%2e/.%2e/%2e.bar", "http://example.com/%2e.bar"},
		{"http://example.com////../..", "http://example.com//"},
		{"http://example.com/foo%2\u00c2\u00a9zbar", "http://example.com/foo%2%C3%82%C2%A9zbar"},
		{"http://www.google.com/foo?bar=baz# \u00bb", "http://www.google.com/foo?bar=baz#%20%C2%BB"},
		{"http://%30%78%63%30%2e%30%32%35%30.01", "http://192.168.0.1/"},
		{"http://4294967296", fail},
		{"https://0x.0x.0", "https://0.0.0.0/"},
		{"http://foo.09", fail},
		{"http://GOO\u200b\u2060\ufeffgoo.com", "http://googoo.com/"},
		{"http://GOO\u00a0\u3000goo.com", fail},
		{"http://\uff27\uff4f.com", "http://go.com/"},
		{"http://www.foo\u3002bar.com", "http://www.foo.bar.com/"},
		{"https://xn--/", fail},
		{"ftp://example.com%80/", fail},
		{"http://\u2603.net/", "http://xn--n3h.net/"},
		{"http://\u4f8b\u3048.\u30c6\u30b9\u30c8/", "http://xn--r8jz45g.xn--zckzah/"},
		{"sc://\u00f1.test/", "sc://%C3%B1.test/"},
		{"sc://a b/", fail},
		{"asdf://%43%7C/", "asdf://%43%7C/"},
		{"file://%43%7C", fail},
		{"file:", "file:///"},
		{"javascript:/../", "javascript:/"},
		{"notspecial://host/?'", "notspecial://host/?'"},
	}
	do(t, iso, func(rt *goja.Runtime) error {
		for _, c := range cases {
			if err := rt.Set("input", c[0]); err != nil {
				return err
			}
			got, err := evalJS(rt, `(() => { try { return new URL(input, "http://example.org/foo/bar").href } catch (e) { return "FAIL" } })()`)
			if err != nil {
				return err
			}
			if got != c[1] {
				t.Errorf("%q: got %q, want %q", c[0], got, c[1])
			}
		}
		return nil
	})
}

func TestWebAPIURLSearchParams(t *testing.T) {
	runCases(t, []jsCase{
		{"parse", `const p = new URLSearchParams("?a=1&b=x+y&a=%C3%A9&c&=d"); JSON.stringify([...p])`,
			`[["a","1"],["b","x y"],["a","é"],["c",""],["","d"]]`},
		{"methods",
			`const p = new URLSearchParams({b: "2", a: "1"}); p.append("a", "3");
			 const r = [p.get("a"), p.getAll("a"), p.has("b"), p.has("a", "3"), p.size];
			 p.set("a", "9"); p.delete("b"); p.append("c", "~!'()* ");
			 r.push(p.toString()); p.sort(); r.push(p.toString()); JSON.stringify(r)`,
			`["1",["1","3"],true,true,3,"a=9&c=%7E%21%27%28%29*+","a=9&c=%7E%21%27%28%29*+"]`},
		{"sort stable", `const p = new URLSearchParams("z=1&a=2&z=0&a=1"); p.sort(); p.toString()`, `a=2&a=1&z=1&z=0`},
		{"delete with value", `const p = new URLSearchParams("a=1&a=2"); p.delete("a", "1"); p.toString()`, `a=2`},
		{"pairs", `new URLSearchParams([["a", "1"], ["b", "2"]]).toString()`, `a=1&b=2`},
		{"bad pairs", `new URLSearchParams([["a"]])`, `throws: TypeError: Invalid URL search params sequence.`},
		{"forEach", `const o = []; new URLSearchParams("a=1&b=2").forEach((v, k) => o.push(k + v)); o.join()`, `a1,b2`},
		{"keys values", `const p = new URLSearchParams("a=1&b=2"); [...p.keys()].join() + [...p.values()].join()`, `a,b1,2`},
		{"get missing", `new URLSearchParams().get("x")`, `null`},
		{"lone surrogate", `new URLSearchParams({a: "\uD800"}).toString()`, `a=%EF%BF%BD`},
	})
}
