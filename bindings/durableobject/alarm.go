package durableobject

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"time"

	"github.com/dop251/goja"

	"github.com/emu-dev/emu/bindings/storage"
	"github.com/emu-dev/emu/jsruntime"
)

// Alarm retries, as workerd's alarm scheduler: 2 s doubling, at most 6.
const (
	alarmRetryStart = 2 * time.Second
	alarmRetryMax   = 6
)

// alarmChanged re-arms the Go timer after setAlarm/deleteAlarm/deleteAll
// (on the loop).
func (o *Object) alarmChanged(v *Version) { o.scheduleFromStore(v) }

// scheduleFromStore arms the timer for the persisted alarm, if any.
func (o *Object) scheduleFromStore(v *Version) {
	st, err := o.openStore(v)
	if err != nil {
		o.log("error", "%v", err)
		return
	}
	at, ok, err := st.Alarm()
	if err != nil {
		o.log("error", "read alarm: %v", err)
		return
	}
	o.armAlarm(at, ok)
}

// armAlarm sets the timer for an alarm at at (none if !ok).
func (o *Object) armAlarm(at time.Time, ok bool) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.alarmTimer != nil {
		o.alarmTimer.Stop()
		o.alarmTimer = nil
	}
	if !ok {
		o.alarmAt = time.Time{}
		return
	}
	o.alarmAt = at
	o.alarmTimer = time.AfterFunc(time.Until(at), func() { o.fireAlarm(at) })
}

// restoreAlarm schedules an alarm persisted by an earlier run (one whose
// time passed while emu was stopped fires at once). It reads the file and
// closes it again: a run that finds thousands of objects on disk must not
// hold thousands of databases open.
func (o *Object) restoreAlarm() {
	path := o.ns.storagePath(o.id)
	if _, err := os.Stat(path); err != nil {
		return
	}
	o.mu.Lock()
	st := o.store
	var at time.Time
	var ok bool
	var err error
	if st != nil {
		o.mu.Unlock()
		at, ok, err = st.Alarm()
	} else {
		// o.mu stays held, so the object cannot open the file meanwhile.
		var tmp *storage.Store
		if tmp, err = storage.Open(path, o.ns.storageOptions(o.ns.sys.Current())); err == nil {
			at, ok, err = tmp.Alarm()
			_ = tmp.Close()
		}
		o.mu.Unlock()
	}
	if err != nil {
		o.log("error", "read alarm: %v", err)
		return
	}
	o.armAlarm(at, ok)
}

// RestoreAlarms finds objects with storage on disk and schedules their
// alarms. Call once after the first version is active.
func (s *System) RestoreAlarms() {
	for _, ns := range s.Namespaces() {
		dir := filepath.Dir(ns.storagePath(strings.Repeat("0", 64)))
		ents, err := os.ReadDir(dir)
		if err != nil {
			continue
		}
		for _, e := range ents {
			id, ok := strings.CutSuffix(e.Name(), ".sqlite")
			if !ok || len(id) != 64 {
				continue
			}
			ns.object(id, "")
		}
	}
}

// alarmDone deletes the alarm that ran (or was given up on), resets the
// retry count and arms the timer for whatever is persisted now.
func (o *Object) alarmDone(v *Version) {
	o.resetRetries()
	if st, err := o.openStore(v); err == nil {
		_ = st.DeleteAlarm()
	}
	o.scheduleFromStore(v)
}

func (o *Object) resetRetries() {
	o.mu.Lock()
	o.alarmRetry = 0
	o.mu.Unlock()
}

// fireAlarm delivers the alarm event through the input gate, constructing
// the object first if it is not live.
func (o *Object) fireAlarm(scheduled time.Time) {
	defer o.recoverAlarm(scheduled)
	if o.ns.sys.opts.TestPanicAlarm && o.ns.sys.panicked.CompareAndSwap(false, true) {
		panic("EMU_TEST_PANIC: injected panic on the alarm's timer goroutine")
	}
	v := o.ns.sys.Current()
	if v == nil {
		return
	}
	o.post(v, func(rt *goja.Runtime) {
		o.mu.Lock()
		retry := o.alarmRetry
		o.mu.Unlock()
		var st *storage.Store
		var gen uint64
		o.event(v, "alarm", func(rt *goja.Runtime, inst *instance) (goja.Value, error) {
			fn, ok := goja.AssertFunction(inst.obj.Get("alarm"))
			if !ok {
				o.log("warn", "Attempted to run a scheduled alarm without a handler, did you remember to export an alarm() function?")
				return goja.Undefined(), nil
			}
			var err error
			if st, err = o.openStore(v); err != nil {
				return nil, err
			}
			gen = st.StartAlarm()
			info := rt.NewObject()
			_ = info.Set("retryCount", retry)
			_ = info.Set("isRetry", retry > 0)
			_ = info.Set("scheduledTime", scheduled.UnixMilli())
			return fn(inst.obj, info)
		}, func(_ goja.Value, err error) {
			setDuring := false
			if st != nil {
				st.FinishAlarm()
				setDuring = st.AlarmGeneration() != gen
			}
			o.alarmRan(retry, err)
			if err == nil {
				if setDuring {
					o.resetRetries()
				} else {
					o.alarmDone(v)
				}
				return
			}
			v.Iso.ReportError(err)
			if setDuring {
				return // a new alarm replaces the failing one
			}
			o.mu.Lock()
			o.alarmRetry++
			n := o.alarmRetry
			o.mu.Unlock()
			if n > alarmRetryMax {
				o.log("warn", "alarm failed %d times; giving up", n)
				o.alarmDone(v)
				return
			}
			delay := alarmRetryStart << (n - 1)
			o.log("info", "alarm threw; retry %d in %s", n, delay)
			o.mu.Lock()
			if o.alarmTimer != nil {
				o.alarmTimer.Stop()
			}
			o.alarmTimer = time.AfterFunc(delay, func() { o.fireAlarm(scheduled) })
			o.mu.Unlock()
		})
	})
}

// alarmRan records when the alarm handler finished and how, for the
// inspector.
func (o *Object) alarmRan(retry int, err error) {
	outcome := "ok"
	if err != nil {
		msg, _, _ := strings.Cut(jsruntime.FormatError(err), "\n")
		outcome = "threw " + msg
	}
	if retry > 0 {
		outcome += fmt.Sprintf(" (retry %d)", retry)
	}
	o.mu.Lock()
	o.alarmLastRun = time.Now()
	o.alarmOutcome = outcome
	o.mu.Unlock()
}

// recoverAlarm keeps a Go panic while firing an alarm (on its timer
// goroutine) from taking emu down: the stack is logged and the alarm is
// tried again after the first retry delay, as if it had thrown.
func (o *Object) recoverAlarm(scheduled time.Time) {
	v := recover()
	if v == nil {
		return
	}
	o.log("error", "emu internal error (please report): %v\n%s", v, debug.Stack())
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.alarmTimer != nil {
		o.alarmTimer.Stop()
	}
	o.alarmTimer = time.AfterFunc(alarmRetryStart, func() { o.fireAlarm(scheduled) })
}
