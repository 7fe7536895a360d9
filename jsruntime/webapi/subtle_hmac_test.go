package webapi

import "testing"

// RFC 4231's test cases: sign gives the MAC, verify accepts it.
func TestSubtleHMACVectors(t *testing.T) {
	mac := func(hash, key, data string) string {
		return `const k = await subtle.importKey("raw", ` + key + `, {name: "HMAC", hash: "` + hash + `"}, false, ["sign", "verify"]);
			const sig = await subtle.sign("HMAC", k, ` + data + `);
			return hex(sig) + " " + await subtle.verify("HMAC", k, sig, ` + data + `)`
	}
	const key1, data1 = `new Uint8Array(20).fill(0x0b)`, `utf8("Hi There")`
	const key2, data2 = `utf8("Jefe")`, `utf8("what do ya want for nothing?")`
	runSubtleCases(t, []jsCase{
		{"1 SHA-256", mac("SHA-256", key1, data1), `b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7 true`},
		{"1 SHA-384", mac("SHA-384", key1, data1), `afd03944d84895626b0825f4ab46907f15f9dadbe4101ec682aa034c7cebc59cfaea9ea9076ede7f4af152e8b2fa9cb6 true`},
		{"1 SHA-512", mac("SHA-512", key1, data1), `87aa7cdea5ef619d4ff0b4241a1d6cb02379f4e2ce4ec2787ad0b30545e17cdedaa833b7d6b8a702038b274eaea3f4e4be9d914eeb61f1702e696c203a126854 true`},
		{"2 SHA-256", mac("SHA-256", key2, data2), `5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843 true`},
		{"2 SHA-512", mac("SHA-512", key2, data2), `164b7a7bfcf819e2e395fbe73b56e0a387bd64222e831fd610270cd7ea2505549758bf75c05a994a6d034f65f8f0e6fdcaeab1a34d4a6b4b636e070a38bce737 true`},
		{"3 SHA-256", mac("SHA-256", `new Uint8Array(20).fill(0xaa)`, `new Uint8Array(50).fill(0xdd)`), `773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe true`},
		{"4 SHA-256", mac("SHA-256", `unhex("0102030405060708090a0b0c0d0e0f10111213141516171819")`, `new Uint8Array(50).fill(0xcd)`), `82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b true`},
		{"6 SHA-256", mac("SHA-256", `new Uint8Array(131).fill(0xaa)`, `utf8("Test Using Larger Than Block-Size Key - Hash Key First")`), `60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54 true`},
		{"7 SHA-256", mac("SHA-256", `new Uint8Array(131).fill(0xaa)`, `utf8("This is a test using a larger than block-size key and a larger than block-size data. The key needs to be hashed before being used by the HMAC algorithm.")`),
			`9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2 true`},
	})
}

