package durableobject

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"

	"github.com/emu-dev/emu/jsruntime"
)

// Ids are 64 lower-case hex digits laid out as workerd's: 16 bytes of base
// and 16 bytes of HMAC of the base under the namespace key, so idFromString
// can tell an id of another namespace. idFromName derives the base from the
// name (keyed by the namespace), so the same name gives the same id across
// restarts and storage is found again.

const (
	msgInvalidID      = "Invalid Durable Object ID: must be 64 hex digits"
	msgWrongNamespace = "Durable Object ID is not valid for this namespace."
)

func (ns *Namespace) mac(b []byte) []byte {
	m := hmac.New(sha256.New, ns.key)
	m.Write([]byte("id"))
	m.Write(b)
	return m.Sum(nil)[:16]
}

func (ns *Namespace) seal(base []byte) string {
	return hex.EncodeToString(append(base[:16:16], ns.mac(base[:16])...))
}

// IDFromName is the id for name: deterministic for this namespace.
func (ns *Namespace) IDFromName(name string) string {
	m := hmac.New(sha256.New, ns.key)
	m.Write([]byte("name"))
	m.Write([]byte(name))
	return ns.seal(m.Sum(nil))
}

// NewUniqueID is a random id of this namespace.
func (ns *Namespace) NewUniqueID() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return ns.seal(b)
}

// ParseID validates s as an id of this namespace and returns it in lower
// case, or workerd's TypeError (idFromString's).
func (ns *Namespace) ParseID(s string) (string, *jsruntime.ScriptError) {
	b, err := hex.DecodeString(s)
	if len(s) != 64 || err != nil {
		return "", jsruntime.Errorf(jsruntime.TypeError, msgInvalidID)
	}
	if !hmac.Equal(ns.mac(b[:16]), b[16:]) {
		return "", jsruntime.Errorf(jsruntime.TypeError, msgWrongNamespace)
	}
	return hex.EncodeToString(b), nil
}
