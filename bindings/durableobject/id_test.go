package durableobject

import (
	"regexp"
	"testing"

	"github.com/emu-dev/emu/jsruntime"
)

func TestIDs(t *testing.T) {
	t.Parallel()
	sys := NewSystem(Options{ScriptKey: "w"})
	sys.SetBindings([]Binding{{Name: "A", ClassName: "A"}, {Name: "B", ClassName: "B"}})
	nss := sys.Namespaces()
	a, b := nss[0], nss[1]
	hex64 := regexp.MustCompile(`^[0-9a-f]{64}$`)

	id := a.IDFromName("foo")
	if !hex64.MatchString(id) || id != a.IDFromName("foo") || id == a.IDFromName("bar") || id == b.IDFromName("foo") {
		t.Fatalf("idFromName not deterministic per namespace: %s", id)
	}
	again := NewSystem(Options{ScriptKey: "w"})
	again.SetBindings([]Binding{{Name: "A", ClassName: "A"}})
	if again.Namespaces()[0].IDFromName("foo") != id {
		t.Fatal("idFromName differs across restarts")
	}
	u := a.NewUniqueID()
	if !hex64.MatchString(u) || u == a.NewUniqueID() {
		t.Fatalf("newUniqueId: %s", u)
	}
	for _, tc := range []struct{ in, id, msg string }{
		{id, id, ""},
		{u, u, ""},
		{"abc", "", msgInvalidID},
		{id[:63] + "g", "", msgInvalidID},
		{b.IDFromName("foo"), "", msgWrongNamespace},
	} {
		got, err := a.ParseID(tc.in)
		msg := ""
		if err != nil {
			msg = err.Message
			if err.Class != jsruntime.TypeError {
				t.Errorf("ParseID(%q): class %s, want TypeError", tc.in, err.Class)
			}
		}
		if got != tc.id || msg != tc.msg {
			t.Errorf("ParseID(%q) = %q, %q", tc.in, got, msg)
		}
	}
}