func TestSubtleHMAC(t *testing.T) {
	const jefe = `const k = await subtle.importKey("raw", utf8("Jefe"), {name: "HMAC", hash: "SHA-256"}, true, ["sign", "verify"]);`
	runSubtleCases(t, []jsCase{
		{"verify rejects a wrong MAC", jefe + `const sig = new Uint8Array(await subtle.sign("HMAC", k, utf8("a"))); sig[0] ^= 1;
			return [await subtle.verify("HMAC", k, sig, utf8("a")), await subtle.verify("HMAC", k, sig.subarray(1), utf8("a")), await subtle.verify({name: "HMAC"}, k, new Uint8Array(0), utf8("a"))].join()`,
			`false,false,false`},
		{"generate default length", `const out = [];
			for (const h of ["SHA-1", "SHA-256", "SHA-384", "SHA-512", "MD5"]) {
				const k = await subtle.generateKey({name: "HMAC", hash: h}, true, ["sign"]);
				out.push(k.algorithm.length + ":" + (await subtle.exportKey("raw", k)).byteLength);
			}
			return out.join()`, `512:64,512:64,1024:128,1024:128,512:64`},
		{"generate odd length zeroes trailing bits", `const k = await subtle.generateKey({name: "HMAC", hash: "SHA-256", length: 12}, true, ["sign"]);
			const raw = new Uint8Array(await subtle.exportKey("raw", k)); return k.algorithm.length + " " + raw.length + " " + (raw[1] & 0x0f)`, `12 2 0`},
		{"export jwk", jefe + `return JSON.stringify(await subtle.exportKey("jwk", k))`,
			`{"kty":"oct","key_ops":["sign","verify"],"alg":"HS256","ext":true,"k":"SmVmZQ"}`},
		{"jwk round trip", jefe + `const j = await subtle.exportKey("jwk", k);
			const k2 = await subtle.importKey("jwk", j, {name: "HMAC", hash: "SHA-256"}, false, ["verify"]);
			return await subtle.verify("HMAC", k2, await subtle.sign("HMAC", k, utf8("x")), utf8("x"))`, `true`},
		{"import length", `const k = await subtle.importKey("raw", new Uint8Array(2), {name: "HMAC", hash: "SHA-1", length: 9}, true, ["sign"]); return k.algorithm.length`, `9`},
		{"import length too long", `return errOf(subtle.importKey("raw", new Uint8Array(2), {name: "HMAC", hash: "SHA-1", length: 17}, true, ["sign"]))`,
			`DataError: Imported HMAC key length (17) must be a non-zero value up to 7 bits less than, and no greater than, the bit length of the raw key data (16).`},
		{"import length too short", `return errOf(subtle.importKey("raw", new Uint8Array(2), {name: "HMAC", hash: "SHA-1", length: 8}, true, ["sign"]))`,
			`DataError: Imported HMAC key length (8) must be a non-zero value up to 7 bits less than, and no greater than, the bit length of the raw key data (16).`},
		{"import empty key", `return errOf(subtle.importKey("raw", new Uint8Array(0), {name: "HMAC", hash: "SHA-256"}, true, ["sign"]))`,
			`DataError: Imported HMAC key length (0) must be a non-zero value up to 7 bits less than, and no greater than, the bit length of the raw key data (0).`},
		{"import missing hash", `return errOf(subtle.importKey("raw", new Uint8Array(8), "HMAC", true, ["sign"]))`, `TypeError: Missing field "hash" in "algorithm".`},
		{"import unknown hash", `return errOf(subtle.importKey("raw", new Uint8Array(8), {name: "HMAC", hash: "SHA-3"}, true, ["sign"]))`,
			`NotSupportedError: Unrecognized or unimplemented digest algorithm requested.`},
		{"import bad usage", `return errOf(subtle.importKey("raw", new Uint8Array(8), {name: "HMAC", hash: "SHA-1"}, true, ["encrypt"]))`,
			`SyntaxError: Attempt to import secret HMAC key with invalid usage "encrypt".`},
		{"import spki", `return errOf(subtle.importKey("spki", new Uint8Array(8), {name: "HMAC", hash: "SHA-1"}, true, ["sign"]))`,
			`NotSupportedError: Unrecognized key import format "spki".`},
		{"jwk kty", `return errOf(subtle.importKey("jwk", {kty: "RSA", k: "SmVmZQ"}, {name: "HMAC", hash: "SHA-256"}, true, ["sign"]))`,
			`DataError: HMAC "jwk" key import requires a JSON Web Key with Key Type parameter ("kty") equal to "oct" (encountered "RSA").`},
		{"jwk missing k", `return errOf(subtle.importKey("jwk", {kty: "oct"}, {name: "HMAC", hash: "SHA-256"}, true, ["sign"]))`,
			`DataError: HMAC "jwk" key import requires a base64Url encoding of the key`},
		{"jwk alg mismatch", `return errOf(subtle.importKey("jwk", {kty: "oct", k: "SmVmZQ", alg: "HS384"}, {name: "HMAC", hash: "SHA-256"}, true, ["sign"]))`,
			`DataError: HMAC "jwk" key import specifies "alg" that is incompatible with the hash name (encountered "HS384", expected "HS256").`},
		{"generate zero length", `return errOf(subtle.generateKey({name: "HMAC", hash: "SHA-256", length: 0}, true, ["sign"]))`,
			`OperationError: HMAC key length must be a non-zero unsigned long integer (requested 0).`},
		{"generate missing hash", `return errOf(subtle.generateKey("HMAC", true, ["sign"]))`, `TypeError: Missing field "hash" in "algorithm".`},
		{"export spki", jefe + `return errOf(subtle.exportKey("spki", k))`, `NotSupportedError: Unimplemented key export format "spki".`},
	})
}
