package node

import (
	"crypto/hkdf"
	"crypto/hmac"
	"crypto/md5"
	"crypto/pbkdf2"
	"crypto/rand"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha3"
	"crypto/sha512"
	"crypto/subtle"
	"hash"
	"strings"

	"github.com/dop251/goja"
)

// cryptoNatives do the work of crypto.js with Go's crypto packages:
//
//	hashNew(alg, key)      a Hash (an HMAC when key is given) of a Node
//	                       algorithm name, or null if unknown
//	hashUpdate(h, b)       adds bytes
//	hashDigest(h, enc)     the digest as an ArrayBuffer, or a string in enc
//	                       (a normalized Buffer encoding); h stays usable
//	hashCopy(h)            an independent copy of h
//	hashNames()            the algorithm names hashNew knows
//	randomFill(b)          fills b with cryptographically random bytes
//	pbkdf2(pw, salt, iterations, keylen, alg)         an ArrayBuffer
//	hkdf(alg, ikm, salt, info, keylen)                an ArrayBuffer
//	timingSafeEqual(a, b)  constant-time equality of equal-length bytes
var cryptoNatives = []native{
	{"hashNew", func(e *env, call goja.FunctionCall) goja.Value {
		newHash := hashFunc(call.Argument(0).String())
		if newHash == nil {
			return goja.Null()
		}
		var h hash.Hash
		if k := call.Argument(1); !goja.IsUndefined(k) {
			h = hmac.New(newHash, e.bytesArg(call, 1))
		} else {
			h = newHash()
		}
		return e.rt.ToValue(&hashState{h: h})
	}},
	{"hashUpdate", func(e *env, call goja.FunctionCall) goja.Value {
		hashArg(e, call).h.Write(e.bytesArg(call, 1))
		return goja.Undefined()
	}},
	{"hashDigest", func(e *env, call goja.FunctionCall) goja.Value {
		sum := hashArg(e, call).h.Sum(nil)
		if enc := call.Argument(1); !goja.IsUndefined(enc) {
			return decodeBytes(e.rt, sum, enc.String())
		}
		return e.rt.ToValue(e.rt.NewArrayBuffer(sum))
	}},
	{"hashCopy", func(e *env, call goja.FunctionCall) goja.Value {
		c, ok := hashArg(e, call).h.(hash.Cloner)
		if !ok {
			return goja.Null()
		}
		h, err := c.Clone()
		if err != nil {
			return goja.Null()
		}
		return e.rt.ToValue(&hashState{h: h})
	}},
	{"hashNames", func(e *env, call goja.FunctionCall) goja.Value {
		names := make([]any, len(hashNames))
		for i, n := range hashNames {
			names[i] = n
		}
		return e.rt.NewArray(names...)
	}},
	{"randomFill", func(e *env, call goja.FunctionCall) goja.Value {
		_, _ = rand.Read(e.bytesArg(call, 0))
		return goja.Undefined()
	}},
	{"pbkdf2", func(e *env, call goja.FunctionCall) goja.Value {
		pw, salt := e.bytesArg(call, 0), e.bytesArg(call, 1)
		iter, keylen := int(call.Argument(2).ToInteger()), int(call.Argument(3).ToInteger())
		newHash := hashFunc(call.Argument(4).String())
		if newHash == nil {
			return goja.Null()
		}
		k, err := pbkdf2.Key(newHash, string(pw), salt, iter, keylen)
		if err != nil {
			return goja.Null()
		}
		return e.rt.ToValue(e.rt.NewArrayBuffer(k))
	}},
	{"hkdf", func(e *env, call goja.FunctionCall) goja.Value {
		newHash := hashFunc(call.Argument(0).String())
		if newHash == nil {
			return goja.Null()
		}
		ikm, salt, info := e.bytesArg(call, 1), e.bytesArg(call, 2), e.bytesArg(call, 3)
		k, err := hkdf.Key(newHash, ikm, salt, string(info), int(call.Argument(4).ToInteger()))
		if err != nil {
			return goja.Null()
		}
		return e.rt.ToValue(e.rt.NewArrayBuffer(k))
	}},
	{"timingSafeEqual", func(e *env, call goja.FunctionCall) goja.Value {
		return e.rt.ToValue(subtle.ConstantTimeCompare(e.bytesArg(call, 0), e.bytesArg(call, 1)) == 1)
	}},
}

// hashState is a Hash or Hmac's Go side.
type hashState struct{ h hash.Hash }

func hashArg(e *env, call goja.FunctionCall) *hashState {
	h, ok := call.Argument(0).Export().(*hashState)
	if !ok {
		panic(e.rt.NewTypeError("not a hash"))
	}
	return h
}

// hashNames are the digests createHash knows, as crypto.getHashes lists them.
var hashNames = []string{
	"md5", "sha1", "sha224", "sha256", "sha3-224", "sha3-256", "sha3-384", "sha3-512",
	"sha384", "sha512", "sha512-224", "sha512-256",
}

// hashFunc returns the constructor of a hash named as Node names it (case
// does not matter; "RSA-SHA256" is "sha256"), or nil.
func hashFunc(name string) func() hash.Hash {
	switch strings.TrimPrefix(strings.ToLower(name), "rsa-") {
	case "md5":
		return md5.New
	case "sha1", "sha-1":
		return sha1.New
	case "sha224", "sha-224":
		return sha256.New224
	case "sha256", "sha-256":
		return sha256.New
	case "sha384", "sha-384":
		return sha512.New384
	case "sha512", "sha-512":
		return sha512.New
	case "sha512-224":
		return sha512.New512_224
	case "sha512-256":
		return sha512.New512_256
	case "sha3-224":
		return func() hash.Hash { return sha3.New224() }
	case "sha3-256":
		return func() hash.Hash { return sha3.New256() }
	case "sha3-384":
		return func() hash.Hash { return sha3.New384() }
	case "sha3-512":
		return func() hash.Hash { return sha3.New512() }
	}
	return nil
}
