package webapi

import (
	"strconv"
	"testing"
)

// aesCase is a case body: key is a raw key of the named algorithm with
// every usage it may have, then body.
func aesCase(alg, rawKey, body string) string {
	usages := `["encrypt", "decrypt", "wrapKey", "unwrapKey"]`
	if alg == "AES-KW" {
		usages = `["wrapKey", "unwrapKey"]`
	}
	return `const key = await subtle.importKey("raw", unhex("` + rawKey + `"), "` + alg + `", true, ` + usages + `);` + body
}

// Known answers: the GCM test cases of McGrew and Viega's GCM spec (2, 3,
// 4, 6), NIST SP 800-38A F.2.1 (CBC) and F.5.1 (CTR), and workerd's
// zero-length cases.
func TestSubtleAESVectors(t *testing.T) {
	const k3 = "feffe9928665731c6d6a8f9467308308"
	const p3 = "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a721c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b391aafd255"
	const c3 = "42831ec2217774244b7221b784d0d49ce3aa212f2c02a4e035c17e2329aca12e21d514b25466931c7d8f6a5aac84aa051ba30b396a0aac973d58e091473f5985"
	const aad = "feedfacedeadbeeffeedfacedeadbeefabaddad2"
	const iv6 = "9313225df88406e555909c5aff5269aa6a7a9538534f7da1e4c303d2a318a728c3c0c95156809539fcf0e2429a6b525416aedbf5a0de6a57a637b39b"
	gcm := func(key, iv, pt, aad string) string {
		params := `{name: "AES-GCM", iv: unhex("` + iv + `")` + map[bool]string{true: `, additionalData: unhex("` + aad + `")`, false: ""}[aad != ""] + `}`
		return aesCase("AES-GCM", key, `const ct = await subtle.encrypt(`+params+`, key, unhex("`+pt+`"));
			return hex(ct) + " " + (hex(await subtle.decrypt(`+params+`, key, ct)) === "`+pt+`")`)
	}
	const ctrKey, ctrCounter = "2b7e151628aed2a6abf7158809cf4f3c", "f0f1f2f3f4f5f6f7f8f9fafbfcfdfeff"
	const ctrPlain = "6bc1bee22e409f96e93d7e117393172aae2d8a571e03ac9c9eb76fac45af8e5130c81c46a35ce411e5fbc1191a0a52eff69f2445df4f9b17ad2b417be66c3710"
	ctr := func(counter string, length int) string {
		params := `{name: "AES-CTR", counter: unhex("` + counter + `"), length: ` + strconv.Itoa(length) + `}`
		return aesCase("AES-CTR", ctrKey, `const ct = await subtle.encrypt(`+params+`, key, unhex("`+ctrPlain+`"));
			return hex(ct) + " " + (hex(await subtle.decrypt(`+params+`, key, ct)) === "`+ctrPlain+`")`)
	}
	runSubtleCases(t, []jsCase{
		{"GCM 2", gcm("00000000000000000000000000000000", "000000000000000000000000", "00000000000000000000000000000000", ""),
			"0388dace60b6a392f328c2b971b2fe78ab6e47d42cec13bdf53a67b21257bddf true"},
		{"GCM 3", gcm(k3, "cafebabefacedbaddecaf888", p3, ""), c3 + "4d5c2af327cd64a62cf35abd2ba6fab4 true"},
		{"GCM 4", gcm(k3, "cafebabefacedbaddecaf888", p3[:120], aad), c3[:120] + "5bc94fbc3221a5db94fae95ae7121a47 true"},
		{"GCM 6 (60-byte IV)", gcm(k3, iv6, p3[:120], aad),
			"8ce24998625615b603a033aca13fb894be9112a5c3a211a8ba262a3cca7e2ca701e4a9a4fba43c90ccdcb281d48c7c6fd62875d2aca417034c34aee5619cc5aefffe0bfa462af43c1699d050 true"},
		{"CBC F.2.1", aesCase("AES-CBC", ctrKey, `const ct = await subtle.encrypt({name: "AES-CBC", iv: unhex("000102030405060708090a0b0c0d0e0f")}, key, unhex("6bc1bee22e409f96e93d7e117393172aae2d8a571e03ac9c9eb76fac45af8e51"));
			return hex(ct.slice(0, 32)) + " " + ct.byteLength + " " + hex(await subtle.decrypt({name: "AES-CBC", iv: unhex("000102030405060708090a0b0c0d0e0f")}, key, ct))`),
			"7649abac8119b246cee98e9b12e9197d5086cb9b507219ee95db113a917678b2 48 6bc1bee22e409f96e93d7e117393172aae2d8a571e03ac9c9eb76fac45af8e51"},
		{"CTR F.5.1", ctr(ctrCounter, 64),
			"874d6191b620e3261bef6864990db6ce9806f66b7970fdff8617187bb9fffdff5ae4df3edbd5d35e5b4f09020db03eab1e031dda2fbe03d1792170a0f3009cee true"},
		{"CTR F.5.1 128-bit counter", ctr(ctrCounter, 128),
			"874d6191b620e3261bef6864990db6ce9806f66b7970fdff8617187bb9fffdff5ae4df3edbd5d35e5b4f09020db03eab1e031dda2fbe03d1792170a0f3009cee true"},
		// The counter's 2 (4) low bits wrap after one (two) blocks and start
		// again from zero (answers from Node's WebCrypto).
		{"CTR wrap, 2 bits", ctr(ctrCounter, 2),
			"874d6191b620e3261bef6864990db6ce2efeb4bde4af385a82632afc3fba795d58badcf5cc3e5e67d1432a8c4ab0edd19e1b362280205a0994efac71cccd2a18 true"},
		{"CTR wrap, 4 bits", ctr("f0f1f2f3f4f5f6f7f8f9fafbfcfdfefe", 4),
			"0345ac85712f5e88d0f9931b59320a2242a155248663d02c6c6579d9af312fb5d00f03689f9608804da138cb46b351e54245cb94bfee2cdee8f9c0507103dd63 true"},
		{"zero length", `const out = [];
			for (const name of ["AES-CBC", "AES-GCM"]) {
				const k = await subtle.importKey("raw", unhex("000102030405060708090a0b0c0d0e0f000102030405060708090a0b0c0d0e0f"), name, true, ["encrypt"]);
				out.push(hex(await subtle.encrypt({name, iv: new Uint8Array(16)}, k, new ArrayBuffer(0))));
			}
			return out.join(" ")`, "dd3eedef984211b98384dc5677bc728e fedbd1a722cb7c1a52f529e0469ee449"},
	})
}

