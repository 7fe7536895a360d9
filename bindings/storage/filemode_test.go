package storage

import (
	"os"
	"path/filepath"
	"testing"
	"time"
)

// TestStateFilesArePrivate: the directories a Store creates are 0700 and the
// database, its WAL and its shared-memory file are 0600, also after
// deleteAll() starts a new file.
func TestStateFilesArePrivate(t *testing.T) {
	root := t.TempDir()
	path := filepath.Join(root, "state", "ns", "obj.sqlite")
	st, err := Open(path, Options{SQLite: true})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if err := st.writeAlarm(time.Now().Add(time.Hour)); err != nil { // a write makes the WAL
		t.Fatal(err)
	}
	checkModes(t, root, path)
	st.mu.Lock()
	err = st.reset(true)
	st.mu.Unlock()
	if err != nil {
		t.Fatal(err)
	}
	checkModes(t, root, path)
}

func checkModes(t *testing.T, root, path string) {
	t.Helper()
	for _, d := range []string{filepath.Join(root, "state"), filepath.Join(root, "state", "ns")} {
		if fi, err := os.Stat(d); err != nil {
			t.Error(err)
		} else if fi.Mode().Perm() != 0o700 {
			t.Errorf("%s: %v, want 0700", d, fi.Mode().Perm())
		}
	}
	for _, f := range []string{path, path + "-wal", path + "-shm"} {
		fi, err := os.Stat(f)
		if os.IsNotExist(err) && f != path {
			continue
		}
		if err != nil {
			t.Error(err)
		} else if fi.Mode().Perm() != 0o600 {
			t.Errorf("%s: %v, want 0600", f, fi.Mode().Perm())
		}
	}
}

// TestDeletedFileIsNoticed: a database file removed while open makes the
// next storage call fail with a clear error (and a log line) instead of
// writing into the unlinked file; the store starts over in a new file whose
// writes persist; the alarm is kept.
func TestDeletedFileIsNoticed(t *testing.T) {
	var logged []string
	e := newEnv(t, Options{SQLite: true, Log: func(m string) { logged = append(logged, m) }})
	e.run(`await storage.put("a", 1); await storage.setAlarm(Date.now() + 3600e3);`)
	if err := os.Remove(e.path); err != nil {
		t.Fatal(err)
	}
	e.run(`await rejects(storage.put("b", 2), "Error: Durable Object storage file ` + e.path + ` was deleted while emu was running; this call failed and the object starts again with empty storage");`)
	if len(logged) != 1 {
		t.Fatalf("logged %q", logged)
	}
	e.run(`eq(await storage.get("a"), undefined); await storage.put("c", 3); eq(await storage.getAlarm() > Date.now(), true, "alarm kept");`)
	e.reopen()
	e.run(`eq(await storage.get("c"), 3, "written after the new file was made");`)
}
