package webapi

import (
	"strconv"
	"testing"
)

// RFC 6070's PBKDF2-HMAC-SHA1 vectors (but the one with 16777216
// iterations, above Cloudflare's cap).
func TestSubtlePBKDF2Vectors(t *testing.T) {
	pbkdf2 := func(password, salt string, iterations, bytes int) string {
		return `const k = await subtle.importKey("raw", utf8(` + password + `), "PBKDF2", false, ["deriveBits"]);
			return hex(await subtle.deriveBits({name: "PBKDF2", hash: "SHA-1", salt: utf8(` + salt + `), iterations: ` + strconv.Itoa(iterations) + `}, k, ` + strconv.Itoa(bytes*8) + `))`
	}
	runSubtleCases(t, []jsCase{
		{"c=1", pbkdf2(`"password"`, `"salt"`, 1, 20), "0c60c80f961f0e71f3a9b524af6012062fe037a6"},
		{"c=2", pbkdf2(`"password"`, `"salt"`, 2, 20), "ea6c014dc72d6f8ccd1ed92ace1d41f0d8de8957"},
		{"c=4096", pbkdf2(`"password"`, `"salt"`, 4096, 20), "4b007901b765489abead49d926f721d065a429c1"},
		{"long", pbkdf2(`"passwordPASSWORDpassword"`, `"saltSALTsaltSALTsaltSALTsaltSALTsalt"`, 4096, 25), "3d2eec4fe41c849b80c8d83662c0e44a8b291a964cf2f07038"},
		{"nul", pbkdf2(`"pass\0word"`, `"sa\0lt"`, 4096, 16), "56fa6aa75548099dcc37d7f03425e0c3"},
	})
}

// RFC 5869's HKDF-SHA-256 test cases 1 and 3.
func TestSubtleHKDFVectors(t *testing.T) {
	runSubtleCases(t, []jsCase{
		{"1", `const k = await subtle.importKey("raw", new Uint8Array(22).fill(0x0b), "HKDF", false, ["deriveBits"]);
			return hex(await subtle.deriveBits({name: "HKDF", hash: "SHA-256", salt: unhex("000102030405060708090a0b0c"), info: unhex("f0f1f2f3f4f5f6f7f8f9")}, k, 42 * 8))`,
			"3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865"},
		{"3", `const k = await subtle.importKey("raw", new Uint8Array(22).fill(0x0b), "HKDF", false, ["deriveBits"]);
			return hex(await subtle.deriveBits({name: "HKDF", hash: "SHA-256", salt: new Uint8Array(0), info: new Uint8Array(0)}, k, 42 * 8))`,
			"8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d9d201395faa4b61a96c8"},
	})
}

