package webapi

import "testing"

func TestWebAPIHeaders(t *testing.T) {
	runCases(t, []jsCase{
		{"sorted lower-case iteration",
			`JSON.stringify([...new Headers({"X-B": "2", "x-a": "1", "Content-Type": "text/plain"})])`,
			`[["content-type","text/plain"],["x-a","1"],["x-b","2"]]`},
		{"get joins duplicates",
			`const h = new Headers(); h.append("Accept", "a"); h.append("accept", "b"); h.get("ACCEPT")`,
			`a, b`},
		{"set-cookie separate when iterated",
			`const h = new Headers([["set-cookie", "a=1"], ["Set-Cookie", "b=2"], ["x", "1"]]);
			 JSON.stringify([[...h], h.get("set-cookie"), h.getSetCookie(), h.getAll("Set-Cookie")])`,
			`[[["set-cookie","a=1"],["set-cookie","b=2"],["x","1"]],"a=1, b=2",["a=1","b=2"],["a=1","b=2"]]`},
		{"get missing is null", `new Headers().get("x") === null`, `true`},
		{"has, set, delete",
			`const h = new Headers({a: "1"}); h.set("A", "2"); h.append("b", "3"); h.delete("B");
			 JSON.stringify([h.has("a"), h.has("b"), h.get("a"), [...h.keys()], [...h.values()]])`,
			`[true,false,"2",["a"],["2"]]`},
		{"forEach arguments",
			`const out = []; const h = new Headers({b: "2", a: "1"}); h.forEach((v, k, o) => out.push(k + "=" + v + (o === h))); out.join()`,
			`a=1true,b=2true`},
		{"from Headers copies",
			`const a = new Headers({x: "1"}); const b = new Headers(a); b.set("x", "2"); a.get("x") + b.get("x")`,
			`12`},
		{"values trimmed", `new Headers({a: "  v \t"}).get("a")`, `v`},
		{"invalid name", `new Headers({"a b": "1"})`, `throws: TypeError: Invalid header name.`},
		{"invalid value", `new Headers({a: "x\ny"})`, `throws: TypeError: Invalid header value.`},
		{"bad pair", `new Headers([["a"]])`,
			`throws: TypeError: To initialize a Headers object from a sequence, each inner sequence must have exactly two elements.`},
		{"getAll other name", `new Headers().getAll("x")`,
			`throws: TypeError: getAll() can only be used with the header name "Set-Cookie".`},
		{"immutable redirect headers", `Response.redirect("https://a.example/").headers.set("x", "1")`,
			`throws: TypeError: Can't modify immutable headers.`},
		{"iterator tag", `Object.prototype.toString.call(new Headers().entries())`, `[object Headers Iterator]`},
	})
}
