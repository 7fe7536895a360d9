package durableobject

import (
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/dop251/goja"

	"github.com/emu-dev/emu/bindings/storage"
	"github.com/emu-dev/emu/bindings/websocket"
	"github.com/emu-dev/emu/jsruntime"
)

// Object is one Durable Object (one id of a namespace). It outlives its JS
// instance: hibernation and reloads drop the instance, not the Object.
type Object struct {
	ns   *Namespace
	id   string
	name string

	mu        sync.Mutex
	inst      *instance
	sockets   []*websocket.Conn // hibernatable, in order of acceptance
	zombies   []*websocket.Conn // closed by the client, not answered
	auto      *websocket.AutoResponse
	timeout   float64
	store     *storage.Store
	idleTimer *time.Timer
	lastEvent time.Time
	lastKind  string // the handler of the last event that ended ("fetch", "alarm", an RPC method...)
	woke      int    // times the constructor ran again after an eviction
	built     int    // times the constructor ran in this run
	evicted   bool

	alarmTimer   *time.Timer
	alarmAt      time.Time
	alarmRetry   int
	alarmLastRun time.Time // when the alarm handler last finished
	alarmOutcome string    // how it finished ("ok", "threw: …")
}

// instance is the live JS object of an Object in one version.
type instance struct {
	v            *Version
	obj          *goja.Object
	ctx          *goja.Object
	views        map[*websocket.Conn]*goja.Object
	inflight     int    // events and waitUntil promises not settled
	waitUntil    int    // the waitUntil promises among them
	running      string // the handler of the event that started last
	blocked      int
	waiting      []func()
	constructing bool
	broken       error
}

// ID is the object's id (64 hex digits).
func (o *Object) ID() string { return o.id }

// Name is the name the id was derived from, if any.
func (o *Object) Name() string { return o.name }

func (o *Object) label() string {
	if o.name != "" {
		return fmt.Sprintf("%s(%q)", o.ns.ClassName, o.name)
	}
	return fmt.Sprintf("%s(%s…)", o.ns.ClassName, o.id[:8])
}

func (o *Object) log(level, format string, args ...any) {
	o.ns.sys.opts.Log(level, o.label()+": "+fmt.Sprintf(format, args...))
}

// event runs one event on v's loop (call it there): the instance is
// constructed first if needed, then call is invoked unless the input gate is
// closed (blockConcurrencyWhile), in which case it waits. done gets the
// settled result of call's return value.
func (o *Object) event(v *Version, what string, call func(rt *goja.Runtime, inst *instance) (goja.Value, error), done func(val goja.Value, err error)) {
	rt := v.rt
	inst, err := o.ensure(v, what)
	if err != nil {
		if jsruntime.IsInterrupt(err) {
			v.Iso.NoteInterrupt(err) // the constructor spun: let JS deliver the error
		}
		done(nil, err)
		return
	}
	if inst.blocked > 0 {
		inst.waiting = append(inst.waiting, func() { o.event(v, what, call, done) })
		return
	}
	inst.inflight++
	inst.running = what
	prev := v.Iso.SetOwner(o)
	val, err := call(rt, inst)
	v.Iso.SetOwner(prev)
	if jsruntime.IsInterrupt(err) {
		v.Iso.NoteInterrupt(err) // the handler spun: let JS deliver the error
	}
	if err != nil {
		inst.inflight--
		o.touch(v, what)
		done(nil, err)
		return
	}
	jsruntime.Settle(rt, val, func(res goja.Value, err error) {
		inst.inflight--
		o.touch(v, what)
		done(res, err)
	})
}

// ensure returns the live instance in v, constructing it (on v's loop).
func (o *Object) ensure(v *Version, what string) (*instance, error) {
	o.mu.Lock()
	inst := o.inst
	if inst != nil && inst.v != v {
		o.mu.Unlock()
		o.dropIfIn(inst.v, "version change")
		o.mu.Lock()
		inst = o.inst
	}
	if inst != nil {
		o.mu.Unlock()
		return inst, inst.broken
	}
	rewake := o.evicted
	o.evicted = false
	o.mu.Unlock()

	rt := v.rt
	cls := v.Exports.Get(o.ns.ClassName)
	if cls == nil || goja.IsUndefined(cls) {
		return nil, jsruntime.Errorf(jsruntime.Error, "Durable Object class %q is not exported by the Worker", o.ns.ClassName)
	}
	ctor := cls.ToObject(rt)
	inst = &instance{v: v, views: map[*websocket.Conn]*goja.Object{}, constructing: true}
	o.mu.Lock()
	o.inst = inst
	o.mu.Unlock()
	inst.ctx = o.newState(v, inst)
	prev := v.Iso.SetOwner(o)
	obj, err := jsruntime.Construct(rt, ctor, inst.ctx, v.Env)
	v.Iso.SetOwner(prev)
	inst.constructing = false
	if err != nil {
		o.mu.Lock()
		o.inst = nil
		o.mu.Unlock()
		return nil, err
	}
	inst.obj = obj
	o.mu.Lock()
	o.built++
	if rewake {
		o.woke++
	}
	o.mu.Unlock()
	if rewake {
		o.log("info", "woke up for %s: constructor ran again", what)
	}
	return inst, nil
}

