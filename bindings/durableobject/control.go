package durableobject

// Actions and per-object views for diagnostic tools (emu's inspector):
// hibernate now, fire or delete the alarm, close a socket, wipe storage,
// and read an object's sockets and storage. Each runs on the current
// version's loop, as the object's own events do, and each action is logged.

import (
	"errors"
	"os"
	"time"

	"github.com/dop251/goja"

	"github.com/emu-dev/emu/bindings/storage"
	"github.com/emu-dev/emu/bindings/websocket"
)

// Errors of the actions.
var (
	ErrNoAlarm      = errors.New("no alarm is set")
	ErrAlarmRunning = errors.New("the alarm is running")
	ErrNoSocket     = errors.New("no such WebSocket")
	ErrNoStorage    = errors.New("the object has no storage")
)

// Hibernate evicts the object now if nothing pins it. Otherwise it reports
// false and why (for an object not in memory: StateHibernated or
// StateNotLoaded).
func (o *Object) Hibernate() (ok bool, why string, err error) {
	err = o.ns.sys.do(func(v *Version, _ *goja.Runtime) error {
		why = o.evictable(v)
		if why == notLive {
			why = "it is not in memory"
			return nil
		}
		if why == "" {
			o.evict(v, "from the inspector")
			ok = true
		}
		return nil
	})
	return ok, why, err
}

// FireAlarm runs the object's alarm now instead of at its time, as the
// timer would (retries included).
func (o *Object) FireAlarm() error {
	o.mu.Lock()
	at, t := o.alarmAt, o.alarmTimer
	if at.IsZero() || t == nil {
		o.mu.Unlock()
		return ErrNoAlarm
	}
	if !t.Stop() {
		o.mu.Unlock()
		return ErrAlarmRunning
	}
	o.alarmTimer = nil
	o.mu.Unlock()
	o.log("info", "alarm fired from the inspector (it was due %s)", at.Format(time.RFC3339Nano))
	o.fireAlarm(at)
	return nil
}

// DeleteAlarm deletes the object's alarm, as storage.deleteAlarm() does.
func (o *Object) DeleteAlarm() error {
	return o.ns.sys.do(func(v *Version, _ *goja.Runtime) error {
		o.mu.Lock()
		set := !o.alarmAt.IsZero()
		o.mu.Unlock()
		if !set {
			return ErrNoAlarm
		}
		if err := o.useStore(v, (*storage.Store).DeleteAlarm); err != nil {
			return err
		}
		o.resetRetries()
		o.armAlarm(time.Time{}, false)
		o.log("info", "alarm deleted from the inspector")
		return nil
	})
}

// SocketInfo describes one of an object's WebSockets.
type SocketInfo struct {
	ID           string   `json:"id"` // the client's address ("" before the upgrade)
	Hibernatable bool     `json:"hibernatable"`
	Tags         []string `json:"tags"`
	Attachment   string   `json:"attachment,omitempty"` // decoded for display
	websocket.Stats
}

// Decoder renders a structured-clone serialization for display. It runs
// on the version's loop with its runtime.
type Decoder func(rt *goja.Runtime, b []byte) string

// Sockets returns the object's WebSockets from offset (at most limit) and
// how many it has: hibernatable ones in order of acceptance, then
// accept()ed ones. Attachments are rendered with decode.
func (o *Object) Sockets(offset, limit int, decode Decoder) (socks []SocketInfo, total int, err error) {
	err = o.ns.sys.do(func(v *Version, rt *goja.Runtime) error {
		o.mu.Lock()
		hib := append([]*websocket.Conn(nil), o.sockets...)
		o.mu.Unlock()
		all := append(hib, v.WS.StandardConns(o)...)
		total = len(all)
		for i := offset; i < len(all) && i < offset+limit; i++ {
			c := all[i]
			si := SocketInfo{Hibernatable: i < len(hib), Tags: c.Tags, Stats: c.Stats()}
			si.ID = si.Remote
			if len(c.Attachment) > 0 {
				si.Attachment = decode(rt, c.Attachment)
			}
			if si.Tags == nil {
				si.Tags = []string{}
			}
			socks = append(socks, si)
		}
		return nil
	})
	return socks, total, err
}

