package durableobject

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/dop251/goja"

	"github.com/emu-dev/emu/bindings/cloudflare"
	"github.com/emu-dev/emu/bindings/rpc"
	"github.com/emu-dev/emu/bindings/storage"
	"github.com/emu-dev/emu/bindings/websocket"
	"github.com/emu-dev/emu/jsruntime"
	"github.com/emu-dev/emu/jsruntime/webapi"
)

// roomJS is a Durable Object class for the snapshot tests: hold() pins the
// instance with a timer and a waitUntil promise until release().
const roomJS = `
class Room extends DurableObject {
	constructor(ctx, env) { super(ctx, env); this.ctx = ctx; }
	hold() {
		globalThis.timer = setTimeout(() => {}, 60000);
		this.ctx.waitUntil(new Promise((r) => { globalThis.release = r; }));
		return "held";
	}
	free() { clearTimeout(globalThis.timer); globalThis.release(); return "freed"; }
	async put(k, v) { await this.ctx.storage.put(k, v); return "put"; }
	async arm(ms) { await this.ctx.storage.setAlarm(Date.now() + ms); return "armed"; }
	async alarm() { await this.ctx.storage.put("alarmed", true); report("alarm ran"); }
}
globalThis.exportsForTest = { Room };
`

// testSystem is a System with one version of roomJS on a real isolate.
type testSystem struct {
	t       *testing.T
	sys     *System
	iso     *jsruntime.Isolate
	reports chan string
}

