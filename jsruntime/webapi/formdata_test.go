package webapi

import "testing"

func TestWebAPIFormData(t *testing.T) {
	runAsyncCases(t, []jsCase{
		{"append get getAll has",
			`const fd = new FormData(); fd.append("a", "1"); fd.append("b", 2); fd.append("a", "3");
			 JSON.stringify([fd.get("a"), fd.getAll("a"), fd.get("b"), fd.has("a"), fd.has("c"), fd.get("c"), fd.getAll("c")])`,
			`["1",["1","3"],"2",true,false,null,[]]`},
		{"set replaces the first and drops the rest",
			`const fd = new FormData(); for (const v of ["0", "1", "2"]) fd.append("foo", v); fd.append("bar", "x"); fd.append("foo", "3");
			 fd.set("foo", "6"); fd.set("new", "n"); JSON.stringify([...fd])`,
			`[["foo","6"],["bar","x"],["new","n"]]`},
		{"delete", `const fd = new FormData(); fd.append("a", "1"); fd.append("b", "2"); fd.append("a", "3"); fd.delete("a"); JSON.stringify([...fd])`, `[["b","2"]]`},
		{"names are strings", `const fd = new FormData(); fd.append(1, undefined); JSON.stringify([...fd.keys(), ...fd.values()])`, `["1","undefined"]`},
		{"blob becomes File named blob",
			`const fd = new FormData(); fd.append("f", new Blob(["abc"], {type: "text/x"}));
			 const f = fd.get("f"); f.text().then((t) => [f instanceof File, f.name, f.type, t].join())`,
			`true,blob,text/x,abc`},
		{"filename names a blob", `const fd = new FormData(); fd.set("f", new Blob(["x"]), "n.txt"); fd.get("f").name`, `n.txt`},
		{"File kept as it is",
			`const fd = new FormData(); const f = new File(["x"], "a.txt"); fd.append("f", f); fd.get("f") === f`, `true`},
		{"filename renames a File",
			`const fd = new FormData(); const f = new File(["x"], "a.txt", {type: "t/t"}); fd.append("f", f, "b.txt");
			 const g = fd.get("f"); [g === f, g.name, g.type, f.name].join()`,
			`false,b.txt,t/t,a.txt`},
		{"lone surrogates replaced", `const fd = new FormData(); fd.append("\ud800", "\udc00"); [...fd][0].map((s) => s.charCodeAt(0).toString(16)).join()`, `fffd,fffd`},
		{"filename ignored for strings", `const fd = new FormData(); fd.append("s", "v", "n"); typeof fd.get("s")`, `string`},
		{"iterators are live",
			`const fd = new FormData(); const e = fd.entries(), k = fd.keys(), v = fd.values();
			 const first = [e.next().value, k.next().value, v.next().value];
			 fd.append("key", "0"); fd.append("key", "1");
			 JSON.stringify([first, e.next().value, k.next().value, v.next().value, e.next(), e.next()])`,
			`[[null,null,null],["key","0"],"key","0",{"value":["key","1"],"done":false},{"done":true}]`},
		{"iterator tag", `Object.prototype.toString.call(new FormData().entries())`, `[object FormData Iterator]`},
		{"forEach",
			`const fd = new FormData(); fd.append("a", "1"); fd.append("b", "2"); const out = [];
			 fd.forEach(function (v, k, o) { out.push(k + "=" + v + (o === fd) + this.x); }, {x: "!"}); out.join()`,
			`a=1true!,b=2true!`},
		{"forEach needs a function", `new FormData().forEach(1)`,
			`throws: TypeError: Failed to execute 'forEach' on 'FormData': parameter 1 is not of type 'Function'.`},
		{"toStringTag", `Object.prototype.toString.call(new FormData())`, `[object FormData]`},
	})
}

// formDataParse returns a script that parses body with the content type
// and lists the entries as "name=value" (files as "name=File(filename,type,text)").
func formDataParse(contentType, body string) string {
	return `new Request("http://a/", {method: "POST", body: ` + body + `, headers: {"content-type": ` + contentType + `}})
	  .formData().then(async (fd) => {
	    const out = [];
	    for (const [k, v] of fd) out.push(k + "=" + (typeof v === "string" ? v : "File(" + v.name + "," + v.type + "," + await v.text() + ")"));
	    return out.join(",");
	  })`
}

