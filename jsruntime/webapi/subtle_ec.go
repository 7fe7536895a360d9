package webapi

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"math/big"
)

// ECDSA and ECDH on P-256, P-384 and P-521 (workerd's ec.c++).

// curveInfo is a NIST curve WebCrypto names.
type curveInfo struct {
	name  string // "P-256"
	curve elliptic.Curve
	size  int // bytes of a coordinate, of d, and of r and s in a signature
}

func lookupCurve(name string) (curveInfo, error) {
	switch asciiUpper(name) {
	case "P-256":
		return curveInfo{"P-256", elliptic.P256(), 32}, nil
	case "P-384":
		return curveInfo{"P-384", elliptic.P384(), 48}, nil
	case "P-521":
		return curveInfo{"P-521", elliptic.P521(), 66}, nil
	}
	return curveInfo{}, notSupported("Unrecognized or unimplemented EC curve \"%s\" requested.", name)
}

type ecKey struct {
	noOps
	curve curveInfo
	priv  *ecdsa.PrivateKey // nil for a public key
	pub   *ecdsa.PublicKey
}

func newECKey(name string, curve curveInfo, typ keyType, priv *ecdsa.PrivateKey, pub *ecdsa.PublicKey, extractable bool, usages usageSet) *cryptoKey {
	return &cryptoKey{
		alg: name, typ: typ, extractable: extractable, usages: usages,
		algorithm: keyAlgorithm{kind: kindEC, name: name, namedCurve: curve.name},
		impl:      &ecKey{curve: curve, priv: priv, pub: pub},
	}
}

func generateEC(name string, p *algParams, extractable bool, usages []string) (generated, error) {
	mask := usageSignVerify
	if name == "ECDH" {
		mask = usageDerivationMask
	}
	set, err := validateUsages(name, ctxGenerate, usages, mask)
	if err != nil {
		return generated{}, err
	}
	if !p.namedCurve.ok {
		return generated{}, typeError("Missing field \"namedCurve\" in \"algorithm\".")
	}
	curve, err := lookupCurve(p.namedCurve.v)
	if err != nil {
		return generated{}, err
	}
	priv, err := ecdsa.GenerateKey(curve.curve, rand.Reader)
	if err != nil {
		return generated{}, operationError("Error generating EC \"%s\" key.", p.namedCurve.v)
	}
	privUsages, pubUsages := set&usagePrivateMask, set&usagePublicMask
	if name == "ECDH" {
		privUsages, pubUsages = set, 0
	}
	return generated{
		public:  newECKey(name, curve, publicKey, nil, &priv.PublicKey, true, pubUsages),
		private: newECKey(name, curve, privateKey, priv, &priv.PublicKey, extractable, privUsages),
	}, nil
}

func importEC(name, format string, data importData, p *algParams, extractable bool, usages []string) (*cryptoKey, error) {
	if !p.namedCurve.ok {
		return nil, typeError("Missing field \"namedCurve\" in \"algorithm\".")
	}
	curve, err := lookupCurve(p.namedCurve.v)
	if err != nil {
		return nil, err
	}
	allowed, rawAllowed := usageSignVerify, usageVerify
	if name == "ECDH" {
		allowed, rawAllowed = usageDerivationMask, 0
	}
	var key any
	var typ keyType
	var set usageSet
	if format == "raw" {
		if set, err = validateUsages(name, ctxImportPublic, usages, rawAllowed); err != nil {
			return nil, err
		}
		typ = publicKey
		if key, err = parseECPoint(curve, data.raw); err != nil {
			return nil, err
		}
	} else {
		key, typ, set, err = importAsymmetric(name, format, data, extractable, usages, allowed,
			func(j *jwk, typ keyType) (any, error) { return readECJWK(name, curve, j, typ) })
		if err != nil {
			return nil, err
		}
	}
	var priv *ecdsa.PrivateKey
	var pub *ecdsa.PublicKey
	switch k := key.(type) {
	case *ecdsa.PrivateKey:
		priv, pub = k, &k.PublicKey
	case *ecdsa.PublicKey:
		pub = k
	default:
		if name == "ECDH" {
			return nil, dataError("Input was not an EC public key nor a DH key.")
		}
		return nil, dataError("Input was not an EC key.")
	}
	if pub.Curve != curve.curve {
		if name == "ECDH" {
			return nil, dataError("\"algorithm.namedCurve\" \"%s\", does not match the curve specified by the input key data.", p.namedCurve.v)
		}
		return nil, dataError("\"algorithm.namedCurve\" \"%s\" does not match the curve specified by the input key data.", p.namedCurve.v)
	}
	return newECKey(name, curve, typ, priv, pub, extractable, set), nil
}

