package webapi

import (
	"crypto/hkdf"
	"crypto/pbkdf2"

	"github.com/emu-dev/emu/jsruntime"
)

// PBKDF2 and HKDF (workerd's pbkdf2.c++ and hkdf.c++): raw import,
// deriveBits and deriveKey.

// maxPBKDF2Iterations is the cap Cloudflare's runtime puts on PBKDF2
// (workerd's DEFAULT_MAX_PBKDF2_ITERATIONS): more is a NotSupportedError.
// The workerd binary wrangler runs locally has no cap; emu keeps the one a
// deployed Worker meets.
const maxPBKDF2Iterations = 100_000

// kdfKey is a PBKDF2 or HKDF key: a secret that can only be derived from.
type kdfKey struct {
	noOps
	secret []byte
}

func importKDF(name, format string, data importData, extractable bool, usages []string) (*cryptoKey, error) {
	set, err := validateUsages(name, ctxImportSecret, usages, usageDerivationMask)
	if err != nil {
		return nil, err
	}
	if extractable {
		return nil, syntaxError("%s key cannot be extractable.", name)
	}
	if format != "raw" {
		if name == "HKDF" {
			return nil, notSupported("HKDF key must be imported in \"raw\" format (requested \"%s\")", format)
		}
		return nil, notSupported("PBKDF2 key must be imported in \"raw\" format (requested \"%s\").", format)
	}
	k := &kdfKey{secret: data.raw}
	var impl keyImpl = &pbkdf2Key{*k}
	if name == "HKDF" {
		impl = &hkdfKey{*k}
	}
	return &cryptoKey{
		alg: name, typ: secretKey, usages: set,
		algorithm: keyAlgorithm{kind: kindPlain, name: name},
		impl:      impl,
	}, nil
}

func importPBKDF2(name, format string, data importData, _ *algParams, extractable bool, usages []string) (*cryptoKey, error) {
	return importKDF(name, format, data, extractable, usages)
}

func importHKDF(name, format string, data importData, _ *algParams, extractable bool, usages []string) (*cryptoKey, error) {
	return importKDF(name, format, data, extractable, usages)
}

// kdfLength checks a KDF's derived length in bits, returning it in bytes.
func kdfLength(name string, length optInt) (int, error) {
	if !length.ok {
		return 0, operationError("%s cannot derive a key with null length.", name)
	}
	if length.v == 0 || length.v%8 != 0 {
		return 0, operationError("%s requires a derived key length that is a non-zero multiple of eight (requested %d).", name, length.v)
	}
	return length.v / 8, nil
}

type pbkdf2Key struct{ kdfKey }

func (k *pbkdf2Key) deriveBits(_ *cryptoKey, p *algParams, length optInt) ([]byte, error) {
	if !p.hash.ok {
		return nil, typeError("Missing field \"hash\" in \"algorithm\".")
	}
	hash, err := lookupDigest(p.hash.v)
	if err != nil {
		return nil, err
	}
	if !p.salt.ok {
		return nil, typeError("Missing field \"salt\" in \"algorithm\".")
	}
	if !p.iterations.ok {
		return nil, typeError("Missing field \"iterations\" in \"algorithm\".")
	}
	n, err := kdfLength("PBKDF2", length)
	if err != nil {
		return nil, err
	}
	iterations := p.iterations.v
	if iterations <= 0 {
		return nil, operationError("PBKDF2 requires a positive iteration count (requested %d).", iterations)
	}
	if iterations > maxPBKDF2Iterations {
		return nil, notSupported("Pbkdf2 failed: iteration counts above %d are not supported (requested %d).", maxPBKDF2Iterations, iterations)
	}
	out, err := pbkdf2.Key(hash.new, string(k.secret), p.salt.b, iterations, n)
	if err != nil {
		return nil, jsruntime.Errorf(jsruntime.Error, "PBKDF2 deriveBits failed.")
	}
	return out, nil
}

type hkdfKey struct{ kdfKey }

func (k *hkdfKey) deriveBits(_ *cryptoKey, p *algParams, length optInt) ([]byte, error) {
	if !p.hash.ok {
		return nil, typeError("Missing field \"hash\" in \"algorithm\".")
	}
	hash, err := lookupDigest(p.hash.v)
	if err != nil {
		return nil, err
	}
	if !p.salt.ok {
		return nil, typeError("Missing field \"salt\" in \"algorithm\".")
	}
	if !p.info.ok {
		return nil, typeError("Missing field \"info\" in \"algorithm\".")
	}
	n, err := kdfLength("HKDF", length)
	if err != nil {
		return nil, err
	}
	out, err := hkdf.Key(hash.new, k.secret, p.salt.b, string(p.info.b), n)
	if err != nil { // longer than 255 hashes
		return nil, operationError("HKDF deriveBits failed.")
	}
	return out, nil
}
