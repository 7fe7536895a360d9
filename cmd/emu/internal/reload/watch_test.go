package reload

import (
	"os"
	"path/filepath"
	"testing"
	"time"
)

// TestWatchDebouncesAndSkips: a burst of writes is one change; new
// subdirectories are watched; ignored paths and swap files are not reported.
func TestWatchDebouncesAndSkips(t *testing.T) {
	t.Parallel()
	root := t.TempDir()
	state := filepath.Join(root, ".emu")
	for _, d := range []string{state, filepath.Join(root, "node_modules")} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	changes := make(chan []string, 10)
	w, err := Watch(WatchOptions{Root: root, Ignore: []string{state}, Debounce: 30 * time.Millisecond, OnChange: func(c []string) { changes <- c }})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	write := func(p string) {
		t.Helper()
		if err := os.WriteFile(p, []byte("x"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	wait := func() []string {
		t.Helper()
		select {
		case c := <-changes:
			return c
		case <-time.After(10 * time.Second):
			t.Fatal("no change reported")
			return nil
		}
	}
	entry := filepath.Join(root, "index.js")
	for i := 0; i < 5; i++ {
		write(entry)
	}
	write(filepath.Join(root, ".index.js.swp"))
	write(filepath.Join(state, "db.sqlite"))
	write(filepath.Join(root, "node_modules", "x.js"))
	if c := wait(); len(c) != 1 || c[0] != entry {
		t.Fatalf("burst reported as %v", c)
	}
	sub := filepath.Join(root, "lib")
	if err := os.Mkdir(sub, 0o755); err != nil {
		t.Fatal(err)
	}
	wait() // the new directory itself
	write(filepath.Join(sub, "a.js"))
	if c := wait(); len(c) != 1 || c[0] != filepath.Join(sub, "a.js") {
		t.Fatalf("file in a new subdirectory reported as %v", c)
	}
}
