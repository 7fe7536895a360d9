package durableobject

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
)

// Ids are 64 lower-case hex digits, as workerd's: 32 bytes whose last 8 are
// a MAC of the first 24 under the namespace key, so idFromString can tell an
// id of another namespace. idFromName derives the first 24 bytes from the
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
	return m.Sum(nil)[:8]
}

func (ns *Namespace) seal(b24 []byte) string {
	return hex.EncodeToString(append(b24[:24:24], ns.mac(b24[:24])...))
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
	b := make([]byte, 24)
	_, _ = rand.Read(b)
	return ns.seal(b)
}

// ParseID validates s as an id of this namespace and returns it in lower
// case, or workerd's TypeError message.
func (ns *Namespace) ParseID(s string) (string, string) {
	b, err := hex.DecodeString(s)
	if len(s) != 64 || err != nil {
		return "", msgInvalidID
	}
	if !hmac.Equal(ns.mac(b[:24]), b[24:]) {
		return "", msgWrongNamespace
	}
	return hex.EncodeToString(b), ""
}
