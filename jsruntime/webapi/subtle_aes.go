package webapi

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"crypto/subtle"
	"fmt"
	"math/big"
	"slices"
)

// AES-GCM, AES-CBC, AES-CTR and AES-KW (workerd's aes.c++): raw and jwk
// import and export, encrypt and decrypt. AES-KW's wrapping is in
// subtle_aeskw.go.

type aesKey struct {
	noOps
	secret []byte
}

func (a *aesKey) block() cipher.Block {
	b, err := aes.NewCipher(a.secret)
	if err != nil { // the key was checked to be 16, 24 or 32 bytes
		panic(fmt.Sprintf("aes: %v", err))
	}
	return b
}

func (a *aesKey) exportKey(k *cryptoKey, format string) (exportedKey, error) {
	switch format {
	case "raw":
		return exportedKey{raw: append([]byte{}, a.secret...)}, nil
	case "jwk":
		return exportedKey{jwk: &jwk{
			kty:    "oct",
			k:      encodeBase64URL(a.secret),
			alg:    optString{fmt.Sprintf("A%d%s", len(a.secret)*8, k.alg[4:]), true},
			keyOps: k.usages.names(), hasKeyOps: true,
			ext: true, hasExt: true,
		}}, nil
	}
	return exportedKey{}, notSupported("%s key only supports exporting \"raw\" & \"jwk\", not \"%s\".", k.alg, format)
}

// aesUsages are the usages an AES key may have.
func aesUsages(name string) usageSet {
	if name == "AES-KW" {
		return usageWrapKey | usageUnwrapKey
	}
	return usageEncrypt | usageDecrypt | usageWrapKey | usageUnwrapKey
}

func newAESKey(name string, secret []byte, extractable bool, usages usageSet) *cryptoKey {
	base := aesKey{secret: secret}
	var impl keyImpl
	switch name {
	case "AES-GCM":
		impl = &aesGCMKey{base}
	case "AES-CBC":
		impl = &aesCBCKey{base}
	case "AES-CTR":
		impl = &aesCTRKey{base}
	default:
		impl = &aesKWKey{base}
	}
	return &cryptoKey{
		alg: name, typ: secretKey, extractable: extractable, usages: usages,
		algorithm: keyAlgorithm{kind: kindAES, name: name, length: len(secret) * 8},
		impl:      impl,
	}
}

func generateAES(name string, p *algParams, extractable bool, usages []string) (generated, error) {
	set, err := validateUsages(name, ctxGenerate, usages, aesUsages(name))
	if err != nil {
		return generated{}, err
	}
	if !p.length.ok {
		return generated{}, typeError("Missing field \"length\" in \"algorithm\".")
	}
	if l := p.length.v; l != 128 && l != 192 && l != 256 {
		return generated{}, operationError("Generated AES key length must be 128, 192, or 256 bits but requested %d.", l)
	}
	secret := make([]byte, p.length.v/8)
	_, _ = rand.Read(secret)
	return generated{key: newAESKey(name, secret, extractable, set)}, nil
}

func importAES(name, format string, data importData, _ *algParams, extractable bool, usages []string) (*cryptoKey, error) {
	set, err := validateUsages(name, ctxImportSecret, usages, aesUsages(name))
	if err != nil {
		return nil, err
	}
	badLength := func(n int) error {
		return dataError("Imported AES key length must be 128, 192, or 256 bits but provided %d.", n*8)
	}
	var secret []byte
	switch format {
	case "raw":
		secret = data.raw
		if n := len(secret); n != 16 && n != 24 && n != 32 {
			return nil, badLength(n)
		}
	case "jwk":
		j := data.jwk
		if j.kty != "oct" {
			return nil, dataError("Symmetric \"jwk\" key import requires a JSON Web Key with Key Type parameter \"kty\" equal to \"oct\" (encountered \"%s\").", j.kty)
		}
		if secret, err = jwkBytes(j.k, dataError("Symmetric \"jwk\" key import requires a base64Url encoding of the key.")); err != nil {
			return nil, err
		}
		if n := len(secret); n != 16 && n != 24 && n != 32 {
			return nil, badLength(n)
		}
		if want := fmt.Sprintf("A%d%s", len(secret)*8, name[4:]); j.alg.ok && j.alg.v != want {
			return nil, dataError("Symmetric \"jwk\" key contains invalid \"alg\" value \"%s\", expected \"%s\".", j.alg.v, want)
		}
		if len(usages) != 0 && j.use.ok && j.use.v != "enc" {
			return nil, dataError("Symmetric \"jwk\" key must have a \"use\" of \"enc\", not \"%s\".", j.use.v)
		}
		if j.hasKeyOps {
			if err := checkSymmetricKeyOps(j.keyOps, usages); err != nil {
				return nil, err
			}
		}
		if j.hasExt && !j.ext && extractable {
			return nil, dataError("\"jwk\" key has value \"false\", for \"ext\" that is incompatible with import extractability value \"true\".")
		}
	default:
		return nil, notSupported("Unrecognized key import format \"%s\".", format)
	}
	return newAESKey(name, secret, extractable, set), nil
}

