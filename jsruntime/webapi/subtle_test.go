package webapi

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"testing"

	"github.com/dop251/goja"

	"github.com/emu-dev/emu/jsruntime"
)

// subtleHelpers are defined for every crypto.subtle case: hex and unhex,
// utf8, and subtle.
const subtleHelpers = `
var hex = (b) => Array.from(new Uint8Array(b), (x) => x.toString(16).padStart(2, "0")).join("");
var unhex = (s) => new Uint8Array((s.match(/../g) || []).map((h) => parseInt(h, 16)));
var utf8 = (s) => new TextEncoder().encode(s);
var subtle = crypto.subtle;
var errOf = (p) => p.then(() => "resolved", (e) => e.name + ": " + e.message);
`

// subtleCase wraps a case's body, the body of an async function, with the
// helpers.
func subtleCase(body string) string {
	return subtleHelpers + "(async () => {\n" + body + "\n})()"
}

// runSubtleCases runs each case's body (see subtleCase) on its own isolate.
func runSubtleCases(t *testing.T, cases []jsCase) {
	t.Helper()
	wrapped := make([]jsCase, len(cases))
	for i, c := range cases {
		wrapped[i] = jsCase{c.name, subtleCase(c.src), c.want}
	}
	runCases(t, wrapped)
}

func TestSubtleShape(t *testing.T) {
	runSubtleCases(t, []jsCase{
		{"same object", `return crypto.subtle === crypto.subtle && subtle instanceof SubtleCrypto`, `true`},
		{"illegal constructor", `try { new SubtleCrypto(); } catch (e) { return e.name + ": " + e.message; }`, `TypeError: Illegal constructor`},
		{"CryptoKey illegal constructor", `try { new CryptoKey(); } catch (e) { return e.name + ": " + e.message; }`, `TypeError: Illegal constructor`},
		{"methods on the prototype", `return ["encrypt", "decrypt", "sign", "verify", "digest", "generateKey", "deriveKey", "deriveBits", "importKey", "exportKey", "wrapKey", "unwrapKey", "timingSafeEqual"]
			.map((m) => typeof SubtleCrypto.prototype[m] + Object.hasOwn(subtle, m)).join()`,
			strings.Repeat("functionfalse,", 12) + "functionfalse"},
		{"toString tags", `return Object.prototype.toString.call(subtle) + Object.prototype.toString.call(await subtle.generateKey({name: "AES-GCM", length: 128}, false, ["encrypt"]))`,
			`[object SubtleCrypto][object CryptoKey]`},
		{"illegal invocation rejects", `return errOf(SubtleCrypto.prototype.digest.call({}, "SHA-256", new Uint8Array(1)))`, `TypeError: Illegal invocation`},
		{"CryptoKey properties", `const k = await subtle.generateKey({name: "HMAC", hash: {name: "sha-256"}}, true, ["verify", "sign", "sign"]);
			const d = Object.getOwnPropertyDescriptor(k, "type");
			return [k instanceof CryptoKey, JSON.stringify(k), d.writable, d.enumerable, Object.keys(k).join()].join(" ")`,
			`true {"type":"secret","extractable":true,"algorithm":{"name":"HMAC","hash":{"name":"SHA-256"},"length":512},"usages":["sign","verify"]} false true type,extractable,algorithm,usages`},
		{"CryptoKeyPair", `const p = await subtle.generateKey({name: "ECDSA", namedCurve: "P-256"}, false, ["sign", "verify"]);
			return [Object.keys(p).join(), p.publicKey.type, p.publicKey.extractable, p.publicKey.usages.join(), p.privateKey.type, p.privateKey.extractable, p.privateKey.usages.join()].join(" ")`,
			`publicKey,privateKey public true verify private false sign`},
		{"lazy", `return typeof SubtleCrypto + typeof CryptoKey`, `functionfunction`},
	})
}

// The tier is loaded on first use only: a runtime that never touches
// crypto.subtle does not pay for it.
func TestSubtleLazy(t *testing.T) {
	iso, _ := newIsolate(t)
	const state = `["SubtleCrypto", "CryptoKey"].map((n) => "get" in Object.getOwnPropertyDescriptor(globalThis, n) ? "lazy" : "loaded").join()`
	if got := eval(t, iso, state); got != "lazy,lazy" {
		t.Errorf("before crypto.subtle: %s", got)
	}
	if got := eval(t, iso, `typeof crypto.subtle.digest + " " + `+state); got != "function loaded,loaded" {
		t.Errorf("after crypto.subtle: %s", got)
	}
}