func TestWebAPIFormDataParse(t *testing.T) {
	const ct = `'multipart/form-data; boundary="+"'`
	runAsyncCases(t, []jsCase{
		{"multipart", formDataParse(`'multipart/form-data; Boundary="-"'`,
			"`---\\nContent-Disposition: form-data; name=\"field0\"\\n\\npart0\\n---\\nContent-Disposition: form-data; name=\"field1\"\\n\\npart1\\n-----`"),
			`field0=part0,field1=part1`},
		{"empty form", formDataParse(ct, `"--+--"`), ``},
		{"mixed line ends and header case", formDataParse(ct,
			`"--+\r\nContent-Disposition: form-data; name=\"f0\"\r\n\r\npart0\r\n--+\nCONTENT-DISPOSITION:\tform-data\t;\tname=\"f1\"\r\n\npart1\n--+\r\ncontent-disposition:form-data;name=\"f0\"\n\r\npart2\r\n--+--"`),
			`f0=part0,f1=part1,f0=part2`},
		{"empty messages", formDataParse(ct,
			`"--+\r\nContent-Disposition: form-data; name=\"e\"\r\n\r\n\r\n--+\r\nContent-Disposition: form-data; name=\"e\"\n\n\n--+--"`),
			`e=,e=`},
		{"files", formDataParse(`"multipart/form-data;boundary=2a2a"`,
			`"--2a2a\r\nContent-Disposition: form-data; name=\"foo\"; filename=\"foo.txt\"\r\nContent-Type: text/bary\r\n\r\nfoo-content\r\n--2a2a\r\nContent-Disposition: form-data; name=\"qux\"; filename=\"q\\\\x\\\"y\"\r\n\r\nq\r\n--2a2a--\r\n"`),
			`foo=File(foo.txt,text/bary,foo-content),qux=File(q\x"y,,q)`},
		{"urlencoded", formDataParse(`"application/x-www-form-urlencoded"`, `"f0=data+with+an+%26&=&f1&=p2&f1="`),
			`f0=data with an &,=,f1=,=p2,f1=`},
		{"urlencoded utf-8 charset", formDataParse(`"application/x-www-form-urlencoded; charset=UTF8"`, `"a=%C3%A9"`), `a=é`},
		{"urlencoded other charset", formDataParse(`"application/x-www-form-urlencoded; charset=big5"`, `"a=b"`),
			`rejected: TypeError: Non-utf-8 application/x-www-form-urlencoded body.`},
		{"no content type", `new Response(new Uint8Array(1)).formData()`,
			`rejected: TypeError: Unrecognized Content-Type header value. FormData can only parse the following MIME types: multipart/form-data, application/x-www-form-urlencoded`},
		{"no boundary", formDataParse(`"multipart/form-data"`, `"x"`),
			`rejected: TypeError: No boundary string in Content-Type header. The multipart/form-data MIME type requires a boundary parameter, e.g. 'Content-Type: multipart/form-data; boundary="abcd"'. See RFC 7578, section 4.`},
		{"empty body", formDataParse(ct, `""`), `rejected: TypeError: No initial boundary string (or you have a truncated message).`},
		{"bad boundary", formDataParse(ct, `"--asdf--"`), `rejected: TypeError: No initial boundary string (or you have a truncated message).`},
		{"boundary at end", formDataParse(ct, `"--+"`), `rejected: TypeError: No initial boundary string (or you have a truncated message).`},
		{"bad terminal delimiter", formDataParse(ct, `"--+\r\nContent-Disposition: form-data; name=\"f\"\r\n\r\npart0\r\n-+--"`),
			`rejected: TypeError: No subsequent boundary string after multipart message.`},
		{"no disposition", formDataParse(ct, `"--+\r\nBad-Content-Disposition: form-data; name=\"f\"\r\n\r\np\r\n--+--"`),
			`rejected: TypeError: No valid Content-Disposition header found in FormData part.`},
		{"invalid headers", formDataParse(ct, `"--+\r\nno colon here\r\n\r\np\r\n--+--"`),
			`rejected: TypeError: FormData part had invalid headers.`},
		{"no header end", formDataParse(ct, `"--+\r\nContent-Disposition: form-data; name=\"f\"\r\n\rpart0\r\n--+--"`),
			`rejected: TypeError: No multipart message header termination found.`},
		{"boundary not followed by a line end", formDataParse(ct, `"--+\r\nContent-Disposition: form-data; name=\"f\"\r\n\r\np\r\n--+\r--"`),
			`rejected: TypeError: Boundary string was not succeeded by CRLF, LF, or '--'.`},
		{"wrong disposition", formDataParse(ct, `"--+\r\nContent-Disposition: foobar\r\n\r\np\r\n--+--"`),
			`rejected: TypeError: Content-Disposition header for FormData part must have the value "form-data", possibly followed by parameters. Got: "foobar"`},
		{"invalid disposition", formDataParse(ct, `"--+\r\nContent-Disposition: ;name=\"x\"\r\n\r\np\r\n--+--"`),
			`rejected: TypeError: Invalid Content-Disposition header found in FormData part.`},
		{"no name", formDataParse(ct, `"--+\r\nContent-Disposition: form-data; name=unquoted\r\n\r\np\r\n--+--"`),
			`rejected: TypeError: Content-Disposition header in FormData part is missing a name.`},
		{"body used", `const r = new Response("a=1", {headers: {"content-type": "application/x-www-form-urlencoded"}}); r.text(); r.formData()`,
			`rejected: TypeError: Body has already been used. It can only be used once. Use tee() first if you need to read it twice.`},
	})
}

