package webapi

import (
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"math/big"
)

// RSASSA-PKCS1-v1_5, RSA-PSS and RSA-OAEP (workerd's rsa.c++).

type rsaKey struct {
	noOps
	hash digestAlgorithm
	priv *rsa.PrivateKey // nil for a public key
	pub  *rsa.PublicKey
}

// rsaUsages are the usages an RSA key of the algorithm may have.
func rsaUsages(name string) usageSet {
	if name == "RSA-OAEP" {
		return usageEncrypt | usageDecrypt | usageWrapKey | usageUnwrapKey
	}
	return usageSignVerify
}

// cryptoHash is the crypto.Hash of a digest, for crypto/rsa.
func (d digestAlgorithm) cryptoHash() crypto.Hash {
	switch d.name {
	case "SHA-1":
		return crypto.SHA1
	case "SHA-384":
		return crypto.SHA384
	case "SHA-512":
		return crypto.SHA512
	case "MD5":
		return crypto.MD5
	}
	return crypto.SHA256
}

func newRSAKey(name string, typ keyType, hash digestAlgorithm, priv *rsa.PrivateKey, pub *rsa.PublicKey, exponent []byte, extractable bool, usages usageSet) *cryptoKey {
	return &cryptoKey{
		alg: name, typ: typ, extractable: extractable, usages: usages,
		algorithm: keyAlgorithm{
			kind: kindRSA, name: name, hash: hash.name,
			modulusLength: (pub.N.BitLen() + 7) / 8 * 8, publicExponent: exponent,
		},
		impl: &rsaKey{hash: hash, priv: priv, pub: pub},
	}
}

// exponentValue is workerd's reading of a publicExponent: its value, or
// false if it does not fit 32 bits.
func exponentValue(b []byte) (uint64, bool) {
	var v uint64
	for i, c := range b {
		if len(b)-i-1 >= 4 && c != 0 {
			return 0, false
		}
		v = v<<8 | uint64(c)
	}
	return v, true
}

// validateRSAParams is workerd's Rsa::validateRsaParams, with its strict
// crypto checks (on since 2023).
func validateRSAParams(modulusLength int, exponent []byte, imported bool) error {
	if modulusLength%8 != 0 || modulusLength < 256 || modulusLength > 16384 {
		return operationError("The modulus length must be a multiple of 8 and between 256 and 16k, but %d was requested.", modulusLength)
	}
	v, ok := exponentValue(exponent)
	switch {
	case !ok:
		return operationError("The \"publicExponent\" must be either 3 or 65537, but got a number larger than 2^32.")
	case !imported && v != 3 && v != 65537:
		return operationError("The \"publicExponent\" must be either 3 or 65537, but got %d.", v)
	case imported && v != 3 && v != 17 && v != 37 && v != 65537:
		return operationError("Imported RSA key has invalid publicExponent %d.", v)
	}
	return nil
}

func generateRSA(name string, p *algParams, extractable bool, usages []string) (generated, error) {
	if !p.publicExponent.ok {
		return generated{}, typeError("Missing field \"publicExponent\" in \"algorithm\".")
	}
	if !p.hash.ok {
		return generated{}, typeError("Missing field \"hash\" in \"algorithm\".")
	}
	if !p.modulusLength.ok {
		return generated{}, typeError("Missing field \"modulusLength\" in \"algorithm\".")
	}
	bits := p.modulusLength.v
	if bits <= 0 {
		return generated{}, operationError("modulusLength must be greater than zero (requested %d).", bits)
	}
	hash, err := lookupDigest(p.hash.v)
	if err != nil {
		return generated{}, err
	}
	set, err := validateUsages(name, ctxGenerate, usages, rsaUsages(name))
	if err != nil {
		return generated{}, err
	}
	if err := validateRSAParams(bits, p.publicExponent.b, false); err != nil {
		return generated{}, err
	}
	if bits&127 != 0 {
		return generated{}, operationError("Can't generate key: RSA key size is required to be a multiple of 128")
	}
	if v, _ := exponentValue(p.publicExponent.b); v != 65537 {
		// crypto/rsa always uses 65537.
		return generated{}, notSupported("RSA key generation with a \"publicExponent\" of %d is not supported by emu (only 65537).", v)
	}
	priv, err := rsa.GenerateKey(rand.Reader, bits)
	if err != nil {
		return generated{}, operationError("RSA key generation failed: %v.", err)
	}
	exponent := append([]byte{}, p.publicExponent.b...)
	return generated{
		public:  newRSAKey(name, publicKey, hash, nil, &priv.PublicKey, exponent, true, set&usagePublicMask),
		private: newRSAKey(name, privateKey, hash, priv, &priv.PublicKey, exponent, extractable, set&usagePrivateMask),
	}, nil
}

