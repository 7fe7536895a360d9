package node

import (
	"encoding/json"
	"os"
	"testing"
)

// testdata/node_expected.json holds expressions over the modules
// (node_cases.js) and what Node.js 20 gives for them (gen_node_expected.js):
// values, error classes, messages and codes. emu must give the same.
func TestModulesMatchNode(t *testing.T) {
	b, err := os.ReadFile("testdata/node_expected.json")
	if err != nil {
		t.Fatal(err)
	}
	var cases []struct{ Src, Want string }
	if err := json.Unmarshal(b, &cases); err != nil {
		t.Fatal(err)
	}
	iso, _ := newIsolate(t, Options{})
	for _, tc := range cases {
		if got := evalAsync(t, iso, tc.Src); got != tc.Want {
			t.Errorf("%s\n got: %s\nwant: %s", tc.Src, got, tc.Want)
		}
	}
}
