// Package durableobject implements Durable Object namespaces, ids, stubs
// (fetch and RPC), instances with their input gate, the Hibernation API and
// hibernation itself.
//
// What must outlive a JS heap lives here, in Go: a Namespace and its Objects
// persist across hibernation and across reloads of the Worker's code. An
// Object's instance (the JS object made by `new Class(ctx, env)`) lives in
// one Version's isolate and is dropped when the object hibernates or the code
// is reloaded; its hibernatable WebSockets, tags, attachments, auto-response
// and alarm stay in Go, and the next event constructs the instance again.
package durableobject

import (
	"bytes"
	"crypto/sha256"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/dop251/goja"

	"github.com/emu-dev/emu/bindings/storage"
	"github.com/emu-dev/emu/bindings/websocket"
)

// Binding declares one namespace.
type Binding struct {
	Name      string // env binding
	ClassName string
	SQLite    bool
	// Origin is the storage the class keeps from wrangler's [[migrations]] when it is not
	// the class's own under its name (zero): a renamed class keeps its first name's, a
	// transferred class the other Worker's class's, a class created again after being
	// deleted gets fresh storage. Ids and storage are keyed by it.
	Origin Origin
	// FormerNames are the class names the objects were stored under before, oldest
	// first: their storage directory is renamed to the current name.
	FormerNames []string
}

// Origin names a class's storage: Script's (this Worker when "") class Class, created
// anew Generation times.
type Origin struct {
	Script     string
	Class      string
	Generation int
}

// Options configures the Durable Object system.
type Options struct {
	PersistDir     string        // storage root (one SQLite file per object)
	HibernateAfter time.Duration // idle time before an object is evicted
	ScriptKey      string        // stable name of the Worker: keys ids and storage
	Log            func(level, msg string)
	// TestPanicAlarm is the EMU_TEST_PANIC=alarm test hook: the first alarm
	// to fire panics on its timer goroutine. False in normal use.
	TestPanicAlarm bool
}

// System holds every namespace of a Worker across versions of its code.
type System struct {
	opts       Options
	mu         sync.Mutex
	namespaces map[string]*Namespace // by binding name
	current    atomic.Pointer[Version]
	panicked   atomic.Bool // TestPanicAlarm fired
}

// NewSystem creates an empty system.
func NewSystem(opts Options) *System {
	if opts.HibernateAfter <= 0 {
		opts.HibernateAfter = 10 * time.Second
	}
	if opts.Log == nil {
		opts.Log = func(string, string) {}
	}
	return &System{opts: opts, namespaces: map[string]*Namespace{}}
}

// SetBindings declares the namespaces (at start and on each reload). An
// existing namespace keeps its objects.
func (s *System) SetBindings(bs []Binding) {
	s.mu.Lock()
	defer s.mu.Unlock()
	keep := map[string]*Namespace{}
	for _, b := range bs {
		ns := s.namespaces[b.Name]
		key := s.key(b)
		if ns == nil || ns.ClassName != b.ClassName || !bytes.Equal(ns.key, key) {
			ns = &Namespace{sys: s, Binding: b.Name, ClassName: b.ClassName, key: key, objects: map[string]*Object{}}
			ns.adoptStorage(b.FormerNames)
		}
		ns.SQLite = b.SQLite
		keep[b.Name] = ns
	}
	for k, ns := range s.namespaces {
		if strings.HasPrefix(k, externalKey) {
			keep[k] = ns
		}
	}
	s.namespaces = keep
}

// externalKey prefixes the namespaces other Workers bind (script_name).
const externalKey = "\x00class:"

// ForClass returns the namespace of className for another Worker's binding
// (script_name): this system's own binding of the class if it has one,
// else a namespace kept for such bindings.
func (s *System) ForClass(className string) *Namespace {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, ns := range s.namespaces {
		if ns.ClassName == className {
			return ns
		}
	}
	key := sha256.Sum256([]byte(s.opts.ScriptKey + "\x00" + className))
	ns := &Namespace{sys: s, Binding: externalKey + className, ClassName: className, SQLite: true, key: key[:], objects: map[string]*Object{}}
	s.namespaces[ns.Binding] = ns
	return ns
}

// Namespaces lists the namespaces by binding name.
func (s *System) Namespaces() []*Namespace {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]*Namespace, 0, len(s.namespaces))
	for _, ns := range s.namespaces {
		out = append(out, ns)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Binding < out[j].Binding })
	return out
}

// HibernateAfter is the idle time before an object is evicted.
func (s *System) HibernateAfter() time.Duration { return s.opts.HibernateAfter }

// Current is the version new events go to.
func (s *System) Current() *Version { return s.current.Load() }

