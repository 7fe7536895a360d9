package webapi

import (
	"strconv"

	"github.com/dop251/goja"
)

// keyType is a CryptoKey's type.
type keyType uint8

const (
	secretKey keyType = iota
	publicKey
	privateKey
)

func (t keyType) String() string {
	switch t {
	case publicKey:
		return "public"
	case privateKey:
		return "private"
	}
	return "secret"
}

// usageSet is a set of key usages (workerd's CryptoKeyUsageSet).
type usageSet uint8

const (
	usageEncrypt usageSet = 1 << iota
	usageDecrypt
	usageSign
	usageVerify
	usageDeriveKey
	usageDeriveBits
	usageWrapKey
	usageUnwrapKey

	usagePublicMask     = usageEncrypt | usageVerify | usageWrapKey
	usagePrivateMask    = usageDecrypt | usageSign | usageUnwrapKey | usageDeriveKey | usageDeriveBits
	usageDerivationMask = usageDeriveKey | usageDeriveBits
	usageSignVerify     = usageSign | usageVerify
)

// usageNames are the usages in the spec's order, which is the order of a
// key's usages array.
var usageNames = [...]string{"encrypt", "decrypt", "sign", "verify", "deriveKey", "deriveBits", "wrapKey", "unwrapKey"}

// usageByName returns the usage of that name, or 0.
func usageByName(name string) usageSet {
	for i, n := range usageNames {
		if n == name {
			return 1 << i
		}
	}
	return 0
}

// name is the name of a single usage.
func (u usageSet) name() string {
	for i, n := range usageNames {
		if u == 1<<i {
			return n
		}
	}
	return ""
}

// names lists the usages in u, in the spec's order.
func (u usageSet) names() []string {
	out := []string{}
	for i, n := range usageNames {
		if u&(1<<i) != 0 {
			out = append(out, n)
		}
	}
	return out
}

// The contexts of validateUsages' message.
const (
	ctxGenerate      = "generate"
	ctxImportSecret  = "import secret"
	ctxImportPublic  = "import public"
	ctxImportPrivate = "import private"
)

// validateUsages parses usages, all of which must be in mask
// (CryptoKeyUsageSet::validate).
func validateUsages(alg, ctx string, usages []string, mask usageSet) (usageSet, error) {
	var set usageSet
	for _, u := range usages {
		m := usageByName(u)
		if m == 0 || m&mask != m {
			return 0, syntaxError("Attempt to %s %s key with invalid usage \"%s\".", ctx, alg, u)
		}
		set |= m
	}
	return set, nil
}

// A cryptoKey is what a CryptoKey holds: its algorithm, type, usages and
// key material (in impl).
type cryptoKey struct {
	alg         string // normalized algorithm name
	typ         keyType
	extractable bool
	usages      usageSet
	algorithm   keyAlgorithm
	impl        keyImpl
}

// keyAlgorithm is what CryptoKey.algorithm shows. Which fields it has
// depends on kind, as workerd's KeyAlgorithm dictionaries.
type keyAlgorithm struct {
	kind           algorithmKind
	name           string
	length         int    // AES, HMAC
	hash           string // HMAC, RSA
	namedCurve     string // EC
	modulusLength  int    // RSA
	publicExponent []byte // RSA
}

type algorithmKind uint8

const (
	kindPlain algorithmKind = iota // {name}
	kindAES                        // {name, length}
	kindHMAC                       // {name, hash, length}
	kindRSA                        // {name, modulusLength, publicExponent, hash}
	kindEC                         // {name, namedCurve}
)

// value makes the algorithm object. publicExponent is an ArrayBuffer, which
// subtle.js turns into a Uint8Array.
func (a *keyAlgorithm) value(rt *goja.Runtime) *goja.Object {
	o := rt.NewObject()
	mustSet(o.Set("name", a.name))
	hash := func() {
		h := rt.NewObject()
		mustSet(h.Set("name", a.hash))
		mustSet(o.Set("hash", h))
	}
	switch a.kind {
	case kindAES:
		mustSet(o.Set("length", a.length))
	case kindHMAC:
		hash()
		mustSet(o.Set("length", a.length))
	case kindRSA:
		mustSet(o.Set("modulusLength", a.modulusLength))
		mustSet(o.Set("publicExponent", rt.NewArrayBuffer(append([]byte(nil), a.publicExponent...))))
		hash()
	case kindEC:
		mustSet(o.Set("namedCurve", a.namedCurve))
	}
	return o
}