// checkSymmetricKeyOps checks a symmetric JWK's key_ops: no duplicates,
// and every usage asked for listed.
func checkSymmetricKeyOps(keyOps, usages []string) error {
	ops := slices.Clone(keyOps)
	slices.Sort(ops)
	for i := 1; i < len(ops); i++ {
		if ops[i] == ops[i-1] {
			return dataError("Symmetric \"jwk\" key contains duplicate value \"%s\", in \"key_op\".", ops[i])
		}
	}
	for _, u := range usages {
		if _, found := slices.BinarySearch(ops, u); !found {
			return dataError("\"jwk\" key missing usage \"%s\", in \"key_ops\".", u)
		}
	}
	return nil
}

// decryptFailed is workerd's message when a cipher rejects its input.
func decryptFailed(inLen, outLen int, alg string) error {
	return operationError("Decryption failed. This could be due to a ciphertext authentication failure, bad padding, incorrect CryptoKey, or another algorithm-specific reason. Input length was %d, output length expected to be %d for %s", inLen, outLen, alg)
}

// AES-CBC, with PKCS#7 padding.

type aesCBCKey struct{ aesKey }

func (a *aesCBCKey) encrypt(_ *cryptoKey, p *algParams, data []byte) ([]byte, error) {
	if !p.iv.ok {
		return nil, typeError("Missing field \"iv\" in \"algorithm\".")
	}
	if len(p.iv.b) != aes.BlockSize {
		return nil, operationError("AES-CBC IV must be 16 bytes long (provided %d bytes).", len(p.iv.b))
	}
	pad := aes.BlockSize - len(data)%aes.BlockSize
	out := make([]byte, len(data)+pad)
	copy(out, data)
	for i := len(data); i < len(out); i++ {
		out[i] = byte(pad)
	}
	cipher.NewCBCEncrypter(a.block(), p.iv.b).CryptBlocks(out, out)
	return out, nil
}

func (a *aesCBCKey) decrypt(k *cryptoKey, p *algParams, data []byte) ([]byte, error) {
	if !p.iv.ok {
		return nil, typeError("Missing field \"iv\" in \"algorithm\".")
	}
	if len(p.iv.b) != aes.BlockSize {
		return nil, operationError("AES-CBC IV must be 16 bytes long (provided %d).", len(p.iv.b))
	}
	n := len(data)
	if n == 0 || n%aes.BlockSize != 0 {
		// BoringSSL's update step has put out the whole blocks.
		return nil, decryptFailed(n, n/aes.BlockSize*aes.BlockSize, k.alg)
	}
	out := make([]byte, n)
	cipher.NewCBCDecrypter(a.block(), p.iv.b).CryptBlocks(out, data)
	// Check the padding without branching on the secret bytes.
	pad := int(out[n-1])
	good := subtle.ConstantTimeLessOrEq(1, pad) & subtle.ConstantTimeLessOrEq(pad, aes.BlockSize)
	for i := 0; i < aes.BlockSize; i++ {
		inPad := subtle.ConstantTimeLessOrEq(i+1, pad)
		good &= (^inPad | subtle.ConstantTimeByteEq(out[n-1-i], byte(pad))) & 1
	}
	if good != 1 {
		// The update step put out all but the last block.
		return nil, decryptFailed(n, n-aes.BlockSize, k.alg)
	}
	return out[:n-pad], nil
}

// AES-GCM.

type aesGCMKey struct{ aesKey }

// gcmParams checks AES-GCM's iv and tagLength, returning the tag's bytes.
func gcmParams(p *algParams) (int, error) {
	if !p.iv.ok {
		return 0, typeError("Missing field \"iv\" in \"algorithm\".")
	}
	if len(p.iv.b) == 0 {
		return 0, operationError("AES-GCM IV must not be empty.")
	}
	tagLength := 128
	if p.tagLength.ok {
		tagLength = p.tagLength.v
	}
	switch tagLength {
	case 32, 64, 96, 104, 112, 120, 128:
		return tagLength / 8, nil
	}
	return 0, operationError("Invalid AES-GCM tag length %d.", tagLength)
}