// AutoResponse is the pair set with setWebSocketAutoResponse (nil if
// none).
func (o *Object) AutoResponse() *websocket.AutoResponse { return o.autoResponse() }

// CloseSocket sends a close frame with code and reason to the client of
// the socket id (see SocketInfo.ID); the object sees the client's answer
// as it would any close.
func (o *Object) CloseSocket(id string, code websocket.StatusCode, reason string) error {
	if !code.Valid() {
		return errors.New("invalid close code: use 1000-4999, except 1004-1006 and 1015")
	}
	if len(reason) > websocket.MaxCloseReasonBytes {
		return errors.New("the close reason is longer than 123 bytes")
	}
	return o.ns.sys.do(func(v *Version, _ *goja.Runtime) error {
		o.mu.Lock()
		all := append([]*websocket.Conn(nil), o.sockets...)
		o.mu.Unlock()
		for _, c := range append(all, v.WS.StandardConns(o)...) {
			if id == "" || c.Stats().Remote != id {
				continue
			}
			if c.ClosedOutgoing() {
				return errors.New("the WebSocket is already closing")
			}
			c.Close(code, reason)
			o.log("info", "WebSocket %s closed from the inspector (%d %q)", id, code, reason)
			return nil
		}
		return ErrNoSocket
	})
}

// WithStorage runs fn on the loop with the object's storage: the store the
// object has open, or the file opened for the call. ErrNoStorage if it has
// none.
func (o *Object) WithStorage(fn func(rt *goja.Runtime, st *storage.Store) error) error {
	return o.ns.sys.do(func(v *Version, rt *goja.Runtime) error {
		return o.useStore(v, func(st *storage.Store) error { return fn(rt, st) })
	})
}

// useStore calls fn with the object's open store, or with its file opened
// for the call and closed after it (on v's loop).
func (o *Object) useStore(v *Version, fn func(st *storage.Store) error) error {
	o.mu.Lock()
	st := o.store
	if st != nil {
		o.mu.Unlock()
		return fn(st)
	}
	// o.mu stays held, so the object cannot open the file meanwhile.
	defer o.mu.Unlock()
	path := o.ns.storagePath(o.id)
	if _, err := os.Stat(path); err != nil {
		return ErrNoStorage
	}
	tmp, err := storage.Open(path, o.ns.storageOptions(v))
	if err != nil {
		return err
	}
	defer tmp.Close()
	return fn(tmp)
}

// Wipe deletes everything the object stored (KV, SQL tables, alarm). An
// object that can be evicted is evicted first, so its next event
// constructs it on empty storage; one pinned in memory keeps whatever its
// instance holds in memory.
func (o *Object) Wipe() error {
	return o.ns.sys.do(func(v *Version, _ *goja.Runtime) error {
		why := o.evictable(v)
		if why == "" {
			o.evict(v, "storage wiped from the inspector")
		}
		o.mu.Lock()
		defer o.mu.Unlock()
		if o.alarmTimer != nil {
			o.alarmTimer.Stop()
			o.alarmTimer = nil
		}
		o.alarmAt, o.alarmRetry = time.Time{}, 0
		if o.store != nil {
			if err := o.store.Wipe(); err != nil {
				return err
			}
		} else {
			path := o.ns.storagePath(o.id)
			for _, suffix := range []string{"", "-wal", "-shm", "-journal"} {
				if err := os.Remove(path + suffix); err != nil && !os.IsNotExist(err) {
					return err
				}
			}
		}
		if why != "" && why != notLive {
			o.log("info", "storage wiped from the inspector; the instance stays in memory (%s) and keeps what it holds there", why)
		} else {
			o.log("info", "storage wiped from the inspector")
		}
		return nil
	})
}
