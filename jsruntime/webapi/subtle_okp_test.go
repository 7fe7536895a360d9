package webapi

import (
	"crypto/ed25519"
	"crypto/x509"
	"encoding/hex"
	"strings"
	"testing"
)

// okpHelpers define b64 (hex to base64url) for the OKP cases.
const okpHelpers = `const b64 = (h) => btoa(String.fromCharCode(...unhex(h))).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");`

// RFC 8032's Ed25519 test vectors 1 and 2, and RFC 7748's X25519 example.
func TestSubtleOKPVectors(t *testing.T) {
	ed := func(secret, public, msg string) string {
		return okpHelpers + `
			const priv = await subtle.importKey("jwk", {kty: "OKP", crv: "Ed25519", d: b64("` + secret + `"), x: b64("` + public + `")}, "Ed25519", true, ["sign"]);
			const pub = await subtle.importKey("raw", unhex("` + public + `"), "Ed25519", true, ["verify"]);
			const sig = await subtle.sign("Ed25519", priv, unhex("` + msg + `"));
			return hex(sig) + " " + await subtle.verify("Ed25519", pub, sig, unhex("` + msg + `"))`
	}
	runSubtleCases(t, []jsCase{
		{"Ed25519 1", ed("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60", "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a", ""),
			"e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b true"},
		{"Ed25519 2", ed("4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb", "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c", "72"),
			"92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00 true"},
		{"X25519", okpHelpers + `
			const alice = await subtle.importKey("pkcs8", unhex("302e020100300506032b656e04220420" + "77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a"), "X25519", true, ["deriveBits"]);
			const bob = await subtle.importKey("jwk", {kty: "OKP", crv: "X25519", x: b64("de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f")}, "X25519", true, []);
			const j = await subtle.exportKey("jwk", alice);
			return hex(await subtle.deriveBits({name: "X25519", public: bob}, alice, 256)) + " " + JSON.stringify(j)`,
			`4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742 {"kty":"OKP","key_ops":["deriveBits"],"ext":true,"crv":"X25519","x":"hSDwCYkwp1R0i33ctD73Wg2_Og0mOBr066SpjqqbTmo","d":"dwdtCnMYpX08FsFyUbJmRd9ML4frwJkqsXf7pR25LCo"}`},
	})
}

