package webapi

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/dop251/goja"

	"github.com/emu-dev/emu/jsruntime"
)

// The fuzz targets here run outside input through the JS web platform in a
// real isolate. Their seed corpora are in testdata/fuzz/<Target>/, run by
// plain `go test`; fuzz with
//
//	go test -run '^$' -fuzz '^FuzzURL$' -fuzztime 10m ./jsruntime/webapi

// urlCheck parses input against base (none when base is "") and returns ""
// or the invariant that broke: only TypeError is thrown, URL.canParse
// agrees with the constructor, and a parsed URL's href parses again to
// itself, component by component.
const urlCheck = `(function (input, base) {
  const args = base === "" ? [input] : [input, base];
  let u;
  try {
    u = new URL(...args);
  } catch (e) {
    if (!(e instanceof TypeError)) return "threw " + e;
    if (URL.canParse(...args)) return "canParse is true but the constructor threw " + e.message;
    return "";
  }
  if (!URL.canParse(...args)) return "canParse is false for " + u.href;
  const href = u.href;
  if (String(u) !== href || u.toJSON() !== href) return "toString/toJSON differ from href";
  let v;
  try {
    v = new URL(href);
  } catch (e) {
    return "href " + JSON.stringify(href) + " does not parse again: " + e.message;
  }
  for (const k of ["href", "origin", "protocol", "username", "password", "host", "hostname", "port", "pathname", "search", "hash"]) {
    if (u[k] !== v[k]) return k + " changes on re-parse of " + JSON.stringify(href) + ": " + JSON.stringify(u[k]) + " -> " + JSON.stringify(v[k]);
  }
  if (u.search !== "" && u.searchParams.size === undefined) return "searchParams missing";
  u.searchParams.toString();
  return "";
})`

// FuzzURL runs new URL(input, base) in an isolate and checks urlCheck's
// invariants.
func FuzzURL(f *testing.F) {
	for _, s := range [][2]string{
		{"https://user:pa%20ss@Example.COM:8080/p/a/t/h?query=1&b=2#Hash", ""},
		{"../d?x#y", "http://a/b/c/e"}, {"//other/p", "https://a/b"}, {"http:\\\\a\\b\\c", ""},
		{"  http://a/ b\tc\n ", ""}, {"http://0x7f.1/", ""}, {"http://[::ffff:192.168.0.1]/", ""},
		{"https://Bücher.example/", ""}, {"mailto:Someone@Example.com", ""}, {"file:///C:/a/../b", ""},
		{"web+demo:/.//not-a-host/", ""}, {"foo://a/?'#a b<c>", ""}, {"blob:https://a.example/uuid", ""},
		{"http://f:00000000000000000000080/c", ""}, {"?", "http://example.org/foo/bar"},
		{"http://1.2.3.4.5/", ""}, {"non-special://:@test/x", ""}, {"sc:\\../", ""}, {"xn--", "http://x/"},
	} {
		f.Add(s[0], s[1])
	}
	iso, _ := newIsolate(f)
	var check goja.Callable
	do(f, iso, func(rt *goja.Runtime) error {
		v, err := rt.RunString(urlCheck)
		if err != nil {
			return err
		}
		check, _ = goja.AssertFunction(v)
		return nil
	})
	f.Fuzz(func(t *testing.T, input, base string) {
		var problem string
		err := iso.Do(func(rt *goja.Runtime) error {
			v, err := check(goja.Undefined(), rt.ToValue(input), rt.ToValue(base))
			if err != nil {
				return err
			}
			problem = v.String()
			return nil
		})
		if err != nil {
			t.Fatalf("new URL(%q, %q): %s", input, base, jsruntime.FormatError(err))
		}
		if problem != "" {
			t.Fatalf("new URL(%q, %q): %s", input, base, problem)
		}
	})
}

