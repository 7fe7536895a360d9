package webapi

import (
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/hex"
	"strings"
	"testing"
)

// rsaTestKey is a new 2048-bit key and its PKCS #8 and SPKI in hex.
func rsaTestKey(t *testing.T) (*rsa.PrivateKey, string, string) {
	t.Helper()
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	der, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	spki, err := x509.MarshalPKIXPublicKey(&key.PublicKey)
	if err != nil {
		t.Fatal(err)
	}
	return key, hex.EncodeToString(der), hex.EncodeToString(spki)
}

func TestSubtleRSA(t *testing.T) {
	_, pkcs8, spki := rsaTestKey(t)
	keys := func(name, hash, privUsage, pubUsage string) string {
		return `const a = {name: "` + name + `", hash: "` + hash + `"};
			const priv = await subtle.importKey("pkcs8", unhex("` + pkcs8 + `"), a, true, ["` + privUsage + `"]);
			const pub = await subtle.importKey("spki", unhex("` + spki + `"), a, true, ["` + pubUsage + `"]);`
	}
	pkcs1 := keys("RSASSA-PKCS1-v1_5", "SHA-256", "sign", "verify")
	pss := keys("RSA-PSS", "SHA-384", "sign", "verify")
	oaep := keys("RSA-OAEP", "SHA-256", "decrypt", "encrypt")
	runSubtleCases(t, []jsCase{
		{"PKCS1 sign and verify", pkcs1 + `const sig = new Uint8Array(await subtle.sign("RSASSA-PKCS1-v1_5", priv, utf8("m")));
			const ok = await subtle.verify("RSASSA-PKCS1-v1_5", pub, sig, utf8("m")); sig[9] ^= 1;
			return [sig.length, ok, await subtle.verify("RSASSA-PKCS1-v1_5", pub, sig, utf8("m")), await subtle.verify("RSASSA-PKCS1-v1_5", pub, sig.subarray(1), utf8("m"))].join()`,
			`256,true,false,false`},
		{"PKCS1 is deterministic", pkcs1 + `return hex(await subtle.sign("RSASSA-PKCS1-v1_5", priv, utf8("m"))) === hex(await subtle.sign("RSASSA-PKCS1-v1_5", priv, utf8("m")))`, `true`},
		{"algorithm", pkcs1 + `const al = pub.algorithm; return [al.name, al.modulusLength, Object.prototype.toString.call(al.publicExponent), hex(al.publicExponent), JSON.stringify(al.hash), Object.keys(al).join("/")].join(" ")`,
			`RSASSA-PKCS1-v1_5 2048 [object Uint8Array] 010001 {"name":"SHA-256"} name/modulusLength/publicExponent/hash`},
		{"jwk round trip", pkcs1 + `const jp = await subtle.exportKey("jwk", priv), jq = await subtle.exportKey("jwk", pub);
			const priv2 = await subtle.importKey("jwk", jp, {name: "RSASSA-PKCS1-v1_5", hash: "SHA-256"}, true, ["sign"]);
			const pub2 = await subtle.importKey("jwk", jq, {name: "RSASSA-PKCS1-v1_5", hash: "SHA-256"}, true, ["verify"]);
			return [Object.keys(jp).join(), Object.keys(jq).join(), jp.alg, jq.e, await subtle.verify("RSASSA-PKCS1-v1_5", pub2, await subtle.sign("RSASSA-PKCS1-v1_5", priv2, utf8("x")), utf8("x")),
				hex(await subtle.exportKey("pkcs8", priv2)) === hex(await subtle.exportKey("pkcs8", priv))].join(" ")`,
			`kty,key_ops,alg,ext,d,n,e,p,q,dp,dq,qi kty,key_ops,alg,ext,n,e RS256 AQAB true true`},
		{"PSS", pss + `const sig = await subtle.sign({name: "RSA-PSS", saltLength: 48}, priv, utf8("m"));
			return [await subtle.verify({name: "RSA-PSS", saltLength: 48}, pub, sig, utf8("m")), await subtle.verify({name: "RSA-PSS", saltLength: 20}, pub, sig, utf8("m")),
				await subtle.verify({name: "RSA-PSS", saltLength: 48}, pub, sig, utf8("n")), (await subtle.exportKey("jwk", pub)).alg].join()`, `true,false,false,PS384`},
		{"PSS salt required", pss + `return [await errOf(subtle.sign("RSA-PSS", priv, utf8("m"))), await errOf(subtle.verify("RSA-PSS", pub, new Uint8Array(256), utf8("m")))].join(" | ")`,
			`DataError: Failed to provide salt for RSA-PSS key operation which requires a salt | TypeError: Failed to provide salt for RSA-PSS key operation which requires a salt`},
		{"PSS salt negative", pss + `return errOf(subtle.sign({name: "RSA-PSS", saltLength: -1}, priv, utf8("m")))`, `DataError: SaltLength for RSA-PSS must be non-negative (provided -1).`},
		{"PSS salt too long", pss + `return errOf(subtle.sign({name: "RSA-PSS", saltLength: 207}, priv, utf8("m")))`,
			`OperationError: key too small for signing with given digest and salt length`},
		{"PSS salt 0", pss + `return errOf(subtle.sign({name: "RSA-PSS", saltLength: 0}, priv, utf8("m")))`,
			`NotSupportedError: RSA-PSS signing with a saltLength of 0 is not supported by emu.`},
		{"OAEP", oaep + `const ct = await subtle.encrypt({name: "RSA-OAEP", label: utf8("l")}, pub, utf8("secret"));
			return [ct.byteLength, new TextDecoder().decode(await subtle.decrypt({name: "RSA-OAEP", label: utf8("l")}, priv, ct)),
				await errOf(subtle.decrypt({name: "RSA-OAEP", label: utf8("m")}, priv, ct)), await errOf(subtle.decrypt("RSA-OAEP", priv, ct)),
				(await subtle.exportKey("jwk", pub)).alg].join(" | ")`,
			`256 | secret | OperationError: RSA-OAEP failed encrypt/decrypt. | OperationError: RSA-OAEP failed encrypt/decrypt. | RSA-OAEP-256`},
		{"OAEP too long", oaep + `return errOf(subtle.encrypt("RSA-OAEP", pub, new Uint8Array(200)))`, `OperationError: RSA-OAEP failed encrypt/decrypt.`},
		{"OAEP wraps an AES key", keys("RSA-OAEP", "SHA-1", "unwrapKey", "wrapKey") + `
			const k = await subtle.generateKey({name: "AES-GCM", length: 256}, true, ["encrypt"]);
			const w = await subtle.wrapKey("raw", k, pub, "RSA-OAEP");
			const u = await subtle.unwrapKey("raw", w, priv, {name: "RSA-OAEP"}, "AES-GCM", true, ["encrypt"]);
			return [w.byteLength, hex(await subtle.exportKey("raw", u)) === hex(await subtle.exportKey("raw", k)), (await subtle.exportKey("jwk", pub)).alg].join()`,
			`256,true,RSA-OAEP`},
		{"OAEP usages", `return errOf(subtle.importKey("spki", unhex("` + spki + `"), {name: "RSA-OAEP", hash: "SHA-256"}, true, ["decrypt"]))`,
			`SyntaxError: Attempt to import public RSA-OAEP key with invalid usage "decrypt".`},
		{"missing hash", `return errOf(subtle.importKey("spki", unhex("` + spki + `"), "RSA-PSS", true, ["verify"]))`, `TypeError: Missing field "hash" in "algorithm".`},
		{"raw format", `return errOf(subtle.importKey("raw", unhex("` + spki + `"), {name: "RSA-PSS", hash: "SHA-256"}, true, ["verify"]))`,
			`NotSupportedError: Unrecognized key import format "raw".`},
		{"export raw", pss + `return errOf(subtle.exportKey("raw", pub))`, `InvalidAccessError: Cannot export "RSA-PSS" in "raw" format.`},
		{"not an RSA key", `const k = await subtle.generateKey({name: "ECDSA", namedCurve: "P-256"}, true, ["sign"]);
			return errOf(subtle.importKey("spki", await subtle.exportKey("spki", k.publicKey), {name: "RSA-PSS", hash: "SHA-256"}, true, ["verify"]))`,
			`DataError: Input was not an RSA key.`},
		{"jwk kty", `return errOf(subtle.importKey("jwk", {kty: "EC", n: "AQAB", e: "AQAB"}, {name: "RSA-PSS", hash: "SHA-256"}, true, ["verify"]))`,
			`DataError: RSASSA-PKCS1-v1_5 "jwk" key import requires a JSON Web Key with Key Type parameter "kty" ("EC") equal to "RSA".`},
		{"jwk alg hash", pkcs1 + `const j = await subtle.exportKey("jwk", pub);
			return errOf(subtle.importKey("jwk", j, {name: "RSASSA-PKCS1-v1_5", hash: "SHA-384"}, true, ["verify"]))`,
			`DataError: JSON Web Key Algorithm parameter "alg" ("RS256") does not match requested hash algorithm "RS256".`},
		// workerd's crypto-impl-asymmetric-test rsaAlgTest.
		{"jwk alg unknown", `const v3 = {kty: "RSA"}; Object.defineProperty(v3, "alg", {writable: true, configurable: true, value: 1024n});
			return errOf(subtle.importKey("jwk", v3, {name: "RSA-OAEP", hash: "SHA-1"}, 6, []))`,
			`NotSupportedError: Unrecognized or unimplemented algorithm "1024" listed in JSON Web Key Algorithm parameter.`},
		{"jwk missing n", `return errOf(subtle.importKey("jwk", {kty: "RSA", e: "AQAB"}, {name: "RSA-PSS", hash: "SHA-256"}, true, ["verify"]))`,
			`DataError: Invalid RSA key in JSON Web Key; missing or invalid Modulus parameter ("n").`},
		{"jwk some primes", pkcs1 + `const j = await subtle.exportKey("jwk", priv); delete j.q;
			return errOf(subtle.importKey("jwk", j, {name: "RSASSA-PKCS1-v1_5", hash: "SHA-256"}, true, ["sign"]))`,
			`DataError: Invalid RSA private key in JSON Web Key; if one Prime Factor or CRT Exponent/Coefficient parameter is present, then they must all be present ("p", "q", "dp", "dq", "qi").`},
		{"jwk exponent", pkcs1 + `const j = await subtle.exportKey("jwk", pub);
			return errOf(subtle.importKey("jwk", {...j, e: "BQ"}, {name: "RSASSA-PKCS1-v1_5", hash: "SHA-256"}, true, ["verify"]))`,
			`OperationError: Imported RSA key has invalid publicExponent 5.`},
		{"PKCS1 on the wrong algorithm", pkcs1 + `return errOf(subtle.sign({name: "RSA-PSS", saltLength: 32}, priv, utf8("m")))`,
			`InvalidAccessError: Requested algorithm "RSA-PSS" does not match this CryptoKey's algorithm "RSASSA-PKCS1-v1_5".`},
	})
}

