package main

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestStorageReports runs every KV and SQL method and option of
// testdata/storage and compares the report with want-*.txt (each line checked
// against workerd-semantics.md §4–6), for a SQLite-backed and a KV-backed class.
func TestStorageReports(t *testing.T) {
	t.Parallel()
	dir := testdataCopy(t, "storage")
	p := startEmu(t, dir)
	for _, tc := range []struct{ path, want string }{
		{"/kv", "want-kv-sqlite.txt"},
		{"/kv?kv=1", "want-kv-kv.txt"},
		{"/sql", "want-sql.txt"},
		{"/sql?kv=1&try=1", "want-sql-kv.txt"},
		{"/alarm/errors", "want-alarm-errors.txt"},
	} {
		want, err := os.ReadFile(filepath.Join(dir, tc.want))
		if err != nil {
			t.Fatal(err)
		}
		if status, body, _ := p.get(tc.path); status != 200 || body != string(want) {
			t.Errorf("GET %s (%d) differs from %s:\n%s", tc.path, status, tc.want, lineDiff(string(want), body))
		}
	}
}

// TestStoragePersistsAcrossRestart: a graceful restart finds the data under
// the same idFromName.
func TestStoragePersistsAcrossRestart(t *testing.T) {
	t.Parallel()
	dir := testdataCopy(t, "storage")
	p := startEmu(t, dir)
	for i := 1; i <= 3; i++ {
		if _, body, _ := p.get("/incr?name=persist"); body != strconv.Itoa(i) {
			t.Fatalf("incr %d = %q", i, body)
		}
	}
	p.stop()
	// Started from the parent directory, emu finds the same storage: it
	// lives beside the project, not where emu runs.
	p = startEmu(t, filepath.Dir(dir), filepath.Base(dir))
	if _, body, _ := p.get("/count?name=persist"); body != "3" {
		t.Fatalf("after restart: %q", body)
	}
	if _, err := os.Stat(filepath.Join(dir, ".emu", "state")); err != nil {
		t.Fatalf("persist dir: %v", err)
	}
}

// TestCrashLosesNoAcknowledgedWrite: SIGKILL at a random moment during
// sequential increments, restart: every acknowledged increment is there.
func TestCrashLosesNoAcknowledgedWrite(t *testing.T) {
	t.Parallel()
	dir := testdataCopy(t, "storage")
	acked := 0
	for round := 0; round < 20; round++ {
		p := startEmu(t, dir)
		// Every acknowledged increment is there; the one in flight at the
		// kill may or may not have been committed.
		_, body, _ := p.get("/count?name=crash")
		count, _ := strconv.Atoi(body)
		if count != acked && count != acked+1 {
			t.Fatalf("round %d: count after restart = %s, acknowledged %d", round, body, acked)
		}
		acked = count
		killAt := time.Now().Add(time.Duration(rand.IntN(40)) * time.Millisecond)
		killed := make(chan struct{})
		go func() {
			time.Sleep(time.Until(killAt))
			_ = p.cmd.Process.Kill() // SIGKILL, by PID
			close(killed)
		}()
		for {
			n, ok := tryGet(p.URL + "/incr?name=crash")
			if !ok {
				break
			}
			v, err := strconv.Atoi(n)
			if err != nil || v != acked+1 {
				t.Fatalf("round %d: incr = %q after %d", round, n, acked)
			}
			acked = v
		}
		<-killed
		<-p.exit
	}
	p := startEmu(t, dir)
	if _, body, _ := p.get("/count?name=crash"); body != strconv.Itoa(acked) && body != strconv.Itoa(acked+1) {
		t.Fatalf("final count %s, acknowledged %d", body, acked)
	}
	t.Logf("%d acknowledged increments over 20 SIGKILLs, 0 lost", acked)
}

// TestAlarmsFireRetryAndWake: an alarm wakes a hibernated object (constructor
// first), a throwing alarm is retried after 2 s with retryCount 1, and the
// alarm is gone after success.
func TestAlarmsFireRetryAndWake(t *testing.T) {
	t.Parallel()
	dir := testdataCopy(t, "storage")
	p := startEmu(t, dir, "--hibernate-after", "100ms")
	if _, body, _ := p.get("/alarm/set?name=al&ms=1000&fail=1"); body != "true" {
		t.Fatalf("setAlarm: %q", body)
	}
	mark := p.lines()
	p.waitForAfter(mark, `SqlStore("al"): hibernated`, 10*time.Second)
	p.waitForAfter(mark, `SqlStore("al"): woke up for alarm`, 10*time.Second)
	p.waitForAfter(mark, "alarm ran (retryCount 0)", 10*time.Second)
	p.waitForAfter(mark, "Uncaught Error: alarm failure 1", 10*time.Second)
	p.waitForAfter(mark, "alarm ran (retryCount 1)", 10*time.Second)
	var state struct {
		Fired []struct {
			RetryCount int  `json:"retryCount"`
			IsRetry    bool `json:"isRetry"`
			During     any  `json:"during"`
		} `json:"fired"`
		Alarm any `json:"alarm"`
	}
	deadline := time.Now().Add(5 * time.Second)
	for {
		_, body, _ := p.get("/alarm/state?name=al")
		if err := json.Unmarshal([]byte(body), &state); err != nil {
			t.Fatalf("state %q: %v", body, err)
		}
		if state.Alarm == nil || time.Now().After(deadline) {
			break
		}
	}
	got := fmt.Sprintf("%+v alarm=%v", state.Fired, state.Alarm)
	if got != "[{RetryCount:0 IsRetry:false During:<nil>} {RetryCount:1 IsRetry:true During:<nil>}] alarm=<nil>" {
		t.Fatalf("alarm state: %s", got)
	}
}

// TestAlarmDueWhileStoppedFiresAtStart: an alarm whose time passed while emu
// was stopped fires when it starts again.
func TestAlarmDueWhileStoppedFiresAtStart(t *testing.T) {
	t.Parallel()
	dir := testdataCopy(t, "storage")
	p := startEmu(t, dir)
	due := time.Now().Add(time.Second)
	if _, body, _ := p.get("/alarm/set?name=late&ms=1000"); body != "true" {
		t.Fatalf("setAlarm: %q", body)
	}
	p.stop()
	if strings.Contains(p.output(), "alarm ran") {
		t.Fatal("the alarm ran before emu stopped; the scenario needs it to fall due while stopped")
	}
	time.Sleep(time.Until(due) + 50*time.Millisecond) // let the alarm fall due while nothing runs
	p = startEmu(t, dir)
	p.waitFor("alarm ran (retryCount 0)", 10*time.Second)
}
