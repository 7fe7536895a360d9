package webapi

import (
	"crypto/md5"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha512"
	"crypto/subtle"
	"hash"

	"github.com/dop251/goja"

	"github.com/emu-dev/emu/jsruntime"
)

// subtleNatives are the Go side of crypto.subtle (subtle.js). subtle.js
// converts the arguments as workerd's JSG layer does (dictionaries, buffer
// sources, keys) and calls these with the results; they do what workerd's
// SubtleCrypto methods do after that, with its error classes and messages,
// synchronously (workerd also does its crypto before it returns the
// promise). A key crosses as its handle (a *cryptoKey); a key going back to
// JS crosses as an info object (see keyValue) that subtle.js wraps in a
// CryptoKey.
//
//	subtleDigest(name, data)                              ArrayBuffer
//	subtleEncrypt(op, params, key, data)                  ArrayBuffer; op "encrypt" or "decrypt"
//	subtleSign(params, key, data)                         ArrayBuffer
//	subtleVerify(params, key, signature, data)            boolean
//	subtleGenerateKey(params, extractable, usages)        key info, or {publicKey, privateKey}
//	subtleImportKey(format, keyData, params, extractable, usages)  key info
//	subtleExportKey(format, key)                          ArrayBuffer or a JWK object
//	subtleDeriveBits(params, key, length)                 ArrayBuffer; length a number or null
//	subtleDeriveKey(params, key, derivedParams, extractable, usages)  key info
//	subtleWrapKey(format, key, wrappingKey, params)       ArrayBuffer
//	subtleUnwrapKey(params, unwrappingKey, wrapped)       ArrayBuffer (the key data)
//	subtleTimingSafeEqual(a, b)                           boolean
//
// params is the normalized algorithm dictionary (see readParams), keyData a
// buffer or a normalized JWK object (see readJWK).
var subtleNatives = []native{
	{"subtleDigest", func(e *env, call goja.FunctionCall) goja.Value {
		sum, err := digest(call.Argument(0).String(), e.bytesArg(call, 1))
		e.check(err)
		return e.rt.ToValue(e.rt.NewArrayBuffer(sum))
	}},
	{"subtleEncrypt", func(e *env, call goja.FunctionCall) goja.Value {
		p, k, data := e.readParams(call.Argument(1)), e.keyArg(call.Argument(2)), e.bytesArg(call, 3)
		var out []byte
		var err error
		if call.Argument(0).String() == "decrypt" {
			if err = validateOperation(k, p.name, usageDecrypt); err == nil {
				out, err = k.impl.decrypt(k, p, data)
			}
		} else if err = validateOperation(k, p.name, usageEncrypt); err == nil {
			out, err = k.impl.encrypt(k, p, data)
		}
		e.check(err)
		return e.rt.ToValue(e.rt.NewArrayBuffer(out))
	}},
	{"subtleSign", func(e *env, call goja.FunctionCall) goja.Value {
		p, k, data := e.readParams(call.Argument(0)), e.keyArg(call.Argument(1)), e.bytesArg(call, 2)
		e.check(validateOperation(k, p.name, usageSign))
		sig, err := k.impl.sign(k, p, data)
		e.check(err)
		return e.rt.ToValue(e.rt.NewArrayBuffer(sig))
	}},
	{"subtleVerify", func(e *env, call goja.FunctionCall) goja.Value {
		p, k := e.readParams(call.Argument(0)), e.keyArg(call.Argument(1))
		sig, data := e.bytesArg(call, 2), e.bytesArg(call, 3)
		e.check(validateOperation(k, p.name, usageVerify))
		ok, err := k.impl.verify(k, p, sig, data)
		e.check(err)
		return e.rt.ToValue(ok)
	}},
	{"subtleGenerateKey", func(e *env, call goja.FunctionCall) goja.Value {
		g, err := generateKey(e.readParams(call.Argument(0)), call.Argument(1).ToBoolean(), e.stringsArg(call.Argument(2)))
		e.check(err)
		if g.key != nil {
			return e.keyValue(g.key)
		}
		pair := e.rt.NewObject()
		mustSet(pair.Set("publicKey", e.keyValue(g.public)))
		mustSet(pair.Set("privateKey", e.keyValue(g.private)))
		return pair
	}},
	{"subtleImportKey", func(e *env, call goja.FunctionCall) goja.Value {
		data := e.importData(call.Argument(1))
		k, err := importKey(call.Argument(0).String(), data, e.readParams(call.Argument(2)),
			call.Argument(3).ToBoolean(), e.stringsArg(call.Argument(4)))
		e.check(err)
		return e.keyValue(k)
	}},
	{"subtleExportKey", func(e *env, call goja.FunctionCall) goja.Value {
		out, err := exportKey(call.Argument(0).String(), e.keyArg(call.Argument(1)))
		e.check(err)
		if out.jwk != nil {
			return out.jwk.value(e.rt)
		}
		return e.rt.ToValue(e.rt.NewArrayBuffer(out.raw))
	}},
	{"subtleDeriveBits", func(e *env, call goja.FunctionCall) goja.Value {
		p, k := e.readParams(call.Argument(0)), e.keyArg(call.Argument(1))
		var length optInt
		if v := call.Argument(2); !goja.IsNull(v) && !goja.IsUndefined(v) {
			length = optInt{int(v.ToInteger()), true}
		}
		e.check(validateOperation(k, p.name, usageDeriveBits))
		bits, err := k.impl.deriveBits(k, p, length)
		e.check(err)
		return e.rt.ToValue(e.rt.NewArrayBuffer(bits))
	}},
	{"subtleDeriveKey", func(e *env, call goja.FunctionCall) goja.Value {
		p, k, derived := e.readParams(call.Argument(0)), e.keyArg(call.Argument(1)), e.readParams(call.Argument(2))
		key, err := deriveKey(p, k, derived, call.Argument(3).ToBoolean(), e.stringsArg(call.Argument(4)))
		e.check(err)
		return e.keyValue(key)
	}},
	{"subtleWrapKey", func(e *env, call goja.FunctionCall) goja.Value {
		format, k, wrapping := call.Argument(0).String(), e.keyArg(call.Argument(1)), e.keyArg(call.Argument(2))
		out, err := wrapKey(format, k, wrapping, e.readParams(call.Argument(3)))
		e.check(err)
		return e.rt.ToValue(e.rt.NewArrayBuffer(out))
	}},
	{"subtleUnwrapKey", func(e *env, call goja.FunctionCall) goja.Value {
		p, k, wrapped := e.readParams(call.Argument(0)), e.keyArg(call.Argument(1)), e.bytesArg(call, 2)
		e.check(validateOperation(k, p.name, usageUnwrapKey))
		out, err := unwrapBytes(k, p, wrapped)
		e.check(err)
		return e.rt.ToValue(e.rt.NewArrayBuffer(out))
	}},
	{"subtleTimingSafeEqual", func(e *env, call goja.FunctionCall) goja.Value {
		a, b := e.bytesArg(call, 0), e.bytesArg(call, 1)
		return e.rt.ToValue(len(a) == len(b) && subtle.ConstantTimeCompare(a, b) == 1)
	}},
}

