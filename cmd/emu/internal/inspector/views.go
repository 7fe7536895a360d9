package inspector

import (
	"errors"
	"hash/fnv"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/dop251/goja"

	"github.com/emu-dev/emu/bindings/durableobject"
	"github.com/emu-dev/emu/bindings/storage"
)

// Overview is the summary the page's header shows and the live stream
// sends: the Worker's version and, per namespace, its objects by state.
type Overview struct {
	Worker     WorkerSummary      `json:"worker"`
	Namespaces []NamespaceSummary `json:"namespaces"`
	// Rev changes whenever anything an object view shows changes.
	Rev string `json:"rev"`
}

// WorkerSummary is the version serving and whether the last build failed.
type WorkerSummary struct {
	Version  int       `json:"version"`
	LoadedAt time.Time `json:"loadedAt,omitzero"`
	Error    bool      `json:"buildError"`
}

// NamespaceSummary counts a namespace's objects by state and its sockets.
type NamespaceSummary struct {
	Binding   string         `json:"binding"`
	ClassName string         `json:"className"`
	SQLite    bool           `json:"sqlite"`
	Objects   int            `json:"objects"`
	States    map[string]int `json:"states"`
	Sockets   int            `json:"sockets"`
	Accepted  int            `json:"accepted"`
}

func (h *Handler) overview() (*Overview, error) {
	nss, err := h.opts.DO.Snapshot()
	if err != nil {
		return nil, err
	}
	st := h.opts.Status()
	ov := &Overview{Worker: WorkerSummary{Version: st.Version, LoadedAt: st.LoadedAt, Error: st.Error != ""}, Namespaces: []NamespaceSummary{}}
	sum := fnv.New64a()
	var b []byte
	b = strconv.AppendInt(b, int64(st.Version), 10)
	b = append(b, st.Error...)
	for _, ns := range nss {
		s := NamespaceSummary{Binding: ns.Binding, ClassName: ns.ClassName, SQLite: ns.SQLite, Objects: len(ns.Objects),
			States: map[string]int{durableobject.StateActive: 0, durableobject.StateIdle: 0, durableobject.StateHibernated: 0, durableobject.StateNotLoaded: 0}}
		for i := range ns.Objects {
			o := &ns.Objects[i]
			s.States[o.State]++
			s.Sockets += o.Sockets
			s.Accepted += o.Accepted
			b = appendFingerprint(b[:0], ns.Binding, o)
			_, _ = sum.Write(b)
		}
		ov.Namespaces = append(ov.Namespaces, s)
	}
	ov.Rev = strconv.FormatUint(sum.Sum64(), 36)
	return ov, nil
}

// appendFingerprint appends what an object view shows of o, so a change
// of any of it changes the overview's Rev.
func appendFingerprint(b []byte, binding string, o *durableobject.ObjectInfo) []byte {
	b = append(b, binding...)
	b = append(b, o.ID...)
	b = append(b, o.State...)
	b = append(b, o.LastEvent...)
	b = append(b, o.Alarm.LastOutcome...)
	for _, n := range []int64{o.LastEventAt.UnixNano(), int64(o.Sockets), int64(o.Accepted), int64(o.Constructed),
		o.Alarm.At.UnixNano(), int64(o.Alarm.Retry), o.Alarm.LastRun.UnixNano()} {
		b = strconv.AppendInt(append(b, '|'), n, 10)
	}
	if p := o.Pins; p != nil {
		for _, n := range []int64{int64(p.Events), int64(p.Blocking), int64(p.WaitUntil), int64(p.Timers),
			p.NextTimer.UnixNano(), int64(p.IO), int64(p.Accepted)} {
			b = strconv.AppendInt(append(b, '|'), n, 10)
		}
		b = strconv.AppendBool(b, p.Transaction)
	}
	return append(b, '\n')
}

func (h *Handler) getOverview(w http.ResponseWriter, r *http.Request) {
	ov, err := h.overview()
	if err != nil {
		fail(w, err)
		return
	}
	writeJSON(w, http.StatusOK, ov)
}

