package storage

import (
	"testing"
	"time"
)

func TestAlarms(t *testing.T) {
	e := newEnv(t, Options{SQLite: true})
	at := time.Now().Add(time.Hour).Truncate(time.Millisecond)
	e.rt.Set("AT", at.UnixMilli())
	e.run(`
		eq(await storage.getAlarm(), null);
		eq(await storage.setAlarm(new Date(AT)), undefined);
		eq(await storage.getAlarm(), AT);
		await storage.setAlarm(AT); // same time: no change
		await storage.setAlarm(AT + 0.9); // fractions of a millisecond are dropped
		eq(await storage.getAlarm(), AT);
		await rejects(storage.setAlarm(0), "TypeError: setAlarm() cannot be called with an alarm time <= 0");
		await rejects(storage.setAlarm(-5), "TypeError: setAlarm() cannot be called with an alarm time <= 0");
		await rejects(storage.setAlarm(new Date(NaN)), "TypeError: setAlarm() cannot be called with an alarm time <= 0");
		await rejects(storage.setAlarm("soon"), "TypeError: ` + msgAlarmType + `");
	`)
	if len(e.alarms) != 1 || !e.alarms[0].ok || !e.alarms[0].at.Equal(at) {
		t.Fatalf("AlarmChanged calls = %+v, want one at %v", e.alarms, at)
	}
	gen := e.st.AlarmGeneration()

	// Past times run as soon as possible.
	before := time.Now().Truncate(time.Millisecond)
	e.run(`await storage.setAlarm(1000); globalThis.past = await storage.getAlarm();`)
	past := time.UnixMilli(e.rt.Get("past").ToInteger())
	if past.Before(before) || past.After(time.Now()) {
		t.Fatalf("past alarm clamped to %v, want about now (%v)", past, before)
	}
	if e.st.AlarmGeneration() != gen+1 {
		t.Fatalf("AlarmGeneration = %d, want %d", e.st.AlarmGeneration(), gen+1)
	}

	e.run(`eq(await storage.deleteAlarm(), undefined); eq(await storage.getAlarm(), null); await storage.deleteAlarm();`)
	if last := e.alarms[len(e.alarms)-1]; last.ok {
		t.Fatalf("last AlarmChanged = %+v, want ok=false", last)
	}
	if n := len(e.alarms); n != 3 {
		t.Fatalf("%d AlarmChanged calls, want 3 (set, set past, delete)", n)
	}
	if _, ok, err := e.st.Alarm(); ok || err != nil {
		t.Fatalf("Alarm() = %v, %v; want none", ok, err)
	}
}

func TestAlarmHandlerRequired(t *testing.T) {
	e := newEnv(t, Options{SQLite: true})
	hasHandler, inCtor := false, false
	e.hooks.HasAlarmHandler = func() bool { return hasHandler }
	e.hooks.InConstructor = func() bool { return inCtor }
	e.bind()
	e.run(`await rejects(storage.setAlarm(Date.now() + 1000), "TypeError: Your Durable Object class must have an alarm() handler in order to call setAlarm()")`)
	inCtor = true
	e.run(`await storage.setAlarm(Date.now() + 1000)`)
	inCtor, hasHandler = false, true
	e.run(`await storage.setAlarm(Date.now() + 2000); await storage.deleteAlarm();`)
	hasHandler = false
	e.run(`await storage.deleteAlarm(); eq(await storage.getAlarm(), null);`)
}

func TestAlarmRun(t *testing.T) {
	e := newEnv(t, Options{})
	e.run(`await storage.setAlarm(Date.now() + 10)`)

	// A run that sets no new alarm: the caller deletes it.
	gen := e.st.StartAlarm()
	e.run(`eq(await storage.getAlarm(), null, "null while running")`)
	e.st.FinishAlarm()
	if e.st.AlarmGeneration() != gen {
		t.Fatal("generation changed without a new alarm")
	}
	if err := e.st.DeleteAlarm(); err != nil {
		t.Fatal(err)
	}
	if _, ok, _ := e.st.Alarm(); ok {
		t.Fatal("alarm not deleted")
	}

	// A run that sets a new alarm keeps it.
	e.run(`await storage.setAlarm(Date.now() + 10)`)
	gen = e.st.StartAlarm()
	e.run(`
		eq(await storage.getAlarm(), null);
		await storage.setAlarm(Date.now() + 60000);
		eq(typeof await storage.getAlarm(), "number", "new alarm visible while running");
	`)
	e.st.FinishAlarm()
	if e.st.AlarmGeneration() == gen {
		t.Fatal("generation unchanged after setAlarm in the handler")
	}
	if _, ok, _ := e.st.Alarm(); !ok {
		t.Fatal("new alarm lost")
	}
}

func TestAlarmInTransaction(t *testing.T) {
	e := newEnv(t, Options{SQLite: true})
	e.run(`
		await storage.transaction(async (txn) => {
			await txn.setAlarm(Date.now() + 60000);
			eq(typeof await txn.getAlarm(), "number");
			globalThis.callsInside = 0;
		});
	`)
	if len(e.alarms) != 1 || !e.alarms[0].ok {
		t.Fatalf("AlarmChanged calls = %+v, want one after commit", e.alarms)
	}
	e.run(`
		await rejects(storage.transaction(async (txn) => {
			await txn.deleteAlarm();
			throw new Error("undo");
		}), "Error: undo");
		eq(typeof await storage.getAlarm(), "number", "rolled back");
	`)
	if n := len(e.alarms); n != 2 || !e.alarms[1].ok {
		t.Fatalf("AlarmChanged calls = %+v, want the restored alarm reported", e.alarms)
	}
	e.reopen()
	if _, ok, _ := e.st.Alarm(); !ok {
		t.Fatal("alarm not persisted")
	}
}
