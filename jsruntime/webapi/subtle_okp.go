package webapi

import (
	"crypto/ecdh"
	"crypto/ed25519"
	"crypto/rand"
)

// Ed25519 (and its older Workers name NODE-ED25519) and X25519 (workerd's
// EdDsaKey in ec.c++).

type okpKey struct {
	noOps
	edPriv ed25519.PrivateKey // Ed25519 keys
	edPub  ed25519.PublicKey
	xPriv  *ecdh.PrivateKey // X25519 keys
	xPub   *ecdh.PublicKey
}

// okpCurve is the curve of an OKP algorithm as workerd's messages name it.
func okpCurve(name string) string {
	if name == "X25519" {
		return "X25519"
	}
	return "Ed25519"
}

func newOKPKey(name string, typ keyType, impl *okpKey, extractable bool, usages usageSet) *cryptoKey {
	a := keyAlgorithm{kind: kindPlain, name: name}
	if name == "NODE-ED25519" {
		a = keyAlgorithm{kind: kindEC, name: name, namedCurve: name}
	}
	return &cryptoKey{alg: name, typ: typ, extractable: extractable, usages: usages, algorithm: a, impl: impl}
}

func checkNodeCurve(name string, p *algParams) error {
	if name != "NODE-ED25519" {
		return nil
	}
	if !p.namedCurve.ok {
		return typeError("Missing field \"namedCurve\" in \"algorithm\".")
	}
	if p.namedCurve.v != "NODE-ED25519" {
		return notSupported("EDDSA curve \"%s\" isn't supported.", p.namedCurve.v)
	}
	return nil
}

func generateOKP(name string, p *algParams, extractable bool, usages []string) (generated, error) {
	mask := usageSignVerify
	if name == "X25519" {
		mask = usageDerivationMask
	}
	set, err := validateUsages(name, ctxGenerate, usages, mask)
	if err != nil {
		return generated{}, err
	}
	if err := checkNodeCurve(name, p); err != nil {
		return generated{}, err
	}
	pub, priv := &okpKey{}, &okpKey{}
	if name == "X25519" {
		k, err := ecdh.X25519().GenerateKey(rand.Reader)
		if err != nil {
			return generated{}, operationError("Error constructing X25519 private key.")
		}
		priv.xPriv, priv.xPub, pub.xPub = k, k.PublicKey(), k.PublicKey()
	} else {
		pk, sk, err := ed25519.GenerateKey(rand.Reader)
		if err != nil {
			return generated{}, operationError("Error constructing Ed25519 private key.")
		}
		priv.edPriv, priv.edPub, pub.edPub = sk, pk, pk
	}
	return generated{
		public:  newOKPKey(name, publicKey, pub, true, set&usagePublicMask),
		private: newOKPKey(name, privateKey, priv, extractable, set&usagePrivateMask),
	}, nil
}

func importOKP(name, format string, data importData, p *algParams, extractable bool, usages []string) (*cryptoKey, error) {
	if err := checkNodeCurve(name, p); err != nil {
		return nil, err
	}
	curve := okpCurve(name)
	allowed, rawAllowed := usageSignVerify, usageVerify
	if name == "X25519" {
		allowed, rawAllowed = usageDerivationMask, 0
	}
	var key any
	var typ keyType
	var set usageSet
	var err error
	if format == "raw" {
		if set, err = validateUsages(name, ctxImportPublic, usages, rawAllowed); err != nil {
			return nil, err
		}
		if len(data.raw) != 32 {
			return nil, dataError("%s raw keys must be exactly 32-bytes (provided %d).", curve, len(data.raw))
		}
		typ = publicKey
		if key, err = okpPublic(curve, data.raw); err != nil {
			return nil, err
		}
	} else {
		key, typ, set, err = importAsymmetric(name, format, data, extractable, usages, allowed,
			func(j *jwk, typ keyType) (any, error) { return readOKPJWK(curve, j, typ) })
		if err != nil {
			return nil, err
		}
	}
	impl := &okpKey{}
	switch k := key.(type) {
	case ed25519.PrivateKey:
		impl.edPriv, impl.edPub = k, k.Public().(ed25519.PublicKey)
	case ed25519.PublicKey:
		impl.edPub = k
	case *ecdh.PrivateKey:
		impl.xPriv, impl.xPub = k, k.PublicKey()
	case *ecdh.PublicKey:
		impl.xPub = k
	}
	if (curve == "X25519") != (impl.xPub != nil) || (impl.xPub == nil && impl.edPub == nil) || !sameOKPCurve(impl) {
		return nil, dataError("Input was not an %s key.", curve)
	}
	return newOKPKey(name, typ, impl, extractable, set), nil
}

// sameOKPCurve reports whether an X25519 key parsed from DER is X25519
// (crypto/ecdh also parses NIST curve keys).
func sameOKPCurve(k *okpKey) bool {
	return k.xPub == nil || k.xPub.Curve() == ecdh.X25519()
}