func newTestSystem(t *testing.T) *testSystem {
	t.Helper()
	ts := &testSystem{t: t, reports: make(chan string, 16)}
	ts.sys = NewSystem(Options{PersistDir: t.TempDir(), HibernateAfter: time.Hour, ScriptKey: "test"})
	ts.sys.SetBindings([]Binding{{Name: "ROOM", ClassName: "Room", SQLite: true}})
	iso, err := jsruntime.New(jsruntime.Options{LogError: func(msg string) { t.Log(msg) }})
	if err != nil {
		t.Fatal(err)
	}
	ts.iso = iso
	var v *Version
	err = iso.Do(func(rt *goja.Runtime) error {
		if err := webapi.Install(iso, rt, webapi.Options{}); err != nil {
			return err
		}
		ws, err := websocket.Install(iso, rt, websocket.Options{Serialize: jsruntime.Serialize, Deserialize: jsruntime.Deserialize})
		if err != nil {
			return err
		}
		ep, err := rpc.Install(iso, rt)
		if err != nil {
			return err
		}
		env := rt.NewObject()
		cf, err := cloudflare.Install(iso, rt, cloudflare.Options{Env: env, RPC: ep.Classes})
		if err != nil {
			return err
		}
		_ = rt.Set("DurableObject", cf.DurableObject)
		_ = rt.Set("report", func(s string) { ts.reports <- s })
		_ = rt.Set("env", env)
		if _, err := rt.RunString(roomJS); err != nil {
			return err
		}
		v, err = ts.sys.Install(iso, rt, VersionOptions{
			WS: ws, Exports: rt.Get("exportsForTest").ToObject(rt), Env: env, DurableObjectBase: cf.DurableObject, RPC: ep,
		})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	ts.sys.Activate(v)
	t.Cleanup(func() {
		ts.sys.Shutdown()
		iso.Close()
	})
	return ts
}

// call runs `env.ROOM.getByName(name).<call>` and waits for its result.
func (ts *testSystem) call(name, call string) string {
	ts.t.Helper()
	err := ts.iso.Do(func(rt *goja.Runtime) error {
		_, err := rt.RunString(fmt.Sprintf(`env.ROOM.getByName(%q).%s.then((r) => report(String(r)), (e) => report("error: " + e))`, name, call))
		return err
	})
	if err != nil {
		ts.t.Fatal(err)
	}
	return ts.next()
}

func (ts *testSystem) next() string {
	ts.t.Helper()
	select {
	case s := <-ts.reports:
		return s
	case <-time.After(10 * time.Second):
		ts.t.Fatal("no report from the script")
		return ""
	}
}

func (ts *testSystem) object(name string) (*Object, ObjectInfo) {
	ts.t.Helper()
	nss, err := ts.sys.Snapshot()
	if err != nil {
		ts.t.Fatal(err)
	}
	if len(nss) != 1 || nss[0].Binding != "ROOM" || nss[0].ClassName != "Room" || !nss[0].SQLite {
		ts.t.Fatalf("namespaces: %+v", nss)
	}
	for _, oi := range nss[0].Objects {
		if oi.Name == name {
			o := ts.sys.Namespace("ROOM").Lookup(oi.ID)
			if o == nil {
				ts.t.Fatalf("Lookup(%s) = nil", oi.ID)
			}
			return o, oi
		}
	}
	ts.t.Fatalf("no object %q in %+v", name, nss[0].Objects)
	return nil, ObjectInfo{}
}

// TestSnapshotPinsAndHibernate: a held object is idle with its timer and
// waitUntil as the reasons it stays in memory; Hibernate refuses and says
// why; once released it hibernates, and the next call constructs it again.
func TestSnapshotPinsAndHibernate(t *testing.T) {
	ts := newTestSystem(t)
	if got := ts.call("a", "hold()"); got != "held" {
		t.Fatal(got)
	}
	o, oi := ts.object("a")
	if oi.State != StateIdle || oi.Constructed != 1 || oi.LastEvent != "hold" || oi.Pins == nil ||
		oi.Pins.Timers != 1 || oi.Pins.WaitUntil != 1 || oi.Pins.Events != 0 {
		t.Fatalf("held object: %+v pins %+v", oi, oi.Pins)
	}
	if d := time.Until(oi.Pins.NextTimer); d < 50*time.Second || d > 60*time.Second {
		t.Fatalf("next timer due in %s, want about 60s", d)
	}
	if len(oi.Reasons) != 2 || oi.Reasons[0] != "1 waitUntil() promise pending" || !strings.HasPrefix(oi.Reasons[1], "1 timer, next due in ") {
		t.Fatalf("reasons: %q", oi.Reasons)
	}
	ok, why, err := o.Hibernate()
	if ok || err != nil || !strings.Contains(why, "1 timer, next due in") || !strings.Contains(why, "1 waitUntil() promise pending") {
		t.Fatalf("Hibernate of a pinned object = %v, %q, %v", ok, why, err)
	}
	if got := ts.call("a", "free()"); got != "freed" {
		t.Fatal(got)
	}
	if ok, why, err := o.Hibernate(); !ok || err != nil {
		t.Fatalf("Hibernate after release = %v, %q, %v", ok, why, err)
	}
	if _, oi = ts.object("a"); oi.State != StateHibernated || oi.Pins != nil {
		t.Fatalf("after Hibernate: %+v", oi)
	}
	if ok, why, _ := o.Hibernate(); ok || why != "it is not in memory" {
		t.Fatalf("Hibernate of a hibernated object = %v, %q", ok, why)
	}
	ts.call("a", "put('k', {n: 1})")
	if _, oi = ts.object("a"); oi.State != StateIdle || oi.Constructed != 2 || !oi.Storage {
		t.Fatalf("after a wake: %+v", oi)
	}
}

// TestAlarmFireDeleteAndWipe: FireAlarm runs a far alarm now and records
// its outcome; DeleteAlarm and Wipe clear it; Wipe empties storage; the
// storage is readable through WithStorage whether the object is in memory
// or not.
func TestAlarmFireDeleteAndWipe(t *testing.T) {
	ts := newTestSystem(t)
	ts.call("b", "put('k', 'v')")
	if got := ts.call("b", "arm(3600000)"); got != "armed" {
		t.Fatal(got)
	}
	o, oi := ts.object("b")
	if d := time.Until(oi.Alarm.At); d < 59*time.Minute {
		t.Fatalf("alarm due in %s", d)
	}
	if err := o.FireAlarm(); err != nil {
		t.Fatal(err)
	}
	if got := ts.next(); got != "alarm ran" {
		t.Fatal(got)
	}
	deadline := time.Now().Add(5 * time.Second)
	for oi.Alarm.LastOutcome == "" || !oi.Alarm.At.IsZero() {
		if time.Now().After(deadline) {
			t.Fatalf("alarm after firing: %+v", oi.Alarm)
		}
		time.Sleep(10 * time.Millisecond) // the handler's promise settles on the loop
		_, oi = ts.object("b")
	}
	if oi.Alarm.LastOutcome != "ok" || oi.Alarm.LastRun.IsZero() {
		t.Fatalf("alarm outcome: %+v", oi.Alarm)
	}
	if err := o.FireAlarm(); !errors.Is(err, ErrNoAlarm) {
		t.Fatalf("FireAlarm without an alarm: %v", err)
	}
	ts.call("b", "arm(3600000)")
	if err := o.DeleteAlarm(); err != nil {
		t.Fatal(err)
	}
	if _, oi = ts.object("b"); !oi.Alarm.At.IsZero() {
		t.Fatalf("alarm after DeleteAlarm: %+v", oi.Alarm)
	}
	if err := o.DeleteAlarm(); !errors.Is(err, ErrNoAlarm) {
		t.Fatalf("DeleteAlarm without an alarm: %v", err)
	}

	keysErr := func() ([]string, error) {
		var out []string
		err := o.WithStorage(func(_ *goja.Runtime, st *storage.Store) error {
			kvs, err := st.KVPage(0, 10)
			for _, kv := range kvs {
				out = append(out, kv.Key)
			}
			return err
		})
		return out, err
	}
	keys := func() []string {
		out, err := keysErr()
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	if got := keys(); !slices.Equal(got, []string{"alarmed", "k"}) {
		t.Fatalf("keys of a live object: %v", got)
	}
	if ok, _, _ := o.Hibernate(); !ok {
		t.Fatal("cannot hibernate")
	}
	if got := keys(); !slices.Equal(got, []string{"alarmed", "k"}) {
		t.Fatalf("keys of a hibernated object: %v", got)
	}
	ts.call("b", "arm(3600000)")
	if err := o.Wipe(); err != nil {
		t.Fatal(err)
	}
	// The object could be evicted, so its file is gone.
	if got, err := keysErr(); len(got) != 0 || !errors.Is(err, ErrNoStorage) {
		t.Fatalf("keys after Wipe: %v, %v", got, err)
	}
	if _, oi = ts.object("b"); oi.State != StateHibernated || !oi.Alarm.At.IsZero() {
		t.Fatalf("after Wipe: %+v", oi)
	}
	if o := ts.sys.Namespace("ROOM").Lookup(strings.Repeat("0", 64)); o != nil {
		t.Fatalf("Lookup of an unknown id = %v", o.ID())
	}
	// A pinned object is wiped in place.
	ts.call("b", "put('k2', 1)")
	ts.call("b", "hold()")
	if err := o.Wipe(); err != nil {
		t.Fatal(err)
	}
	if got := keys(); len(got) != 0 {
		t.Fatalf("keys after an in-place Wipe: %v", got)
	}
	if _, oi = ts.object("b"); oi.State != StateIdle {
		t.Fatalf("a pinned object after Wipe: %+v", oi)
	}
	ts.call("b", "free()")
}

// TestRestoreAlarmsClosesFiles: objects found on disk at start get their
// alarms scheduled without keeping their databases open, and show in a
// snapshot as not loaded, with storage.
func TestRestoreAlarmsClosesFiles(t *testing.T) {
	sys := NewSystem(Options{PersistDir: t.TempDir(), ScriptKey: "test", HibernateAfter: time.Hour})
	sys.SetBindings([]Binding{{Name: "ROOM", ClassName: "Room", SQLite: true}})
	ns := sys.Namespace("ROOM")
	var ids []string
	for i := 0; i < 20; i++ {
		id := ns.IDFromName(fmt.Sprint("room", i))
		ids = append(ids, id)
		st, err := storage.Open(ns.storagePath(id), storage.Options{SQLite: true})
		if err != nil {
			t.Fatal(err)
		}
		if i == 0 { // one with an alarm, set through the JS API
			rt := goja.New()
			jsruntime.InstallStructuredClone(rt)
			_ = rt.Set("storage", st.Object(rt, storage.Hooks{}))
			if _, err := rt.RunString(`storage.setAlarm(Date.now() + 3600000)`); err != nil {
				t.Fatal(err)
			}
		}
		st.Close()
	}
	nss, err := sys.Snapshot()
	if err != nil || len(nss[0].Objects) != 20 || nss[0].Objects[0].State != StateNotLoaded || !nss[0].Objects[0].Storage {
		t.Fatalf("before RestoreAlarms: %+v, %v", nss, err)
	}
	sys.RestoreAlarms()
	t.Cleanup(sys.Shutdown)
	for i, id := range ids {
		o := ns.Lookup(id)
		if o == nil {
			t.Fatalf("Lookup(%s) = nil after RestoreAlarms", id)
		}
		o.mu.Lock()
		open, at := o.store != nil, o.alarmAt
		o.mu.Unlock()
		if open {
			t.Fatalf("object %d keeps its database open", i)
		}
		if d := time.Until(at); (i == 0) != (d > 59*time.Minute) {
			t.Fatalf("object %d: alarm due in %s", i, d)
		}
	}
}
