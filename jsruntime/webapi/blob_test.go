package webapi

import "testing"

func TestWebAPIBlob(t *testing.T) {
	runAsyncCases(t, []jsCase{
		{"parts", `new Blob(["foo", new TextEncoder().encode("bar"), "baz"]).text()`, `foobarbaz`},
		{"nested blobs and type",
			`const b = new Blob(["foo", "bar"]);
			 const b2 = new Blob(["xx", b, "yy", b], {type: "application/whatever"});
			 b2.text().then((t) => [t, b2.type, b2.size].join())`,
			`xxfoobaryyfoobar,application/whatever,16`},
		{"empty", `const b = new Blob(); b.text().then((t) => JSON.stringify([t, b.size, b.type]))`, `["",0,""]`},
		{"views and buffers",
			`const u32 = new Uint32Array([0, 0x64636261]);
			 new Blob([u32.subarray(1), new Uint8Array([101]).buffer, new DataView(new Uint8Array([102, 103]).buffer, 1)]).text()`,
			`abcdeg`},
		{"other parts are strings", `new Blob([1, null, {}, true]).text()`, `1null[object Object]true`},
		{"utf-8 parts", `const b = new Blob(["é€"]); b.bytes().then((u) => b.size + ":" + Array.from(u).join(" "))`, `5:195 169 226 130 172`},
		{"lone surrogate", `new Blob(["\ud800"]).bytes().then((u) => Array.from(u).join(" "))`, `239 191 189`},
		{"copies its parts",
			`const u = new Uint8Array([97]); const b = new Blob([u]); u[0] = 98; b.text()`, `a`},
		{"not an array", `new Blob("abc")`, `throws: TypeError: Failed to construct 'Blob': parameter 1 is not of type 'Array'.`},
		{"iterable is not an array", `new Blob(new Set(["a"]))`, `throws: TypeError: Failed to construct 'Blob': parameter 1 is not of type 'Array'.`},
		{"bad options", `new Blob([], 5)`, `throws: TypeError: Failed to construct 'Blob': parameter 2 is not of type 'Options'.`},
		{"endings", `new Blob(["foo"], {endings: "native"})`, `throws: Error: The 'endings' field on 'Options' is not implemented.`},
		{"type normalised",
			`JSON.stringify([
			   new Blob([], {type: "FoO/bAr"}).type, new Blob([], {type: "FoO\u0019/bAr"}).type,
			   new Blob([], {type: "FoO\u0020/bAr"}).type, new Blob([], {type: "FoO\u007e/bAr"}).type,
			   new Blob([], {type: "FoO\u0080/bAr"}).type, new Blob([], {type: "a\u007f"}).type.length])`,
			`["foo/bar","","foo /bar","foo~/bar","",2]`},
		{"slice",
			`const b = new Blob(["xxfoobarbazyyfoobarbaz"]);
			 const s = b.slice(5, 16);
			 Promise.all([s.text(), s.slice(-5, 1234, "Type/Type").text(), b.slice(5).text(), b.slice().text(),
			   b.slice(3, 1).text(), b.slice(-3).text(), b.slice(-100, -20).text(), b.slice(1.9, 3.2).text()])
			   .then((v) => v.join("|") + "|" + s.type + "|" + s.slice(0, 1, "A/B").type)`,
			`barbazyyfoo|yyfoo|barbazyyfoobarbaz|xxfoobarbazyyfoobarbaz||baz|xx|xf||a/b`},
		{"arrayBuffer is a copy",
			`const b = new Blob(["ab"]);
			 b.arrayBuffer().then((ab) => { new Uint8Array(ab)[0] = 122; return b.text(); })`,
			`ab`},
		{"bytes", `new Blob(["ab"]).bytes().then((u) => u.constructor.name + u.join())`, `Uint8Array97,98`},
		{"text replaces bad utf-8", `new Blob([new Uint8Array([0x61, 0xff])]).text()`, "a\ufffd"},
		{"stream",
			`bytes(new Blob(["ab", "c"]).stream())`, `97,98,99`},
		{"stream reads to done",
			`const r = new Blob(["foobarbaz"]).stream().getReader();
			 r.read().then((a) => r.read().then((b) => [new TextDecoder().decode(a.value), a.done, b.value, b.done].join()))`,
			`foobarbaz,false,,true`},
		{"toStringTag", `Object.prototype.toString.call(new Blob())`, `[object Blob]`},
	})
}

func TestWebAPIFile(t *testing.T) {
	runAsyncCases(t, []jsCase{
		{"name and parts",
			`const before = Date.now(); const f = new File([new Blob(["foo"]), "qux"], "filename.txt");
			 f.text().then((t) => [t, f.name, f.type, f instanceof Blob, f.lastModified >= before && f.lastModified <= Date.now()].join())`,
			`fooqux,filename.txt,,true,true`},
		{"options",
			`const f = new File(["corge"], "file2", {type: "Text/Foo", lastModified: 123});
			 [f.name, f.type, f.lastModified, f.size].join()`,
			`file2,text/foo,123,5`},
		{"name is a string", `new File([], 7).name + new File([]).name`, `7undefined`},
		{"slice is a Blob", `const s = new File(["abc"], "n").slice(1); String(s instanceof File) + s.size`, `false2`},
		{"bad options", `new File([], "n", 1)`, `throws: TypeError: Failed to construct 'File': parameter 3 is not of type 'Options'.`},
		{"not an array", `new File({}, "n")`, `throws: TypeError: Failed to construct 'File': parameter 1 is not of type 'Array'.`},
		{"toStringTag", `Object.prototype.toString.call(new File([], "a"))`, `[object File]`},
	})
}

func TestWebAPIBlobBodies(t *testing.T) {
	runAsyncCases(t, []jsCase{
		{"blob body with type",
			`const r = new Response(new Blob(["typeful"], {type: "foo/bar"}));
			 r.text().then((t) => t + "|" + r.headers.get("content-type"))`,
			`typeful|foo/bar`},
		{"blob body without type", `new Response(new Blob(["typeless"])).headers.has("content-type")`, `false`},
		{"blob body stream", `bytes(new Request("https://a/", {method: "POST", body: new Blob(["hi"])}).body)`, `104,105`},
		{"request.blob",
			`const r = new Request("https://a/", {method: "POST", body: "abcd1234", headers: {"content-type": "Some/Type"}});
			 r.blob().then((b) => Promise.all([b.text(), b.type, b instanceof Blob, r.bodyUsed]).then((v) => v.join()))`,
			`abcd1234,Some/Type,true,true`},
		{"response.blob without type", `new Response(new Uint8Array([1, 2])).blob().then((b) => b.size + ":" + JSON.stringify(b.type))`, `2:""`},
		{"response.blob of a stream",
			`new Response(new Blob(["ab"]).stream()).blob().then((b) => b.text())`, `ab`},
		{"null body blob", `new Response(null).blob().then((b) => b.size)`, `0`},
	})
}