func TestSubtleDigest(t *testing.T) {
	runSubtleCases(t, []jsCase{
		{"SHA-1", `return hex(await subtle.digest("SHA-1", utf8("abc")))`, `a9993e364706816aba3e25717850c26c9cd0d89d`},
		{"SHA-256", `return hex(await subtle.digest({name: "SHA-256"}, utf8("abc")))`, `ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad`},
		{"SHA-384", `return hex(await subtle.digest("sha-384", utf8("abc").buffer))`,
			`cb00753f45a35e8bb5a03d699ac65007272c32ab0eded1631a8b605a43ff5bed8086072ba1e7cc2358baeca134c825a7`},
		{"SHA-512", `return hex(await subtle.digest("SHA-512", new DataView(utf8("xabc").buffer, 1)))`,
			`ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f`},
		{"MD5", `return hex(await subtle.digest("MD5", utf8("abc")))`, `900150983cd24fb0d6963f7d28e17f72`},
		// workerd's crypto-extras-test cryptoZeroLength.
		{"empty", `const out = [];
			for (const n of ["MD5", "SHA-1", "SHA-256", "SHA-512"]) out.push(hex(await subtle.digest(n, new ArrayBuffer(0))));
			return out.join(" ")`,
			`d41d8cd98f00b204e9800998ecf8427e da39a3ee5e6b4b0d3255bfef95601890afd80709 e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855 cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc83f4a921d36ce9ce47d0d13c5d85f2b0ff8318d2877eec2f63b931bd47417a81a538327af927da3e`},
		{"view of a larger buffer", `const u = new Uint8Array(16).fill(7); return hex(await subtle.digest("SHA-256", new Uint16Array(u.buffer, 4, 2))) === hex(await subtle.digest("SHA-256", new Uint8Array(4).fill(7)))`, `true`},
		{"result is a new ArrayBuffer", `const a = await subtle.digest("SHA-1", utf8("")), b = await subtle.digest("SHA-1", utf8("")); return (a instanceof ArrayBuffer) + " " + (a !== b)`, `true true`},
		{"unknown", `return errOf(subtle.digest("SHA3-256", utf8("abc")))`, `NotSupportedError: Unrecognized or unimplemented digest algorithm requested.`},
		{"missing algorithm", `return errOf(subtle.digest(undefined, new Uint8Array(1)))`, `NotSupportedError: Unrecognized or unimplemented digest algorithm requested.`},
		{"not a buffer", `return errOf(subtle.digest("SHA-256", "abc"))`, `TypeError: Failed to execute 'digest' on 'SubtleCrypto': parameter 2 is not of type 'BufferSource'.`},
		{"rejects rather than throws", `let threw = false; let p; try { p = subtle.digest("SHA-256", 1); } catch { threw = true; } return threw + " " + (p instanceof Promise) + " " + await errOf(p)`,
			`false true TypeError: Failed to execute 'digest' on 'SubtleCrypto': parameter 2 is not of type 'BufferSource'.`},
	})
}

func TestSubtleTimingSafeEqual(t *testing.T) {
	runSubtleCases(t, []jsCase{
		// workerd's crypto-extras-test timingSafeEqual.
		{"equal", `return [[new ArrayBuffer(0), new ArrayBuffer(0)], [new ArrayBuffer(1), new ArrayBuffer(1)], [utf8("hello"), utf8("hello")], [utf8("hellothere"), utf8("hellothere").buffer]]
			.map(([a, b]) => subtle.timingSafeEqual(a, b)).join()`, `true,true,true,true`},
		{"not equal", `return [subtle.timingSafeEqual(utf8("hello"), utf8("there")), subtle.timingSafeEqual(new Uint8Array([1, 2, 3, 4]), new Uint32Array([1]))].join()`, `false,false`},
		{"little endian view", `return subtle.timingSafeEqual(new Uint8Array([1, 0, 0, 0]), new Uint32Array([1]))`, `true`},
		{"lengths differ", `try { subtle.timingSafeEqual(new ArrayBuffer(0), new ArrayBuffer(1)); } catch (e) { return e.name + ": " + e.message; }`,
			`TypeError: Input buffers must have the same byte length.`},
		{"strings", `try { subtle.timingSafeEqual("hello", "there"); } catch (e) { return e.name + ": " + e.message; }`,
			`TypeError: Failed to execute 'timingSafeEqual' on 'SubtleCrypto': parameter 1 is not of type 'BufferSource'.`},
		{"second not a buffer", `try { subtle.timingSafeEqual(utf8("a"), {}); } catch (e) { return e.name + ": " + e.message; }`,
			`TypeError: Failed to execute 'timingSafeEqual' on 'SubtleCrypto': parameter 2 is not of type 'BufferSource'.`},
	})
}