// okpPublic makes a public key from its 32 bytes.
func okpPublic(curve string, raw []byte) (any, error) {
	if curve == "X25519" {
		k, err := ecdh.X25519().NewPublicKey(raw)
		if err != nil {
			return nil, operationError("Failed to import raw public EDDSA%d.", len(raw))
		}
		return k, nil
	}
	return ed25519.PublicKey(append([]byte{}, raw...)), nil
}

// readOKPJWK makes a key from an OKP JWK (workerd's ellipticJwkReader).
// A private key comes from "d" alone.
func readOKPJWK(curve string, j *jwk, typ keyType) (any, error) {
	if j.kty != "OKP" {
		return nil, dataError("%s \"jwk\" key imports requires a JSON Web Key with Key Type parameter \"kty\" (\"%s\") equal to \"OKP\".", curve, j.kty)
	}
	if !j.crv.ok {
		return nil, dataError("Missing field \"crv\" for %s key.", curve)
	}
	if j.crv.v != curve {
		return nil, notSupported("Only %s is supported but \"%s\" was requested.", curve, j.crv.v)
	}
	if curve == "Ed25519" && j.alg.ok && j.alg.v != "EdDSA" {
		return nil, dataError("JSON Web Key Algorithm parameter \"alg\" (\"%s\") does not match requested Ed25519 curve.", j.alg.v)
	}
	x, err := jwkBytes(j.x, dataError("Invalid %s key in JSON WebKey; missing or invalid public key component (\"x\").", j.crv.v))
	if err != nil {
		return nil, err
	}
	if len(x) != 32 {
		return nil, dataError("Invalid length %d for public key", len(x))
	}
	if typ == publicKey {
		return okpPublic(curve, x)
	}
	d, err := jwkBytes(j.d, dataError("Invalid %s key in JSON Web Key; missing or invalid private key component (\"d\").", curve))
	if err != nil {
		return nil, err
	}
	if len(d) != 32 {
		return nil, dataError("Invalid length %d for private key", len(d))
	}
	if curve == "X25519" {
		k, err := ecdh.X25519().NewPrivateKey(d)
		if err != nil {
			return nil, operationError("Failed to construct %s private key.", curve)
		}
		return k, nil
	}
	return ed25519.NewKeyFromSeed(d), nil
}

func (o *okpKey) sign(k *cryptoKey, _ *algParams, data []byte) ([]byte, error) {
	if k.typ != privateKey {
		return nil, invalidAccess("Asymmetric signing requires a private key.")
	}
	if o.edPriv == nil {
		return nil, operationError("Not implemented for algorithm \"%s\".", k.alg)
	}
	return ed25519.Sign(o.edPriv, data), nil
}

func (o *okpKey) verify(k *cryptoKey, _ *algParams, sig, data []byte) (bool, error) {
	if k.typ != publicKey {
		return false, invalidAccess("Asymmetric verification requires a public key.")
	}
	if o.edPub == nil {
		return false, operationError("Not implemented for this algorithm%s", k.alg)
	}
	if len(sig) != ed25519.SignatureSize {
		return false, operationError("Invalid %s signature length %d", k.alg, len(sig))
	}
	return ed25519.Verify(o.edPub, data, sig), nil
}

// deriveBits is X25519.
func (o *okpKey) deriveBits(k *cryptoKey, p *algParams, length optInt) ([]byte, error) {
	if k.alg != "X25519" {
		return nil, notSupported("The deriveBits operation is not implemented for \"%s\".", k.alg)
	}
	peer, err := checkPeer(k, p)
	if err != nil {
		return nil, err
	}
	if length.ok && length.v > 256 {
		return nil, operationError("Derived key length (%d bits) is too long (should be at most 256 bits).", length.v)
	}
	secret, err := o.xPriv.ECDH(peer.impl.(*okpKey).xPub)
	if err != nil { // an all-zero result: a small-order peer point
		return nil, operationError("Detected small order secure curve points, aborting EDDH derivation")
	}
	return truncateBits(secret, length)
}

func (o *okpKey) exportKey(k *cryptoKey, format string) (exportedKey, error) {
	var key any
	var pub []byte
	switch {
	case o.edPriv != nil:
		key, pub = o.edPriv, o.edPub
	case o.edPub != nil:
		key, pub = o.edPub, o.edPub
	case o.xPriv != nil:
		key, pub = o.xPriv, o.xPub.Bytes()
	default:
		key, pub = o.xPub, o.xPub.Bytes()
	}
	return asymmetricExport(k, format, key, func() (*jwk, error) {
		j := &jwk{kty: "OKP", crv: optString{okpCurve(k.alg), true}, x: encodeBase64URL(pub)}
		if k.alg == "Ed25519" {
			j.alg = optString{"EdDSA", true}
		}
		switch {
		case o.edPriv != nil:
			j.d = encodeBase64URL(o.edPriv.Seed())
		case o.xPriv != nil:
			j.d = encodeBase64URL(o.xPriv.Bytes())
		}
		return j, nil
	}, func() ([]byte, error) {
		if k.typ != publicKey {
			return nil, invalidAccess("Raw export of %s keys is only allowed for public keys.", k.alg)
		}
		return append([]byte{}, pub...), nil
	})
}