func TestSubtleRSAGenerate(t *testing.T) {
	runSubtleCases(t, []jsCase{
		{"generate", `const {publicKey, privateKey} = await subtle.generateKey({name: "RSASSA-PKCS1-v1_5", modulusLength: 1024, publicExponent: new Uint8Array([1, 0, 1]), hash: "SHA-256"}, false, ["sign", "verify"]);
			const sig = await subtle.sign("RSASSA-PKCS1-v1_5", privateKey, utf8("m"));
			return [publicKey.algorithm.modulusLength, hex(publicKey.algorithm.publicExponent), publicKey.extractable, privateKey.extractable, publicKey.usages, privateKey.usages,
				await subtle.verify("RSASSA-PKCS1-v1_5", publicKey, sig, utf8("m"))].join(" ")`, `1024 010001 true false verify sign true`},
		// workerd's crypto-impl-asymmetric-test publicExponent_type_test.
		{"publicExponent is a Uint8Array", `const k = await subtle.generateKey({name: "RSA-PSS", hash: "SHA-256", modulusLength: 1024, publicExponent: new Uint8Array([0x01, 0x00, 0x01])}, false, ["sign", "verify"]);
			return k.publicKey.algorithm.publicExponent[Symbol.toStringTag]`, `Uint8Array`},
		// workerd's crypto-impl-asymmetric-test rsa_reject_infinite_loop_test.
		{"exponent 1", `return errOf(subtle.generateKey({name: "RSASSA-PKCS1-v1_5", hash: "SHA-256", modulusLength: 1024, publicExponent: new Uint8Array([1])}, false, ["sign", "verify"]))`,
			`OperationError: The "publicExponent" must be either 3 or 65537, but got 1.`},
		{"exponent too large", `return errOf(subtle.generateKey({name: "RSA-PSS", hash: "SHA-256", modulusLength: 1024, publicExponent: new Uint8Array([1, 0, 0, 0, 1])}, false, ["sign"]))`,
			`OperationError: The "publicExponent" must be either 3 or 65537, but got a number larger than 2^32.`},
		{"exponent 3", `return errOf(subtle.generateKey({name: "RSA-PSS", hash: "SHA-256", modulusLength: 1024, publicExponent: new Uint8Array([3])}, false, ["sign"]))`,
			`NotSupportedError: RSA key generation with a "publicExponent" of 3 is not supported by emu (only 65537).`},
		{"modulus multiple of 128", `return errOf(subtle.generateKey({name: "RSA-OAEP", hash: "SHA-256", modulusLength: 1032, publicExponent: new Uint8Array([1, 0, 1])}, false, ["decrypt"]))`,
			`OperationError: Can't generate key: RSA key size is required to be a multiple of 128`},
		{"modulus range", `return errOf(subtle.generateKey({name: "RSA-OAEP", hash: "SHA-256", modulusLength: 128, publicExponent: new Uint8Array([1, 0, 1])}, false, ["decrypt"]))`,
			`OperationError: The modulus length must be a multiple of 8 and between 256 and 16k, but 128 was requested.`},
		{"modulus zero", `return errOf(subtle.generateKey({name: "RSA-OAEP", hash: "SHA-256", modulusLength: 0, publicExponent: new Uint8Array([1, 0, 1])}, false, ["decrypt"]))`,
			`OperationError: modulusLength must be greater than zero (requested 0).`},
		{"missing fields", `return [await errOf(subtle.generateKey({name: "RSA-PSS", hash: "SHA-256", modulusLength: 1024}, false, ["sign"])),
			await errOf(subtle.generateKey({name: "RSA-PSS", modulusLength: 1024, publicExponent: new Uint8Array([1, 0, 1])}, false, ["sign"])),
			await errOf(subtle.generateKey({name: "RSA-PSS", hash: "SHA-256", publicExponent: new Uint8Array([1, 0, 1])}, false, ["sign"]))].join(" | ")`,
			`TypeError: Missing field "publicExponent" in "algorithm". | TypeError: Missing field "hash" in "algorithm". | TypeError: Missing field "modulusLength" in "algorithm".`},
		{"usage", `return errOf(subtle.generateKey({name: "RSA-PSS", hash: "SHA-256", modulusLength: 1024, publicExponent: new Uint8Array([1, 0, 1])}, false, ["encrypt"]))`,
			`SyntaxError: Attempt to generate RSA-PSS key with invalid usage "encrypt".`},
		{"small key, big digest", `const {privateKey} = await subtle.generateKey({name: "RSASSA-PKCS1-v1_5", hash: "SHA-512", modulusLength: 512, publicExponent: new Uint8Array([1, 0, 1])}, false, ["sign"]);
			return errOf(subtle.sign("RSASSA-PKCS1-v1_5", privateKey, utf8("m")))`,
			`OperationError: key too small for signing with given digest, need at least 768bits.`},
	})
}