// keyImpl is the algorithm-specific part of a key (workerd's
// CryptoKey::Impl). Operations an algorithm lacks come from noOps.
type keyImpl interface {
	encrypt(k *cryptoKey, p *algParams, data []byte) ([]byte, error)
	decrypt(k *cryptoKey, p *algParams, data []byte) ([]byte, error)
	sign(k *cryptoKey, p *algParams, data []byte) ([]byte, error)
	verify(k *cryptoKey, p *algParams, sig, data []byte) (bool, error)
	deriveBits(k *cryptoKey, p *algParams, length optInt) ([]byte, error)
	exportKey(k *cryptoKey, format string) (exportedKey, error)
}

// keyWrapper is a keyImpl whose wrapKey and unwrapKey are not its encrypt
// and decrypt (AES-KW).
type keyWrapper interface {
	wrapKey(k *cryptoKey, p *algParams, data []byte) ([]byte, error)
	unwrapKey(k *cryptoKey, p *algParams, data []byte) ([]byte, error)
}

// exportedKey is an exported key: raw bytes or a JWK.
type exportedKey struct {
	raw []byte
	jwk *jwk
}

// noOps are the operations of workerd's CryptoKey::Impl base class, which
// an algorithm that does not have them inherits.
type noOps struct{}

func (noOps) encrypt(k *cryptoKey, _ *algParams, _ []byte) ([]byte, error) {
	return nil, notSupported("The encrypt operation is not implemented for \"%s\".", k.alg)
}

func (noOps) decrypt(k *cryptoKey, _ *algParams, _ []byte) ([]byte, error) {
	return nil, notSupported("The decrypt operation is not implemented for \"%s\".", k.alg)
}

func (noOps) sign(k *cryptoKey, _ *algParams, _ []byte) ([]byte, error) {
	return nil, notSupported("The sign operation is not implemented for \"%s\".", k.alg)
}

func (noOps) verify(k *cryptoKey, _ *algParams, _, _ []byte) (bool, error) {
	return false, notSupported("The verify operation is not implemented for \"%s\".", k.alg)
}

func (noOps) deriveBits(k *cryptoKey, _ *algParams, _ optInt) ([]byte, error) {
	return nil, notSupported("The deriveKey and deriveBits operations are not implemented for \"%s\".", k.alg)
}

func (noOps) exportKey(k *cryptoKey, _ string) (exportedKey, error) {
	return exportedKey{}, notSupported("Unrecognized or unsupported export of \"%s\" requested.", k.alg)
}

// validateOperation checks that a key may do an operation: the requested
// algorithm is the key's (ignoring ASCII case) and the key has the usage.
func validateOperation(k *cryptoKey, requested string, u usageSet) error {
	if !equalFoldASCII(requested, k.alg) {
		return invalidAccess("Requested algorithm \"%s\" does not match this CryptoKey's algorithm \"%s\".", requested, k.alg)
	}
	if k.usages&u != u {
		return invalidAccess("Requested key usage \"%s\" does not match any usage listed in this CryptoKey.", u.name())
	}
	return nil
}

// keyValue is the info object subtle.js makes a CryptoKey of:
// {handle, type, extractable, algorithm, usages}.
func (e *env) keyValue(k *cryptoKey) goja.Value {
	o := e.rt.NewObject()
	mustSet(o.Set("handle", k))
	mustSet(o.Set("type", k.typ.String()))
	mustSet(o.Set("extractable", k.extractable))
	mustSet(o.Set("algorithm", k.algorithm.value(e.rt)))
	names := k.usages.names()
	vals := make([]any, len(names))
	for i, n := range names {
		vals[i] = n
	}
	mustSet(o.Set("usages", e.rt.NewArray(vals...)))
	return o
}

// keyArg returns the key of a handle subtle.js passed.
func (e *env) keyArg(v goja.Value) *cryptoKey {
	k, ok := v.Export().(*cryptoKey)
	if !ok || k == nil {
		panic(e.rt.NewTypeError("expected a CryptoKey handle"))
	}
	return k
}

// stringsArg returns the strings of an array subtle.js passed.
func (e *env) stringsArg(v goja.Value) []string {
	o, ok := v.(*goja.Object)
	if !ok {
		return nil
	}
	n := int(o.Get("length").ToInteger())
	out := make([]string, n)
	for i := range out {
		out[i] = o.Get(strconv.Itoa(i)).String()
	}
	return out
}
