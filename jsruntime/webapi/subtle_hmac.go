package webapi

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/subtle"
	"strings"
)

// HMAC (workerd's hmac.c++): sign, verify, raw and jwk import and export.

type hmacKey struct {
	noOps
	secret []byte
	hash   digestAlgorithm
}

func (h *hmacKey) mac(data []byte) []byte {
	m := hmac.New(h.hash.new, h.secret)
	m.Write(data)
	return m.Sum(nil)
}

func (h *hmacKey) sign(_ *cryptoKey, _ *algParams, data []byte) ([]byte, error) {
	return h.mac(data), nil
}

func (h *hmacKey) verify(_ *cryptoKey, _ *algParams, sig, data []byte) (bool, error) {
	mac := h.mac(data)
	return len(mac) == len(sig) && subtle.ConstantTimeCompare(mac, sig) == 1, nil
}

func (h *hmacKey) exportKey(k *cryptoKey, format string) (exportedKey, error) {
	switch format {
	case "raw":
		return exportedKey{raw: append([]byte{}, h.secret...)}, nil
	case "jwk":
		if !strings.HasPrefix(h.hash.name, "SHA-") {
			return exportedKey{}, notSupported("Unimplemented JWK key export format for key algorithm \"%s\".", h.hash.name)
		}
		return exportedKey{jwk: &jwk{
			kty:    "oct",
			k:      encodeBase64URL(h.secret),
			alg:    optString{"HS" + h.hash.name[4:], true},
			keyOps: k.usages.names(), hasKeyOps: true,
			ext: true, hasExt: true,
		}}, nil
	}
	return exportedKey{}, notSupported("Unimplemented key export format \"%s\".", format)
}

// newHMACKey makes an HMAC key of length bits over secret, zeroing the
// bits of the last byte past length as workerd does.
func newHMACKey(secret []byte, length int, hash digestAlgorithm, extractable bool, usages usageSet) *cryptoKey {
	if extra := len(secret)*8 - length; extra > 0 && extra < 8 {
		secret[len(secret)-1] &= 0xff << extra
	}
	return &cryptoKey{
		alg: "HMAC", typ: secretKey, extractable: extractable, usages: usages,
		algorithm: keyAlgorithm{kind: kindHMAC, name: "HMAC", hash: hash.name, length: length & 0xffff},
		impl:      &hmacKey{secret: secret, hash: hash},
	}
}

func generateHMAC(name string, p *algParams, extractable bool, usages []string) (generated, error) {
	if !p.hash.ok {
		return generated{}, typeError("Missing field \"hash\" in \"algorithm\".")
	}
	hash, err := lookupDigest(p.hash.v)
	if err != nil {
		return generated{}, err
	}
	set, err := validateUsages(name, ctxGenerate, usages, usageSignVerify)
	if err != nil {
		return generated{}, err
	}
	length := hash.blockBits
	if p.length.ok {
		length = p.length.v
	}
	if length <= 0 {
		return generated{}, operationError("HMAC key length must be a non-zero unsigned long integer (requested %d).", length)
	}
	secret := make([]byte, (length+7)/8)
	_, _ = rand.Read(secret)
	return generated{key: newHMACKey(secret, length, hash, extractable, set)}, nil
}

func importHMAC(name, format string, data importData, p *algParams, extractable bool, usages []string) (*cryptoKey, error) {
	set, err := validateUsages(name, ctxImportSecret, usages, usageSignVerify)
	if err != nil {
		return nil, err
	}
	if !p.hash.ok {
		return nil, typeError("Missing field \"hash\" in \"algorithm\".")
	}
	hashName := p.hash.v
	var secret []byte
	switch format {
	case "raw":
		secret = data.raw
	case "jwk":
		j := data.jwk
		if j.kty != "oct" {
			return nil, dataError("HMAC \"jwk\" key import requires a JSON Web Key with Key Type parameter (\"kty\") equal to \"oct\" (encountered \"%s\").", j.kty)
		}
		if secret, err = jwkBytes(j.k, dataError("HMAC \"jwk\" key import requires a base64Url encoding of the key")); err != nil {
			return nil, err
		}
		if j.alg.ok {
			// workerd compares the hash name as given (case and all).
			if !strings.HasPrefix(hashName, "SHA-") {
				return nil, notSupported("Unrecognized or unimplemented hash algorithm requested%s", j.alg.v)
			}
			if want := "HS" + hashName[4:]; j.alg.v != want {
				return nil, dataError("HMAC \"jwk\" key import specifies \"alg\" that is incompatible with the hash name (encountered \"%s\", expected \"%s\").", j.alg.v, want)
			}
		}
	default:
		return nil, notSupported("Unrecognized key import format \"%s\".", format)
	}
	keySize := len(secret) * 8
	length := keySize
	if p.length.ok {
		length = p.length.v
	}
	if length <= 0 || length > keySize || length <= keySize-8 {
		return nil, dataError("Imported HMAC key length (%d) must be a non-zero value up to 7 bits less than, and no greater than, the bit length of the raw key data (%d).", length, keySize)
	}
	hash, err := lookupDigest(hashName)
	if err != nil {
		return nil, err
	}
	return newHMACKey(secret, length, hash, extractable, set), nil
}
