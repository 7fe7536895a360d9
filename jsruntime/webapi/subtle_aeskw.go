package webapi

import (
	"crypto/subtle"
)

// AES-KW (workerd's AesKwKey in aes.c++): RFC 3394 key wrapping with the
// default initial value, over crypto/aes.

type aesKWKey struct{ aesKey }

// kwIV is RFC 3394's default initial value.
var kwIV = [8]byte{0xa6, 0xa6, 0xa6, 0xa6, 0xa6, 0xa6, 0xa6, 0xa6}

func (a *aesKWKey) wrapKey(k *cryptoKey, _ *algParams, data []byte) ([]byte, error) {
	if len(data)%8 != 0 {
		return nil, operationError("Unwrapped key bit length must be a multiple of 64 bits but unwrapped key has a length of %d bits.", len(data)*8)
	}
	if len(data) < 16 {
		return nil, operationError("Unwrapped key has length %d bytes but it should be greater than or equal to 16 and less than or equal to 18446744073709551607", len(data))
	}
	n := len(data) / 8
	out := make([]byte, 8+len(data))
	copy(out, kwIV[:])
	copy(out[8:], data)
	block := a.block()
	var buf [16]byte
	for j := 0; j < 6; j++ {
		for i := 1; i <= n; i++ {
			copy(buf[:8], out[:8])
			copy(buf[8:], out[8*i:8*i+8])
			block.Encrypt(buf[:], buf[:])
			t := uint64(n*j + i)
			for b := 0; b < 8; b++ {
				buf[7-b] ^= byte(t >> (8 * b))
			}
			copy(out[:8], buf[:8])
			copy(out[8*i:], buf[8:])
		}
	}
	return out, nil
}

func (a *aesKWKey) unwrapKey(k *cryptoKey, _ *algParams, data []byte) ([]byte, error) {
	if len(data)%8 != 0 {
		return nil, operationError("Provided a wrapped key to unwrap that is %d bits which isn't a multiple of 64 bits.", len(data)*8)
	}
	if len(data) < 24 {
		return nil, operationError("Provided a wrapped key to unwrap this is %d bits that is less than the minimal length of 192 bits.", len(data)*8)
	}
	n := len(data)/8 - 1
	var a64 [8]byte
	copy(a64[:], data[:8])
	out := make([]byte, 8*n)
	copy(out, data[8:])
	block := a.block()
	var buf [16]byte
	for j := 5; j >= 0; j-- {
		for i := n; i >= 1; i-- {
			t := uint64(n*j + i)
			copy(buf[:8], a64[:])
			for b := 0; b < 8; b++ {
				buf[7-b] ^= byte(t >> (8 * b))
			}
			copy(buf[8:], out[8*(i-1):8*i])
			block.Decrypt(buf[:], buf[:])
			copy(a64[:], buf[:8])
			copy(out[8*(i-1):], buf[8:])
		}
	}
	if subtle.ConstantTimeCompare(a64[:], kwIV[:]) != 1 {
		return nil, operationError("%s key unwrapping failed.", k.alg)
	}
	return out, nil
}
