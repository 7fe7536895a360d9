package webapi

import "testing"

func TestWebAPICrypto(t *testing.T) {
	runCases(t, []jsCase{
		{"randomUUID", `/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/.test(crypto.randomUUID()) && crypto.randomUUID() !== crypto.randomUUID()`, `true`},
		{"getRandomValues", `const a = new Uint32Array(8); const r = crypto.getRandomValues(a); (r === a) + " " + a.some((x) => x !== 0)`, `true true`},
		{"getRandomValues quota", `crypto.getRandomValues(new Uint8Array(65537))`,
			`throws: QuotaExceededError: getRandomValues() only accepts buffers of size <= 64K but provided 65537 bytes.`},
		{"getRandomValues 64K ok", `crypto.getRandomValues(new Uint8Array(65536)).length`, `65536`},
		{"getRandomValues float", `crypto.getRandomValues(new Float64Array(1))`,
			`throws: TypeMismatchError: ArrayBufferView argument to getRandomValues() must be an integer-typed view.`},
		{"subtle class", `typeof crypto.subtle.sign + " " + (crypto.subtle instanceof SubtleCrypto)`, `function true`},
	})
}
