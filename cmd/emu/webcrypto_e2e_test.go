package main

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"math/big"
	"strings"
	"testing"
)

// TestWebCryptoWorker drives testdata/webcrypto, a Worker that signs and
// verifies JWT-like tokens with crypto.subtle (HS256 and ES256), and checks
// its tokens with Go's crypto and Go's tokens with it.
func TestWebCryptoWorker(t *testing.T) {
	t.Parallel()
	p := startEmu(t, testdataCopy(t, "webcrypto"))
	b64 := base64.RawURLEncoding

	sign := func(alg, claims string) string {
		t.Helper()
		status, token, _ := p.do("POST", "/sign?alg="+alg, strings.NewReader(claims))
		if status != 200 || strings.Count(token, ".") != 2 {
			t.Fatalf("POST /sign?alg=%s = %d %q", alg, status, token)
		}
		return token
	}
	verify := func(token string) string {
		t.Helper()
		status, body, _ := p.do("POST", "/verify", strings.NewReader(token))
		if status != 200 {
			t.Fatalf("POST /verify = %d %q", status, body)
		}
		return body
	}

	// HS256: the Worker's MAC is Go's HMAC-SHA256 with the secret of
	// wrangler.toml; tampered tokens fail.
	hs := sign("HS256", `{"sub":"emu","n":1}`)
	parts := strings.Split(hs, ".")
	mac := hmac.New(sha256.New, []byte("emu-test-secret"))
	mac.Write([]byte(parts[0] + "." + parts[1]))
	if want := b64.EncodeToString(mac.Sum(nil)); parts[2] != want {
		t.Errorf("HS256 signature %s, Go computes %s", parts[2], want)
	}
	if got := verify(hs); got != `{"valid":true,"alg":"HS256","claims":{"sub":"emu","n":1}}` {
		t.Errorf("verify HS256 = %s", got)
	}
	forged := parts[0] + "." + b64.EncodeToString([]byte(`{"sub":"root","n":1}`)) + "." + parts[2]
	if got := verify(forged); got != `{"valid":false,"alg":"HS256","claims":null}` {
		t.Errorf("verify forged HS256 = %s", got)
	}

	// ES256: Go verifies the Worker's signature with the public key the
	// Worker exports, and the Worker verifies Go's.
	_, body, _ := p.get("/jwks")
	var jwk struct{ Kty, Crv, X, Y, D string }
	if err := json.Unmarshal([]byte(body), &jwk); err != nil || jwk.Kty != "EC" || jwk.Crv != "P-256" || jwk.D != "" {
		t.Fatalf("/jwks = %s (%v)", body, err)
	}
	x, _ := b64.DecodeString(jwk.X)
	y, _ := b64.DecodeString(jwk.Y)
	pub, err := ecdsa.ParseUncompressedPublicKey(elliptic.P256(), append(append([]byte{4}, x...), y...))
	if err != nil {
		t.Fatalf("the exported JWK is not a P-256 point: %v", err)
	}
	es := sign("ES256", `{"sub":"emu"}`)
	parts = strings.Split(es, ".")
	sig, err := b64.DecodeString(parts[2])
	if err != nil || len(sig) != 64 {
		t.Fatalf("ES256 signature %q: %v", parts[2], err)
	}
	digest := sha256.Sum256([]byte(parts[0] + "." + parts[1]))
	if !ecdsa.Verify(pub, digest[:], new(big.Int).SetBytes(sig[:32]), new(big.Int).SetBytes(sig[32:])) {
		t.Error("Go does not verify the Worker's ES256 signature")
	}
	if got := verify(es); got != `{"valid":true,"alg":"ES256","claims":{"sub":"emu"}}` {
		t.Errorf("verify ES256 = %s", got)
	}
	d, _ := b64.DecodeString("870MB6gfuTJ4HtUnUvYMyJpr5eUZNP4Bk43bVdj3eAE")
	priv, err := ecdsa.ParseRawPrivateKey(elliptic.P256(), d)
	if err != nil {
		t.Fatal(err)
	}
	input := b64.EncodeToString([]byte(`{"alg":"ES256","typ":"JWT"}`)) + "." + b64.EncodeToString([]byte(`{"from":"go"}`))
	goDigest := sha256.Sum256([]byte(input))
	r, s, err := ecdsa.Sign(nil, priv, goDigest[:])
	if err != nil {
		t.Fatal(err)
	}
	goSig := make([]byte, 64)
	r.FillBytes(goSig[:32])
	s.FillBytes(goSig[32:])
	if got := verify(input + "." + b64.EncodeToString(goSig)); got != `{"valid":true,"alg":"ES256","claims":{"from":"go"}}` {
		t.Errorf("verify Go's ES256 token = %s", got)
	}
	goSig[10] ^= 1
	if got := verify(input + "." + b64.EncodeToString(goSig)); got != `{"valid":false,"alg":"ES256","claims":null}` {
		t.Errorf("verify a bad ES256 token = %s", got)
	}

	// digest over a request body.
	data := strings.Repeat("emu webcrypto ", 5000)
	sum := sha256.Sum256([]byte(data))
	if _, got, _ := p.do("POST", "/digest", strings.NewReader(data)); got != hex.EncodeToString(sum[:]) {
		t.Errorf("/digest = %s", got)
	}

	// Errors: workerd's classes and messages, rejected promises.
	_, body, _ = p.get("/errors")
	var errs []string
	if err := json.Unmarshal([]byte(body), &errs); err != nil {
		t.Fatalf("/errors = %s", body)
	}
	want := []string{
		"DOMException NotSupportedError: Unrecognized or unimplemented digest algorithm requested.",
		`DOMException InvalidAccessError: Requested algorithm "ECDSA" does not match this CryptoKey's algorithm "HMAC".`,
		"DOMException InvalidAccessError: Attempt to export non-extractable HMAC key.",
		"DOMException DataError: Imported AES key length must be 128, 192, or 256 bits but provided 24.",
		`DOMException SyntaxError: Attempt to generate AES-GCM key with invalid usage "sign".`,
		"TypeError TypeError: Failed to execute 'sign' on 'SubtleCrypto': parameter 2 is not of type 'CryptoKey'.",
	}
	if len(errs) != len(want) {
		t.Fatalf("/errors = %s", body)
	}
	for i := range want {
		if errs[i] != want[i] {
			t.Errorf("error %d:\n got: %s\nwant: %s", i, errs[i], want[i])
		}
	}
}
