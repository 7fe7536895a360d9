package durableobject

// Snapshots for diagnostic views (emu's inspector). Nothing here runs unless
// a view asks: the state read is the counters and pointers the objects keep
// anyway. JS-owned state is read on the current version's loop (System.do),
// Go-owned state under the objects' mutexes.

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/dop251/goja"
)

// States of an object, as a diagnostic view shows them.
const (
	StateActive     = "active"     // constructed; an event or blockConcurrencyWhile() is running
	StateIdle       = "idle"       // constructed; nothing running
	StateHibernated = "hibernated" // evicted (or dropped by a reload); its sockets and alarm live on in Go
	StateNotLoaded  = "not loaded" // not constructed in this run (storage on disk, or a stub only)
)

// ErrNoVersion is returned while no version of the Worker has loaded.
var ErrNoVersion = errors.New("no version of the Worker has loaded")

// Pins is what keeps a constructed object in memory. An object none of
// them holds can hibernate.
type Pins struct {
	Events      int       `json:"events"`             // events in flight: requests, RPC calls, WebSocket events, alarms
	Running     string    `json:"running"`            // the handler of the latest of them
	Blocking    int       `json:"blocking"`           // blockConcurrencyWhile() callbacks running
	WaitUntil   int       `json:"waitUntil"`          // ctx.waitUntil() promises not settled
	Timers      int       `json:"timers"`             // setTimeout/setInterval timers
	NextTimer   time.Time `json:"nextTimer,omitzero"` // when the first of them is due
	IO          int       `json:"io"`                 // other work in flight (calls to other objects…)
	Accepted    int       `json:"accepted"`           // WebSockets accepted with accept(), which cannot hibernate
	Transaction bool      `json:"transaction"`        // a storage transaction is open
}

// None reports whether nothing pins the object.
func (p Pins) None() bool {
	return p.Events == 0 && p.Blocking == 0 && p.WaitUntil == 0 && p.Timers == 0 && p.IO == 0 && p.Accepted == 0 && !p.Transaction
}

// Reasons says in words what pins the object, as the log and the inspector
// show it; now is the time the next timer is counted from.
func (p Pins) Reasons(now time.Time) []string {
	var out []string
	if p.Events > 0 {
		s := plural(p.Events, "event") + " in flight"
		if p.Running != "" {
			s += " (" + p.Running + ")"
		}
		out = append(out, s)
	}
	if p.Blocking > 0 {
		out = append(out, "blockConcurrencyWhile() running")
	}
	if p.WaitUntil > 0 {
		out = append(out, plural(p.WaitUntil, "waitUntil() promise")+" pending")
	}
	if p.Timers > 0 {
		out = append(out, fmt.Sprintf("%s, next due in %s", plural(p.Timers, "timer"), shortDuration(p.NextTimer.Sub(now))))
	}
	if p.IO > 0 {
		out = append(out, plural(p.IO, "I/O operation")+" pending")
	}
	if p.Accepted > 0 {
		out = append(out, plural(p.Accepted, "accept()ed WebSocket"))
	}
	if p.Transaction {
		out = append(out, "a storage transaction is open")
	}
	return out
}

// shortDuration rounds d for reading: whole seconds from a minute up,
// tenths from a second, milliseconds below.
func shortDuration(d time.Duration) time.Duration {
	switch {
	case d >= time.Minute:
		return d.Truncate(time.Second)
	case d >= time.Second:
		return d.Truncate(100 * time.Millisecond)
	}
	return d.Round(time.Millisecond)
}

func plural(n int, what string) string {
	if n == 1 {
		return "1 " + what
	}
	return fmt.Sprintf("%d %ss", n, what)
}