// Tag lengths below 128 bits are the first bytes of the full tag, and
// decrypt checks them (answers from Node's WebCrypto).
func TestSubtleAESGCMTagLengths(t *testing.T) {
	run := func(tag int, iv, want string) jsCase {
		params := `{name: "AES-GCM", iv: unhex("` + iv + `"), tagLength: ` + strconv.Itoa(tag) + `, additionalData: unhex("` + map[bool]string{true: "feed", false: ""}[len(iv) > 24] + `")}`
		return jsCase{"tag " + strconv.Itoa(tag) + " iv " + strconv.Itoa(len(iv)/2), aesCase("AES-GCM", "feffe9928665731c6d6a8f9467308308", `
			const ct = new Uint8Array(await subtle.encrypt(`+params+`, key, unhex("d9313225")));
			const pt = await subtle.decrypt(`+params+`, key, ct);
			ct[ct.length - 1] ^= 1;
			return hex(ct.slice(0, -1)) + " " + hex(pt) + " " + await errOf(subtle.decrypt(`+params+`, key, ct))`),
			want[:len(want)-2] + " d9313225 OperationError: Decryption failed. This could be due to a ciphertext authentication failure, bad padding, incorrect CryptoKey, or another algorithm-specific reason. Input length was 4, output length expected to be 4 for AES-GCM"}
	}
	const iv12 = "cafebabefacedbaddecaf888"
	const iv60 = "9313225df88406e555909c5aff5269aa6a7a9538534f7da1e4c303d2a318a728c3c0c95156809539fcf0e2429a6b525416aedbf5a0de6a57a637b39b"
	runSubtleCases(t, []jsCase{
		run(32, iv12, "42831ec27c781b02"),
		run(64, iv12, "42831ec27c781b027294b5d3"),
		run(96, iv12, "42831ec27c781b027294b5d37fb2762a"),
		run(104, iv12, "42831ec27c781b027294b5d37fb2762aa9"),
		run(112, iv12, "42831ec27c781b027294b5d37fb2762aa9dd"),
		run(120, iv12, "42831ec27c781b027294b5d37fb2762aa9dd88"),
		run(32, iv60, "8ce24998edfb7369"),
	})
}