func TestSubtleKDF(t *testing.T) {
	const pw = `const k = await subtle.importKey("raw", utf8("password"), "PBKDF2", false, ["deriveBits", "deriveKey"]);`
	const ikm = `const k = await subtle.importKey("raw", utf8("ikm"), "HKDF", false, ["deriveBits", "deriveKey"]);`
	const pbkdf2 = `{name: "PBKDF2", hash: "SHA-256", salt: utf8("salt"), iterations: 1000}`
	const hkdf = `{name: "HKDF", hash: "SHA-256", salt: utf8("salt"), info: utf8("info")}`
	runSubtleCases(t, []jsCase{
		{"key", pw + `return JSON.stringify(k)`, `{"type":"secret","extractable":false,"algorithm":{"name":"PBKDF2"},"usages":["deriveKey","deriveBits"]}`},
		{"deriveKey AES", pw + `const aes = await subtle.deriveKey(` + pbkdf2 + `, k, {name: "AES-GCM", length: 256}, true, ["encrypt"]);
			return JSON.stringify(aes.algorithm) + " " + (hex(await subtle.exportKey("raw", aes)) === hex(await subtle.deriveBits(` + pbkdf2 + `, k, 256)))`,
			`{"name":"AES-GCM","length":256} true`},
		{"deriveKey HMAC default length", ikm + `const h = await subtle.deriveKey(` + hkdf + `, k, {name: "HMAC", hash: "SHA-384"}, true, ["sign"]);
			return JSON.stringify(h.algorithm) + " " + (hex(await subtle.exportKey("raw", h)) === hex(await subtle.deriveBits(` + hkdf + `, k, 1024)))`,
			`{"name":"HMAC","hash":{"name":"SHA-384"},"length":1024} true`},
		{"deriveKey HMAC length", ikm + `return (await subtle.deriveKey(` + hkdf + `, k, {name: "HMAC", hash: "SHA-1", length: 160}, true, ["sign"])).algorithm.length`, `160`},
		{"deriveKey HKDF", ikm + `return errOf(subtle.deriveKey(` + hkdf + `, k, "HKDF", false, ["deriveBits"]))`, `OperationError: HKDF cannot derive a key with null length.`},
		{"deriveKey unknown", ikm + `return errOf(subtle.deriveKey(` + hkdf + `, k, "ECDSA", false, ["sign"]))`, `NotSupportedError: Unrecognized derived key type "ECDSA" requested.`},
		{"deriveKey AES length", ikm + `return errOf(subtle.deriveKey(` + hkdf + `, k, {name: "AES-CBC", length: 64}, false, ["encrypt"]))`,
			`OperationError: Derived AES key must be 128, 192, or 256 bits in length but provided 64.`},
		{"deriveKey AES no length", ikm + `return errOf(subtle.deriveKey(` + hkdf + `, k, "AES-CBC", false, ["encrypt"]))`, `TypeError: Missing field "length" in "derivedKeyParams".`},
		{"deriveKey HMAC zero", ikm + `return errOf(subtle.deriveKey(` + hkdf + `, k, {name: "HMAC", hash: "SHA-1", length: 0}, false, ["sign"]))`,
			`TypeError: HMAC key length must be a non-zero unsigned long integer.`},
		{"deriveKey HMAC no hash", ikm + `return errOf(subtle.deriveKey(` + hkdf + `, k, "HMAC", false, ["sign"]))`, `TypeError: Missing field "hash" in "derivedKeyParams".`},
		{"deriveKey usage", `const k = await subtle.importKey("raw", utf8("ikm"), "HKDF", false, ["deriveBits"]);
			return errOf(subtle.deriveKey(` + hkdf + `, k, {name: "AES-CBC", length: 128}, false, ["encrypt"]))`,
			`InvalidAccessError: Requested key usage "deriveKey" does not match any usage listed in this CryptoKey.`},
		{"extractable", `return errOf(subtle.importKey("raw", utf8("pw"), "PBKDF2", true, ["deriveBits"]))`, `SyntaxError: PBKDF2 key cannot be extractable.`},
		{"HKDF extractable", `return errOf(subtle.importKey("raw", utf8("pw"), "HKDF", true, ["deriveBits"]))`, `SyntaxError: HKDF key cannot be extractable.`},
		{"format", `return errOf(subtle.importKey("jwk", {kty: "oct"}, "PBKDF2", false, ["deriveBits"]))`,
			`NotSupportedError: PBKDF2 key must be imported in "raw" format (requested "jwk").`},
		{"HKDF format", `return errOf(subtle.importKey("pkcs8", new Uint8Array(1), "HKDF", false, ["deriveBits"]))`,
			`NotSupportedError: HKDF key must be imported in "raw" format (requested "pkcs8")`},
		{"usage", `return errOf(subtle.importKey("raw", utf8("pw"), "HKDF", false, ["sign"]))`, `SyntaxError: Attempt to import secret HKDF key with invalid usage "sign".`},
		{"export", pw + `return errOf(subtle.exportKey("raw", k))`, `InvalidAccessError: Attempt to export non-extractable PBKDF2 key.`},
		{"null length", pw + `return errOf(subtle.deriveBits(` + pbkdf2 + `, k, null))`, `OperationError: PBKDF2 cannot derive a key with null length.`},
		{"length multiple of 8", pw + `return errOf(subtle.deriveBits(` + pbkdf2 + `, k, 12))`,
			`OperationError: PBKDF2 requires a derived key length that is a non-zero multiple of eight (requested 12).`},
		{"zero length", ikm + `return errOf(subtle.deriveBits(` + hkdf + `, k, 0))`,
			`OperationError: HKDF requires a derived key length that is a non-zero multiple of eight (requested 0).`},
		{"missing hash", pw + `return errOf(subtle.deriveBits({name: "PBKDF2", salt: utf8("s"), iterations: 1}, k, 8))`, `TypeError: Missing field "hash" in "algorithm".`},
		{"missing salt", pw + `return errOf(subtle.deriveBits({name: "PBKDF2", hash: "SHA-1", iterations: 1}, k, 8))`, `TypeError: Missing field "salt" in "algorithm".`},
		{"missing iterations", pw + `return errOf(subtle.deriveBits({name: "PBKDF2", hash: "SHA-1", salt: utf8("s")}, k, 8))`, `TypeError: Missing field "iterations" in "algorithm".`},
		{"missing info", ikm + `return errOf(subtle.deriveBits({name: "HKDF", hash: "SHA-1", salt: utf8("s")}, k, 8))`, `TypeError: Missing field "info" in "algorithm".`},
		{"zero iterations", pw + `return errOf(subtle.deriveBits({name: "PBKDF2", hash: "SHA-1", salt: utf8("s"), iterations: 0}, k, 8))`,
			`OperationError: PBKDF2 requires a positive iteration count (requested 0).`},
		{"iteration cap", pw + `return [hex(await subtle.deriveBits({name: "PBKDF2", hash: "SHA-256", salt: utf8("s"), iterations: 100000}, k, 8)).length,
			await errOf(subtle.deriveBits({name: "PBKDF2", hash: "SHA-1", salt: utf8("salt"), iterations: 16777216}, k, 160))].join(" ")`,
			`2 NotSupportedError: Pbkdf2 failed: iteration counts above 100000 are not supported (requested 16777216).`},
		{"HKDF too long", ikm + `return errOf(subtle.deriveBits(` + hkdf + `, k, 255 * 256 + 8))`, `OperationError: HKDF deriveBits failed.`},
		{"wrong algorithm", pw + `return errOf(subtle.deriveBits(` + hkdf + `, k, 8))`,
			`InvalidAccessError: Requested algorithm "HKDF" does not match this CryptoKey's algorithm "PBKDF2".`},
		{"deriveBits on a non-derivation key", `const k = await subtle.importKey("raw", new Uint8Array(16), "AES-GCM", false, ["encrypt"]);
			return errOf(subtle.deriveBits({name: "AES-GCM"}, k, 8))`,
			`InvalidAccessError: Requested key usage "deriveBits" does not match any usage listed in this CryptoKey.`},
	})
}
