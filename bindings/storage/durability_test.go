package storage

import (
	"bufio"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/dop251/goja"

	"github.com/emu-dev/emu/jsruntime"
)

const childEnv = "EMU_STORAGE_KILL_CHILD"

// TestDurableAfterKill runs a child process that writes keys and
// acknowledges each after put() resolved, kills it with SIGKILL mid-stream,
// and checks that every acknowledged write survived.
func TestDurableAfterKill(t *testing.T) {
	if path := os.Getenv(childEnv); path != "" {
		killChild(path)
		return
	}
	if testing.Short() {
		t.Skip("spawns a process")
	}
	path := filepath.Join(t.TempDir(), "kill.sqlite")
	cmd := exec.Command(os.Args[0], "-test.run=^TestDurableAfterKill$")
	cmd.Env = append(os.Environ(), childEnv+"="+path)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })

	acked := -1
	deadline := time.AfterFunc(30*time.Second, func() { _ = cmd.Process.Kill() })
	defer deadline.Stop()
	sc := bufio.NewScanner(out)
	for sc.Scan() {
		n, err := strconv.Atoi(strings.TrimPrefix(sc.Text(), "acked "))
		if err != nil {
			continue
		}
		acked = n
		if acked == 300 {
			if err := cmd.Process.Kill(); err != nil { // SIGKILL
				t.Fatal(err)
			}
			break
		}
	}
	_ = cmd.Wait()
	if acked < 300 {
		t.Fatalf("child acknowledged only %d writes", acked)
	}

	st, err := Open(path, Options{SQLite: true})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	st.mu.Lock()
	n, err := st.run("SELECT count(*) FROM _cf_KV WHERE key < 'k~'")
	st.mu.Unlock()
	if err != nil {
		t.Fatal(err)
	}
	if n < int64(acked)+1 {
		t.Fatalf("%d keys survived SIGKILL, want at least the %d acknowledged", n, acked+1)
	}
}

// killChild writes k0, k1, … forever, printing "acked N" after each put()
// resolves; the parent kills it.
func killChild(path string) {
	st, err := Open(path, Options{SQLite: true})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	rt := goja.New()
	jsruntime.InstallStructuredClone(rt)
	_ = rt.Set("storage", st.Object(rt, Hooks{}))
	_ = rt.Set("ack", func(n int) { fmt.Printf("acked %d\n", n) })
	_, err = rt.RunString(`(async () => {
		for (let i = 0; i < 100000; i++) {
			await storage.put("k" + String(i).padStart(6, "0"), {i, pad: "x".repeat(100)});
			ack(i);
		}
	})()`)
	if err != nil {
		fmt.Fprintln(os.Stderr, jsruntime.FormatError(err))
	}
	time.Sleep(time.Minute)
	os.Exit(0)
}