func TestSubtleAES(t *testing.T) {
	const k128 = "000102030405060708090a0b0c0d0e0f"
	gcmParams := `{name: "AES-GCM", iv: new Uint8Array(12)}`
	runSubtleCases(t, []jsCase{
		{"generate and round trip", `const out = [];
			for (const name of ["AES-GCM", "AES-CBC", "AES-CTR"]) {
				for (const length of [128, 192, 256]) {
					const k = await subtle.generateKey({name, length}, true, ["encrypt", "decrypt"]);
					const p = {name, iv: new Uint8Array(16), counter: new Uint8Array(16), length: 64};
					const ct = await subtle.encrypt(p, k, utf8("hello"));
					out.push(k.algorithm.name + "/" + k.algorithm.length + "/" + (await subtle.exportKey("raw", k)).byteLength + "/" + new TextDecoder().decode(await subtle.decrypt(p, k, ct)));
				}
			}
			return out.join(" ")`,
			"AES-GCM/128/16/hello AES-GCM/192/24/hello AES-GCM/256/32/hello AES-CBC/128/16/hello AES-CBC/192/24/hello AES-CBC/256/32/hello AES-CTR/128/16/hello AES-CTR/192/24/hello AES-CTR/256/32/hello"},
		{"export jwk", aesCase("AES-CTR", k128, `return JSON.stringify(await subtle.exportKey("jwk", key))`),
			`{"kty":"oct","key_ops":["encrypt","decrypt","wrapKey","unwrapKey"],"alg":"A128CTR","ext":true,"k":"AAECAwQFBgcICQoLDA0ODw"}`},
		{"import jwk", `const k = await subtle.importKey("jwk", {kty: "oct", k: "AAECAwQFBgcICQoLDA0ODw", alg: "A128KW", key_ops: ["wrapKey"], use: "enc"}, "AES-KW", false, ["wrapKey"]);
			return JSON.stringify(k.algorithm) + " " + k.usages`, `{"name":"AES-KW","length":128} wrapKey`},
		{"generate bad length", `return errOf(subtle.generateKey({name: "AES-CBC", length: 64}, true, ["encrypt"]))`,
			`OperationError: Generated AES key length must be 128, 192, or 256 bits but requested 64.`},
		{"generate missing length", `return errOf(subtle.generateKey("AES-CBC", true, ["encrypt"]))`, `TypeError: Missing field "length" in "algorithm".`},
		{"import bad length", `return errOf(subtle.importKey("raw", new Uint8Array(15), "AES-CTR", true, ["encrypt"]))`,
			`DataError: Imported AES key length must be 128, 192, or 256 bits but provided 120.`},
		{"KW usages", `return errOf(subtle.importKey("raw", new Uint8Array(16), "AES-KW", true, ["encrypt"]))`,
			`SyntaxError: Attempt to import secret AES-KW key with invalid usage "encrypt".`},
		{"jwk kty", `return errOf(subtle.importKey("jwk", {kty: "EC"}, "AES-GCM", true, ["encrypt"]))`,
			`DataError: Symmetric "jwk" key import requires a JSON Web Key with Key Type parameter "kty" equal to "oct" (encountered "EC").`},
		{"jwk no k", `return errOf(subtle.importKey("jwk", {kty: "oct"}, "AES-GCM", true, ["encrypt"]))`,
			`DataError: Symmetric "jwk" key import requires a base64Url encoding of the key.`},
		{"jwk alg", `return errOf(subtle.importKey("jwk", {kty: "oct", k: "AAECAwQFBgcICQoLDA0ODw", alg: "A256GCM"}, "AES-GCM", true, ["encrypt"]))`,
			`DataError: Symmetric "jwk" key contains invalid "alg" value "A256GCM", expected "A128GCM".`},
		{"jwk use", `return errOf(subtle.importKey("jwk", {kty: "oct", k: "AAECAwQFBgcICQoLDA0ODw", use: "sig"}, "AES-GCM", true, ["encrypt"]))`,
			`DataError: Symmetric "jwk" key must have a "use" of "enc", not "sig".`},
		{"jwk key_ops duplicate", `return errOf(subtle.importKey("jwk", {kty: "oct", k: "AAECAwQFBgcICQoLDA0ODw", key_ops: ["encrypt", "encrypt"]}, "AES-GCM", true, ["encrypt"]))`,
			`DataError: Symmetric "jwk" key contains duplicate value "encrypt", in "key_op".`},
		{"jwk key_ops missing", `return errOf(subtle.importKey("jwk", {kty: "oct", k: "AAECAwQFBgcICQoLDA0ODw", key_ops: ["encrypt"]}, "AES-GCM", true, ["encrypt", "decrypt"]))`,
			`DataError: "jwk" key missing usage "decrypt", in "key_ops".`},
		{"export format", aesCase("AES-GCM", k128, `return errOf(subtle.exportKey("pkcs8", key))`),
			`NotSupportedError: AES-GCM key only supports exporting "raw" & "jwk", not "pkcs8".`},
		{"GCM missing iv", aesCase("AES-GCM", k128, `return errOf(subtle.encrypt("AES-GCM", key, new Uint8Array(1)))`), `TypeError: Missing field "iv" in "algorithm".`},
		// workerd's crypto-extras-test cryptoGcmIvZeroLength.
		{"GCM empty iv", aesCase("AES-GCM", k128, `return [await errOf(subtle.encrypt({name: "AES-GCM", iv: new ArrayBuffer(0)}, key, new ArrayBuffer(100))),
			await errOf(subtle.decrypt({name: "AES-GCM", iv: new ArrayBuffer(0)}, key, new ArrayBuffer(100)))].join(" | ")`),
			`OperationError: AES-GCM IV must not be empty. | OperationError: AES-GCM IV must not be empty.`},
		{"GCM tag length", aesCase("AES-GCM", k128, `return errOf(subtle.encrypt({name: "AES-GCM", iv: new Uint8Array(12), tagLength: 100}, key, new Uint8Array(1)))`),
			`OperationError: Invalid AES-GCM tag length 100.`},
		{"GCM short ciphertext", aesCase("AES-GCM", k128, `return errOf(subtle.decrypt(`+gcmParams+`, key, new Uint8Array(15)))`),
			`OperationError: Ciphertext length of 120 bits must be greater than or equal to the size of the AES-GCM tag length of 128 bits.`},
		{"GCM wrong aad", aesCase("AES-GCM", k128, `const ct = await subtle.encrypt({name: "AES-GCM", iv: new Uint8Array(12), additionalData: utf8("a")}, key, utf8("secret"));
			return errOf(subtle.decrypt({name: "AES-GCM", iv: new Uint8Array(12), additionalData: utf8("b")}, key, ct))`),
			`OperationError: Decryption failed. This could be due to a ciphertext authentication failure, bad padding, incorrect CryptoKey, or another algorithm-specific reason. Input length was 6, output length expected to be 6 for AES-GCM`},
		{"CBC iv length", aesCase("AES-CBC", k128, `return [await errOf(subtle.encrypt({name: "AES-CBC", iv: new Uint8Array(12)}, key, new Uint8Array(1))),
			await errOf(subtle.decrypt({name: "AES-CBC", iv: new Uint8Array(12)}, key, new Uint8Array(16)))].join(" | ")`),
			`OperationError: AES-CBC IV must be 16 bytes long (provided 12 bytes). | OperationError: AES-CBC IV must be 16 bytes long (provided 12).`},
		{"CBC bad length", aesCase("AES-CBC", k128, `return errOf(subtle.decrypt({name: "AES-CBC", iv: new Uint8Array(16)}, key, new Uint8Array(20)))`),
			`OperationError: Decryption failed. This could be due to a ciphertext authentication failure, bad padding, incorrect CryptoKey, or another algorithm-specific reason. Input length was 20, output length expected to be 16 for AES-CBC`},
		{"CBC bad padding", aesCase("AES-CBC", k128, `const ct = new Uint8Array(await subtle.encrypt({name: "AES-CBC", iv: new Uint8Array(16)}, key, new Uint8Array(16)));
			ct[31] ^= 1; return errOf(subtle.decrypt({name: "AES-CBC", iv: new Uint8Array(16)}, key, ct))`),
			`OperationError: Decryption failed. This could be due to a ciphertext authentication failure, bad padding, incorrect CryptoKey, or another algorithm-specific reason. Input length was 32, output length expected to be 16 for AES-CBC`},
		{"CBC every padding length", aesCase("AES-CBC", k128, `const out = [];
			for (let n = 0; n <= 33; n++) {
				const p = {name: "AES-CBC", iv: new Uint8Array(16).fill(n)};
				const pt = new Uint8Array(n).fill(n);
				const ct = await subtle.encrypt(p, key, pt);
				if (ct.byteLength !== (Math.floor(n / 16) + 1) * 16 || hex(await subtle.decrypt(p, key, ct)) !== hex(pt)) out.push(n);
			}
			return "bad: " + out.join()`), `bad: `},
		{"CTR missing counter", aesCase("AES-CTR", k128, `return errOf(subtle.encrypt({name: "AES-CTR", length: 64}, key, new Uint8Array(1)))`), `TypeError: Missing "counter" member in "algorithm".`},
		{"CTR counter size", aesCase("AES-CTR", k128, `return errOf(subtle.encrypt({name: "AES-CTR", counter: new Uint8Array(8), length: 64}, key, new Uint8Array(1)))`),
			`OperationError: Counter must have length of 16 bytes (provided 8).`},
		{"CTR missing length", aesCase("AES-CTR", k128, `return errOf(subtle.encrypt({name: "AES-CTR", counter: new Uint8Array(16)}, key, new Uint8Array(1)))`), `TypeError: Missing "length" member in "algorithm".`},
		{"CTR length range", aesCase("AES-CTR", k128, `return [await errOf(subtle.encrypt({name: "AES-CTR", counter: new Uint8Array(16), length: 0}, key, new Uint8Array(1))),
			await errOf(subtle.encrypt({name: "AES-CTR", counter: new Uint8Array(16), length: 129}, key, new Uint8Array(1)))].join(" | ")`),
			`OperationError: Invalid counter of 0 bits length provided. | OperationError: Invalid counter of 129 bits length provided.`},
		{"CTR repeat", aesCase("AES-CTR", k128, `return errOf(subtle.encrypt({name: "AES-CTR", counter: new Uint8Array(16), length: 1}, key, new Uint8Array(33)))`),
			`OperationError: Counter block values will repeat.`},
		// workerd's crypto-extras-test aesCounterOverflowTest.
		{"CTR leaves the counter alone", aesCase("AES-CTR", k128, `const counter = new Uint8Array(16).fill(255), copy = counter.slice();
			await subtle.encrypt({name: "AES-CTR", length: 128, counter}, key, utf8("A".repeat(32)));
			return subtle.timingSafeEqual(counter, copy)`), `true`},
	})
}

