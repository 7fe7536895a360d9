package main

import (
	"database/sql"
	"encoding/json"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	_ "modernc.org/sqlite"
)

// The crash tests kill emu with SIGKILL at the worst moments (inside a
// transaction(), a deleteAll(), an alarm handler, a reload), restart it, and
// check that no acknowledged write is lost, that what was in flight is all
// or nothing, and that every database passes PRAGMA integrity_check. Each
// runs 3 times; EMU_CRASH_RUNS=20 runs the full form.

func crashRuns() int {
	if n, err := strconv.Atoi(os.Getenv("EMU_CRASH_RUNS")); err == nil && n > 0 {
		return n
	}
	return 3
}

// objectState reads every key of the object named name (testdata/crash).
func objectState(t *testing.T, p *emuProc, name string) map[string]float64 {
	t.Helper()
	status, body, _ := p.get("/state?name=" + name)
	st := map[string]float64{}
	if err := json.Unmarshal([]byte(body), &st); status != 200 || err != nil {
		t.Fatalf("state: %d %q %v", status, body, err)
	}
	return st
}

// checkIntegrity runs PRAGMA integrity_check on every database under dir
// (emu must not be running).
func checkIntegrity(t *testing.T, dir string) int {
	t.Helper()
	n := 0
	err := filepath.WalkDir(filepath.Join(dir, ".emu", "state"), func(path string, d fs.DirEntry, err error) error {
		if err != nil || !strings.HasSuffix(path, ".sqlite") {
			return err
		}
		db, err := sql.Open("sqlite", path)
		if err != nil {
			return err
		}
		defer db.Close()
		var res string
		if err := db.QueryRow("PRAGMA integrity_check").Scan(&res); err != nil {
			return fmt.Errorf("%s: %w", path, err)
		}
		if res != "ok" {
			return fmt.Errorf("%s: integrity_check: %s", path, res)
		}
		n++
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// killSoon sends SIGKILL to p after a random delay below max and returns a
// channel closed once it was sent.
func killSoon(p *emuProc, max time.Duration) chan struct{} {
	killed := make(chan struct{})
	go func() {
		time.Sleep(time.Duration(rand.Int64N(int64(max)))) // a random moment is the point
		_ = p.cmd.Process.Kill()                           // SIGKILL, by PID
		close(killed)
	}()
	return killed
}

// crashLoop restarts emu crashRuns() times, each time checking the state
// (check returns the new acknowledged value) and then hammering path until
// a random SIGKILL; every response must be acked+1.
func crashLoop(t *testing.T, dir, name, path string, check func(st map[string]float64, acked int) int) int {
	t.Helper()
	acked := 0
	runs := crashRuns()
	for round := 0; round <= runs; round++ {
		p := startEmu(t, dir)
		acked = check(objectState(t, p, name), acked)
		if round == runs {
			p.stop()
			break
		}
		killed := killSoon(p, 60*time.Millisecond)
		for {
			body, ok := tryGet(p.URL + path + "?name=" + name)
			if !ok {
				break
			}
			if v, err := strconv.Atoi(body); err != nil || v != acked+1 {
				t.Fatalf("round %d: %s = %q after %d", round, path, body, acked)
			}
			acked++
		}
		<-killed
		<-p.exit
		checkIntegrity(t, dir)
	}
	if n := checkIntegrity(t, dir); n == 0 {
		t.Fatal("no database was checked")
	}
	return acked
}

// TestCrashDuringTransaction: a transaction() that writes a counter and 20
// mirrors of it is all or nothing across SIGKILLs, and no acknowledged one
// is lost.
func TestCrashDuringTransaction(t *testing.T) {
	t.Parallel()
	dir := testdataCopy(t, "crash")
	acked := crashLoop(t, dir, "txn", "/txn", func(st map[string]float64, acked int) int {
		n := int(st["n"])
		if n != acked && n != acked+1 {
			t.Fatalf("counter %d after restart, acknowledged %d", n, acked)
		}
		for i := 0; i < 20; i++ {
			if m := int(st[fmt.Sprintf("m%d", i)]); m != n {
				t.Fatalf("mirror m%d = %d, counter %d: the transaction was torn", i, m, n)
			}
		}
		return n
	})
	t.Logf("%d acknowledged transactions over %d SIGKILLs, 0 lost", acked, crashRuns())
}

// TestCrashDuringDeleteAll: deleteAll() followed by a new generation
// written in one put: after a SIGKILL the object holds the acknowledged
// generation, the next one complete, or (the in-flight request's deleteAll
// having committed alone) nothing; never a mix.
func TestCrashDuringDeleteAll(t *testing.T) {
	t.Parallel()
	dir := testdataCopy(t, "crash")
	acked := crashLoop(t, dir, "wipe", "/cycle", func(st map[string]float64, acked int) int {
		if len(st) == 0 {
			return 0 // the in-flight deleteAll committed, its put did not
		}
		g := int(st["gen"])
		if g != acked && g != acked+1 {
			t.Fatalf("generation %d after restart, acknowledged %d", g, acked)
		}
		if len(st) != 21 {
			t.Fatalf("generation %d has %d keys: %v", g, len(st), st)
		}
		for k, v := range st {
			if int(v) != g {
				t.Fatalf("%s = %v in generation %d: deleteAll and the put mixed", k, v, g)
			}
		}
		return g
	})
	t.Logf("generation %d acknowledged after %d SIGKILLs around deleteAll()", acked, crashRuns())
}

// TestCrashDuringAlarm: SIGKILL while alarm() runs; after the restart the
// alarm runs again (at least once) to completion.
func TestCrashDuringAlarm(t *testing.T) {
	t.Parallel()
	dir := testdataCopy(t, "crash")
	runs := crashRuns()
	total := 0
	for round := 0; round < runs; round++ {
		p := startEmu(t, dir)
		mark := p.lines()
		if _, body, _ := p.get("/alarm?name=al"); body != "set" {
			t.Fatalf("/alarm: %q", body)
		}
		p.waitForAfter(mark, "alarm started", 10*time.Second)
		killed := killSoon(p, 250*time.Millisecond) // the handler waits 300 ms
		<-killed
		<-p.exit
		if strings.Contains(p.output()[strings.LastIndex(p.output(), "alarm started"):], "alarm done") {
			round-- // the kill came after the handler finished; try again
			continue
		}
		checkIntegrity(t, dir)
		p = startEmu(t, dir)
		p.waitFor("alarm done", 10*time.Second)
		st := objectState(t, p, "al")
		if st["alarmDone"] != st["alarmRuns"] || int(st["alarmRuns"]) < total+2 {
			t.Fatalf("round %d: %v (runs before: %d)", round, st, total)
		}
		total = int(st["alarmRuns"])
		p.stop()
		checkIntegrity(t, dir)
	}
	t.Logf("%d alarm runs over %d SIGKILLs inside alarm(): each ran again after the restart", total, runs)
}

// TestCrashDuringReload: SIGKILL just after index.js changed, while
// increments are acknowledged: none is lost.
func TestCrashDuringReload(t *testing.T) {
	t.Parallel()
	dir := testdataCopy(t, "crash")
	entry := filepath.Join(dir, "index.js")
	acked := 0
	runs := crashRuns()
	for round := 0; round <= runs; round++ {
		p := startEmu(t, dir)
		n := int(objectState(t, p, "rl")["n"])
		if n != acked && n != acked+1 {
			t.Fatalf("round %d: counter %d after restart, acknowledged %d", round, n, acked)
		}
		acked = n
		if round == runs {
			p.stop()
			break
		}
		src, err := os.ReadFile(entry)
		if err != nil {
			t.Fatal(err)
		}
		mark := p.lines()
		go func() {
			time.Sleep(time.Duration(rand.IntN(20)) * time.Millisecond) // a random moment is the point
			_ = os.WriteFile(entry, append(src, fmt.Sprintf("// edit %d\n", round)...), 0o644)
		}()
		var killed chan struct{}
		for {
			if killed == nil && p.hasAfter(mark, "Reload") {
				killed = killSoon(p, 30*time.Millisecond)
			}
			body, ok := tryGet(p.URL + "/incr?name=rl")
			if !ok {
				break
			}
			if v, err := strconv.Atoi(body); err != nil || v != acked+1 {
				t.Fatalf("round %d: /incr = %q after %d", round, body, acked)
			}
			acked++
			if killed == nil && acked > n+2000 {
				t.Fatal("no reload was logged")
			}
		}
		if killed == nil {
			t.Fatalf("round %d: emu stopped answering before it was killed", round)
		}
		<-killed
		<-p.exit
		checkIntegrity(t, dir)
	}
	t.Logf("%d acknowledged increments over %d SIGKILLs during reloads, 0 lost", acked, runs)
}
