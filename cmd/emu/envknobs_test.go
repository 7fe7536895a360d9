package main

import (
	"testing"
	"time"
)

func TestReadEnvKnobs(t *testing.T) {
	env := func(m map[string]string) func(string) string { return func(k string) string { return m[k] } }
	k, err := readEnvKnobs(env(map[string]string{"EMU_MEMORY_LIMIT_MB": "256", "EMU_READ_HEADER_TIMEOUT": "2s", "EMU_TEST_PANIC": "socket"}))
	if err != nil || k.MemoryLimit != 256<<20 || k.ReadHeaderTimeout != 2*time.Second || k.TestPanic != "socket" {
		t.Fatalf("%+v %v", k, err)
	}
	if k, err := readEnvKnobs(env(nil)); err != nil || k != (envKnobs{}) {
		t.Fatalf("unset: %+v %v", k, err)
	}
	for _, bad := range []map[string]string{
		{"EMU_MEMORY_LIMIT_MB": "0"}, {"EMU_MEMORY_LIMIT_MB": "lots"},
		{"EMU_READ_HEADER_TIMEOUT": "-1s"}, {"EMU_READ_HEADER_TIMEOUT": "5"},
		{"EMU_TEST_PANIC": "everything"},
	} {
		if _, err := readEnvKnobs(env(bad)); err == nil {
			t.Errorf("%v accepted", bad)
		}
	}
}