// rsaJWKAlgorithms are the JWK "alg" values of each RSA algorithm and the
// hash each means.
var rsaJWKAlgorithms = map[string]map[string]string{
	"RSASSA-PKCS1-v1_5": {"RS1": "SHA-1", "RS256": "SHA-256", "RS384": "SHA-384", "RS512": "SHA-512"},
	"RSA-PSS":           {"PS1": "SHA-1", "PS256": "SHA-256", "PS384": "SHA-384", "PS512": "SHA-512"},
	"RSA-OAEP":          {"RSA-OAEP": "SHA-1", "RSA-OAEP-256": "SHA-256", "RSA-OAEP-384": "SHA-384", "RSA-OAEP-512": "SHA-512"},
}

func importRSA(name, format string, data importData, p *algParams, extractable bool, usages []string) (*cryptoKey, error) {
	if !p.hash.ok {
		return nil, typeError("Missing field \"hash\" in \"algorithm\".")
	}
	hash, err := lookupDigest(p.hash.v)
	if err != nil {
		return nil, err
	}
	key, typ, set, err := importAsymmetric(name, format, data, extractable, usages, rsaUsages(name),
		func(j *jwk, typ keyType) (any, error) { return readRSAJWK(name, hash, j, typ) })
	if err != nil {
		return nil, err
	}
	var priv *rsa.PrivateKey
	var pub *rsa.PublicKey
	switch k := key.(type) {
	case *rsa.PrivateKey:
		priv, pub = k, &k.PublicKey
	case *rsa.PublicKey:
		pub = k
	default:
		return nil, dataError("Input was not an RSA key.")
	}
	exponent := big.NewInt(int64(pub.E)).Bytes()
	if err := validateRSAParams((pub.N.BitLen()+7)/8*8, exponent, true); err != nil {
		return nil, err
	}
	return newRSAKey(name, typ, hash, priv, pub, exponent, extractable, set), nil
}