func TestSubtleOKP(t *testing.T) {
	const ed = `const {publicKey, privateKey} = await subtle.generateKey("Ed25519", true, ["sign", "verify"]);`
	const x = `const a = await subtle.generateKey({name: "X25519"}, true, ["deriveBits", "deriveKey"]);
		const b = await subtle.generateKey({name: "X25519"}, true, ["deriveBits"]);`
	runSubtleCases(t, []jsCase{
		{"Ed25519 generate", ed + `const sig = new Uint8Array(await subtle.sign("Ed25519", privateKey, utf8("m")));
			const ok = await subtle.verify("Ed25519", publicKey, sig, utf8("m")); sig[0] ^= 1;
			return [JSON.stringify(publicKey.algorithm), publicKey.usages, privateKey.usages, ok, await subtle.verify("Ed25519", publicKey, sig, utf8("m")),
				(await subtle.exportKey("raw", publicKey)).byteLength, JSON.stringify(Object.keys(await subtle.exportKey("jwk", privateKey)))].join(" ")`,
			`{"name":"Ed25519"} verify sign true false 32 ["kty","key_ops","alg","ext","crv","x","d"]`},
		// workerd's crypto-impl-asymmetric-test eddsa_test.
		{"NODE-ED25519", `const k = await subtle.generateKey({name: "NODE-ED25519", namedCurve: "NODE-ED25519"}, false, ["sign", "verify"]);
			const sig = await subtle.sign("NODE-ED25519", k.privateKey, utf8("m"));
			const j = await subtle.exportKey("jwk", k.publicKey); j.x = j.x.length;
			return JSON.stringify(k.publicKey.algorithm) + " " + await subtle.verify({name: "NODE-ED25519"}, k.publicKey, sig, utf8("m")) + " " + JSON.stringify(j)`,
			`{"name":"NODE-ED25519","namedCurve":"NODE-ED25519"} true {"kty":"OKP","key_ops":["verify"],"ext":true,"crv":"Ed25519","x":43}`},
		{"NODE-ED25519 curve", `return [await errOf(subtle.generateKey({name: "NODE-ED25519", namedCurve: "Ed448"}, false, ["sign"])),
			await errOf(subtle.importKey("raw", new Uint8Array(32), "NODE-ED25519", false, ["verify"]))].join(" | ")`,
			`NotSupportedError: EDDSA curve "Ed448" isn't supported. | TypeError: Missing field "namedCurve" in "algorithm".`},
		{"spki and pkcs8 round trip", ed + `const spki = await subtle.exportKey("spki", publicKey), pkcs8 = await subtle.exportKey("pkcs8", privateKey);
			const pub = await subtle.importKey("spki", spki, "Ed25519", true, ["verify"]), priv = await subtle.importKey("pkcs8", pkcs8, "Ed25519", true, ["sign"]);
			return await subtle.verify("Ed25519", pub, await subtle.sign("Ed25519", priv, utf8("m")), utf8("m")) + " " + (hex(await subtle.exportKey("pkcs8", priv)) === hex(pkcs8))`, `true true`},
		{"signature length", ed + `return errOf(subtle.verify("Ed25519", publicKey, new Uint8Array(63), utf8("m")))`, `OperationError: Invalid Ed25519 signature length 63`},
		{"raw length", `return errOf(subtle.importKey("raw", new Uint8Array(31), "Ed25519", true, ["verify"]))`, `DataError: Ed25519 raw keys must be exactly 32-bytes (provided 31).`},
		{"raw usage", `return errOf(subtle.importKey("raw", new Uint8Array(32), "Ed25519", true, ["sign"]))`, `SyntaxError: Attempt to import public Ed25519 key with invalid usage "sign".`},
		{"raw private export", ed + `return errOf(subtle.exportKey("raw", privateKey))`, `InvalidAccessError: Raw export of Ed25519 keys is only allowed for public keys.`},
		{"jwk kty", `return errOf(subtle.importKey("jwk", {kty: "EC", crv: "Ed25519", x: "AA"}, "Ed25519", true, ["verify"]))`,
			`DataError: Ed25519 "jwk" key imports requires a JSON Web Key with Key Type parameter "kty" ("EC") equal to "OKP".`},
		{"jwk crv", `return [await errOf(subtle.importKey("jwk", {kty: "OKP", x: "AA"}, "Ed25519", true, ["verify"])),
			await errOf(subtle.importKey("jwk", {kty: "OKP", crv: "Ed448", x: "AA"}, "Ed25519", true, ["verify"]))].join(" | ")`,
			`DataError: Missing field "crv" for Ed25519 key. | NotSupportedError: Only Ed25519 is supported but "Ed448" was requested.`},
		{"jwk alg", `return errOf(subtle.importKey("jwk", {kty: "OKP", crv: "Ed25519", alg: "ES256", x: "AA"}, "Ed25519", true, ["verify"]))`,
			`DataError: JSON Web Key Algorithm parameter "alg" ("ES256") does not match requested Ed25519 curve.`},
		{"jwk x", `return [await errOf(subtle.importKey("jwk", {kty: "OKP", crv: "Ed25519"}, "Ed25519", true, ["verify"])),
			await errOf(subtle.importKey("jwk", {kty: "OKP", crv: "Ed25519", x: "AAAA"}, "Ed25519", true, ["verify"]))].join(" | ")`,
			`DataError: Invalid Ed25519 key in JSON WebKey; missing or invalid public key component ("x"). | DataError: Invalid length 3 for public key`},
		{"jwk d", `return errOf(subtle.importKey("jwk", {kty: "OKP", crv: "X25519", x: "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", d: "AAAA"}, "X25519", true, ["deriveBits"]))`,
			`DataError: Invalid length 3 for private key`},
		{"spki of another algorithm", `const k = await subtle.generateKey({name: "ECDSA", namedCurve: "P-256"}, true, ["sign"]);
			return errOf(subtle.importKey("spki", await subtle.exportKey("spki", k.publicKey), "Ed25519", true, ["verify"]))`, `DataError: Input was not an Ed25519 key.`},
		{"X25519 derive", x + `const s1 = await subtle.deriveBits({name: "X25519", public: b.publicKey}, a.privateKey);
			const s2 = await subtle.deriveBits({name: "X25519", public: a.publicKey}, b.privateKey, 256);
			const k = await subtle.deriveKey({name: "X25519", public: b.publicKey}, a.privateKey, {name: "HMAC", hash: "SHA-256", length: 256}, true, ["sign"]);
			return [hex(s1) === hex(s2), s1.byteLength, hex(await subtle.exportKey("raw", k)) === hex(s1), JSON.stringify(a.publicKey.algorithm), a.publicKey.usages.length].join(" ")`,
			`true 32 true {"name":"X25519"} 0`},
		{"X25519 short and too long", x + `return hex(await subtle.deriveBits({name: "X25519", public: b.publicKey}, a.privateKey, 4)).length + " " + await errOf(subtle.deriveBits({name: "X25519", public: b.publicKey}, a.privateKey, 264))`,
			`2 OperationError: Derived key length (264 bits) is too long (should be at most 256 bits).`},
		{"X25519 small order", x + `const zero = await subtle.importKey("raw", new Uint8Array(32), "X25519", true, []);
			return errOf(subtle.deriveBits({name: "X25519", public: zero}, a.privateKey, 256))`,
			`OperationError: Detected small order secure curve points, aborting EDDH derivation`},
		{"X25519 ECDH peer", x + `const e = await subtle.generateKey({name: "ECDH", namedCurve: "P-256"}, true, ["deriveBits"]);
			return errOf(subtle.deriveBits({name: "X25519", public: e.publicKey}, a.privateKey, 256))`,
			`InvalidAccessError: Base X25519 private key cannot be used to derive a key from a peer ECDH public key`},
		{"X25519 public usages", `return errOf(subtle.importKey("raw", new Uint8Array(32), "X25519", true, ["deriveBits"]))`,
			`SyntaxError: Attempt to import public X25519 key with invalid usage "deriveBits".`},
		{"X25519 no sign", `return errOf(subtle.generateKey("X25519", true, ["sign"]))`, `SyntaxError: Attempt to generate X25519 key with invalid usage "sign".`},
	})
}