// Worker is what the page shows of the Worker.
type Worker struct {
	Emu                string    `json:"emu"`
	Version            int       `json:"version"`
	LoadedAt           time.Time `json:"loadedAt,omitzero"`
	Changed            []string  `json:"changed"`
	BuildMs            float64   `json:"buildMs"`
	BuildError         string    `json:"buildError,omitempty"`
	BuildErrorAt       time.Time `json:"buildErrorAt,omitzero"`
	Name               string    `json:"name,omitempty"`
	Entry              string    `json:"entry"`
	Config             string    `json:"config,omitempty"`
	CompatibilityDate  string    `json:"compatibilityDate"`
	CompatibilityFlags []string  `json:"compatibilityFlags"`
	Bindings           []Binding `json:"bindings"`
	HibernateAfterMs   int64     `json:"hibernateAfterMs"`
	Storage            string    `json:"storage"`
}

// Binding is one binding of env.
type Binding struct {
	Name   string `json:"name"`
	Type   string `json:"type"` // "Durable Object" or "Environment Variable"
	Class  string `json:"class,omitempty"`
	SQLite bool   `json:"sqlite,omitempty"`
}

func (h *Handler) getWorker(w http.ResponseWriter, r *http.Request) {
	st := h.opts.Status()
	out := Worker{
		Emu: h.opts.Version, Version: st.Version, LoadedAt: st.LoadedAt, Changed: st.Changed,
		BuildMs: float64(st.BuildTime.Microseconds()) / 1000, BuildError: st.Error, BuildErrorAt: st.ErrorAt,
		HibernateAfterMs: h.opts.HibernateAfter.Milliseconds(), Storage: h.opts.PersistDir,
		CompatibilityFlags: []string{}, Bindings: []Binding{},
	}
	if out.Changed == nil {
		out.Changed = []string{}
	}
	if cfg := st.Config; cfg != nil {
		rel := func(p string) string {
			if r, err := filepath.Rel(cfg.Dir, p); err == nil && !strings.HasPrefix(r, "..") {
				return r
			}
			return p
		}
		out.Name, out.Entry, out.CompatibilityDate = cfg.Name, rel(cfg.Main), cfg.CompatibilityDate
		if cfg.Path != "" {
			out.Config = rel(cfg.Path)
		}
		out.CompatibilityFlags = append(out.CompatibilityFlags, cfg.CompatibilityFlags...)
		for _, d := range cfg.DurableObjects {
			out.Bindings = append(out.Bindings, Binding{Name: d.Name, Type: "Durable Object", Class: d.ClassName, SQLite: d.SQLite})
		}
		for _, k := range sortedKeys(cfg.Vars) {
			out.Bindings = append(out.Bindings, Binding{Name: k, Type: "Environment Variable"})
		}
	}
	writeJSON(w, http.StatusOK, out)
}

// lookup finds the namespace and object a request names, or answers 404.
func (h *Handler) lookup(w http.ResponseWriter, r *http.Request) *durableobject.Object {
	ns := h.opts.DO.Namespace(r.PathValue("ns"))
	if ns == nil {
		writeError(w, http.StatusNotFound, "no Durable Object namespace "+quote(r.PathValue("ns")))
		return nil
	}
	o := ns.Lookup(r.PathValue("id"))
	if o == nil {
		writeError(w, http.StatusNotFound, "no object "+quote(r.PathValue("id"))+" in "+ns.Binding)
		return nil
	}
	return o
}

// ObjectPage is a page of a namespace's objects.
type ObjectPage struct {
	Total   int                        `json:"total"`
	Offset  int                        `json:"offset"`
	Objects []durableobject.ObjectInfo `json:"objects"`
}