// readRSAJWK makes an RSA key from a JWK (workerd's rsaJwkReader).
func readRSAJWK(name string, hash digestAlgorithm, j *jwk, typ keyType) (any, error) {
	if j.kty != "RSA" {
		return nil, dataError("RSASSA-PKCS1-v1_5 \"jwk\" key import requires a JSON Web Key with Key Type parameter \"kty\" (\"%s\") equal to \"RSA\".", j.kty)
	}
	if j.alg.ok {
		h, ok := rsaJWKAlgorithms[name][j.alg.v]
		if !ok {
			return nil, notSupported("Unrecognized or unimplemented algorithm \"%s\" listed in JSON Web Key Algorithm parameter.", j.alg.v)
		}
		if h != hash.name {
			return nil, dataError("JSON Web Key Algorithm parameter \"alg\" (\"%s\") does not match requested hash algorithm \"%s\".", j.alg.v, j.alg.v)
		}
	}
	number := func(v optString, what string) (*big.Int, error) {
		b, err := jwkBytes(v, dataError("Invalid RSA key in JSON Web Key; %s.", what))
		return new(big.Int).SetBytes(b), err
	}
	n, err := number(j.n, "missing or invalid Modulus parameter (\"n\")")
	if err != nil {
		return nil, err
	}
	e, err := number(j.e, "missing or invalid Exponent parameter (\"e\")")
	if err != nil {
		return nil, err
	}
	if !e.IsInt64() || e.Int64() > 1<<31-1 {
		return nil, operationError("The \"publicExponent\" must be either 3 or 65537, but got a number larger than 2^32.")
	}
	pub := &rsa.PublicKey{N: n, E: int(e.Int64())}
	if typ == publicKey {
		return pub, nil
	}
	d, err := number(j.d, "missing or invalid Private Exponent parameter (\"d\")")
	if err != nil {
		return nil, err
	}
	present := 0
	for _, v := range []optString{j.p, j.q, j.dp, j.dq, j.qi} {
		if v.ok {
			present++
		}
	}
	if present != 5 {
		if present != 0 {
			return nil, dataError("Invalid RSA private key in JSON Web Key; if one Prime Factor or CRT Exponent/Coefficient parameter is present, then they must all be present (\"p\", \"q\", \"dp\", \"dq\", \"qi\").")
		}
		// crypto/rsa needs the primes.
		return nil, notSupported("RSA private keys without their prime factors (\"p\", \"q\") are not supported by emu.")
	}
	primes := make([]*big.Int, 2)
	for i, f := range []struct {
		v    optString
		what string
	}{{j.p, "invalid First Prime Factor parameter (\"p\")"}, {j.q, "invalid Second Prime Factor parameter (\"q\")"}} {
		if primes[i], err = number(f.v, f.what); err != nil {
			return nil, err
		}
	}
	for _, f := range []struct {
		v    optString
		what string
	}{{j.dp, "invalid First Factor CRT Exponent parameter (\"dp\")"}, {j.dq, "invalid Second Factor CRT Exponent parameter (\"dq\")"}, {j.qi, "invalid First CRT Coefficient parameter (\"qi\")"}} {
		if _, err := number(f.v, f.what); err != nil {
			return nil, err
		}
	}
	priv := &rsa.PrivateKey{PublicKey: *pub, D: d, Primes: primes}
	if err := priv.Validate(); err != nil {
		return nil, dataError("Invalid RSA key in JSON Web Key; failed to set key parameters.")
	}
	priv.Precompute()
	return priv, nil
}

func (r *rsaKey) sign(k *cryptoKey, p *algParams, data []byte) ([]byte, error) {
	if k.typ != privateKey {
		return nil, invalidAccess("Asymmetric signing requires a private key.")
	}
	if k.alg == "RSA-OAEP" {
		return nil, notSupported("The sign and verify operations are not implemented for \"%s\".", k.alg)
	}
	size := r.pub.Size()
	h := r.hash.new()
	h.Write(data)
	digest := h.Sum(nil)
	if k.alg == "RSASSA-PKCS1-v1_5" {
		if r.hash.size+32 > size {
			return nil, operationError("key too small for signing with given digest, need at least %dbits.", 8*(r.hash.size+32))
		}
		sig, err := rsa.SignPKCS1v15(nil, r.priv, r.hash.cryptoHash(), digest)
		if err != nil {
			return nil, operationError("RSA signing failed: %v.", err)
		}
		return sig, nil
	}
	if !p.saltLength.ok {
		return nil, dataError("Failed to provide salt for RSA-PSS key operation which requires a salt")
	}
	salt := p.saltLength.v
	if salt < 0 {
		return nil, dataError("SaltLength for RSA-PSS must be non-negative (provided %d).", salt)
	}
	if r.hash.size+2 > size {
		return nil, operationError("key too small for signing with given digest")
	}
	if salt > size-r.hash.size-2 {
		return nil, operationError("key too small for signing with given digest and salt length")
	}
	if salt == 0 {
		// crypto/rsa reads a salt length of 0 as "as long as possible".
		return nil, notSupported("RSA-PSS signing with a saltLength of 0 is not supported by emu.")
	}
	sig, err := rsa.SignPSS(rand.Reader, r.priv, r.hash.cryptoHash(), digest, &rsa.PSSOptions{SaltLength: salt})
	if err != nil {
		return nil, operationError("RSA signing failed: %v.", err)
	}
	return sig, nil
}