// An Ed25519 key made in JS signs and Go verifies; a key made in Go
// signs in JS.
func TestSubtleEd25519Interop(t *testing.T) {
	iso, _ := newIsolate(t)
	out := evalSubtle(t, iso, nil, `
		const {publicKey, privateKey} = await subtle.generateKey("Ed25519", true, ["sign", "verify"]);
		return [hex(await subtle.exportKey("spki", publicKey)), hex(await subtle.sign("Ed25519", privateKey, utf8("hello")))].join(" ")`)
	parts := strings.Fields(out)
	if len(parts) != 2 {
		t.Fatalf("JS: %s", out)
	}
	pub, err := x509.ParsePKIXPublicKey(unhexT(t, parts[0]))
	if err != nil {
		t.Fatal(err)
	}
	if !ed25519.Verify(pub.(ed25519.PublicKey), []byte("hello"), unhexT(t, parts[1])) {
		t.Error("Go does not verify the JS signature")
	}
	_, priv, err := ed25519.GenerateKey(nil)
	if err != nil {
		t.Fatal(err)
	}
	der, err := x509.MarshalPKCS8PrivateKey(priv)
	if err != nil {
		t.Fatal(err)
	}
	out = evalSubtle(t, iso, map[string]string{"pkcs8": hex.EncodeToString(der)}, `
		const k = await subtle.importKey("pkcs8", unhex(pkcs8), "Ed25519", false, ["sign"]);
		return hex(await subtle.sign("Ed25519", k, utf8("hello")))`)
	if want := hex.EncodeToString(ed25519.Sign(priv, []byte("hello"))); out != want {
		t.Errorf("JS signature with Go's key: %s, want %s", out, want)
	}
}
