package durableobject

import (
	"fmt"
	"testing"
)

// BenchmarkSnapshot10k is the snapshot of a namespace of 10,000 objects
// (the inspector takes one per second while a page is open).
func BenchmarkSnapshot10k(b *testing.B) {
	sys := NewSystem(Options{PersistDir: b.TempDir(), ScriptKey: "b"})
	sys.SetBindings([]Binding{{Name: "R", ClassName: "R", SQLite: true}})
	ns := sys.Namespace("R")
	for i := 0; i < 10000; i++ {
		ns.object(ns.IDFromName(fmt.Sprint("r", i)), fmt.Sprint("r", i))
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := sys.Snapshot(); err != nil {
			b.Fatal(err)
		}
	}
}