// check throws err, if any, as the JS error a script sees.
func (e *env) check(err error) {
	if err != nil {
		panic(jsruntime.ErrorValue(e.rt, err))
	}
}

// digestAlgorithm is a hash workerd's SubtleCrypto knows (lookupDigestAlgorithm).
type digestAlgorithm struct {
	name      string // normalized: "SHA-256"
	new       func() hash.Hash
	size      int // bytes of output
	blockBits int // bits of the hash's block: HMAC's default key length
}

// lookupDigest finds a hash by name, ignoring ASCII case: SHA-1, SHA-256,
// SHA-384, SHA-512 and MD5 (a Workers extension).
func lookupDigest(name string) (digestAlgorithm, error) {
	switch asciiUpper(name) {
	case "SHA-1":
		return digestAlgorithm{"SHA-1", sha1.New, sha1.Size, 512}, nil
	case "SHA-256":
		return digestAlgorithm{"SHA-256", sha256.New, sha256.Size, 512}, nil
	case "SHA-384":
		return digestAlgorithm{"SHA-384", sha512.New384, sha512.Size384, 1024}, nil
	case "SHA-512":
		return digestAlgorithm{"SHA-512", sha512.New, sha512.Size, 1024}, nil
	case "MD5":
		return digestAlgorithm{"MD5", md5.New, md5.Size, 512}, nil
	}
	return digestAlgorithm{}, notSupported("Unrecognized or unimplemented digest algorithm requested.")
}

// digest hashes data with the named hash in one pass over the caller's
// bytes (no copy).
func digest(name string, data []byte) ([]byte, error) {
	d, err := lookupDigest(name)
	if err != nil {
		return nil, err
	}
	switch d.name {
	case "SHA-256":
		s := sha256.Sum256(data)
		return s[:], nil
	case "SHA-1":
		s := sha1.Sum(data)
		return s[:], nil
	case "SHA-384":
		s := sha512.Sum384(data)
		return s[:], nil
	case "SHA-512":
		s := sha512.Sum512(data)
		return s[:], nil
	}
	s := md5.Sum(data)
	return s[:], nil
}

// asciiUpper upper-cases ASCII letters only, as strcasecmp compares names.
func asciiUpper(s string) string {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= 'a' && c <= 'z' {
			b := []byte(s)
			for j := i; j < len(b); j++ {
				if b[j] >= 'a' && b[j] <= 'z' {
					b[j] -= 'a' - 'A'
				}
			}
			return string(b)
		}
	}
	return s
}

// equalFoldASCII reports whether a and b are equal ignoring ASCII case.
func equalFoldASCII(a, b string) bool {
	return len(a) == len(b) && asciiUpper(a) == asciiUpper(b)
}

// Errors of the DOMException classes workerd's crypto throws.

func notSupported(format string, a ...any) error {
	return jsruntime.Errorf(jsruntime.NotSupportedError, format, a...)
}

func dataError(format string, a ...any) error {
	return jsruntime.Errorf(jsruntime.DataError, format, a...)
}

func operationError(format string, a ...any) error {
	return jsruntime.Errorf(jsruntime.OperationError, format, a...)
}

func invalidAccess(format string, a ...any) error {
	return jsruntime.Errorf(jsruntime.InvalidAccessError, format, a...)
}

func syntaxError(format string, a ...any) error {
	return jsruntime.Errorf(jsruntime.DOMSyntaxError, format, a...)
}

func typeError(format string, a ...any) error {
	return jsruntime.Errorf(jsruntime.TypeError, format, a...)
}