// Activate makes v the version that new events go to. Instances living in
// the previous version are dropped as in hibernation (their hibernatable
// sockets stay open); accept()ed sockets of the previous version are closed
// with 1012 Service Restart. It returns how many such sockets were closed.
func (s *System) Activate(v *Version) int {
	old := s.current.Swap(v)
	if old == nil {
		return 0
	}
	old.dropped.Store(true)
	closed := 0
	_ = old.Iso.Do(func(*goja.Runtime) error {
		closed = old.WS.CloseStandard(websocket.StatusServiceRestart, "Service Restart")
		for _, ns := range s.Namespaces() {
			for _, o := range ns.Objects() {
				o.dropIfIn(old, "reload")
			}
		}
		return nil
	})
	return closed
}

// HibernateAll evicts every object that can be evicted now and returns how
// many were (the "hibernate now" control).
func (s *System) HibernateAll() int {
	v := s.Current()
	if v == nil {
		return 0
	}
	n := 0
	_ = v.Iso.Do(func(*goja.Runtime) error {
		for _, ns := range s.Namespaces() {
			for _, o := range ns.Objects() {
				if o.evictable(v) == "" {
					o.evict(v, "forced")
					n++
				}
			}
		}
		return nil
	})
	return n
}

// Shutdown closes every WebSocket with 1001 Going Away (accept()ed ones of
// the current version too) and every object's storage.
func (s *System) Shutdown() {
	if v := s.Current(); v != nil {
		_ = v.Iso.Do(func(*goja.Runtime) error {
			v.WS.CloseStandard(websocket.StatusGoingAway, "")
			return nil
		})
	}
	for _, ns := range s.Namespaces() {
		for _, o := range ns.Objects() {
			o.shutdown()
		}
	}
}

// Namespace is one Durable Object class binding.
type Namespace struct {
	sys       *System
	Binding   string
	ClassName string
	SQLite    bool
	key       []byte

	mu      sync.Mutex
	objects map[string]*Object
	disk    map[string]bool // ids with storage on disk, as last listed (see diskIDs)
	diskMod time.Time       // the directory's modification time then
}

// Objects lists the objects that exist in Go (live or hibernated).
func (ns *Namespace) Objects() []*Object {
	ns.mu.Lock()
	defer ns.mu.Unlock()
	out := make([]*Object, 0, len(ns.objects))
	for _, o := range ns.objects {
		out = append(out, o)
	}
	return out
}

// object returns the Object for id, creating it.
func (ns *Namespace) object(id, name string) *Object {
	ns.mu.Lock()
	defer ns.mu.Unlock()
	o := ns.objects[id]
	if o == nil {
		o = &Object{ns: ns, id: id, name: name}
		ns.objects[id] = o
		o.restoreAlarm()
	}
	if o.name == "" {
		o.name = name
	}
	return o
}

// key is the namespace key of a binding: it derives the ids (idFromName) and names the
// storage, so a class keeps both through renames and transfers.
func (s *System) key(b Binding) []byte {
	script, class := s.opts.ScriptKey, b.ClassName
	if b.Origin.Class != "" {
		class = b.Origin.Class
		if b.Origin.Script != "" {
			script = b.Origin.Script
		}
	}
	k := script + "\x00" + class
	if b.Origin.Generation > 0 {
		k += "\x00" + strconv.Itoa(b.Origin.Generation)
	}
	sum := sha256.Sum256([]byte(k))
	return sum[:]
}

// storageDir is the directory of the objects' storage when the class is named class.
func (ns *Namespace) storageDir(class string) string {
	return filepath.Join(ns.sys.opts.PersistDir, "do", fmt.Sprintf("%s-%x", class, ns.key[:8]))
}

func (ns *Namespace) storagePath(id string) string {
	return filepath.Join(ns.storageDir(ns.ClassName), id+".sqlite")
}

// adoptStorage renames the storage directory of the newest former name that has one to
// the current name (a renamed or transferred class keeps its objects' data), unless the
// current name already has storage.
func (ns *Namespace) adoptStorage(former []string) {
	dst := ns.storageDir(ns.ClassName)
	if len(former) == 0 || exists(dst) {
		return
	}
	for i := len(former) - 1; i >= 0; i-- {
		src := ns.storageDir(former[i])
		if !exists(src) {
			continue
		}
		if err := os.Rename(src, dst); err != nil {
			ns.sys.opts.Log("error", fmt.Sprintf("cannot move the storage of %s to %s: %v", former[i], ns.ClassName, err))
			return
		}
		ns.sys.opts.Log("info", fmt.Sprintf("Durable Object storage of class %s is now class %s's ([[migrations]])", former[i], ns.ClassName))
		return
	}
}

func exists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}

func (ns *Namespace) storageOptions(v *Version) storage.Options {
	del := false
	if v != nil {
		del = v.DeleteAllDeletesAlarm
	}
	return storage.Options{SQLite: ns.SQLite, CompatDeleteAllDeletesAlarm: del}
}