// pins reads what holds inst in memory, with accepted the count of its
// accept()ed sockets (on v's loop).
func (o *Object) pins(v *Version, inst *instance, accepted int) Pins {
	p := Pins{
		Events:    inst.inflight - inst.waitUntil,
		Running:   inst.running,
		Blocking:  inst.blocked,
		WaitUntil: inst.waitUntil,
		Accepted:  accepted,
	}
	if pending := v.Iso.Pending(o); pending > 0 {
		p.Timers, p.NextTimer = v.Iso.Timers(o)
		p.IO = pending - p.Timers
	}
	o.mu.Lock()
	st := o.store
	o.mu.Unlock()
	if st != nil {
		p.Transaction = st.InTransaction()
	}
	return p
}

// ObjectInfo is a snapshot of one object.
type ObjectInfo struct {
	ID          string    `json:"id"`
	Name        string    `json:"name,omitempty"` // the name its id came from, when this run saw it
	State       string    `json:"state"`
	Pins        *Pins     `json:"pins,omitempty"`    // what keeps it in memory (constructed objects only)
	Reasons     []string  `json:"reasons,omitempty"` // Pins in words
	Constructed int       `json:"constructed"`       // constructor runs in this run
	LastEvent   string    `json:"lastEvent,omitempty"`
	LastEventAt time.Time `json:"lastEventAt,omitzero"`
	Sockets     int       `json:"sockets"`  // hibernatable WebSockets
	Accepted    int       `json:"accepted"` // accept()ed WebSockets
	Storage     bool      `json:"storage"`  // it has a storage file
	Alarm       AlarmInfo `json:"alarm"`
}

// AlarmInfo is an object's alarm: when it is due, how many retries it has
// had, and how the handler last finished.
type AlarmInfo struct {
	At          time.Time `json:"at,omitzero"` // zero: no alarm
	Retry       int       `json:"retry"`
	LastRun     time.Time `json:"lastRun,omitzero"`
	LastOutcome string    `json:"lastOutcome,omitempty"`
}

// NamespaceInfo is a snapshot of one namespace and its objects: those this
// run has touched and those with storage on disk, in no particular order
// (see SortObjects).
type NamespaceInfo struct {
	Binding   string       `json:"binding"`
	ClassName string       `json:"className"`
	SQLite    bool         `json:"sqlite"`
	Objects   []ObjectInfo `json:"objects"`
}

// do runs fn on the current version's loop.
func (s *System) do(fn func(v *Version, rt *goja.Runtime) error) error {
	v := s.Current()
	if v == nil {
		return ErrNoVersion
	}
	return v.Iso.Do(func(rt *goja.Runtime) error { return fn(v, rt) })
}

// Snapshot returns every namespace with a snapshot of each of its objects.
// Without a loaded version, objects are reported from Go state alone.
func (s *System) Snapshot() ([]NamespaceInfo, error) {
	collect := func(v *Version) []NamespaceInfo {
		var accepted map[any]int
		if v != nil {
			accepted = v.WS.StandardOwners()
		}
		var out []NamespaceInfo
		for _, ns := range s.Namespaces() {
			out = append(out, ns.snapshot(v, accepted))
		}
		return out
	}
	var out []NamespaceInfo
	err := s.do(func(v *Version, _ *goja.Runtime) error {
		out = collect(v)
		return nil
	})
	if errors.Is(err, ErrNoVersion) {
		return collect(nil), nil
	}
	return out, err
}

func (ns *Namespace) snapshot(v *Version, accepted map[any]int) NamespaceInfo {
	info := NamespaceInfo{Binding: ns.Binding, ClassName: ns.ClassName, SQLite: ns.SQLite}
	disk := ns.diskIDs()
	objs := ns.Objects()
	info.Objects = make([]ObjectInfo, 0, max(len(objs), len(disk)))
	seen := 0
	for _, o := range objs {
		oi := o.info(v, accepted[o])
		if disk[o.id] {
			oi.Storage = true
			seen++
		}
		info.Objects = append(info.Objects, oi)
	}
	if seen < len(disk) {
		ns.mu.Lock()
		for id := range disk {
			if ns.objects[id] == nil {
				info.Objects = append(info.Objects, ObjectInfo{ID: id, State: StateNotLoaded, Storage: true})
			}
		}
		ns.mu.Unlock()
	}
	return info
}

