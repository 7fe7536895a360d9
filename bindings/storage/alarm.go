package storage

// Alarms: getAlarm, setAlarm, deleteAlarm, and the Go side the Durable
// Object layer uses to schedule and retire them. The alarm is one row of
// _cf_METADATA (key 1, ms since the epoch), so it survives restarts.
//
// Running an alarm, from the Durable Object layer (on the loop goroutine):
//
//	gen := st.StartAlarm()            // getAlarm() now reads null
//	err := callAlarmHandler()
//	st.FinishAlarm()
//	if err == nil && st.AlarmGeneration() == gen {
//		st.DeleteAlarm()              // the handler did not set a new one
//	}

import (
	"math"
	"time"

	"github.com/dop251/goja"
)

const (
	msgAlarmTime      = "setAlarm() cannot be called with an alarm time <= 0"
	msgNoAlarmHandler = "Your Durable Object class must have an alarm() handler in order to call setAlarm()"
	msgAlarmType      = "Failed to execute 'setAlarm' on 'DurableObjectStorage': parameter 1 is not of type 'Date'."
)

const (
	sqlGetAlarm = "SELECT value FROM _cf_METADATA WHERE key = 1"
	sqlSetAlarm = "INSERT OR REPLACE INTO _cf_METADATA (key, value) VALUES (1, ?)"
	sqlDelAlarm = "DELETE FROM _cf_METADATA WHERE key = 1"
)

// alarmLocked reads the persisted alarm; s.mu held.
func (s *Store) alarmLocked() (time.Time, bool, error) {
	st, err := s.stmt(sqlGetAlarm)
	if err != nil {
		return time.Time{}, false, err
	}
	defer s.c.reset(st)
	row, err := s.c.step(st)
	if err != nil || !row {
		return time.Time{}, false, err
	}
	return time.UnixMilli(s.c.columnInt64(st, 0)), true, nil
}

// visibleAlarmLocked is the alarm as getAlarm() reports it: none while the
// alarm handler runs, until a new alarm is set; s.mu held.
func (s *Store) visibleAlarmLocked() (time.Time, bool, error) {
	if s.alarmRunning && s.alarmGen == s.runningGen {
		return time.Time{}, false, nil
	}
	return s.alarmLocked()
}

// writeAlarmLocked persists at, or deletes the alarm if at is nil; s.mu held.
func (s *Store) writeAlarmLocked(at *time.Time) error {
	if at == nil {
		_, err := s.run(sqlDelAlarm)
		return err
	}
	_, err := s.run(sqlSetAlarm, at.UnixMilli())
	return err
}

func (s *Store) writeAlarm(at time.Time) error { return s.writeAlarmLocked(&at) }

// Alarm reads the persisted alarm, for scheduling it when the object starts
// or wakes. It may be called from any goroutine.
func (s *Store) Alarm() (time.Time, bool, error) {
	if err := s.lock(); err != nil {
		return time.Time{}, false, err
	}
	defer s.unlock()
	return s.alarmLocked()
}

// DeleteAlarm deletes the persisted alarm, after a successful alarm run that
// did not set a new one (compare AlarmGeneration before and after). It does
// not call Hooks.AlarmChanged. It may be called from any goroutine.
func (s *Store) DeleteAlarm() error {
	if err := s.lock(); err != nil {
		return err
	}
	defer s.unlock()
	s.alarmGen++
	return s.writeAlarmLocked(nil)
}

// AlarmGeneration counts changes of the alarm (setAlarm, deleteAlarm,
// deleteAll, DeleteAlarm). It may be called from any goroutine.
func (s *Store) AlarmGeneration() uint64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.alarmGen
}

// StartAlarm marks the persisted alarm as running: as in workerd, getAlarm()
// reads null until the handler sets a new alarm. It returns the current
// AlarmGeneration.
func (s *Store) StartAlarm() uint64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.alarmRunning, s.runningGen = true, s.alarmGen
	return s.alarmGen
}

// FinishAlarm ends what StartAlarm began.
func (s *Store) FinishAlarm() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.alarmRunning = false
}

// alarmChanged tells the hook about a committed alarm change, or, inside a
// transaction, remembers to when it ends.
func (j *jsStorage) alarmChanged() {
	s := j.s
	if err := s.lock(); err != nil {
		return
	}
	if len(s.txns) > 0 {
		s.alarmDirty = true
		s.unlock()
		return
	}
	s.alarmDirty = false
	at, ok, err := s.alarmLocked()
	s.unlock()
	if err == nil && j.hooks.AlarmChanged != nil {
		j.hooks.AlarmChanged(at, ok)
	}
}

func (j *jsStorage) getAlarm(fc goja.FunctionCall) goja.Value { return j.doGetAlarm(nil, fc) }

func (j *jsStorage) doGetAlarm(t *txnState, _ goja.FunctionCall) goja.Value {
	return j.async(func() goja.Value {
		j.guard(t, "getAlarm()")
		j.lock()
		at, ok, err := j.s.visibleAlarmLocked()
		j.s.unlock()
		j.check(err)
		if !ok {
			return goja.Null()
		}
		return j.rt.ToValue(at.UnixMilli())
	})
}

func (j *jsStorage) setAlarm(fc goja.FunctionCall) goja.Value { return j.doSetAlarm(nil, fc) }

func (j *jsStorage) doSetAlarm(t *txnState, fc goja.FunctionCall) goja.Value {
	return j.async(func() goja.Value {
		j.guard(t, "setAlarm()")
		var ms float64
		switch v := fc.Argument(0).(type) {
		case *goja.Object:
			if v.ClassName() != "Date" {
				j.typeError(msgAlarmType)
			}
			ms = v.ToFloat()
		default:
			if !goja.IsNumber(v) {
				j.typeError(msgAlarmType)
			}
			ms = v.ToFloat()
		}
		if !(ms > 0) {
			j.typeError(msgAlarmTime)
		}
		if h := j.hooks; h.HasAlarmHandler != nil && !h.HasAlarmHandler() &&
			(h.InConstructor == nil || !h.InConstructor()) {
			j.typeError(msgNoAlarmHandler)
		}
		at := time.UnixMilli(int64(math.Min(math.Floor(ms), math.MaxInt64/2)))
		if now := time.UnixMilli(time.Now().UnixMilli()); at.Before(now) {
			at = now
		}
		j.lock()
		cur, ok, err := j.s.visibleAlarmLocked()
		changed := false
		if err == nil && !(ok && cur.Equal(at)) {
			if err = j.s.writeAlarm(at); err == nil {
				j.s.alarmGen++
				changed = true
			}
		}
		j.s.unlock()
		j.check(err)
		if changed {
			j.alarmChanged()
		}
		return goja.Undefined()
	})
}

func (j *jsStorage) deleteAlarm(fc goja.FunctionCall) goja.Value { return j.doDeleteAlarm(nil, fc) }

func (j *jsStorage) doDeleteAlarm(t *txnState, _ goja.FunctionCall) goja.Value {
	return j.async(func() goja.Value {
		j.guard(t, "deleteAlarm()")
		j.lock()
		_, ok, err := j.s.visibleAlarmLocked()
		if err == nil && ok {
			if err = j.s.writeAlarmLocked(nil); err == nil {
				j.s.alarmGen++
			}
		}
		j.s.unlock()
		j.check(err)
		if ok {
			j.alarmChanged()
		}
		return goja.Undefined()
	})
}