// parseECPoint parses a raw public key: an uncompressed point (BoringSSL
// would also take a compressed one, which Go's crypto does not).
func parseECPoint(curve curveInfo, raw []byte) (*ecdsa.PublicKey, error) {
	if len(raw) == 1 && raw[0] == 0 { // the point at infinity
		return nil, dataError("Invalid raw EC key provided.")
	}
	if len(raw) != 1+2*curve.size || raw[0] != 4 {
		return nil, dataError("Failed to import raw EC key data: Invalid point encoding.")
	}
	pub, err := ecdsa.ParseUncompressedPublicKey(curve.curve, raw)
	if err != nil {
		return nil, dataError("Failed to import raw EC key data: Point is not on curve.")
	}
	return pub, nil
}

// fixedBytes is b as a big-endian number of exactly n bytes, if it fits.
func fixedBytes(b []byte, n int) ([]byte, bool) {
	b = bytes.TrimLeft(b, "\x00")
	if len(b) > n {
		return nil, false
	}
	out := make([]byte, n)
	copy(out[n-len(b):], b)
	return out, true
}

// readECJWK makes an EC key from a JWK (workerd's ellipticJwkReader).
func readECJWK(name string, curve curveInfo, j *jwk, typ keyType) (any, error) {
	if j.kty != "EC" {
		return nil, dataError("Elliptic curve \"jwk\" key import requires a JSON Web Key with Key Type parameter \"kty\" (\"%s\") equal to \"EC\".", j.kty)
	}
	if name == "ECDSA" && j.alg.ok {
		want := map[string]string{"ES256": "P-256", "ES384": "P-384", "ES512": "P-521"}[j.alg.v]
		if want == "" {
			return nil, notSupported("Unrecognized or unimplemented algorithm \"%s\" listed in JSON Web Key Algorithm parameter.", j.alg.v)
		}
		if want != curve.name {
			return nil, dataError("JSON Web Key Algorithm parameter \"alg\" (\"%s\") does not match requested curve.", j.alg.v)
		}
	}
	x, err := jwkBytes(j.x, dataError("Invalid EC key in JSON Web Key; missing \"x\"."))
	if err != nil {
		return nil, err
	}
	y, err := jwkBytes(j.y, dataError("Invalid EC key in JSON Web Key; missing \"y\"."))
	if err != nil {
		return nil, err
	}
	badPoint := operationError("Invalid EC key; public key coordinates \"x\" and \"y\" are invalid: Point is not on curve.")
	fx, okx := fixedBytes(x, curve.size)
	fy, oky := fixedBytes(y, curve.size)
	if !okx || !oky {
		return nil, badPoint
	}
	pub, err := ecdsa.ParseUncompressedPublicKey(curve.curve, append(append([]byte{4}, fx...), fy...))
	if err != nil {
		return nil, badPoint
	}
	if typ == publicKey {
		return pub, nil
	}
	d, err := jwkBytes(j.d, dataError("Invalid EC key in JSON Web Key; missing or invalid private key component (\"d\")."))
	if err != nil {
		return nil, err
	}
	fd, ok := fixedBytes(d, curve.size)
	if !ok {
		return nil, operationError("Invalid EC key; private key component \"d\" is invalid.")
	}
	priv, err := ecdsa.ParseRawPrivateKey(curve.curve, fd)
	if err != nil {
		return nil, operationError("Invalid EC key; private key component \"d\" is invalid.")
	}
	if !priv.PublicKey.Equal(pub) {
		return nil, dataError("Invalid EC key in JSON Web Key.")
	}
	return priv, nil
}

// ecdsaHash is the hash ECDSA signs with: the one given at call time.
func ecdsaHash(k *cryptoKey, p *algParams) (digestAlgorithm, error) {
	if k.alg != "ECDSA" {
		return digestAlgorithm{}, notSupported("The sign and verify operations are not implemented for \"%s\".", k.alg)
	}
	if !p.hash.ok {
		return digestAlgorithm{}, typeError("Missing \"hash\" in AlgorithmIdentifier. (ECDSA requires that the hash algorithm be specified at call time rather than on the key. This differs from other WebCrypto algorithms for historical reasons.)")
	}
	return lookupDigest(p.hash.v)
}

// sign signs with ECDSA; the signature is r and s, each curve.size bytes.
func (e *ecKey) sign(k *cryptoKey, p *algParams, data []byte) ([]byte, error) {
	if k.typ != privateKey {
		return nil, invalidAccess("Asymmetric signing requires a private key.")
	}
	hash, err := ecdsaHash(k, p)
	if err != nil {
		return nil, err
	}
	h := hash.new()
	h.Write(data)
	r, s, err := ecdsa.Sign(rand.Reader, e.priv, h.Sum(nil))
	if err != nil {
		return nil, operationError("ECDSA signing failed.")
	}
	sig := make([]byte, 2*e.curve.size)
	r.FillBytes(sig[:e.curve.size])
	s.FillBytes(sig[e.curve.size:])
	return sig, nil
}

