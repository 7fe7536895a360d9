package webapi

import (
	"crypto/x509"
	"encoding/asn1"
	"slices"
)

// What RSA, EC and OKP keys share (workerd's keys.c++): importing from
// jwk, spki and pkcs8 with the usage and JWK checks, and exporting to
// pkcs8, spki and jwk.

// readJWKFunc makes a key (a Go public or private key) from a JWK.
type readJWKFunc func(j *jwk, typ keyType) (any, error)

// importAsymmetric imports a key from jwk, spki or pkcs8 (workerd's
// importAsymmetricForWebCrypto). allowed are the algorithm's usages; a
// public key gets those of them a public key may have, a private key the
// private ones. It returns the Go key, its type and usages.
func importAsymmetric(name, format string, data importData, extractable bool, usages []string, allowed usageSet, read readJWKFunc) (any, keyType, usageSet, error) {
	publicMask := allowed & usagePublicMask
	if name == "ECDH" {
		publicMask = 0 // workerd's strict crypto checks: no usages at all
	}
	switch format {
	case "jwk":
		j := data.jwk
		typ, mask, ctx := publicKey, publicMask, ctxImportPublic
		if j.d.ok {
			typ, mask, ctx = privateKey, allowed&usagePrivateMask, ctxImportPrivate
		}
		set, err := validateUsages(name, ctx, usages, mask)
		if err != nil {
			return nil, 0, 0, err
		}
		if typ == privateKey && j.hasOth {
			return nil, 0, 0, notSupported("Multi-prime private keys not supported.")
		}
		if err := checkAsymmetricJWK(name, j, usages, extractable); err != nil {
			return nil, 0, 0, err
		}
		key, err := read(j, typ)
		if err != nil {
			return nil, 0, 0, err
		}
		return key, typ, set, nil
	case "spki":
		key, err := parseDER(data.raw, "SPKI", func(der []byte) (any, error) { return x509.ParsePKIXPublicKey(der) })
		if err != nil {
			return nil, 0, 0, err
		}
		set, err := validateUsages(name, ctxImportPublic, usages, publicMask)
		return key, publicKey, set, err
	case "pkcs8":
		key, err := parseDER(data.raw, "PKCS8", parsePrivateKey)
		if err != nil {
			return nil, 0, 0, err
		}
		set, err := validateUsages(name, ctxImportPrivate, usages, allowed&usagePrivateMask)
		return key, privateKey, set, err
	}
	return nil, 0, 0, notSupported("Unrecognized key import format \"%s\".", format)
}

// parseDER parses the first DER structure of b with parse, as BoringSSL's
// d2i functions do: what follows it is an error of its own.
func parseDER(b []byte, what string, parse func([]byte) (any, error)) (any, error) {
	var v asn1.RawValue
	rest, err := asn1.Unmarshal(b, &v)
	if err != nil {
		return nil, dataError("Invalid %s input.", what)
	}
	key, err := parse(b[:len(b)-len(rest)])
	if err != nil {
		return nil, dataError("Invalid %s input.", what)
	}
	if len(rest) > 0 {
		return nil, dataError("Invalid %d trailing bytes after %s input.", len(rest), what)
	}
	return key, nil
}

// parsePrivateKey parses a PKCS #8 private key, or, as BoringSSL's
// d2i_AutoPrivateKey, a PKCS #1 RSA or SEC 1 EC private key.
func parsePrivateKey(der []byte) (any, error) {
	key, err := x509.ParsePKCS8PrivateKey(der)
	if err == nil {
		return key, nil
	}
	if k, err := x509.ParsePKCS1PrivateKey(der); err == nil {
		return k, nil
	}
	if k, err := x509.ParseECPrivateKey(der); err == nil {
		return k, nil
	}
	return nil, err
}

