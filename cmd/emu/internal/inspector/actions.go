package inspector

import (
	"net/http"
	"sort"

	"github.com/dop251/goja"

	"github.com/emu-dev/emu/bindings/storage"
	"github.com/emu-dev/emu/bindings/websocket"
)

// Done is an action's answer.
type Done struct {
	OK      bool   `json:"ok"`
	Message string `json:"message"`
}

func (h *Handler) hibernateAll(w http.ResponseWriter, r *http.Request) {
	n := h.opts.DO.HibernateAll()
	h.logf("info", "[emu] inspector: hibernated %d object(s)", n)
	writeJSON(w, http.StatusOK, map[string]any{"ok": true, "hibernated": n})
}

func (h *Handler) hibernate(w http.ResponseWriter, r *http.Request) {
	o := h.lookup(w, r)
	if o == nil {
		return
	}
	ok, why, err := o.Hibernate()
	switch {
	case err != nil:
		fail(w, err)
	case !ok:
		writeError(w, http.StatusConflict, "cannot hibernate now: "+why)
	default:
		writeJSON(w, http.StatusOK, Done{true, "hibernated"})
	}
}

func (h *Handler) fireAlarm(w http.ResponseWriter, r *http.Request) {
	o := h.lookup(w, r)
	if o == nil {
		return
	}
	if err := o.FireAlarm(); err != nil {
		fail(w, err)
		return
	}
	writeJSON(w, http.StatusOK, Done{true, "alarm fired"})
}

func (h *Handler) deleteAlarm(w http.ResponseWriter, r *http.Request) {
	o := h.lookup(w, r)
	if o == nil {
		return
	}
	if err := o.DeleteAlarm(); err != nil {
		fail(w, err)
		return
	}
	writeJSON(w, http.StatusOK, Done{true, "alarm deleted"})
}

// closeRequest is the body of a socket's close action.
type closeRequest struct {
	Code   int    `json:"code"`
	Reason string `json:"reason"`
}

func (h *Handler) closeSocket(w http.ResponseWriter, r *http.Request) {
	o := h.lookup(w, r)
	if o == nil {
		return
	}
	req := closeRequest{Code: int(websocket.StatusNormal)}
	if err := readBody(r, &req); err != nil {
		fail(w, err)
		return
	}
	if err := o.CloseSocket(r.PathValue("sid"), websocket.StatusCode(req.Code), req.Reason); err != nil {
		fail(w, err)
		return
	}
	writeJSON(w, http.StatusOK, Done{true, "close frame sent"})
}

// wipeRequest is the body of the wipe action: the object's id again, as
// confirmation.
type wipeRequest struct {
	Confirm string `json:"confirm"`
}

func (h *Handler) wipe(w http.ResponseWriter, r *http.Request) {
	o := h.lookup(w, r)
	if o == nil {
		return
	}
	var req wipeRequest
	if err := readBody(r, &req); err != nil {
		fail(w, err)
		return
	}
	if req.Confirm != o.ID() {
		writeError(w, http.StatusBadRequest, `to wipe an object's storage, confirm with its id: {"confirm": "<id>"}`)
		return
	}
	if err := o.Wipe(); err != nil {
		fail(w, err)
		return
	}
	writeJSON(w, http.StatusOK, Done{true, "storage wiped"})
}

// queryRequest is the body of a read-only query.
type queryRequest struct {
	SQL    string `json:"sql"`
	Limit  int    `json:"limit"`
	Params []any  `json:"params"`
}

func (h *Handler) query(w http.ResponseWriter, r *http.Request) {
	o := h.lookup(w, r)
	if o == nil {
		return
	}
	req := queryRequest{Limit: 100}
	if err := readBody(r, &req); err != nil {
		fail(w, err)
		return
	}
	req.Limit = min(max(req.Limit, 1), 1000)
	args := make([]any, len(req.Params))
	for i, p := range req.Params {
		switch x := p.(type) {
		case float64:
			if x == float64(int64(x)) {
				args[i] = int64(x)
			} else {
				args[i] = x
			}
		case string, nil:
			args[i] = x
		case bool:
			args[i] = map[bool]int64{false: 0, true: 1}[x]
		default:
			writeError(w, http.StatusBadRequest, "params: numbers, strings, booleans or null only")
			return
		}
	}
	var out *Rows
	err := o.WithStorage(func(_ *goja.Runtime, st *storage.Store) error {
		res, err := st.Query(req.SQL, args, req.Limit, queryTimeout)
		if err != nil {
			return err
		}
		out = rows(res)
		return nil
	})
	if err != nil {
		fail(w, err)
		return
	}
	writeJSON(w, http.StatusOK, out)
}

// sortedKeys returns m's keys in order.
func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