func (e *ecKey) verify(k *cryptoKey, p *algParams, sig, data []byte) (bool, error) {
	if k.typ != publicKey {
		return false, invalidAccess("Asymmetric verification requires a public key.")
	}
	hash, err := ecdsaHash(k, p)
	if err != nil {
		return false, err
	}
	if len(sig) != 2*e.curve.size {
		return false, nil
	}
	h := hash.new()
	h.Write(data)
	r := new(big.Int).SetBytes(sig[:e.curve.size])
	s := new(big.Int).SetBytes(sig[e.curve.size:])
	return ecdsa.Verify(e.pub, h.Sum(nil), r, s), nil
}

// deriveBits is ECDH: the shared secret's x coordinate, cut to length bits.
func (e *ecKey) deriveBits(k *cryptoKey, p *algParams, length optInt) ([]byte, error) {
	if k.alg != "ECDH" {
		return nil, notSupported("The deriveBits operation is not implemented for \"%s\".", k.alg)
	}
	peer, err := checkPeer(k, p)
	if err != nil {
		return nil, err
	}
	other := peer.impl.(*ecKey)
	if other.curve.name != e.curve.name {
		return nil, invalidAccess("Private key for derivation is using curve \"%s\" while public key is using \"%s\".", e.curve.name, other.curve.name)
	}
	priv, err := e.priv.ECDH()
	if err != nil {
		return nil, operationError("Failed to generate shared ECDH secret.")
	}
	pub, err := other.pub.ECDH()
	if err != nil {
		return nil, operationError("Failed to generate shared ECDH secret.")
	}
	secret, err := priv.ECDH(pub)
	if err != nil {
		return nil, operationError("Failed to generate shared ECDH secret.")
	}
	return truncateBits(secret, length)
}

// checkPeer checks the public key of an ECDH or X25519 derivation against
// the private key k.
func checkPeer(k *cryptoKey, p *algParams) (*cryptoKey, error) {
	if k.typ != privateKey {
		return nil, invalidAccess("The deriveBits operation is only valid for a private key, not \"%s\".", k.typ)
	}
	peer := p.public
	if peer == nil {
		return nil, typeError("Missing field \"public\" in \"derivedKeyParams\".")
	}
	if peer.typ != publicKey {
		return nil, invalidAccess("The provided key has type \"%s\", not \"public\"", peer.typ)
	}
	if peer.algorithm.kind != k.algorithm.kind {
		return nil, invalidAccess("Base %s private key cannot be used to derive a key from a peer %s public key", k.alg, peer.alg)
	}
	if peer.alg != k.alg {
		return nil, invalidAccess("Private key for derivation is using \"%s\" while public key is using \"%s\".", k.alg, peer.alg)
	}
	return peer, nil
}

// truncateBits cuts a shared secret to length bits (all of it if length is
// absent), zeroing the unused low bits of the last byte.
func truncateBits(secret []byte, length optInt) ([]byte, error) {
	bits := len(secret) * 8
	if length.ok {
		if length.v > bits {
			return nil, operationError("Derived key length (%d bits) is too long (should be at most %d bits).", length.v, bits)
		}
		bits = length.v
	}
	out := secret[:(bits+7)/8]
	if r := bits % 8; r != 0 {
		out[len(out)-1] &= 0xff << (8 - r)
	}
	return out, nil
}

func (e *ecKey) exportKey(k *cryptoKey, format string) (exportedKey, error) {
	var key any = e.pub
	if e.priv != nil {
		key = e.priv
	}
	point := func() []byte {
		b, _ := e.pub.Bytes() // a valid key on a NIST curve
		return b
	}
	return asymmetricExport(k, format, key, func() (*jwk, error) {
		pt := point()
		j := &jwk{
			kty: "EC",
			crv: optString{e.curve.name, true},
			x:   encodeBase64URL(pt[1 : 1+e.curve.size]),
			y:   encodeBase64URL(pt[1+e.curve.size:]),
		}
		if e.priv != nil {
			d, err := e.priv.Bytes()
			if err != nil {
				return nil, operationError("Error getting private key material for JSON Web Key export.")
			}
			j.d = encodeBase64URL(d)
		}
		return j, nil
	}, func() ([]byte, error) {
		if k.typ != publicKey {
			return nil, invalidAccess("Raw export of elliptic curve keys is only allowed for public keys.")
		}
		return point(), nil
	})
}