func TestWebAPIFormDataBody(t *testing.T) {
	runAsyncCases(t, []jsCase{
		{"round trip",
			`const fd = new FormData(); fd.append("field0", "part0"); fd.append("field-with-a-\"-in-it", "é");
			 fd.append("f", new File(["file body"], "a\nb.txt", {type: "text/x"})); fd.append("g", new Blob([new Uint8Array([0, 255])]));
			 const r = new Response(fd);
			 const ct = r.headers.get("content-type");
			 r.formData().then(async (back) => {
			   const out = [/^multipart\/form-data; boundary=[0-9a-f]{32}$/.test(ct)];
			   for (const [k, v] of back) out.push(k + "=" + (typeof v === "string" ? v : v.name + ":" + v.type + ":" + Array.from(await v.bytes()).join(" ")));
			   return out.join(",");
			 })`,
			`true,field0=part0,field-with-a-%22-in-it=é,f=a%0Ab.txt:text/x:102 105 108 101 32 98 111 100 121,g=blob:application/octet-stream:0 255`},
		{"wire format",
			`const fd = new FormData(); fd.append("a", "1"); fd.append("b\\c", new Blob(["x"]), "n.txt");
			 const r = new Request("https://a/", {method: "POST", body: fd});
			 const b = r.headers.get("content-type").split("boundary=")[1];
			 r.text().then((t) => JSON.stringify(t.split(b)))`,
			`["--","\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n1\r\n--","\r\nContent-Disposition: form-data; name=\"b\\\\c\"; filename=\"n.txt\"\r\nContent-Type: application/octet-stream\r\n\r\nx\r\n--","--"]`},
		{"empty form", `const r = new Response(new FormData()); r.text().then((t) => /^--[0-9a-f]{32}--$/.test(t))`, `true`},
		{"fresh boundaries", `const a = new Response(new FormData()).headers.get("content-type"); a !== new Response(new FormData()).headers.get("content-type")`, `true`},
		{"name ending with a backslash",
			`const fd = new FormData(); fd.set("foo", new File(["x"], "foo.txt\\")); new Request("http://a/", {method: "POST", body: fd})`,
			`throws: TypeError: Name or filename can't end with backslash`},
		{"content-type kept", `new Response(new FormData(), {headers: {"content-type": "x/y"}}).headers.get("content-type")`, `x/y`},
	})
}