// touch records activity (what: the handler of an event that ended, or
// "") and arms the idle timer.
func (o *Object) touch(v *Version, what string) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.lastEvent = time.Now()
	if what != "" {
		o.lastKind = what
	}
	after := o.ns.sys.opts.HibernateAfter
	if o.idleTimer != nil {
		o.idleTimer.Reset(after)
		return
	}
	o.idleTimer = time.AfterFunc(after, func() { o.idleCheck() })
}

func (o *Object) idleCheck() {
	v := o.ns.sys.Current()
	if v == nil {
		return
	}
	o.post(v, func(*goja.Runtime) {
		o.mu.Lock()
		idle := time.Since(o.lastEvent)
		after := o.ns.sys.opts.HibernateAfter
		o.mu.Unlock()
		if idle < after {
			o.rearm(after - idle)
			return
		}
		if why := o.evictable(v); why != "" {
			if why != notLive {
				o.log("debug", "stays in memory after %s idle: %s", after, why)
				o.rearm(after)
			}
			return
		}
		o.evict(v, "idle")
	})
}

func (o *Object) rearm(d time.Duration) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.idleTimer != nil {
		o.idleTimer.Reset(d)
	}
}

// notLive is evictable's answer for an object without an instance in v.
const notLive = "not live"

// evictable says why the object cannot be evicted now ("" if it can): the
// reasons of its Pins, joined, or notLive. Call on v's loop.
func (o *Object) evictable(v *Version) string {
	o.mu.Lock()
	inst := o.inst
	o.mu.Unlock()
	if inst == nil || inst.v != v {
		return notLive
	}
	p := o.pins(v, inst, v.WS.Standard(o))
	if p.None() {
		return ""
	}
	return strings.Join(p.Reasons(time.Now()), ", ")
}

// evict drops the instance (on v's loop): its hibernatable sockets stay
// connected in Go. Sockets that were never released to a client (their pair
// was not returned in a Response), or whose client closed without an
// answer, are dropped, as workerd does. A released socket whose upgrade is
// still being written stays: it is the object's from the Response on.
func (o *Object) evict(v *Version, why string) {
	o.mu.Lock()
	if o.inst == nil || o.inst.v != v {
		o.mu.Unlock()
		return
	}
	o.inst = nil
	o.evicted = true
	kept := o.sockets[:0]
	for _, c := range o.sockets {
		if !c.Released() {
			c.Abort()
			continue
		}
		kept = append(kept, c)
	}
	o.sockets = kept
	zombies := o.zombies
	o.zombies = nil
	store := o.store
	o.store = nil
	n := len(o.sockets)
	o.mu.Unlock()
	for _, c := range zombies {
		c.Abort()
	}
	v.Iso.ClearTimers(o)
	if store != nil {
		_ = store.Close()
	}
	o.log("info", "hibernated (%s; %d WebSocket(s) kept open)", why, n)
}

// dropIfIn drops the instance if it lives in v (a reload).
func (o *Object) dropIfIn(v *Version, why string) {
	o.mu.Lock()
	if o.inst == nil || o.inst.v != v {
		o.mu.Unlock()
		return
	}
	o.inst = nil
	o.evicted = true
	o.mu.Unlock()
}

func (o *Object) shutdown() {
	o.mu.Lock()
	socks := append([]*websocket.Conn(nil), o.sockets...)
	store := o.store
	o.store = nil
	if o.idleTimer != nil {
		o.idleTimer.Stop()
	}
	if o.alarmTimer != nil {
		o.alarmTimer.Stop()
	}
	o.mu.Unlock()
	for _, c := range socks {
		c.Close(websocket.StatusGoingAway, "")
	}
	if store != nil {
		_ = store.Close()
	}
}

// openStore opens the object's storage lazily.
func (o *Object) openStore(v *Version) (*storage.Store, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.store != nil {
		return o.store, nil
	}
	opts := o.ns.storageOptions(v)
	opts.Log = func(msg string) { o.log("error", "%s", msg) }
	s, err := storage.Open(o.ns.storagePath(o.id), opts)
	if err != nil {
		return nil, fmt.Errorf("open storage for %s: %w", o.label(), err)
	}
	o.store = s
	return s, nil
}