// getObjects lists a namespace's objects, optionally only those in one
// state (?state=) or whose name or id contains ?q=.
func (h *Handler) getObjects(w http.ResponseWriter, r *http.Request) {
	offset, limit, err := paging(r, 500)
	if err != nil {
		fail(w, err)
		return
	}
	nss, err := h.opts.DO.Snapshot()
	if err != nil {
		fail(w, err)
		return
	}
	state, q := r.URL.Query().Get("state"), strings.ToLower(r.URL.Query().Get("q"))
	for _, ns := range nss {
		if ns.Binding != r.PathValue("ns") {
			continue
		}
		match := ns.Objects[:0]
		for _, o := range ns.Objects {
			if (state == "" || o.State == state) && (q == "" || strings.Contains(strings.ToLower(o.Name), q) || strings.Contains(o.ID, q)) {
				match = append(match, o)
			}
		}
		durableobject.SortObjects(match)
		page := ObjectPage{Total: len(match), Offset: offset, Objects: []durableobject.ObjectInfo{}}
		if offset < len(match) {
			page.Objects = match[offset:min(offset+limit, len(match))]
		}
		writeJSON(w, http.StatusOK, page)
		return
	}
	writeError(w, http.StatusNotFound, "no Durable Object namespace "+quote(r.PathValue("ns")))
}

// ObjectDetail is one object with its auto-response and a storage summary.
type ObjectDetail struct {
	durableobject.ObjectInfo
	Binding      string          `json:"binding"`
	AutoResponse *AutoResponse   `json:"autoResponse"`
	StorageInfo  *StorageSummary `json:"storageInfo"`
}

// AutoResponse is the pair set with setWebSocketAutoResponse.
type AutoResponse struct {
	Request  string `json:"request"`
	Response string `json:"response"`
}

// StorageSummary sizes an object's storage.
type StorageSummary struct {
	KVKeys      int   `json:"kvKeys"`
	Tables      int   `json:"tables"`
	Bytes       int64 `json:"bytes"` // the database files on disk
	Transaction bool  `json:"transaction"`
}

func (h *Handler) getObject(w http.ResponseWriter, r *http.Request) {
	o := h.lookup(w, r)
	if o == nil {
		return
	}
	oi, err := o.Info()
	if err != nil {
		fail(w, err)
		return
	}
	d := ObjectDetail{ObjectInfo: oi, Binding: r.PathValue("ns")}
	if ar := o.AutoResponse(); ar != nil {
		d.AutoResponse = &AutoResponse{ar.Request, ar.Response}
	}
	err = o.WithStorage(func(_ *goja.Runtime, st *storage.Store) error {
		n, err := st.KVCount()
		if err != nil {
			return err
		}
		tables, err := st.Tables()
		if err != nil {
			return err
		}
		d.StorageInfo = &StorageSummary{KVKeys: n, Tables: len(tables), Transaction: st.InTransaction(), Bytes: fileSize(st.Path())}
		return nil
	})
	if err != nil && !errors.Is(err, durableobject.ErrNoStorage) {
		fail(w, err)
		return
	}
	writeJSON(w, http.StatusOK, d)
}

func fileSize(path string) int64 {
	var n int64
	for _, suffix := range []string{"", "-wal"} {
		if fi, err := os.Stat(path + suffix); err == nil {
			n += fi.Size()
		}
	}
	return n
}

// SocketPage is a page of an object's WebSockets.
type SocketPage struct {
	Total   int                        `json:"total"`
	Offset  int                        `json:"offset"`
	Sockets []durableobject.SocketInfo `json:"sockets"`
}

func (h *Handler) getSockets(w http.ResponseWriter, r *http.Request) {
	o := h.lookup(w, r)
	if o == nil {
		return
	}
	offset, limit, err := paging(r, 500)
	if err != nil {
		fail(w, err)
		return
	}
	socks, total, err := o.Sockets(offset, limit, decode)
	if err != nil {
		fail(w, err)
		return
	}
	if socks == nil {
		socks = []durableobject.SocketInfo{}
	}
	writeJSON(w, http.StatusOK, SocketPage{Total: total, Offset: offset, Sockets: socks})
}
