package webapi

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"crypto/sha512"
	"crypto/x509"
	"encoding/hex"
	"math/big"
	"strings"
	"testing"
)

// rfc7517EC is the P-256 private key of RFC 7517, appendix A.2.
const rfc7517EC = `{kty: "EC", crv: "P-256", x: "MKBCTNIcKUSDii11ySs3526iDZ8AiTo7Tu6KPAqv7D4", y: "4Etl6SRW2YiLUrN5vfvVHuhp7x8PxltmWWlbbM4IFyM", d: "870MB6gfuTJ4HtUnUvYMyJpr5eUZNP4Bk43bVdj3eAE"}`

func TestSubtleECDSA(t *testing.T) {
	const pair = `const {publicKey, privateKey} = await subtle.generateKey({name: "ECDSA", namedCurve: "P-384"}, true, ["sign", "verify"]);`
	const es256 = `{name: "ECDSA", hash: "SHA-256"}`
	runSubtleCases(t, []jsCase{
		{"sign and verify each curve", `const out = [];
			for (const [namedCurve, hash] of [["P-256", "SHA-256"], ["P-384", "SHA-384"], ["P-521", "SHA-512"], ["p-256", "SHA-1"]]) {
				const {publicKey, privateKey} = await subtle.generateKey({name: "ECDSA", namedCurve}, true, ["sign", "verify"]);
				const sig = new Uint8Array(await subtle.sign({name: "ECDSA", hash}, privateKey, utf8("msg")));
				const ok = await subtle.verify({name: "ECDSA", hash}, publicKey, sig, utf8("msg"));
				const other = await subtle.verify({name: "ECDSA", hash}, publicKey, sig, utf8("msh"));
				sig[5] ^= 1;
				out.push(publicKey.algorithm.namedCurve + ":" + sig.length + ":" + ok + ":" + other + ":" + await subtle.verify({name: "ECDSA", hash}, publicKey, sig, utf8("msg")));
			}
			return out.join(" ")`, "P-256:64:true:false:false P-384:96:true:false:false P-521:132:true:false:false P-256:64:true:false:false"},
		{"wrong signature length verifies false", pair + `return subtle.verify({name: "ECDSA", hash: "SHA-256"}, publicKey, new Uint8Array(95), utf8("m"))`, `false`},
		{"jwk import RFC 7517", `const k = await subtle.importKey("jwk", ` + rfc7517EC + `, {name: "ECDSA", namedCurve: "P-256"}, true, ["sign"]);
			const pub = await subtle.importKey("jwk", {...` + rfc7517EC + `, d: undefined}, {name: "ECDSA", namedCurve: "P-256"}, true, ["verify"]);
			const sig = await subtle.sign(` + es256 + `, k, utf8("m"));
			return [k.type, JSON.stringify(k.algorithm), await subtle.verify(` + es256 + `, pub, sig, utf8("m")), JSON.stringify(await subtle.exportKey("jwk", k))].join(" ")`,
			`private {"name":"ECDSA","namedCurve":"P-256"} true {"kty":"EC","key_ops":["sign"],"ext":true,"crv":"P-256","x":"MKBCTNIcKUSDii11ySs3526iDZ8AiTo7Tu6KPAqv7D4","y":"4Etl6SRW2YiLUrN5vfvVHuhp7x8PxltmWWlbbM4IFyM","d":"870MB6gfuTJ4HtUnUvYMyJpr5eUZNP4Bk43bVdj3eAE"}`},
		{"raw, spki and pkcs8 round trips", pair + `
			const raw = await subtle.exportKey("raw", publicKey);
			const spki = await subtle.exportKey("spki", publicKey);
			const pkcs8 = await subtle.exportKey("pkcs8", privateKey);
			const a = {name: "ECDSA", namedCurve: "P-384"};
			const pubs = [await subtle.importKey("raw", raw, a, true, ["verify"]), await subtle.importKey("spki", spki, a, true, ["verify"])];
			const priv = await subtle.importKey("pkcs8", pkcs8, a, true, ["sign"]);
			const sig = await subtle.sign({name: "ECDSA", hash: "SHA-384"}, priv, utf8("m"));
			return [new Uint8Array(raw)[0], raw.byteLength, hex(await subtle.exportKey("spki", pubs[0])) === hex(spki), hex(await subtle.exportKey("pkcs8", priv)) === hex(pkcs8),
				await subtle.verify({name: "ECDSA", hash: "SHA-384"}, pubs[1], sig, utf8("m"))].join()`, `4,97,true,true,true`},
		{"missing hash", pair + `return errOf(subtle.sign("ECDSA", privateKey, utf8("m")))`,
			`TypeError: Missing "hash" in AlgorithmIdentifier. (ECDSA requires that the hash algorithm be specified at call time rather than on the key. This differs from other WebCrypto algorithms for historical reasons.)`},
		{"missing namedCurve", `return errOf(subtle.generateKey("ECDSA", true, ["sign"]))`, `TypeError: Missing field "namedCurve" in "algorithm".`},
		{"unknown curve", `return errOf(subtle.generateKey({name: "ECDSA", namedCurve: "secp256k1"}, true, ["sign"]))`,
			`NotSupportedError: Unrecognized or unimplemented EC curve "secp256k1" requested.`},
		{"generate usage", `return errOf(subtle.generateKey({name: "ECDSA", namedCurve: "P-256"}, true, ["deriveBits"]))`,
			`SyntaxError: Attempt to generate ECDSA key with invalid usage "deriveBits".`},
		{"import private with verify", `return errOf(subtle.importKey("jwk", ` + rfc7517EC + `, {name: "ECDSA", namedCurve: "P-256"}, true, ["sign", "verify"]))`,
			`SyntaxError: Attempt to import private ECDSA key with invalid usage "verify".`},
		{"raw import usage", pair + `return errOf(subtle.importKey("raw", await subtle.exportKey("raw", publicKey), {name: "ECDSA", namedCurve: "P-384"}, true, ["sign"]))`,
			`SyntaxError: Attempt to import public ECDSA key with invalid usage "sign".`},
		{"raw bad encoding", `return errOf(subtle.importKey("raw", new Uint8Array(10), {name: "ECDSA", namedCurve: "P-256"}, true, ["verify"]))`,
			`DataError: Failed to import raw EC key data: Invalid point encoding.`},
		{"raw off curve", `const p = new Uint8Array(65); p[0] = 4; p[64] = 1; return errOf(subtle.importKey("raw", p, {name: "ECDSA", namedCurve: "P-256"}, true, ["verify"]))`,
			`DataError: Failed to import raw EC key data: Point is not on curve.`},
		{"curve mismatch", pair + `return errOf(subtle.importKey("spki", await subtle.exportKey("spki", publicKey), {name: "ECDSA", namedCurve: "P-256"}, true, ["verify"]))`,
			`DataError: "algorithm.namedCurve" "P-256" does not match the curve specified by the input key data.`},
		{"spki garbage", `return errOf(subtle.importKey("spki", new Uint8Array([1, 2, 3]), {name: "ECDSA", namedCurve: "P-256"}, true, ["verify"]))`,
			`DataError: Invalid SPKI input.`},
		{"spki trailing bytes", pair + `const spki = new Uint8Array(await subtle.exportKey("spki", publicKey));
			const longer = new Uint8Array(spki.length + 3); longer.set(spki);
			return errOf(subtle.importKey("spki", longer, {name: "ECDSA", namedCurve: "P-384"}, true, ["verify"]))`,
			`DataError: Invalid 3 trailing bytes after SPKI input.`},
		{"pkcs8 garbage", `return errOf(subtle.importKey("pkcs8", new Uint8Array([0x30, 0]), {name: "ECDSA", namedCurve: "P-256"}, true, ["sign"]))`,
			`DataError: Invalid PKCS8 input.`},
		{"jwk kty", `return errOf(subtle.importKey("jwk", {...` + rfc7517EC + `, kty: "RSA"}, {name: "ECDSA", namedCurve: "P-256"}, true, ["sign"]))`,
			`DataError: Elliptic curve "jwk" key import requires a JSON Web Key with Key Type parameter "kty" ("RSA") equal to "EC".`},
		{"jwk alg", `return [await errOf(subtle.importKey("jwk", {...` + rfc7517EC + `, alg: "ES384"}, {name: "ECDSA", namedCurve: "P-256"}, true, ["sign"])),
			await errOf(subtle.importKey("jwk", {...` + rfc7517EC + `, alg: "RS256"}, {name: "ECDSA", namedCurve: "P-256"}, true, ["sign"]))].join(" | ")`,
			`DataError: JSON Web Key Algorithm parameter "alg" ("ES384") does not match requested curve. | NotSupportedError: Unrecognized or unimplemented algorithm "RS256" listed in JSON Web Key Algorithm parameter.`},
		{"jwk missing y", `return errOf(subtle.importKey("jwk", {...` + rfc7517EC + `, y: undefined}, {name: "ECDSA", namedCurve: "P-256"}, true, ["sign"]))`,
			`DataError: Invalid EC key in JSON Web Key; missing "y".`},
		{"jwk off curve", `return errOf(subtle.importKey("jwk", {...` + rfc7517EC + `, d: undefined, y: "AAAA"}, {name: "ECDSA", namedCurve: "P-256"}, true, ["verify"]))`,
			`OperationError: Invalid EC key; public key coordinates "x" and "y" are invalid: Point is not on curve.`},
		{"jwk d of another key", pair + `const j = await subtle.exportKey("jwk", privateKey);
			const other = await subtle.exportKey("jwk", (await subtle.generateKey({name: "ECDSA", namedCurve: "P-384"}, true, ["sign"])).privateKey);
			return errOf(subtle.importKey("jwk", {...j, d: other.d}, {name: "ECDSA", namedCurve: "P-384"}, true, ["sign"]))`,
			`DataError: Invalid EC key in JSON Web Key.`},
		{"jwk use", `return errOf(subtle.importKey("jwk", {...` + rfc7517EC + `, use: "enc"}, {name: "ECDSA", namedCurve: "P-256"}, true, ["sign"]))`,
			`DataError: Asymmetric "jwk" key import with usages requires a JSON Web Key with Public Key Use parameter "use" ("enc") equal to "sig".`},
		{"jwk key_ops", `return [await errOf(subtle.importKey("jwk", {...` + rfc7517EC + `, key_ops: ["sign", "sign"]}, {name: "ECDSA", namedCurve: "P-256"}, true, ["sign"])),
			await errOf(subtle.importKey("jwk", {...` + rfc7517EC + `, key_ops: ["verify"]}, {name: "ECDSA", namedCurve: "P-256"}, true, ["sign"])),
			await errOf(subtle.importKey("jwk", {...` + rfc7517EC + `, use: "sig", key_ops: ["sign", "encrypt"]}, {name: "ECDSA", namedCurve: "P-256"}, true, ["sign"]))].join(" | ")`,
			`DataError: A JSON Web Key's Key Operations parameter ("key_ops") must not contain duplicates. | DataError: All specified key usages must be present in the JSON Web Key's Key Operations parameter ("key_ops"). | DataError: A JSON Web Key should have either a Public Key Use parameter ("use") or a Key Operations parameter ("key_ops"); otherwise, the parameters must be consistent with each other. A Public Key Use for ECDSA would allow a Key Operations array with only "sign" and/or "verify" values (not "encrypt").`},
		{"export raw private", pair + `return errOf(subtle.exportKey("raw", privateKey))`, `InvalidAccessError: Raw export of elliptic curve keys is only allowed for public keys.`},
		{"export pkcs8 public", pair + `return errOf(subtle.exportKey("pkcs8", publicKey))`, `InvalidAccessError: Asymmetric pkcs8 export requires private key (not "public").`},
		{"export spki private", pair + `return errOf(subtle.exportKey("spki", privateKey))`, `InvalidAccessError: Asymmetric spki export requires public key (not "private").`},
		{"export unknown format", pair + `return errOf(subtle.exportKey("pem", publicKey))`, `InvalidAccessError: Cannot export "ECDSA" in "pem" format.`},
	})
}