// SortObjects orders objects as a list shows them: named ones first, by
// name, then by id.
func SortObjects(objs []ObjectInfo) {
	sort.Slice(objs, func(i, j int) bool {
		a, b := &objs[i], &objs[j]
		if (a.Name == "") != (b.Name == "") {
			return a.Name != ""
		}
		if a.Name != b.Name {
			return a.Name < b.Name
		}
		return a.ID < b.ID
	})
}

// info snapshots o (on v's loop; v may be nil).
func (o *Object) info(v *Version, accepted int) ObjectInfo {
	o.mu.Lock()
	inst := o.inst
	oi := ObjectInfo{
		ID: o.id, Name: o.name, Constructed: o.built,
		LastEvent: o.lastKind, LastEventAt: o.lastEvent,
		Sockets: len(o.sockets), Accepted: accepted,
		Alarm: AlarmInfo{At: o.alarmAt, Retry: o.alarmRetry, LastRun: o.alarmLastRun, LastOutcome: o.alarmOutcome},
	}
	evicted := o.evicted
	o.mu.Unlock()
	switch {
	case inst != nil && v != nil && inst.v == v:
		p := o.pins(v, inst, accepted)
		oi.Pins = &p
		oi.Reasons = p.Reasons(time.Now())
		oi.State = StateIdle
		if p.Events > 0 || p.Blocking > 0 || inst.constructing {
			oi.State = StateActive
		}
	case inst != nil || evicted:
		oi.State = StateHibernated
	default:
		oi.State = StateNotLoaded
	}
	return oi
}

// Info returns a snapshot of the object.
func (o *Object) Info() (ObjectInfo, error) {
	var oi ObjectInfo
	err := o.ns.sys.do(func(v *Version, _ *goja.Runtime) error {
		oi = o.info(v, v.WS.Standard(o))
		return nil
	})
	if errors.Is(err, ErrNoVersion) {
		oi, err = o.info(nil, 0), nil
	}
	if err == nil {
		_, statErr := os.Stat(o.ns.storagePath(o.id))
		oi.Storage = statErr == nil
	}
	return oi, err
}

// Lookup returns the object with id: one this run has touched, or one
// with storage on disk (which it loads as a restart would: its alarm is
// scheduled). It returns nil for an id the namespace knows nothing of.
func (ns *Namespace) Lookup(id string) *Object {
	ns.mu.Lock()
	o := ns.objects[id]
	ns.mu.Unlock()
	if o != nil {
		return o
	}
	if !validID(id) {
		return nil
	}
	if _, err := os.Stat(ns.storagePath(id)); err != nil {
		return nil
	}
	return ns.object(id, "")
}

func validID(id string) bool {
	if len(id) != 64 {
		return false
	}
	for _, c := range id {
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
			return false
		}
	}
	return true
}

// Namespace returns the namespace bound as binding, or nil.
func (s *System) Namespace(binding string) *Namespace {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.namespaces[binding]
}

// diskIDs lists the ids with a storage file. The listing is cached while
// the directory's modification time stays the same (and is not so recent
// that a coarse clock could hide a later change).
func (ns *Namespace) diskIDs() map[string]bool {
	dir := filepath.Dir(ns.storagePath(strings.Repeat("0", 64)))
	fi, err := os.Stat(dir)
	if err != nil {
		return nil
	}
	ns.mu.Lock()
	if ns.disk != nil && fi.ModTime().Equal(ns.diskMod) && time.Since(fi.ModTime()) > 2*time.Second {
		ids := ns.disk
		ns.mu.Unlock()
		return ids
	}
	ns.mu.Unlock()
	ents, err := os.ReadDir(dir)
	if err != nil {
		return nil
	}
	ids := map[string]bool{}
	for _, e := range ents {
		if id, ok := strings.CutSuffix(e.Name(), ".sqlite"); ok && validID(id) {
			ids[id] = true
		}
	}
	ns.mu.Lock()
	ns.disk, ns.diskMod = ids, fi.ModTime()
	ns.mu.Unlock()
	return ids
}