// RFC 3394's wrapping test vectors 4.1 and 4.6, round trips and errors.
func TestSubtleAESKW(t *testing.T) {
	const kek128 = "000102030405060708090a0b0c0d0e0f"
	wrap := func(kek, key string) string {
		return aesCase("AES-KW", kek, `const k = await subtle.importKey("raw", unhex("`+key+`"), "AES-GCM", true, ["encrypt"]);
			const w = await subtle.wrapKey("raw", k, key, "AES-KW");
			const u = await subtle.unwrapKey("raw", w, key, "AES-KW", "AES-GCM", true, ["encrypt"]);
			return hex(w) + " " + hex(await subtle.exportKey("raw", u))`)
	}
	runSubtleCases(t, []jsCase{
		{"4.1", wrap(kek128, "00112233445566778899aabbccddeeff"), "1fa68b0a8112b447aef34bd8fb5a7b829d3e862371d2cfe5 00112233445566778899aabbccddeeff"},
		{"4.6", wrap("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f", "00112233445566778899aabbccddeeff000102030405060708090a0b0c0d0e0f"),
			"28c9f404c4b810f4cbccb35cfb87f8263f5786e2d80ed326cbc7f0e71a99f43bfb988b9b7a02dd21 00112233445566778899aabbccddeeff000102030405060708090a0b0c0d0e0f"},
		{"tampered", aesCase("AES-KW", kek128, `const w = unhex("1fa68b0a8112b447aef34bd8fb5a7b829d3e862371d2cfe6");
			return errOf(subtle.unwrapKey("raw", w, key, "AES-KW", "AES-GCM", true, ["encrypt"]))`), `OperationError: AES-KW key unwrapping failed.`},
		{"unwrap length", aesCase("AES-KW", kek128, `return [await errOf(subtle.unwrapKey("raw", new Uint8Array(20), key, "AES-KW", "AES-GCM", true, ["encrypt"])),
			await errOf(subtle.unwrapKey("raw", new Uint8Array(16), key, "AES-KW", "AES-GCM", true, ["encrypt"]))].join(" | ")`),
			`OperationError: Provided a wrapped key to unwrap that is 160 bits which isn't a multiple of 64 bits. | OperationError: Provided a wrapped key to unwrap this is 128 bits that is less than the minimal length of 192 bits.`},
		{"wrap jwk is not a multiple of 8", aesCase("AES-KW", kek128, `const k = await subtle.importKey("raw", new Uint8Array(16), "AES-GCM", true, ["encrypt"]);
			return errOf(subtle.wrapKey("jwk", k, key, "AES-KW"))`),
			`OperationError: Unwrapped key bit length must be a multiple of 64 bits but unwrapped key has a length of 728 bits.`},
		{"wrap too short", aesCase("AES-KW", kek128, `const k = await subtle.importKey("raw", new Uint8Array(8), {name: "HMAC", hash: "SHA-256"}, true, ["sign"]);
			return errOf(subtle.wrapKey("raw", k, key, "AES-KW"))`),
			`OperationError: Unwrapped key has length 8 bytes but it should be greater than or equal to 16 and less than or equal to 18446744073709551607`},
		{"wrap a jwk with AES-GCM", aesCase("AES-GCM", kek128, `const k = await subtle.importKey("raw", utf8("Jefe"), {name: "HMAC", hash: "SHA-256"}, true, ["sign", "verify"]);
			const p = {name: "AES-GCM", iv: new Uint8Array(12)};
			const w = await subtle.wrapKey("jwk", k, key, p);
			const json = new TextDecoder().decode(await subtle.decrypt(p, key, w));
			const u = await subtle.unwrapKey("jwk", w, key, p, {name: "HMAC", hash: "SHA-256"}, false, ["verify"]);
			return json + " " + JSON.stringify(u)`),
			`{"kty":"oct","key_ops":["sign","verify"],"alg":"HS256","ext":true,"k":"SmVmZQ"} {"type":"secret","extractable":false,"algorithm":{"name":"HMAC","hash":{"name":"SHA-256"},"length":32},"usages":["verify"]}`},
		{"unwrap corrupt jwk", aesCase("AES-GCM", kek128, `const p = {name: "AES-GCM", iv: new Uint8Array(12)};
			const w = await subtle.encrypt(p, key, utf8("42"));
			return errOf(subtle.unwrapKey("jwk", w, key, p, {name: "HMAC", hash: "SHA-256"}, false, ["verify"]))`),
			`DataError: Missing "kty" field or corrupt JSON unwrapping key?`},
		{"unwrap no usages", aesCase("AES-KW", kek128, `const k = await subtle.importKey("raw", new Uint8Array(16), "AES-GCM", true, ["encrypt"]);
			const w = await subtle.wrapKey("raw", k, key, "AES-KW");
			return errOf(subtle.unwrapKey("raw", w, key, "AES-KW", "AES-GCM", true, []))`),
			`SyntaxError: Secret/private CryptoKeys must have at least one usage.`},
		{"wrap needs wrapKey usage", aesCase("AES-GCM", kek128, `const w = await subtle.importKey("raw", new Uint8Array(16), "AES-KW", true, ["unwrapKey"]);
			return errOf(subtle.wrapKey("raw", key, w, "AES-KW"))`),
			`InvalidAccessError: Requested key usage "wrapKey" does not match any usage listed in this CryptoKey.`},
	})
}