// gcm is Go's GCM with the IV's length and a full 16-byte tag. WebCrypto's
// shorter tags are that tag's first bytes (NIST SP 800-38D, 5.2.1.2).
func (a *aesGCMKey) gcm(iv []byte) cipher.AEAD {
	g, err := cipher.NewGCMWithNonceSize(a.block(), len(iv))
	if err != nil { // the IV is not empty
		panic(fmt.Sprintf("aes-gcm: %v", err))
	}
	return g
}

func (a *aesGCMKey) encrypt(_ *cryptoKey, p *algParams, data []byte) ([]byte, error) {
	tagBytes, err := gcmParams(p)
	if err != nil {
		return nil, err
	}
	out := a.gcm(p.iv.b).Seal(nil, p.iv.b, data, p.additionalData.b)
	return out[:len(data)+tagBytes], nil
}

func (a *aesGCMKey) decrypt(k *cryptoKey, p *algParams, data []byte) ([]byte, error) {
	tagBytes, err := gcmParams(p)
	if err != nil {
		return nil, err
	}
	if len(data) < tagBytes {
		return nil, operationError("Ciphertext length of %d bits must be greater than or equal to the size of the AES-GCM tag length of %d bits.", len(data)*8, tagBytes*8)
	}
	n := len(data) - tagBytes
	g := a.gcm(p.iv.b)
	if tagBytes == g.Overhead() {
		out, err := g.Open(nil, p.iv.b, data, p.additionalData.b)
		if err != nil {
			return nil, decryptFailed(n, n, k.alg)
		}
		return out, nil
	}
	// A short tag: the keystream is the encryption of zeros, the plaintext
	// the ciphertext XOR it; the expected tag is the plaintext's, cut.
	plain := g.Seal(nil, p.iv.b, make([]byte, n), nil)[:n]
	subtle.XORBytes(plain, plain, data[:n])
	tag := g.Seal(nil, p.iv.b, plain, p.additionalData.b)[n : n+tagBytes]
	if subtle.ConstantTimeCompare(tag, data[n:]) != 1 {
		return nil, decryptFailed(n, n, k.alg)
	}
	return plain, nil
}

// AES-CTR.

type aesCTRKey struct{ aesKey }

func (a *aesCTRKey) encrypt(_ *cryptoKey, p *algParams, data []byte) ([]byte, error) {
	return a.ctr(p, data)
}

func (a *aesCTRKey) decrypt(_ *cryptoKey, p *algParams, data []byte) ([]byte, error) {
	return a.ctr(p, data)
}

// ctr runs the counter mode over data. Only the rightmost length bits of
// the counter block count; when they wrap, they start again from zero
// (Go's CTR would carry into the rest of the block), so the data is done
// in two parts then.
func (a *aesCTRKey) ctr(p *algParams, data []byte) ([]byte, error) {
	if !p.counter.ok {
		return nil, typeError("Missing \"counter\" member in \"algorithm\".")
	}
	if len(p.counter.b) != aes.BlockSize {
		return nil, operationError("Counter must have length of 16 bytes (provided %d).", len(p.counter.b))
	}
	if !p.length.ok {
		return nil, typeError("Missing \"length\" member in \"algorithm\".")
	}
	bits := p.length.v
	if bits <= 0 || bits > 128 {
		return nil, operationError("Invalid counter of %d bits length provided.", bits)
	}
	counter := slices.Clone(p.counter.b)
	values := new(big.Int).Lsh(big.NewInt(1), uint(bits))
	blocks := big.NewInt(int64((len(data) + aes.BlockSize - 1) / aes.BlockSize))
	if blocks.Cmp(values) > 0 {
		return nil, operationError("Counter block values will repeat.")
	}
	current := new(big.Int).SetBytes(counter)
	current.Rem(current, values)
	untilWrap := new(big.Int).Sub(values, current)
	out := make([]byte, len(data))
	block := a.block()
	if untilWrap.Cmp(blocks) >= 0 {
		cipher.NewCTR(block, counter).XORKeyStream(out, data)
		return out, nil
	}
	first := int(untilWrap.Int64()) * aes.BlockSize
	cipher.NewCTR(block, counter).XORKeyStream(out[:first], data[:first])
	// The counter bits zeroed, the rest of the block kept.
	idx := aes.BlockSize - bits/8
	clear(counter[idx:])
	if r := bits % 8; r != 0 {
		counter[idx-1] &= 0xff << r
	}
	cipher.NewCTR(block, counter).XORKeyStream(out[first:], data[first:])
	return out, nil
}
