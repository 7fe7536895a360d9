package webapi

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"strconv"
	"strings"

	"github.com/dop251/goja"
)

// optInt, optString and optBytes are the optional members of a dictionary.
type optInt struct {
	v  int
	ok bool
}

type optString struct {
	v  string
	ok bool
}

type optBytes struct {
	b  []byte
	ok bool
}

// algParams is an algorithm dictionary as subtle.js normalized it: the
// union of the members of workerd's HashAlgorithm, EncryptAlgorithm,
// SignAlgorithm, GenerateKeyAlgorithm, ImportKeyAlgorithm and
// DeriveKeyAlgorithm, each present only if the script gave it. The byte
// members share memory with the script's buffers: use them before
// returning to JS, or copy them.
type algParams struct {
	name       string
	hash       optString // a hash's name
	namedCurve optString
	public     *cryptoKey // nil if absent

	iv, additionalData, counter, label, salt, info, publicExponent optBytes

	tagLength, length, modulusLength, saltLength, iterations optInt
}

// readParams reads the normalized dictionary subtle.js passed.
func (e *env) readParams(v goja.Value) *algParams {
	o, ok := v.(*goja.Object)
	if !ok {
		panic(e.rt.NewTypeError("expected an algorithm object"))
	}
	p := &algParams{name: o.Get("name").String()}
	str := func(name string) optString {
		if v := o.Get(name); v != nil && !goja.IsUndefined(v) {
			return optString{v.String(), true}
		}
		return optString{}
	}
	num := func(name string) optInt {
		if v := o.Get(name); v != nil && !goja.IsUndefined(v) {
			return optInt{int(v.ToInteger()), true}
		}
		return optInt{}
	}
	buf := func(name string) optBytes {
		if v := o.Get(name); v != nil && !goja.IsUndefined(v) {
			b, ok := bufferBytes(v)
			if !ok {
				panic(e.rt.NewTypeError("expected a buffer for " + name))
			}
			return optBytes{b, true}
		}
		return optBytes{}
	}
	p.hash, p.namedCurve = str("hash"), str("namedCurve")
	if v := o.Get("public"); v != nil && !goja.IsUndefined(v) {
		p.public = e.keyArg(v)
	}
	p.iv, p.additionalData, p.counter, p.label = buf("iv"), buf("additionalData"), buf("counter"), buf("label")
	p.salt, p.info, p.publicExponent = buf("salt"), buf("info"), buf("publicExponent")
	p.tagLength, p.length, p.modulusLength = num("tagLength"), num("length"), num("modulusLength")
	p.saltLength, p.iterations = num("saltLength"), num("iterations")
	return p
}

// importData is importKey's keyData: a copy of a buffer's bytes, or a JWK.
type importData struct {
	raw []byte
	jwk *jwk // nil for a buffer
}

// importData reads the keyData subtle.js passed: a buffer or a JWK object.
func (e *env) importData(v goja.Value) importData {
	if b, ok := bufferBytes(v); ok {
		return importData{raw: append([]byte{}, b...)}
	}
	o, ok := v.(*goja.Object)
	if !ok {
		panic(e.rt.NewTypeError("expected a buffer or a JSON Web Key"))
	}
	return importData{jwk: readJWK(o)}
}

// jwk is a JSON Web Key (workerd's SubtleCrypto::JsonWebKey).
type jwk struct {
	kty                                            string
	use, alg, crv, x, y, d, n, e, p, q, dp, dq, qi optString
	k                                              optString
	keyOps                                         []string
	hasKeyOps                                      bool
	ext, hasExt                                    bool
	hasOth                                         bool // "oth" (other primes) was given
}