// requestCheck reads back everything of a Request made by NewRequest; the
// body is read into globalThis.__fuzzBody for the next task to check.
const requestCheck = `(function (r, hadBody) {
  if (typeof r.method !== "string" || r.method === "") return "method " + r.method;
  const u = new URL(r.url);
  if (u.href !== r.url) return "url " + r.url + " is not normalized: " + u.href;
  const names = [];
  r.headers.forEach((v, k) => { names.push(k); if (k !== k.toLowerCase()) throw new Error("header name not lower case: " + k); });
  for (const k of names) if (r.headers.get(k) === null) return "header " + k + " listed but not gettable";
  try { r.headers.set("x-fuzz", "1"); return "request headers are mutable"; } catch (e) { if (!(e instanceof TypeError)) throw e; }
  if (hadBody !== (r.body !== null)) return "body presence " + (r.body !== null) + ", want " + hadBody;
  const c = r.clone();
  if (c.url !== r.url || c.method !== r.method) return "clone differs";
  r.cf; r.signal; r.redirect;
  globalThis.__fuzzBody = null;
  r.arrayBuffer().then((b) => { globalThis.__fuzzBody = b.byteLength; }, (e) => { globalThis.__fuzzBody = "rejected: " + e; });
  return "";
})`

// FuzzNewRequest builds the JS Request a fetch handler receives from an
// arbitrary method, URL, header and body, as webapi.NewRequest does for
// every incoming HTTP request: it either fails with an error or gives a
// Request whose parts read back consistently and whose body is the bytes
// given.
func FuzzNewRequest(f *testing.F) {
	for _, s := range []struct {
		method, url, name, value string
		body                     []byte
	}{
		{"GET", "http://127.0.0.1:8787/", "Accept", "*/*", nil},
		{"POST", "http://localhost/p?q=1#h", "Content-Type", "application/json", []byte(`{"a":1}`)},
		{"get", "http://a/", "Content-Length", "0", []byte{}},
		{"PATCH", "http://a/ü?é", "X-Long", strings.Repeat("v", 300), []byte{0, 255}},
		{"PROPFIND", "http://[::1]:1/", "Transfer-Encoding", "chunked", nil},
		{"", "not a url", "bad name", "bad\nvalue", []byte("x")},
		{"GET", "http://a/%zz", "Cookie", "a=1; b=2", nil},
	} {
		f.Add(s.method, s.url, s.name, s.value, s.body)
	}
	iso, _ := newIsolate(f)
	var check goja.Callable
	do(f, iso, func(rt *goja.Runtime) error {
		v, err := rt.RunString(requestCheck)
		if err != nil {
			return err
		}
		check, _ = goja.AssertFunction(v)
		return nil
	})
	f.Fuzz(func(t *testing.T, method, url, name, value string, body []byte) {
		if method == "" || !httpToken(method) || !httpToken(name) || !httpFieldValue(value) {
			t.Skip("net/http answers 400 to such a method or header before the Worker sees it")
		}
		h := http.Header{}
		if name != "" {
			h[name] = []string{value}
		}
		framed := strings.EqualFold(name, "content-length") || strings.EqualFold(name, "transfer-encoding")
		hadBody := body != nil && (len(body) > 0 || framed) || framed
		var problem string
		made := false
		err := iso.Do(func(rt *goja.Runtime) error {
			req, err := NewRequest(rt, method, url, h, body)
			if err != nil {
				return nil // refused: fine, as long as it is an error and not a panic
			}
			made = true
			v, err := check(goja.Undefined(), req, rt.ToValue(hadBody))
			if err != nil {
				return err
			}
			problem = v.String()
			return nil
		})
		if err != nil {
			t.Fatalf("NewRequest(%q, %q, %q: %q, %d bytes): %s", method, url, name, value, len(body), jsruntime.FormatError(err))
		}
		if problem != "" {
			t.Fatalf("NewRequest(%q, %q, %q: %q, %d bytes): %s", method, url, name, value, len(body), problem)
		}
		if !made {
			return
		}
		var got string
		_ = iso.Do(func(rt *goja.Runtime) error {
			got = fmt.Sprint(rt.Get("__fuzzBody").Export())
			return nil
		})
		if want := fmt.Sprint(len(body)); hadBody && body != nil && got != want {
			t.Fatalf("NewRequest(%q, %q, %q: %q): body read back as %s, want %s bytes", method, url, name, value, got, want)
		}
	})
}

// httpToken reports whether s is an RFC 9110 token (a header name net/http
// accepts) or empty.
func httpToken(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c <= ' ' || c >= 0x7f || strings.IndexByte(`"(),/:;<=>?@[\]{}`, c) >= 0 {
			return false
		}
	}
	return true
}

// httpFieldValue reports whether net/http's server accepts s as a header
// value: no control characters but tab, no surrounding blanks (it trims them).
func httpFieldValue(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; (c < ' ' && c != '\t') || c == 0x7f {
			return false
		}
	}
	return strings.TrimSpace(s) == s
}
