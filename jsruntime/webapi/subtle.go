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

// subtleNatives are the Go side of crypto.subtle (subtle.js): one native,
// subtle(op, ...args), so that a runtime that never uses crypto.subtle
// pays for one function object, not a dozen. subtle.js converts the
// arguments as workerd's JSG layer does (dictionaries, buffer sources,
// keys) and calls the op with the results; the ops do what workerd's
// SubtleCrypto methods do after that, with its error classes and messages,
// synchronously (workerd too does its crypto before it returns the
// promise). A key crosses as its handle (a *cryptoKey); a key going back to
// JS crosses as an info object (see keyValue) that subtle.js wraps in a
// CryptoKey.
//
//	digest(name, data)                                   ArrayBuffer
//	encrypt(params, key, data), decrypt(...)             ArrayBuffer
//	sign(params, key, data)                              ArrayBuffer
//	verify(params, key, signature, data)                 boolean
//	generateKey(params, extractable, usages)             key info, or {publicKey, privateKey}
//	importKey(format, keyData, params, extractable, usages)  key info
//	exportKey(format, key)                               ArrayBuffer or a JWK object
//	deriveBits(params, key, length)                      ArrayBuffer; length a number or null
//	deriveKey(params, key, derivedParams, extractable, usages)  key info
//	wrapKey(format, key, wrappingKey, params)            ArrayBuffer
//	unwrapKey(params, unwrappingKey, wrapped)            ArrayBuffer (the key data)
//	timingSafeEqual(a, b)                                boolean
//
// params is the normalized algorithm dictionary (see readParams), keyData a
// buffer or a normalized JWK object (see importData).
var subtleNatives = []native{{"subtle", func(e *env, call goja.FunctionCall) goja.Value {
	op, ok := subtleOps[call.Argument(0).String()]
	if !ok {
		panic(e.rt.NewTypeError("unknown crypto.subtle operation"))
	}
	call.Arguments = call.Arguments[1:]
	return op(e, call)
}}}

// subtleOps are the operations of the subtle native, by name.
var subtleOps = map[string]func(e *env, call goja.FunctionCall) goja.Value{
	"digest": func(e *env, call goja.FunctionCall) goja.Value {
		sum, err := digest(call.Argument(0).String(), e.bytesArg(call, 1))
		e.check(err)
		return e.rt.ToValue(e.rt.NewArrayBuffer(sum))
	},
	"encrypt": func(e *env, call goja.FunctionCall) goja.Value {
		return e.cipher(call, usageEncrypt)
	},
	"decrypt": func(e *env, call goja.FunctionCall) goja.Value {
		return e.cipher(call, usageDecrypt)
	},
	"sign": func(e *env, call goja.FunctionCall) goja.Value {
		p, k, data := e.readParams(call.Argument(0)), e.keyArg(call.Argument(1)), e.bytesArg(call, 2)
		e.check(validateOperation(k, p.name, usageSign))
		sig, err := k.impl.sign(k, p, data)
		e.check(err)
		return e.rt.ToValue(e.rt.NewArrayBuffer(sig))
	},
	"verify": func(e *env, call goja.FunctionCall) goja.Value {
		p, k := e.readParams(call.Argument(0)), e.keyArg(call.Argument(1))
		sig, data := e.bytesArg(call, 2), e.bytesArg(call, 3)
		e.check(validateOperation(k, p.name, usageVerify))
		ok, err := k.impl.verify(k, p, sig, data)
		e.check(err)
		return e.rt.ToValue(ok)
	},
	"generateKey": func(e *env, call goja.FunctionCall) goja.Value {
		g, err := generateKey(e.readParams(call.Argument(0)), call.Argument(1).ToBoolean(), e.stringsArg(call.Argument(2)))
		e.check(err)
		if g.key != nil {
			return e.keyValue(g.key)
		}
		pair := e.rt.NewObject()
		mustSet(pair.Set("publicKey", e.keyValue(g.public)))
		mustSet(pair.Set("privateKey", e.keyValue(g.private)))
		return pair
	},
	"importKey": func(e *env, call goja.FunctionCall) goja.Value {
		data := e.importData(call.Argument(1))
		k, err := importKey(call.Argument(0).String(), data, e.readParams(call.Argument(2)),
			call.Argument(3).ToBoolean(), e.stringsArg(call.Argument(4)))
		e.check(err)
		return e.keyValue(k)
	},
	"exportKey": func(e *env, call goja.FunctionCall) goja.Value {
		out, err := exportKey(call.Argument(0).String(), e.keyArg(call.Argument(1)))
		e.check(err)
		if out.jwk != nil {
			return out.jwk.value(e.rt)
		}
		return e.rt.ToValue(e.rt.NewArrayBuffer(out.raw))
	},
	"deriveBits": func(e *env, call goja.FunctionCall) goja.Value {
		p, k := e.readParams(call.Argument(0)), e.keyArg(call.Argument(1))
		var length optInt
		if v := call.Argument(2); !goja.IsNull(v) && !goja.IsUndefined(v) {
			length = optInt{int(v.ToInteger()), true}
		}
		e.check(validateOperation(k, p.name, usageDeriveBits))
		bits, err := k.impl.deriveBits(k, p, length)
		e.check(err)
		return e.rt.ToValue(e.rt.NewArrayBuffer(bits))
	},
	"deriveKey": func(e *env, call goja.FunctionCall) goja.Value {
		p, k, derived := e.readParams(call.Argument(0)), e.keyArg(call.Argument(1)), e.readParams(call.Argument(2))
		key, err := deriveKey(p, k, derived, call.Argument(3).ToBoolean(), e.stringsArg(call.Argument(4)))
		e.check(err)
		return e.keyValue(key)
	},
	"wrapKey": func(e *env, call goja.FunctionCall) goja.Value {
		format, k, wrapping := call.Argument(0).String(), e.keyArg(call.Argument(1)), e.keyArg(call.Argument(2))
		out, err := wrapKey(format, k, wrapping, e.readParams(call.Argument(3)))
		e.check(err)
		return e.rt.ToValue(e.rt.NewArrayBuffer(out))
	},
	"unwrapKey": func(e *env, call goja.FunctionCall) goja.Value {
		p, k, wrapped := e.readParams(call.Argument(0)), e.keyArg(call.Argument(1)), e.bytesArg(call, 2)
		e.check(validateOperation(k, p.name, usageUnwrapKey))
		out, err := unwrapBytes(k, p, wrapped)
		e.check(err)
		return e.rt.ToValue(e.rt.NewArrayBuffer(out))
	},
	"timingSafeEqual": func(e *env, call goja.FunctionCall) goja.Value {
		a, b := e.bytesArg(call, 0), e.bytesArg(call, 1)
		return e.rt.ToValue(len(a) == len(b) && subtle.ConstantTimeCompare(a, b) == 1)
	},
}

// cipher is encrypt or decrypt (u): params, key, data.
func (e *env) cipher(call goja.FunctionCall, u usageSet) goja.Value {
	p, k, data := e.readParams(call.Argument(0)), e.keyArg(call.Argument(1)), e.bytesArg(call, 2)
	e.check(validateOperation(k, p.name, u))
	var out []byte
	var err error
	if u == usageDecrypt {
		out, err = k.impl.decrypt(k, p, data)
	} else {
		out, err = k.impl.encrypt(k, p, data)
	}
	e.check(err)
	return e.rt.ToValue(e.rt.NewArrayBuffer(out))
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