// readJWK reads a JWK object subtle.js normalized (strings, a key_ops
// array of strings, a boolean ext).
func readJWK(o *goja.Object) *jwk {
	j := &jwk{kty: o.Get("kty").String()}
	for _, f := range j.stringFields() {
		if v := o.Get(f.name); v != nil && !goja.IsUndefined(v) {
			*f.field = optString{v.String(), true}
		}
	}
	if v, ok := o.Get("key_ops").(*goja.Object); ok {
		j.hasKeyOps = true
		n := int(v.Get("length").ToInteger())
		for i := 0; i < n; i++ {
			j.keyOps = append(j.keyOps, v.Get(strconv.Itoa(i)).String())
		}
	}
	if v := o.Get("ext"); v != nil && !goja.IsUndefined(v) {
		j.ext, j.hasExt = v.ToBoolean(), true
	}
	if v := o.Get("oth"); v != nil && !goja.IsUndefined(v) {
		j.hasOth = true
	}
	return j
}

type jwkField struct {
	name  string
	field *optString
}

// stringFields are the optional string members, in the order of
// workerd's JsonWebKey struct (which is the order of an exported JWK's
// properties), without the ones that come before ext.
func (j *jwk) stringFields() []jwkField {
	return []jwkField{
		{"use", &j.use}, {"alg", &j.alg}, {"crv", &j.crv}, {"x", &j.x}, {"y", &j.y}, {"d", &j.d},
		{"n", &j.n}, {"e", &j.e}, {"p", &j.p}, {"q", &j.q}, {"dp", &j.dp}, {"dq", &j.dq}, {"qi", &j.qi}, {"k", &j.k},
	}
}

// each calls f with the JWK's members in workerd's order: kty, use,
// key_ops, alg, ext, crv, x, y, d, n, e, p, q, dp, dq, qi, k. v is a
// string, a []string or a bool.
func (j *jwk) each(f func(name string, v any)) {
	f("kty", j.kty)
	if j.use.ok {
		f("use", j.use.v)
	}
	if j.hasKeyOps {
		f("key_ops", j.keyOps)
	}
	if j.alg.ok {
		f("alg", j.alg.v)
	}
	if j.hasExt {
		f("ext", j.ext)
	}
	for _, fl := range j.stringFields()[2:] {
		if fl.field.ok {
			f(fl.name, fl.field.v)
		}
	}
}

// value makes the JWK object exportKey resolves with.
func (j *jwk) value(rt *goja.Runtime) *goja.Object {
	o := rt.NewObject()
	j.each(func(name string, v any) {
		if ops, ok := v.([]string); ok {
			vals := make([]any, len(ops))
			for i, s := range ops {
				vals[i] = s
			}
			v = rt.NewArray(vals...)
		}
		mustSet(o.Set(name, v))
	})
	return o
}

// json is the JWK as JSON.stringify writes it (wrapKey's "jwk" format).
func (j *jwk) json() []byte {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	out := []byte{'{'}
	first := true
	j.each(func(name string, v any) {
		b.Reset()
		_ = enc.Encode(v) // strings, string slices and bools always encode
		if !first {
			out = append(out, ',')
		}
		first = false
		out = append(out, '"')
		out = append(out, name...)
		out = append(out, '"', ':')
		out = append(out, bytes.TrimRight(b.Bytes(), "\n")...)
	})
	return append(out, '}')
}

// decodeBase64URL decodes a JWK member: base64url, padded or not (the
// standard alphabet is accepted too, as workerd's decoder does).
func decodeBase64URL(s string) ([]byte, bool) {
	s = strings.TrimRight(s, "=")
	s = strings.NewReplacer("+", "-", "/", "_").Replace(s)
	b, err := base64.RawURLEncoding.DecodeString(s)
	return b, err == nil
}

// jwkBytes decodes a required base64url member, or returns err if it is
// missing or not base64url.
func jwkBytes(v optString, err error) ([]byte, error) {
	if !v.ok {
		return nil, err
	}
	b, ok := decodeBase64URL(v.v)
	if !ok {
		return nil, err
	}
	return b, nil
}

// encodeBase64URL encodes a JWK member.
func encodeBase64URL(b []byte) optString {
	return optString{base64.RawURLEncoding.EncodeToString(b), true}
}