// Argument errors are JSG's, and every one rejects.
func TestSubtleArguments(t *testing.T) {
	const key = `const k = await subtle.importKey("raw", new Uint8Array(16), "AES-GCM", true, ["encrypt", "decrypt"]);`
	runSubtleCases(t, []jsCase{
		{"key not a CryptoKey", `return errOf(subtle.encrypt({name: "AES-GCM", iv: new Uint8Array(12)}, {}, new Uint8Array(1)))`,
			`TypeError: Failed to execute 'encrypt' on 'SubtleCrypto': parameter 2 is not of type 'CryptoKey'.`},
		{"exportKey key", `return errOf(subtle.exportKey("raw", undefined))`,
			`TypeError: Failed to execute 'exportKey' on 'SubtleCrypto': parameter 2 is not of type 'CryptoKey'.`},
		{"data not a buffer", key + `return errOf(subtle.encrypt({name: "AES-GCM", iv: new Uint8Array(12)}, k, [1, 2]))`,
			`TypeError: Failed to execute 'encrypt' on 'SubtleCrypto': parameter 3 is not of type 'BufferSource'.`},
		{"member not a buffer", key + `return errOf(subtle.encrypt({name: "AES-GCM", iv: "abc"}, k, new Uint8Array(1)))`,
			`TypeError: Incorrect type for the 'iv' field on 'EncryptAlgorithm': the provided value is not of type 'BufferSource'.`},
		{"public not a key", `return errOf(subtle.deriveBits({name: "ECDH", public: {}}, (await subtle.generateKey({name: "ECDH", namedCurve: "P-256"}, false, ["deriveBits"])).privateKey))`,
			`TypeError: Incorrect type for the 'public' field on 'DeriveKeyAlgorithm': the provided value is not of type 'CryptoKey'.`},
		{"usages not an array", `return errOf(subtle.generateKey({name: "AES-GCM", length: 128}, true, "encrypt"))`,
			`TypeError: Failed to execute 'generateKey' on 'SubtleCrypto': parameter 3 is not of type 'Array'.`},
		{"keyData neither", `return errOf(subtle.importKey("raw", "abc", "AES-GCM", true, ["encrypt"]))`,
			`TypeError: Failed to execute 'importKey' on 'SubtleCrypto': parameter 2 is not of type 'BufferSource or JsonWebKey'.`},
		{"int out of range", `return errOf(subtle.generateKey({name: "AES-GCM", length: 2 ** 40}, true, ["encrypt"]))`,
			`TypeError: Value out of range. Must be between -2147483648 and 2147483647 (inclusive).`},
		{"NaN is 0", `return errOf(subtle.generateKey({name: "AES-GCM", length: "x"}, true, ["encrypt"]))`,
			`OperationError: Generated AES key length must be 128, 192, or 256 bits but requested 0.`},
		{"deriveBits negative length", `const k = await subtle.importKey("raw", utf8("pw"), "PBKDF2", false, ["deriveBits"]);
			return errOf(subtle.deriveBits({name: "PBKDF2", hash: "SHA-256", salt: utf8("s"), iterations: 1}, k, -8))`,
			`TypeError: deriveBits length must be an unsigned long integer.`},
		{"extractable coerced", `return (await subtle.generateKey({name: "AES-GCM", length: 128}, 6, ["encrypt"])).extractable`, `true`},
	})
}