// ECDH: RFC 5903's P-256 example, and derivations between generated keys.
func TestSubtleECDH(t *testing.T) {
	const rfc5903 = `
		const b64 = (h) => btoa(String.fromCharCode(...unhex(h))).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
		const priv = await subtle.importKey("jwk", {kty: "EC", crv: "P-256",
			d: b64("c88f01f510d9ac3f70a292daa2316de544e9aab8afe84049c62a9c57862d1433"),
			x: b64("dad0b65394221cf9b051e1feca5787d098dfe637fc90b9ef945d0c3772581180"),
			y: b64("5271a0461cdb8252d61f1c456fa3e59ab1f45b33accf5f58389e0577b8990bb3")}, {name: "ECDH", namedCurve: "P-256"}, true, ["deriveBits", "deriveKey"]);
		const pub = await subtle.importKey("raw", unhex("04d12dfb5289c8d4f81208b70270398c342296970a0bccb74c736fc7554494bf6356fbf3ca366cc23e8157854c13c58d6aac23f046ada30f8353e74f33039872ab"), {name: "ECDH", namedCurve: "P-256"}, true, []);`
	const pair = `const a = await subtle.generateKey({name: "ECDH", namedCurve: "P-384"}, true, ["deriveBits"]);
		const b = await subtle.generateKey({name: "ECDH", namedCurve: "P-384"}, true, ["deriveBits"]);`
	runSubtleCases(t, []jsCase{
		{"RFC 5903", rfc5903 + `return hex(await subtle.deriveBits({name: "ECDH", public: pub}, priv, 256))`, "d6840f6b42f6edafd13116e0e12565202fef8e9ece7dce03812464d04b9442de"},
		{"RFC 5903 short", rfc5903 + `return hex(await subtle.deriveBits({name: "ECDH", public: pub}, priv, 12))`, "d680"},
		{"deriveKey", rfc5903 + `const k = await subtle.deriveKey({name: "ECDH", public: pub}, priv, {name: "AES-GCM", length: 128}, true, ["encrypt"]);
			return hex(await subtle.exportKey("raw", k))`, "d6840f6b42f6edafd13116e0e1256520"},
		{"both sides agree", pair + `const x = await subtle.deriveBits({name: "ECDH", public: b.publicKey}, a.privateKey, 384);
			const y = await subtle.deriveBits({name: "ECDH", public: a.publicKey}, b.privateKey);
			return (hex(x) === hex(y)) + " " + x.byteLength + " " + a.publicKey.usages.length + " " + a.privateKey.usages`, `true 48 0 deriveBits`},
		// workerd's crypto-extras-test deriveBitsNullLength.
		{"null and undefined length", pair + `const p = {name: "ECDH", namedCurve: "P-384", public: b.publicKey};
			return [(await subtle.deriveBits(p, a.privateKey, undefined)).byteLength, (await subtle.deriveBits(p, a.privateKey, null)).byteLength, (await subtle.deriveBits(p, a.privateKey)).byteLength].join()`,
			`48,48,48`},
		{"P-521 is 528 bits", `const a = await subtle.generateKey({name: "ECDH", namedCurve: "P-521"}, true, ["deriveBits"]);
			return (await subtle.deriveBits({name: "ECDH", public: a.publicKey}, a.privateKey)).byteLength`, `66`},
		{"too long", pair + `return errOf(subtle.deriveBits({name: "ECDH", public: b.publicKey}, a.privateKey, 392))`,
			`OperationError: Derived key length (392 bits) is too long (should be at most 384 bits).`},
		{"missing public", pair + `return errOf(subtle.deriveBits({name: "ECDH"}, a.privateKey, 8))`, `TypeError: Missing field "public" in "derivedKeyParams".`},
		{"public is private", pair + `return errOf(subtle.deriveBits({name: "ECDH", public: b.privateKey}, a.privateKey, 8))`,
			`InvalidAccessError: The provided key has type "private", not "public"`},
		{"curves differ", pair + `const c = await subtle.generateKey({name: "ECDH", namedCurve: "P-256"}, true, ["deriveBits"]);
			return errOf(subtle.deriveBits({name: "ECDH", public: c.publicKey}, a.privateKey, 8))`,
			`InvalidAccessError: Private key for derivation is using curve "P-384" while public key is using "P-256".`},
		{"ECDSA peer", pair + `const c = await subtle.generateKey({name: "ECDSA", namedCurve: "P-384"}, true, ["sign"]);
			return errOf(subtle.deriveBits({name: "ECDH", public: c.publicKey}, a.privateKey, 8))`,
			`InvalidAccessError: Private key for derivation is using "ECDH" while public key is using "ECDSA".`},
		{"X25519 peer", pair + `const c = await subtle.generateKey("X25519", true, ["deriveBits"]);
			return errOf(subtle.deriveBits({name: "ECDH", public: c.publicKey}, a.privateKey, 8))`,
			`InvalidAccessError: Base ECDH private key cannot be used to derive a key from a peer X25519 public key`},
		{"public key usages must be empty", pair + `return errOf(subtle.importKey("raw", await subtle.exportKey("raw", a.publicKey), {name: "ECDH", namedCurve: "P-384"}, true, ["deriveBits"]))`,
			`SyntaxError: Attempt to import public ECDH key with invalid usage "deriveBits".`},
		{"spki usages must be empty", pair + `return errOf(subtle.importKey("spki", await subtle.exportKey("spki", a.publicKey), {name: "ECDH", namedCurve: "P-384"}, true, ["deriveKey"]))`,
			`SyntaxError: Attempt to import public ECDH key with invalid usage "deriveKey".`},
		// workerd's crypto-impl-asymmetric-test ecdhJwkTest.
		{"jwk with any alg", `const jwk = {kty: "EC", crv: "P-256", alg: "THIS CAN BE ANYTHING", x: "Ze2loSV3wrroKUN_4zhwGhCqo3Xhu1td4QjeQ5wIVR0", y: "HlLtdXARY_f55A3fnzQbPcm6hgr34Mp8p-nuzQCE0Zw"};
			const k = await subtle.importKey("jwk", jwk, {name: "ECDH", namedCurve: "P-256"}, true, []);
			return k.type + " " + await errOf(subtle.importKey("jwk", {...jwk, x: undefined}, {name: "ECDH", namedCurve: "P-256"}, true, []))`,
			`public DataError: Invalid EC key in JSON Web Key; missing "x".`},
		{"curve mismatch", pair + `return errOf(subtle.importKey("spki", await subtle.exportKey("spki", a.publicKey), {name: "ECDH", namedCurve: "P-521"}, true, []))`,
			`DataError: "algorithm.namedCurve" "P-521", does not match the curve specified by the input key data.`},
		{"not an EC key", `const x = await subtle.generateKey("X25519", true, ["deriveBits"]);
			return errOf(subtle.importKey("spki", await subtle.exportKey("spki", x.publicKey), {name: "ECDH", namedCurve: "P-256"}, true, []))`,
			`DataError: Input was not an EC public key nor a DH key.`},
	})
}

