package inspector

// The storage views: an object's KV keys with their values decoded, its
// SQL tables and their rows, and results of read-only queries.

import (
	"encoding/hex"
	"errors"
	"math"
	"net/http"
	"strconv"
	"time"
	"unicode/utf8"

	"github.com/dop251/goja"

	"github.com/emu-dev/emu/bindings/durableobject"
	"github.com/emu-dev/emu/bindings/storage"
	"github.com/emu-dev/emu/jsruntime"
	"github.com/emu-dev/emu/jsruntime/webapi"
)

// KVPage is a page of an object's KV keys with their values decoded.
type KVPage struct {
	Total   int       `json:"total"`
	Offset  int       `json:"offset"`
	Entries []KVEntry `json:"entries"`
}

// KVEntry is one key, its value as console.log would show it, and the
// value's serialized size.
type KVEntry struct {
	Key   string `json:"key"`
	Value string `json:"value"`
	Bytes int    `json:"bytes"`
}

func (h *Handler) getKV(w http.ResponseWriter, r *http.Request) {
	o := h.lookup(w, r)
	if o == nil {
		return
	}
	offset, limit, err := paging(r, 500)
	if err != nil {
		fail(w, err)
		return
	}
	page := KVPage{Offset: offset, Entries: []KVEntry{}}
	err = o.WithStorage(func(rt *goja.Runtime, st *storage.Store) error {
		n, err := st.KVCount()
		if err != nil {
			return err
		}
		kvs, err := st.KVPage(offset, limit)
		if err != nil {
			return err
		}
		page.Total = n
		for _, kv := range kvs {
			page.Entries = append(page.Entries, KVEntry{Key: kv.Key, Value: decode(rt, kv.Value), Bytes: len(kv.Value)})
		}
		return nil
	})
	if err != nil && !errors.Is(err, durableobject.ErrNoStorage) {
		fail(w, err)
		return
	}
	writeJSON(w, http.StatusOK, page)
}

// Tables lists an object's SQL tables.
type Tables struct {
	SQLite bool            `json:"sqlite"`
	Tables []storage.Table `json:"tables"`
}

func (h *Handler) getTables(w http.ResponseWriter, r *http.Request) {
	o := h.lookup(w, r)
	if o == nil {
		return
	}
	out := Tables{SQLite: h.opts.DO.Namespace(r.PathValue("ns")).SQLite, Tables: []storage.Table{}}
	err := o.WithStorage(func(_ *goja.Runtime, st *storage.Store) error {
		tables, err := st.Tables()
		if tables != nil {
			out.Tables = tables
		}
		return err
	})
	if err != nil && !errors.Is(err, durableobject.ErrNoStorage) {
		fail(w, err)
		return
	}
	writeJSON(w, http.StatusOK, out)
}

// Rows is the result of a query or a page of a table.
type Rows struct {
	Columns []string `json:"columns"`
	Rows    [][]any  `json:"rows"`
	More    bool     `json:"more"`
	Total   *int64   `json:"total,omitempty"` // a table's row count
	Offset  int      `json:"offset"`
}

// queryTimeout bounds a query the page runs.
const queryTimeout = 2 * time.Second

func (h *Handler) getTable(w http.ResponseWriter, r *http.Request) {
	o := h.lookup(w, r)
	if o == nil {
		return
	}
	offset, limit, err := paging(r, 500)
	if err != nil {
		fail(w, err)
		return
	}
	name := r.PathValue("table")
	var out *Rows
	err = o.WithStorage(func(_ *goja.Runtime, st *storage.Store) error {
		tables, err := st.Tables()
		if err != nil {
			return err
		}
		for _, t := range tables {
			if t.Name != name {
				continue
			}
			res, err := st.Query("SELECT * FROM "+storage.QuoteIdent(name)+" LIMIT ? OFFSET ?", []any{int64(limit), int64(offset)}, limit, queryTimeout)
			if err != nil {
				return err
			}
			out = rows(res)
			out.Total, out.Offset = &t.Rows, offset
			out.More = int64(offset+len(res.Rows)) < t.Rows
			return nil
		}
		return nil
	})
	if err != nil && !errors.Is(err, durableobject.ErrNoStorage) {
		fail(w, err)
		return
	}
	if out == nil {
		writeError(w, http.StatusNotFound, "no table "+quote(name))
		return
	}
	writeJSON(w, http.StatusOK, out)
}

// rows converts a storage result for JSON: integers beyond 2^53 become
// strings (JavaScript numbers would round them), blobs {"blob": hex of the
// first 64 bytes, "bytes": size}, non-finite reals strings.
func rows(res *storage.Result) *Rows {
	out := &Rows{Columns: res.Columns, Rows: make([][]any, 0, len(res.Rows)), More: res.More}
	for _, row := range res.Rows {
		cells := make([]any, len(row))
		for i, v := range row {
			switch x := v.(type) {
			case int64:
				if x > 1<<53 || x < -(1<<53) {
					cells[i] = strconv.FormatInt(x, 10)
				} else {
					cells[i] = x
				}
			case float64:
				if math.IsInf(x, 0) || math.IsNaN(x) {
					cells[i] = strconv.FormatFloat(x, 'g', -1, 64)
				} else {
					cells[i] = x
				}
			case []byte:
				cells[i] = map[string]any{"blob": hex.EncodeToString(x[:min(len(x), 64)]), "bytes": len(x)}
			default:
				cells[i] = v
			}
		}
		out.Rows = append(out.Rows, cells)
	}
	return out
}

// maxShown bounds a decoded value's text.
const maxShown = 4096

// decode renders a structured-clone serialization as console.log shows a
// value (on the loop). Long text is cut.
func decode(rt *goja.Runtime, b []byte) string {
	v, err := jsruntime.Deserialize(rt, b)
	if err != nil {
		return "<cannot decode: " + err.Error() + ">"
	}
	if s, ok := v.Export().(string); ok && len(s) > maxShown {
		v = rt.ToValue(s[:maxShown])
	}
	s, err := webapi.Inspect(rt, v, 4)
	if err != nil {
		return "<cannot show: " + err.Error() + ">"
	}
	return cut(s, maxShown)
}

// cut shortens s to at most n bytes (on a rune boundary), marking the cut.
func cut(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n] + "…"
}