// checkAsymmetricJWK checks an asymmetric JWK's "use", "key_ops" and
// "ext" against the import's usages and extractability.
func checkAsymmetricJWK(name string, j *jwk, usages []string, extractable bool) error {
	use, op0, op1 := "sig", "sign", "verify"
	switch name {
	case "RSA-OAEP":
		use, op0, op1 = "enc", "encrypt", "wrapKey"
	case "ECDH", "X25519":
		use, op0, op1 = "enc", "unused", "unused"
	}
	if len(usages) > 0 && j.use.ok && j.use.v != use {
		return dataError("Asymmetric \"jwk\" key import with usages requires a JSON Web Key with Public Key Use parameter \"use\" (\"%s\") equal to \"sig\".", j.use.v)
	}
	if j.hasKeyOps {
		ops := slices.Clone(j.keyOps)
		slices.Sort(ops)
		if len(slices.Compact(slices.Clone(ops))) != len(ops) {
			return dataError("A JSON Web Key's Key Operations parameter (\"key_ops\") must not contain duplicates.")
		}
		if j.use.ok {
			if j.use.v != use {
				return dataError("Asymmetric \"jwk\" import requires a JSON Web Key with Public Key Use \"use\" (\"%s\") equal to \"%s\".", j.use.v, use)
			}
			for _, op := range ops {
				if name == "ECDH" || name == "X25519" {
					return dataError("A JSON Web Key should have either a Public Key Use parameter (\"use\") or a Key Operations parameter (\"key_ops\"); otherwise, the parameters must be consistent with each other. For public %s keys, there are no valid usages,so keys with a non-empty \"key_ops\" parameter are not allowed.", name)
				}
				if op != op0 && op != op1 {
					return dataError("A JSON Web Key should have either a Public Key Use parameter (\"use\") or a Key Operations parameter (\"key_ops\"); otherwise, the parameters must be consistent with each other. A Public Key Use for %s would allow a Key Operations array with only \"%s\" and/or \"%s\" values (not \"%s\").", name, op0, op1, op)
				}
			}
		}
		if len(usages) > 0 {
			// workerd checks the first usage and the one after the first
			// usage's last repetition.
			missing := !slices.Contains(ops, usages[0])
			if last := lastIndex(usages, usages[0]); last+1 < len(usages) && !slices.Contains(ops, usages[last+1]) {
				missing = true
			}
			if missing {
				return dataError("All specified key usages must be present in the JSON Web Key's Key Operations parameter (\"key_ops\").")
			}
		}
	}
	if j.hasExt && !j.ext && extractable {
		return dataError("Cannot create an extractable CryptoKey from an unextractable JSON Web Key.")
	}
	return nil
}

func lastIndex(s []string, v string) int {
	for i := len(s) - 1; i >= 0; i-- {
		if s[i] == v {
			return i
		}
	}
	return -1
}

// asymmetricExport exports an asymmetric key: pkcs8 (private keys), spki
// (public keys), jwk (made by toJWK, given the key_ops and ext here) or raw
// (made by toRaw).
func asymmetricExport(k *cryptoKey, format string, key any, toJWK func() (*jwk, error), toRaw func() ([]byte, error)) (exportedKey, error) {
	switch format {
	case "pkcs8":
		if k.typ != privateKey {
			return exportedKey{}, invalidAccess("Asymmetric pkcs8 export requires private key (not \"%s\").", k.typ)
		}
		der, err := x509.MarshalPKCS8PrivateKey(key)
		if err != nil {
			return exportedKey{}, operationError("Private key export failed.")
		}
		return exportedKey{raw: der}, nil
	case "spki":
		if k.typ != publicKey {
			return exportedKey{}, invalidAccess("Asymmetric spki export requires public key (not \"%s\").", k.typ)
		}
		der, err := x509.MarshalPKIXPublicKey(key)
		if err != nil {
			return exportedKey{}, operationError("Public key export failed.")
		}
		return exportedKey{raw: der}, nil
	case "jwk":
		j, err := toJWK()
		if err != nil {
			return exportedKey{}, err
		}
		j.ext, j.hasExt = true, true
		j.keyOps, j.hasKeyOps = k.usages.names(), true
		return exportedKey{jwk: j}, nil
	case "raw":
		raw, err := toRaw()
		return exportedKey{raw: raw}, err
	}
	return exportedKey{}, invalidAccess("Cannot export \"%s\" in \"%s\" format.", k.alg, format)
}