// Keys and signatures cross between emu's crypto.subtle and Go's crypto:
// a key made in JS signs, Go verifies, and the other way round.
func TestSubtleECDSAInterop(t *testing.T) {
	iso, _ := newIsolate(t)
	msg := []byte("interop message")

	// JS generates and signs; Go verifies with the exported SPKI and JWK.
	out := evalSubtle(t, iso, map[string]string{"msg": string(msg)}, `
		const {publicKey, privateKey} = await subtle.generateKey({name: "ECDSA", namedCurve: "P-256"}, true, ["sign", "verify"]);
		const sig = await subtle.sign({name: "ECDSA", hash: "SHA-256"}, privateKey, utf8(msg));
		return [hex(await subtle.exportKey("spki", publicKey)), hex(await subtle.exportKey("pkcs8", privateKey)), hex(sig)].join(" ")`)
	parts := strings.Fields(out)
	if len(parts) != 3 {
		t.Fatalf("JS: %s", out)
	}
	pub, err := x509.ParsePKIXPublicKey(unhexT(t, parts[0]))
	if err != nil {
		t.Fatalf("Go parses the SPKI: %v", err)
	}
	priv, err := x509.ParsePKCS8PrivateKey(unhexT(t, parts[1]))
	if err != nil {
		t.Fatalf("Go parses the PKCS #8: %v", err)
	}
	sig := unhexT(t, parts[2])
	digest := sha256.Sum256(msg)
	r, s := new(big.Int).SetBytes(sig[:32]), new(big.Int).SetBytes(sig[32:])
	if !ecdsa.Verify(pub.(*ecdsa.PublicKey), digest[:], r, s) {
		t.Error("Go does not verify the JS signature")
	}
	if !priv.(*ecdsa.PrivateKey).PublicKey.Equal(pub) {
		t.Error("the exported private and public keys do not match")
	}

	// Go generates and signs; JS imports (PKCS #8 and SPKI) and verifies.
	key, err := ecdsa.GenerateKey(elliptic.P384(), rand.Reader)
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
	d384 := sha512.Sum384(msg)
	gr, gs, err := ecdsa.Sign(rand.Reader, key, d384[:])
	if err != nil {
		t.Fatal(err)
	}
	goSig := make([]byte, 96)
	gr.FillBytes(goSig[:48])
	gs.FillBytes(goSig[48:])
	out = evalSubtle(t, iso, map[string]string{"pkcs8": hex.EncodeToString(der), "spki": hex.EncodeToString(spki), "goSig": hex.EncodeToString(goSig), "msg": string(msg)}, `
		const a = {name: "ECDSA", namedCurve: "P-384"}, h = {name: "ECDSA", hash: "SHA-384"};
		const priv = await subtle.importKey("pkcs8", unhex(pkcs8), a, false, ["sign"]);
		const pub = await subtle.importKey("spki", unhex(spki), a, false, ["verify"]);
		const jsSig = await subtle.sign(h, priv, utf8(msg));
		return [await subtle.verify(h, pub, unhex(goSig), utf8(msg)), hex(jsSig)].join(" ")`)
	parts = strings.Fields(out)
	if len(parts) != 2 || parts[0] != "true" {
		t.Fatalf("JS verifies Go's signature: %s", out)
	}
	jsSig := unhexT(t, parts[1])
	if !ecdsa.Verify(&key.PublicKey, d384[:], new(big.Int).SetBytes(jsSig[:48]), new(big.Int).SetBytes(jsSig[48:])) {
		t.Error("Go does not verify the signature of its key imported in JS")
	}
}
