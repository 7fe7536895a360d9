package durableobject

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestOrigin: a class renamed by [[migrations]] keeps its ids and its storage directory
// (moved to the new name); a class created again after being deleted, and a class of
// another name, get other ids and storage; a transferred class takes the other
// Worker's.
func TestOrigin(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	var logs []string
	newSys := func(script string) *System {
		return NewSystem(Options{ScriptKey: script, PersistDir: dir, Log: func(_, msg string) { logs = append(logs, msg) }})
	}
	first := newSys("w")
	first.SetBindings([]Binding{{Name: "R", ClassName: "Old"}})
	old := first.Namespaces()[0]
	id := old.IDFromName("room")
	path := old.storagePath(id)
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte("data"), 0o644); err != nil {
		t.Fatal(err)
	}

	renamed := newSys("w")
	renamed.SetBindings([]Binding{{Name: "R", ClassName: "New", Origin: Origin{Class: "Old"}, FormerNames: []string{"Old"}}})
	ns := renamed.Namespaces()[0]
	if ns.IDFromName("room") != id {
		t.Error("a renamed class's idFromName changed")
	}
	if b, err := os.ReadFile(ns.storagePath(id)); err != nil || string(b) != "data" {
		t.Errorf("storage after the rename: %q, %v", b, err)
	}
	if !strings.Contains(ns.storagePath(id), string(filepath.Separator)+"New-") {
		t.Errorf("storage path %s is not under the new name", ns.storagePath(id))
	}
	if _, err := os.Stat(filepath.Dir(path)); !os.IsNotExist(err) {
		t.Errorf("the old directory is still there: %v", err)
	}
	if len(logs) != 1 || !strings.Contains(logs[0], "class Old is now class New's") {
		t.Errorf("logs = %q", logs)
	}

	// Running again with the same config moves nothing and finds the same data.
	again := newSys("w")
	again.SetBindings([]Binding{{Name: "R", ClassName: "New", Origin: Origin{Class: "Old"}, FormerNames: []string{"Old"}}})
	if again.Namespaces()[0].storagePath(id) != ns.storagePath(id) || len(logs) != 1 {
		t.Errorf("second start: %s, logs %q", again.Namespaces()[0].storagePath(id), logs)
	}

	fresh := newSys("w")
	fresh.SetBindings([]Binding{{Name: "R", ClassName: "Old", Origin: Origin{Class: "Old", Generation: 1}}})
	if f := fresh.Namespaces()[0]; f.IDFromName("room") == id || f.storagePath(f.IDFromName("room")) == path {
		t.Error("a class created again after deleted_classes reuses the deleted objects")
	}

	src := newSys("w")
	src.SetBindings([]Binding{{Name: "S", ClassName: "Src"}})
	sid := src.Namespaces()[0].IDFromName("room")
	spath := src.Namespaces()[0].storagePath(sid)
	if err := os.MkdirAll(filepath.Dir(spath), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(spath, []byte("theirs"), 0o644); err != nil {
		t.Fatal(err)
	}
	other := newSys("other-worker")
	other.SetBindings([]Binding{{Name: "X", ClassName: "Mine", Origin: Origin{Script: "w", Class: "Src"}, FormerNames: []string{"Src"}}})
	if o := other.Namespaces()[0]; o.IDFromName("room") != sid {
		t.Error("a transferred class does not keep the other Worker's ids")
	} else if b, err := os.ReadFile(o.storagePath(sid)); err != nil || string(b) != "theirs" {
		t.Errorf("storage after the transfer: %q, %v", b, err)
	}
}
