package webapi

import "testing"

// hexOf is a script function: the hex of an ArrayBuffer.
const hexOf = `const hex = (ab) => Array.from(new Uint8Array(ab), (b) => b.toString(16).padStart(2, "0")).join("");`

func TestWebAPIDigestStream(t *testing.T) {
	runAsyncCases(t, []jsCase{
		{"md5 of two writes",
			hexOf + `const s = new crypto.DigestStream("md5"); const w = s.getWriter(); const enc = new TextEncoder();
			 w.write(enc.encode("hello")); w.write(enc.encode("there")); w.close();
			 s.digest.then((d) => hex(d) + " " + typeof s.bytesWritten + " " + s.bytesWritten)`,
			`c6f7c372641dd25e0fddf0215375561f bigint 10`},
		{"strings are UTF-8", hexOf + `const s = new crypto.DigestStream("MD5"); const w = s.getWriter();
			 w.write("hello").then(() => w.close()).then(() => s.digest).then(hex)`,
			`5d41402abc4b2a76b9719d911017c592`},
		{"sha-256 of a view with an offset", hexOf + `const s = new crypto.DigestStream("SHA-256"); const w = s.getWriter();
			 w.write(new Uint32Array([0, 1, 2, 3]).subarray(1)).then(() => w.close()).then(() => s.digest).then(hex)`,
			`4636993d3e1da4e9d6b8f87b79e8f7c6d018580d52661950eabc3845c5897a4d`},
		{"algorithms", hexOf + `Promise.all(["SHA-1", "sha-384", {name: "SHA-512"}].map((a) => {
			   const s = new crypto.DigestStream(a); s.getWriter().close(); return s.digest.then((d) => d.byteLength);
			 })).then((v) => v.join())`,
			`20,48,64`},
		{"empty stream", hexOf + `const s = new crypto.DigestStream("SHA-1"); s.getWriter().close(); s.digest.then(hex)`,
			`da39a3ee5e6b4b0d3255bfef95601890afd80709`},
		{"piped", hexOf + `const s = new crypto.DigestStream("SHA-256");
			 new Blob(["abc"]).stream().pipeTo(s).then(() => s.digest).then(hex)`,
			`ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad`},
		{"instance of WritableStream", `const s = new crypto.DigestStream("md5"); [s instanceof WritableStream, String(s), s.digest instanceof Promise].join()`,
			`true,[object DigestStream],true`},
		{"unknown algorithm", `new crypto.DigestStream("foo")`,
			`throws: NotSupportedError: Unrecognized or unimplemented digest algorithm requested.`},
		{"dictionary without a name", `new crypto.DigestStream({})`,
			`throws: TypeError: Incorrect type for the 'name' field on 'HashAlgorithm': the provided value is not of type 'string'.`},
		{"wrong chunk type", `const w = new crypto.DigestStream("md5").getWriter(); w.write(123)`,
			`rejected: TypeError: DigestStream is a byte stream but received an object of non-ArrayBuffer/ArrayBufferView/string type on its writable side.`},
		{"abort rejects digest", `const s = new crypto.DigestStream("md5"); const w = s.getWriter(); w.write("x"); w.abort(new Error("boom")); s.digest`,
			`rejected: Error: boom`},
		{"dispose", `const s = new crypto.DigestStream("md5"); s[Symbol.dispose](); s[Symbol.dispose]();
			 const w = s.getWriter(); w.write("hello")`,
			`rejected: TypeError: The DigestStream was disposed.`},
		{"no end stays pending", `const s = new crypto.DigestStream("md5"); s.getWriter().write("x"); Promise.race([s.digest, ticks(3).then(() => "pending")])`,
			`pending`},
	})
}
