package webapi

import (
	"os"
	"strings"
	"testing"
)

func TestScratch(t *testing.T) {
	b, err := os.ReadFile("/tmp/st/cases.js")
	if err != nil {
		t.Skip()
	}
	for _, src := range strings.Split(string(b), "\n----\n") {
		iso, _ := newIsolate(t)
		t.Logf("%s\n=> %s", strings.TrimSpace(src), evalAsync(t, iso, src))
	}
}