// Errors every algorithm shares: unknown names, usages, formats,
// mismatched keys, non-extractable keys.
func TestSubtleCommonErrors(t *testing.T) {
	const aes = `const k = await subtle.importKey("raw", new Uint8Array(16), "AES-GCM", false, ["encrypt"]);`
	runSubtleCases(t, []jsCase{
		{"generate unknown", `return errOf(subtle.generateKey("FOO", true, ["sign"]))`, `NotSupportedError: Unrecognized key generation algorithm "FOO" requested.`},
		{"generate PBKDF2", `return errOf(subtle.generateKey("PBKDF2", false, ["deriveBits"]))`, `NotSupportedError: Unrecognized key generation algorithm "PBKDF2" requested.`},
		{"import unknown", `return errOf(subtle.importKey("raw", new Uint8Array(16), "AES-XTS", true, ["encrypt"]))`, `NotSupportedError: Unrecognized key import algorithm "AES-XTS" requested.`},
		{"import format", `return errOf(subtle.importKey("der", new Uint8Array(16), "AES-GCM", true, ["encrypt"]))`, `NotSupportedError: Unrecognized key import format "der".`},
		{"buffer for jwk", `return errOf(subtle.importKey("jwk", new Uint8Array(16), "AES-GCM", true, ["encrypt"]))`, `TypeError: Import data provided for "jwk" import format must be a JsonWebKey.`},
		{"jwk for raw", `return errOf(subtle.importKey("raw", {kty: "oct"}, "AES-GCM", true, ["encrypt"]))`, `TypeError: Import data provided for buffer-based import formats must be a buffer source.`},
		{"jwk ext false", `return errOf(subtle.importKey("jwk", {kty: "oct", k: "AAAAAAAAAAAAAAAAAAAAAA", ext: false}, "AES-GCM", true, ["encrypt"]))`,
			`DataError: JWK ext field for "AES-GCM" is set to false but extractable is true`},
		{"bad usage", `return errOf(subtle.generateKey({name: "AES-GCM", length: 128}, true, ["sign"]))`, `SyntaxError: Attempt to generate AES-GCM key with invalid usage "sign".`},
		{"unknown usage", `return errOf(subtle.importKey("raw", new Uint8Array(16), "aes-gcm", true, ["encrypt", "fly"]))`, `SyntaxError: Attempt to import secret AES-GCM key with invalid usage "fly".`},
		{"no usages", `return errOf(subtle.generateKey({name: "AES-GCM", length: 128}, true, []))`, `SyntaxError: Secret/private CryptoKeys must have at least one usage.`},
		{"import no usages", `return errOf(subtle.importKey("raw", new Uint8Array(16), "AES-GCM", true, []))`, `SyntaxError: Secret/private CryptoKeys must have at least one usage.`},
		{"pair without private usages", `return errOf(subtle.generateKey({name: "ECDSA", namedCurve: "P-256"}, true, ["verify"]))`,
			`SyntaxError: Attempt to generate asymmetric keys with no valid private key usages.`},
		{"algorithm mismatch", aes + `return errOf(subtle.encrypt({name: "AES-CBC", iv: new Uint8Array(16)}, k, new Uint8Array(1)))`,
			`InvalidAccessError: Requested algorithm "AES-CBC" does not match this CryptoKey's algorithm "AES-GCM".`},
		{"usage missing", aes + `return errOf(subtle.decrypt({name: "aes-gcm", iv: new Uint8Array(12)}, k, new Uint8Array(16)))`,
			`InvalidAccessError: Requested key usage "decrypt" does not match any usage listed in this CryptoKey.`},
		{"not extractable", aes + `return errOf(subtle.exportKey("raw", k))`, `InvalidAccessError: Attempt to export non-extractable AES-GCM key.`},
		{"wrap not extractable", aes + `const w = await subtle.importKey("raw", new Uint8Array(16), "AES-KW", false, ["wrapKey"]);
			return errOf(subtle.wrapKey("raw", k, w, "AES-KW"))`, `InvalidAccessError: Attempt to export non-extractable AES-GCM key.`},
	})
}

// A digest of 1 MiB: from JS and, in the same run, Go's sha256.Sum256 on
// the same bytes (the baseline).
func BenchmarkSubtleDigestSHA256(b *testing.B) {
	data := make([]byte, 1<<20)
	for i := range data {
		data[i] = byte(i)
	}
	want := sha256.Sum256(data)
	b.Run("js", func(b *testing.B) {
		iso := newBenchIsolate(b)
		do(b, iso, func(rt *goja.Runtime) error {
			if err := Install(iso, rt, Options{}); err != nil {
				return err
			}
			if err := rt.Set("data", rt.NewArrayBuffer(data)); err != nil {
				return err
			}
			f, err := rt.RunString(`const u8 = new Uint8Array(data); let out; (() => { crypto.subtle.digest("SHA-256", u8).then((d) => { out = d; }); })`)
			if err != nil {
				return err
			}
			run, _ := goja.AssertFunction(f)
			b.SetBytes(int64(len(data)))
			b.ResetTimer()
			for b.Loop() {
				if _, err := run(goja.Undefined()); err != nil {
					return err
				}
			}
			b.StopTimer()
			got, err := rt.RunString(`new Uint8Array(out)`)
			if err != nil {
				return err
			}
			if sum := got.Export().([]byte); hex.EncodeToString(sum) != hex.EncodeToString(want[:]) {
				return jsruntime.Errorf(jsruntime.Error, "digest %x", sum)
			}
			return nil
		})
	})
	b.Run("go", func(b *testing.B) {
		b.SetBytes(int64(len(data)))
		for b.Loop() {
			_ = sha256.Sum256(data)
		}
	})
}

// evalSubtle runs a case body (see subtleCase) on iso with vars defined as
// global strings first: how the interop tests hand data from Go to JS.
func evalSubtle(t *testing.T, iso *jsruntime.Isolate, vars map[string]string, body string) string {
	t.Helper()
	do(t, iso, func(rt *goja.Runtime) error {
		for k, v := range vars {
			if err := rt.Set(k, v); err != nil {
				return err
			}
		}
		return nil
	})
	return eval(t, iso, subtleCase(body))
}

// unhexT decodes a hex string a case returned, failing the test if it is
// not hex.
func unhexT(t *testing.T, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(s)
	if err != nil {
		t.Fatalf("not hex: %q", s)
	}
	return b
}
