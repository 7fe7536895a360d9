package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// mountTmpfs mounts a tmpfs of size (e.g. "2m") at a new directory and
// unmounts it when the test ends; it skips the test where mounting is not
// allowed (not root, or a container without the capability).
func mountTmpfs(t *testing.T, size string) string {
	t.Helper()
	if os.Geteuid() != 0 {
		t.Skip("needs root to mount a tmpfs for the persist directory")
	}
	dir := filepath.Join(t.TempDir(), "persist")
	if err := os.Mkdir(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command("mount", "-t", "tmpfs", "-o", "size="+size, "tmpfs", dir).CombinedOutput(); err != nil {
		t.Skipf("cannot mount a tmpfs here (%v: %s); the disk-full and read-only tests need one", err, out)
	}
	t.Cleanup(func() {
		if out, err := exec.Command("umount", "-l", dir).CombinedOutput(); err != nil {
			t.Errorf("umount %s: %v %s", dir, err, out)
		}
	})
	return dir
}

// TestPersistDirFull: writes into a full file system fail with SQLite's
// error in the script and the log, emu keeps serving, and once space
// returns writes succeed again and every acknowledged one is there after a
// restart.
func TestPersistDirFull(t *testing.T) {
	t.Parallel()
	persist := mountTmpfs(t, "4m")
	dir := testdataCopy(t, "crash")
	p := startEmu(t, dir, "--persist-to", persist)
	if _, body, _ := p.get("/put?name=full&k=first&size=10"); body != "ok" {
		t.Fatalf("first put: %q", body)
	}
	// Leave about 300 KiB free.
	filler := filepath.Join(persist, "filler")
	var st syscallStatfs
	free := statfsFree(t, persist, &st)
	if err := os.WriteFile(filler, make([]byte, free-300<<10), 0o600); err != nil {
		t.Fatal(err)
	}
	var acked []string
	var failure string
	mark := p.lines()
	for i := 0; i < 200; i++ {
		k := "k" + strconv.Itoa(i)
		status, body, _ := p.get("/put?name=full&size=16384&k=" + k)
		if status != 200 {
			failure = body
			break
		}
		acked = append(acked, k)
	}
	if failure == "" {
		t.Fatal("200 puts of 16 KiB fit in 300 KiB")
	}
	if !strings.Contains(failure, "database or disk is full") {
		t.Fatalf("the script saw %q", failure)
	}
	p.waitForAfter(mark, "database or disk is full", 5*time.Second)
	if status, body, _ := p.get("/up"); status != 200 || body != "up" {
		t.Fatalf("emu after the disk filled: %d %q", status, body)
	}
	if err := os.Remove(filler); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 10; i++ {
		k := "after" + strconv.Itoa(i)
		if status, body, _ := p.get("/put?name=full&size=16384&k=" + k); status != 200 {
			t.Fatalf("put after space returned: %d %q", status, body)
		}
		acked = append(acked, k)
	}
	p.stop()
	p = startEmu(t, dir, "--persist-to", persist)
	for _, k := range append(acked, "first") {
		if _, body, _ := p.get("/get?name=full&k=" + k); body == "missing" {
			t.Fatalf("acknowledged %s is missing after the restart", k)
		}
	}
	t.Logf("%d acknowledged writes around a full disk, 0 lost; the script saw %q", len(acked)+1, failure)
}

// TestPersistDirReadOnly: storage on a read-only file system fails with a
// clear error for the script and in the log; emu keeps serving.
func TestPersistDirReadOnly(t *testing.T) {
	t.Parallel()
	persist := mountTmpfs(t, "1m")
	if out, err := exec.Command("mount", "-o", "remount,ro", persist).CombinedOutput(); err != nil {
		t.Skipf("cannot remount read-only: %v %s", err, out)
	}
	p := startEmu(t, testdataCopy(t, "crash"), "--persist-to", persist)
	mark := p.lines()
	status, body, _ := p.get("/put?name=ro&k=a")
	if status != 500 || !strings.Contains(body, "read-only file system") {
		t.Fatalf("put on a read-only persist dir: %d %q", status, body)
	}
	p.waitForAfter(mark, "read-only file system", 5*time.Second)
	t.Logf("the script saw %q", body)
	if status, body, _ := p.get("/up"); status != 200 || body != "up" {
		t.Fatalf("emu after the failure: %d %q", status, body)
	}
}

// TestPersistDirDeleted: the persist directory removed while emu runs: the
// next storage call fails with a clear error (in the script and the log),
// the object starts over with empty storage in a new file, and what is
// written then is kept across a restart.
func TestPersistDirDeleted(t *testing.T) {
	t.Parallel()
	dir := testdataCopy(t, "crash")
	persist := filepath.Join(t.TempDir(), "state")
	p := startEmu(t, dir, "--persist-to", persist)
	if _, body, _ := p.get("/put?name=del&k=before"); body != "ok" {
		t.Fatalf("put: %q", body)
	}
	if err := os.RemoveAll(persist); err != nil {
		t.Fatal(err)
	}
	mark := p.lines()
	status, body, _ := p.get("/put?name=del&k=during")
	if status != 500 || !strings.Contains(body, "was deleted while emu was running") {
		t.Fatalf("put after the directory was deleted: %d %q", status, body)
	}
	p.waitForAfter(mark, "was deleted while emu was running", 5*time.Second)
	t.Logf("the script saw %q", body)
	if _, body, _ := p.get("/put?name=del&k=after"); body != "ok" {
		t.Fatalf("put after the error: %q", body)
	}
	p.stop()
	p = startEmu(t, dir, "--persist-to", persist)
	if _, body, _ := p.get("/get?name=del&k=after"); body == "missing" {
		t.Fatal("the write made after the deletion was lost")
	}
}

type syscallStatfs = syscall.Statfs_t

// statfsFree is the free bytes of the file system holding dir.
func statfsFree(t *testing.T, dir string, st *syscall.Statfs_t) int {
	t.Helper()
	if err := syscall.Statfs(dir, st); err != nil {
		t.Fatal(err)
	}
	return int(st.Bavail) * int(st.Bsize)
}
