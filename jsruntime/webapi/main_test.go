// RSA keys under 1024 bits, as cmd/emu allows them (see its main.go).
//go:debug rsa1024min=0

package webapi

import (
	"testing"

	"go.uber.org/goleak"
)

// TestMain fails the run if a test leaves a goroutine behind.
func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }
