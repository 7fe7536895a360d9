package webapi

// The SubtleCrypto methods that are not one key's operation: generateKey,
// importKey, exportKey, deriveKey, wrapKey and unwrapKey, and the table of
// algorithms they dispatch on (workerd's lookupAlgorithm in crypto.c++).

// importFunc imports a key of the algorithm normalized as name.
type importFunc func(name, format string, data importData, p *algParams, extractable bool, usages []string) (*cryptoKey, error)

// generateFunc generates a key, or a key pair, of the algorithm normalized
// as name.
type generateFunc func(name string, p *algParams, extractable bool, usages []string) (generated, error)

// generated is a generated secret key, or a key pair.
type generated struct {
	key             *cryptoKey
	public, private *cryptoKey
}

// algorithmDef is an algorithm importKey and generateKey know: its
// normalized name and how to import and generate its keys (nil if it
// cannot).
type algorithmDef struct {
	name       string
	importFn   importFunc
	generateFn generateFunc
}

// lookupAlgorithm finds an algorithm by name, ignoring ASCII case.
func lookupAlgorithm(name string) (algorithmDef, bool) {
	switch asciiUpper(name) {
	case "AES-CTR":
		return algorithmDef{"AES-CTR", importAES, generateAES}, true
	case "AES-CBC":
		return algorithmDef{"AES-CBC", importAES, generateAES}, true
	case "AES-GCM":
		return algorithmDef{"AES-GCM", importAES, generateAES}, true
	case "AES-KW":
		return algorithmDef{"AES-KW", importAES, generateAES}, true
	case "HMAC":
		return algorithmDef{"HMAC", importHMAC, generateHMAC}, true
	case "PBKDF2":
		return algorithmDef{"PBKDF2", importPBKDF2, nil}, true
	case "HKDF":
		return algorithmDef{"HKDF", importHKDF, nil}, true
	case "RSASSA-PKCS1-V1_5":
		return algorithmDef{"RSASSA-PKCS1-v1_5", importRSA, generateRSA}, true
	case "RSA-PSS":
		return algorithmDef{"RSA-PSS", importRSA, generateRSA}, true
	case "RSA-OAEP":
		return algorithmDef{"RSA-OAEP", importRSA, generateRSA}, true
	case "ECDSA":
		return algorithmDef{"ECDSA", importEC, generateEC}, true
	case "ECDH":
		return algorithmDef{"ECDH", importEC, generateEC}, true
	case "NODE-ED25519":
		return algorithmDef{"NODE-ED25519", importOKP, generateOKP}, true
	case "ED25519":
		return algorithmDef{"Ed25519", importOKP, generateOKP}, true
	case "X25519":
		return algorithmDef{"X25519", importOKP, generateOKP}, true
	}
	return algorithmDef{}, false
}

const errNoUsages = "Secret/private CryptoKeys must have at least one usage."

// generateKey is SubtleCrypto.generateKey.
func generateKey(p *algParams, extractable bool, usages []string) (generated, error) {
	def, ok := lookupAlgorithm(p.name)
	if !ok || def.generateFn == nil {
		return generated{}, notSupported("Unrecognized key generation algorithm \"%s\" requested.", p.name)
	}
	g, err := def.generateFn(def.name, p, extractable, usages)
	if err != nil {
		return generated{}, err
	}
	if g.key != nil {
		if len(usages) == 0 && g.key.typ != publicKey {
			return generated{}, syntaxError(errNoUsages)
		}
	} else if g.private.usages == 0 {
		return generated{}, syntaxError("Attempt to generate asymmetric keys with no valid private key usages.")
	}
	return g, nil
}