// An RSA key made in Go signs and decrypts in JS; JS's signatures and
// ciphertexts verify and decrypt in Go.
func TestSubtleRSAInterop(t *testing.T) {
	key, pkcs8, spki := rsaTestKey(t)
	iso, _ := newIsolate(t)
	digest := sha256.Sum256([]byte("jwt"))
	goSig, err := rsa.SignPSS(rand.Reader, key, crypto.SHA256, digest[:], &rsa.PSSOptions{SaltLength: 32})
	if err != nil {
		t.Fatal(err)
	}
	goCT, err := rsa.EncryptOAEP(sha256.New(), rand.Reader, &key.PublicKey, []byte("from go"), nil)
	if err != nil {
		t.Fatal(err)
	}
	out := evalSubtle(t, iso, map[string]string{"pkcs8": pkcs8, "spki": spki, "goSig": hex.EncodeToString(goSig), "goCT": hex.EncodeToString(goCT)}, `
		const pss = {name: "RSA-PSS", hash: "SHA-256"}, oaep = {name: "RSA-OAEP", hash: "SHA-256"};
		const signer = await subtle.importKey("pkcs8", unhex(pkcs8), pss, true, ["sign"]);
		const verifier = await subtle.importKey("spki", unhex(spki), pss, true, ["verify"]);
		const decrypter = await subtle.importKey("pkcs8", unhex(pkcs8), oaep, true, ["decrypt"]);
		const encrypter = await subtle.importKey("jwk", await subtle.exportKey("jwk", await subtle.importKey("spki", unhex(spki), oaep, true, ["encrypt"])), oaep, true, ["encrypt"]);
		return [await subtle.verify({name: "RSA-PSS", saltLength: 32}, verifier, unhex(goSig), utf8("jwt")),
			new TextDecoder().decode(await subtle.decrypt("RSA-OAEP", decrypter, unhex(goCT))),
			hex(await subtle.sign({name: "RSA-PSS", saltLength: 32}, signer, utf8("jwt"))),
			hex(await subtle.encrypt("RSA-OAEP", encrypter, utf8("from js")))].join(" ")`)
	parts := strings.Split(out, " ")
	if len(parts) != 5 || parts[0] != "true" || parts[1]+" "+parts[2] != "from go" {
		t.Fatalf("JS: %s", out)
	}
	if err := rsa.VerifyPSS(&key.PublicKey, crypto.SHA256, digest[:], unhexT(t, parts[3]), &rsa.PSSOptions{SaltLength: 32}); err != nil {
		t.Errorf("Go verifies the JS PSS signature: %v", err)
	}
	pt, err := rsa.DecryptOAEP(sha256.New(), nil, key, unhexT(t, parts[4]), nil)
	if err != nil || string(pt) != "from js" {
		t.Errorf("Go decrypts the JS ciphertext: %q %v", pt, err)
	}
}
