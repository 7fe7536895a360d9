package webapi

import (
	"crypto/rand"
	"encoding/hex"

	"github.com/dop251/goja"
)

// cryptoNatives are the randomness behind crypto.js:
//
//	randomFill(u8)   fills a Uint8Array with cryptographically random bytes
//	randomUUID()     a random version 4 UUID (see randomUUID)
//	digestStart(name) a running hash for crypto.DigestStream: an object with
//	                 update(u8) and finish() (the digest, an ArrayBuffer);
//	                 an unknown name throws workerd's NotSupportedError
var cryptoNatives = []native{
	{"digestStart", func(e *env, call goja.FunctionCall) goja.Value {
		d, err := lookupDigest(call.Argument(0).String())
		e.check(err)
		h := d.new()
		o := e.rt.NewObject()
		mustSet(o.Set("update", func(c goja.FunctionCall) goja.Value {
			h.Write(e.bytesArg(c, 0))
			return goja.Undefined()
		}))
		mustSet(o.Set("finish", func(goja.FunctionCall) goja.Value {
			return e.rt.ToValue(e.rt.NewArrayBuffer(h.Sum(nil)))
		}))
		return o
	}},
	{"randomFill", func(e *env, call goja.FunctionCall) goja.Value {
		_, _ = rand.Read(e.bytesArg(call, 0))
		return goja.Undefined()
	}},
	{"randomUUID", func(e *env, _ goja.FunctionCall) goja.Value {
		return e.rt.ToValue(randomUUID())
	}},
}

// randomUUID returns a version 4 UUID in its lower-case text form.
func randomUUID() string {
	var u [16]byte
	_, _ = rand.Read(u[:])
	u[6] = u[6]&0x0f | 0x40
	u[8] = u[8]&0x3f | 0x80
	var out [36]byte
	hex.Encode(out[0:8], u[0:4])
	out[8] = '-'
	hex.Encode(out[9:13], u[4:6])
	out[13] = '-'
	hex.Encode(out[14:18], u[6:8])
	out[18] = '-'
	hex.Encode(out[19:23], u[8:10])
	out[23] = '-'
	hex.Encode(out[24:], u[10:])
	return string(out[:])
}