// importKey is SubtleCrypto.importKey (workerd's importKeySync).
func importKey(format string, data importData, p *algParams, extractable bool, usages []string) (*cryptoKey, error) {
	switch format {
	case "raw", "pkcs8", "spki":
		if data.jwk != nil {
			return nil, typeError("Import data provided for buffer-based import formats must be a buffer source.")
		}
	case "jwk":
		if data.jwk == nil {
			return nil, typeError("Import data provided for \"jwk\" import format must be a JsonWebKey.")
		}
		if data.jwk.hasExt && !data.jwk.ext && extractable {
			return nil, dataError("JWK ext field for \"%s\" is set to false but extractable is true", p.name)
		}
	default:
		return nil, notSupported("Unrecognized key import format \"%s\".", format)
	}
	def, ok := lookupAlgorithm(p.name)
	if !ok || def.importFn == nil {
		return nil, notSupported("Unrecognized key import algorithm \"%s\" requested.", p.name)
	}
	k, err := def.importFn(def.name, format, data, p, extractable, usages)
	if err != nil {
		return nil, err
	}
	if k.usages == 0 && k.typ != publicKey {
		return nil, syntaxError(errNoUsages)
	}
	return k, nil
}

// exportKey is SubtleCrypto.exportKey.
func exportKey(format string, k *cryptoKey) (exportedKey, error) {
	if !k.extractable {
		return exportedKey{}, invalidAccess("Attempt to export non-extractable %s key.", k.alg)
	}
	return k.impl.exportKey(k, format)
}

// deriveKey is SubtleCrypto.deriveKey: deriveBits of the derived key's
// length, imported as a raw key of the derived algorithm.
func deriveKey(p *algParams, base *cryptoKey, derived *algParams, extractable bool, usages []string) (*cryptoKey, error) {
	if err := validateOperation(base, p.name, usageDeriveKey); err != nil {
		return nil, err
	}
	length, err := derivedKeyLength(derived)
	if err != nil {
		return nil, err
	}
	bits, err := base.impl.deriveBits(base, p, length)
	if err != nil {
		return nil, err
	}
	return importKey("raw", importData{raw: bits}, derived, extractable, usages)
}

// derivedKeyLength is the spec's "get key length" of deriveKey's derived
// key algorithm: none for HKDF and PBKDF2.
func derivedKeyLength(p *algParams) (optInt, error) {
	switch asciiUpper(p.name) {
	case "AES-CTR", "AES-CBC", "AES-GCM", "AES-KW":
		if !p.length.ok {
			return optInt{}, typeError("Missing field \"length\" in \"derivedKeyParams\".")
		}
		if l := p.length.v; l != 128 && l != 192 && l != 256 {
			return optInt{}, operationError("Derived AES key must be 128, 192, or 256 bits in length but provided %d.", l)
		}
		return p.length, nil
	case "HMAC":
		if p.length.ok {
			if p.length.v > 0 {
				return p.length, nil
			}
			return optInt{}, typeError("HMAC key length must be a non-zero unsigned long integer.")
		}
		if !p.hash.ok {
			return optInt{}, typeError("Missing field \"hash\" in \"derivedKeyParams\".")
		}
		d, err := lookupDigest(p.hash.v)
		if err != nil {
			return optInt{}, err
		}
		return optInt{d.blockBits, true}, nil
	case "HKDF", "PBKDF2":
		return optInt{}, nil
	}
	return optInt{}, notSupported("Unrecognized derived key type \"%s\" requested.", p.name)
}

// wrapKey is SubtleCrypto.wrapKey: the key exported in format (a JWK as
// its JSON), encrypted with the wrapping key.
func wrapKey(format string, k, wrapping *cryptoKey, p *algParams) ([]byte, error) {
	if err := validateOperation(wrapping, p.name, usageWrapKey); err != nil {
		return nil, err
	}
	if !k.extractable {
		return nil, invalidAccess("Attempt to export non-extractable %s key.", k.alg)
	}
	out, err := k.impl.exportKey(k, format)
	if err != nil {
		return nil, err
	}
	data := out.raw
	if out.jwk != nil {
		data = out.jwk.json()
	}
	if w, ok := wrapping.impl.(keyWrapper); ok {
		return w.wrapKey(wrapping, p, data)
	}
	return wrapping.impl.encrypt(wrapping, p, data)
}

// unwrapBytes decrypts a wrapped key with the unwrapping key (the first
// half of SubtleCrypto.unwrapKey; subtle.js imports the result).
func unwrapBytes(k *cryptoKey, p *algParams, wrapped []byte) ([]byte, error) {
	if w, ok := k.impl.(keyWrapper); ok {
		return w.unwrapKey(k, p, wrapped)
	}
	return k.impl.decrypt(k, p, wrapped)
}