func (r *rsaKey) verify(k *cryptoKey, p *algParams, sig, data []byte) (bool, error) {
	if k.typ != publicKey {
		return false, invalidAccess("Asymmetric verification requires a public key.")
	}
	if k.alg == "RSA-OAEP" {
		return false, notSupported("The sign and verify operations are not implemented for \"%s\".", k.alg)
	}
	h := r.hash.new()
	h.Write(data)
	digest := h.Sum(nil)
	if k.alg == "RSASSA-PKCS1-v1_5" {
		return rsa.VerifyPKCS1v15(r.pub, r.hash.cryptoHash(), digest, sig) == nil, nil
	}
	if !p.saltLength.ok {
		return false, typeError("Failed to provide salt for RSA-PSS key operation which requires a salt")
	}
	if p.saltLength.v < 0 {
		return false, dataError("SaltLength for RSA-PSS must be non-negative (provided %d).", p.saltLength.v)
	}
	// A saltLength of 0 is crypto/rsa's "any length" (PSSSaltLengthAuto).
	err := rsa.VerifyPSS(r.pub, r.hash.cryptoHash(), digest, sig, &rsa.PSSOptions{SaltLength: p.saltLength.v})
	return err == nil, nil
}

func (r *rsaKey) encrypt(k *cryptoKey, p *algParams, data []byte) ([]byte, error) {
	if k.alg != "RSA-OAEP" {
		return r.noOps.encrypt(k, p, data)
	}
	if k.typ != publicKey {
		return nil, invalidAccess("Encryption/key wrapping only works with public keys, not \"%s\".", k.typ)
	}
	out, err := rsa.EncryptOAEP(r.hash.new(), rand.Reader, r.pub, data, p.label.b)
	if err != nil {
		return nil, operationError("RSA-OAEP failed encrypt/decrypt.")
	}
	return out, nil
}

func (r *rsaKey) decrypt(k *cryptoKey, p *algParams, data []byte) ([]byte, error) {
	if k.alg != "RSA-OAEP" {
		return r.noOps.decrypt(k, p, data)
	}
	if k.typ != privateKey {
		return nil, invalidAccess("Decryption/key unwrapping only works with private keys, not \"%s\".", k.typ)
	}
	out, err := rsa.DecryptOAEP(r.hash.new(), nil, r.priv, data, p.label.b)
	if err != nil {
		return nil, operationError("RSA-OAEP failed encrypt/decrypt.")
	}
	return out, nil
}

func (r *rsaKey) exportKey(k *cryptoKey, format string) (exportedKey, error) {
	var key any = r.pub
	if r.priv != nil {
		key = r.priv
	}
	return asymmetricExport(k, format, key, func() (*jwk, error) {
		if r.hash.name == "MD5" {
			return nil, notSupported("JWK export not supported for hash algorithm \"%s\".", r.hash.name)
		}
		alg := map[string]string{"RSASSA-PKCS1-v1_5": "RS", "RSA-PSS": "PS", "RSA-OAEP": "RSA-OAEP-"}[k.alg] + r.hash.name[4:]
		if r.hash.name == "SHA-1" && k.alg == "RSA-OAEP" {
			alg = "RSA-OAEP"
		}
		j := &jwk{
			kty: "RSA", alg: optString{alg, true},
			n: encodeBase64URL(r.pub.N.Bytes()),
			e: encodeBase64URL(big.NewInt(int64(r.pub.E)).Bytes()),
		}
		if r.priv != nil {
			j.d = encodeBase64URL(r.priv.D.Bytes())
			j.p = encodeBase64URL(r.priv.Primes[0].Bytes())
			j.q = encodeBase64URL(r.priv.Primes[1].Bytes())
			j.dp = encodeBase64URL(r.priv.Precomputed.Dp.Bytes())
			j.dq = encodeBase64URL(r.priv.Precomputed.Dq.Bytes())
			j.qi = encodeBase64URL(r.priv.Precomputed.Qinv.Bytes())
		}
		return j, nil
	}, func() ([]byte, error) {
		return nil, invalidAccess("Cannot export \"%s\" in \"raw\" format.", k.alg)
	})
}
