package config

import (
	"bytes"
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/BurntSushi/toml"
	"github.com/tailscale/hujson"
)

// Error is a configuration problem: a syntax error or a bad value in a wrangler file, a missing
// entry point, or a malformed flag. Its Error method gives one line a user can act on,
// `wrangler.toml:4:22: compatibility_date: expected a string, got integer`; the CLI prints it and
// exits with status 2.
type Error struct {
	File string // the file as the user would name it (relative to the working directory), or ""
	Line int    // 1-based line, 0 when unknown
	Col  int    // 1-based column, 0 when unknown
	Key  string // the setting or flag, e.g. "durable_objects.bindings[0].class_name" or "--var"
	Msg  string
}

// Error returns "file:line:col: key: msg", leaving out the parts that are unknown.
func (e *Error) Error() string {
	s := e.Msg
	if e.Key != "" {
		s = e.Key + ": " + s
	}
	switch {
	case e.File == "":
		return s
	case e.Line == 0:
		return fmt.Sprintf("%s: %s", e.File, s)
	case e.Col == 0:
		return fmt.Sprintf("%s:%d: %s", e.File, e.Line, s)
	}
	return fmt.Sprintf("%s:%d:%d: %s", e.File, e.Line, e.Col, s)
}

// doc is one parsed wrangler file.
type doc struct {
	file   string // display name, for messages
	json   bool
	root   map[string]any
	locate func(path []any) (line, col int) // position of a key path (strings and indexes)
}

// errorf returns an *Error for the value at path in the file.
func (d *doc) errorf(path []any, format string, args ...any) *Error {
	line, col := d.locate(path)
	return &Error{File: d.file, Line: line, Col: col, Key: keyString(path), Msg: fmt.Sprintf(format, args...)}
}

// readDoc reads and parses a wrangler.toml, wrangler.json or wrangler.jsonc.
func readDoc(path, display string) (*doc, error) {
	src, err := os.ReadFile(path)
	if err != nil {
		return nil, &Error{File: display, Msg: err.Error()}
	}
	if filepath.Ext(path) == ".toml" {
		return parseTOML(src, display)
	}
	return parseJSON(src, display)
}

func parseTOML(src []byte, display string) (*doc, error) {
	d := &doc{file: display, locate: tomlLocator(string(src))}
	if _, err := toml.Decode(string(src), &d.root); err != nil {
		var pe toml.ParseError
		if errors.As(err, &pe) {
			e := &Error{File: display, Line: pe.Position.Line, Col: pe.Position.Col, Msg: pe.Message}
			if line, col := lineCol(src, pe.Position.Start); line == e.Line {
				e.Col = col // toml's own column is one short at the start of a line after a blank one
			}
			return nil, e
		}
		return nil, &Error{File: display, Msg: err.Error()}
	}
	return d, nil
}

func parseJSON(src []byte, display string) (*doc, error) {
	d := &doc{file: display, json: true, locate: jsonLocator(src)}
	// Standardize blanks out comments and trailing commas in place, so offsets are unchanged.
	std, err := hujson.Standardize(bytes.Clone(src))
	if err != nil {
		e := &Error{File: display, Msg: err.Error()}
		// hujson reports "hujson: line %d, column %d: %w".
		if _, serr := fmt.Sscanf(err.Error(), "hujson: line %d, column %d:", &e.Line, &e.Col); serr == nil {
			if inner := errors.Unwrap(err); inner != nil {
				e.Msg = inner.Error()
			}
		}
		return nil, e
	}
	if err := json.Unmarshal(std, &d.root); err != nil || d.root == nil {
		return nil, &Error{File: display, Line: 1, Col: 1, Msg: "expected a JSON object at the top level"}
	}
	return d, nil
}

// here is decoded in place of a TOML value to make the decoder report the value's position.
type here struct{}

func (here) UnmarshalTOML(any) error { return errors.New("here") }

// tomlLocator finds a key's position by decoding down to it as toml.Primitive values. Keys
// under an element of an array of tables share one recorded position in the decoder, so past
// such an element (of an array longer than one) the position is unknown.
func tomlLocator(src string) func([]any) (int, int) {
	return func(path []any) (int, int) {
		var top map[string]toml.Primitive
		md, err := toml.Decode(src, &top)
		if err != nil || len(path) == 0 {
			return 0, 0
		}
		var prim toml.Primitive
		found := false
	walk:
		for i, p := range path {
			switch p := p.(type) {
			case string:
				m := top
				if found && md.PrimitiveDecode(prim, &m) != nil {
					break walk
				}
				next, ok := m[p]
				if !ok {
					break walk
				}
				prim, found = next, true
			case int:
				var arr []toml.Primitive
				if !found || md.PrimitiveDecode(prim, &arr) != nil || p >= len(arr) {
					break walk
				}
				if len(arr) > 1 && i < len(path)-1 {
					return 0, 0
				}
				prim = arr[p]
			}
		}
		var pe toml.ParseError
		if found && errors.As(md.PrimitiveDecode(prim, here{}), &pe) {
			n := pe.Position.Start
			for n > 0 && strings.IndexByte(`"'`, src[n-1]) >= 0 {
				n-- // point at the opening quote, not inside it
			}
			return lineCol([]byte(src), n)
		}
		return 0, 0
	}
}

// jsonLocator finds a key's position in the HuJSON syntax tree: the start of its value, or of
// the nearest enclosing value that exists.
func jsonLocator(src []byte) func([]any) (int, int) {
	return func(path []any) (int, int) {
		v, err := hujson.Parse(bytes.Clone(src))
		if err != nil || len(path) == 0 {
			return 0, 0
		}
		cur := &v
	walk:
		for _, p := range path {
			switch p := p.(type) {
			case string:
				obj, ok := cur.Value.(*hujson.Object)
				if !ok {
					break walk
				}
				var next *hujson.Value
				for i := range obj.Members { // the last duplicate wins, as in encoding/json
					if lit, ok := obj.Members[i].Name.Value.(hujson.Literal); ok && lit.String() == p {
						next = &obj.Members[i].Value
					}
				}
				if next == nil {
					break walk
				}
				cur = next
			case int:
				arr, ok := cur.Value.(*hujson.Array)
				if !ok || p >= len(arr.Elements) {
					break walk
				}
				cur = &arr.Elements[p]
			}
		}
		return lineCol(src, cur.StartOffset)
	}
}

// lineCol converts a byte offset to a 1-based line and column (in bytes).
func lineCol(src []byte, n int) (line, col int) {
	n = max(0, min(n, len(src))) // the TOML decoder reports -1 for some errors (a control character)
	return 1 + bytes.Count(src[:n], []byte("\n")), n - bytes.LastIndexByte(src[:n], '\n')
}

// keyString renders a key path as `durable_objects.bindings[0].class_name`.
func keyString(path []any) string {
	var b strings.Builder
	for _, p := range path {
		switch p := p.(type) {
		case string:
			if b.Len() > 0 {
				b.WriteByte('.')
			}
			b.WriteString(p)
		case int:
			b.WriteString("[" + strconv.Itoa(p) + "]")
		}
	}
	return b.String()
}

// reader reads typed values from a doc by key path and keeps the first mismatch as an *Error
// naming the key, so a run of reads needs one error check. A missing key reads as the zero value.
type reader struct {
	d   *doc
	err error
}

func (r *reader) fail(path []any, format string, args ...any) {
	if r.err == nil {
		r.err = r.d.errorf(path, format, args...)
	}
}

func (r *reader) mismatch(path []any, want string, v any) {
	r.fail(path, "expected %s, got %s", want, r.d.kind(v))
}

// get returns the value at path, or nil. Callers check the containers on the way with table
// and tables first.
func (r *reader) get(path ...any) any {
	var v any = r.d.root
	for _, p := range path {
		switch p := p.(type) {
		case string:
			m, _ := v.(map[string]any)
			v = m[p]
		case int:
			switch a := v.(type) {
			case []any:
				v = index(a, p)
			case []map[string]any:
				v = index(a, p)
			default:
				v = nil
			}
		}
	}
	return v
}

func index[T any](a []T, i int) any {
	if i < len(a) {
		return a[i]
	}
	return nil
}

// want returns the value at path as a T (the zero T if missing), recording a mismatch as
// "expected <what>, got <kind>".
func want[T any](r *reader, what string, path ...any) T {
	v := r.get(path...)
	t, ok := v.(T)
	if !ok && v != nil {
		r.mismatch(path, what, v)
	}
	return t
}

func (r *reader) str(path ...any) string { return want[string](r, "a string", path...) }

// table returns the table (TOML) or object (JSON) at path, nil if missing or mistyped.
func (r *reader) table(path ...any) map[string]any {
	return want[map[string]any](r, r.d.aTable(), path...)
}

func (r *reader) strs(path ...any) []string {
	arr := want[[]any](r, "an array of strings", path...)
	out := make([]string, len(arr))
	for i, e := range arr {
		var ok bool
		if out[i], ok = e.(string); !ok {
			r.mismatch(append(slices.Clip(path), i), "a string", e)
			return nil
		}
	}
	return out
}

func (r *reader) int(path ...any) int64 {
	switch v := r.get(path...).(type) {
	case nil:
		return 0
	case int64:
		return v
	case float64: // JSON numbers
		if v == math.Trunc(v) && math.Abs(v) < 1<<53 {
			return int64(v)
		}
	}
	r.mismatch(path, "an integer", r.get(path...))
	return 0
}

// tables returns the length of the array of tables at path: [[migrations]] in TOML,
// "migrations": [{...}] in JSON. It is 0 if the value is missing or anything is mistyped.
func (r *reader) tables(path ...any) int {
	switch v := r.get(path...).(type) {
	case nil:
		return 0
	case []map[string]any:
		return len(v)
	case []any:
		for i, e := range v {
			if _, ok := e.(map[string]any); !ok {
				r.mismatch(append(slices.Clip(path), i), r.d.aTable(), e)
				return 0
			}
		}
		return len(v)
	default:
		r.mismatch(path, "an array of "+r.d.kind(map[string]any{})+"s", v)
		return 0
	}
}

// aTable is "a table" (TOML) or "an object" (JSON).
func (d *doc) aTable() string {
	if d.json {
		return "an object"
	}
	return "a table"
}

// kind names a decoded value's type in the file's own terms.
func (d *doc) kind(v any) string {
	switch v.(type) {
	case string:
		return "string"
	case int64:
		return "integer"
	case float64:
		return "number"
	case bool:
		return "boolean"
	case []any, []map[string]any:
		return "array"
	case map[string]any:
		if d.json {
			return "object"
		}
		return "table"
	case time.Time:
		return "datetime"
	case nil:
		return "null"
	}
	return fmt.Sprintf("%T", v)
}

// plain turns TOML-specific values into JSON-like ones: a datetime becomes its TOML text, an
// array of tables a []any.
func plain(v any) any {
	switch v := v.(type) {
	case time.Time:
		layout := map[string]string{"date-local": time.DateOnly, "time-local": "15:04:05.999999999",
			"datetime-local": "2006-01-02T15:04:05.999999999"}[v.Location().String()]
		return v.Format(cmp.Or(layout, time.RFC3339Nano))
	case map[string]any:
		out := make(map[string]any, len(v))
		for k, e := range v {
			out[k] = plain(e)
		}
		return out
	case []map[string]any:
		out := make([]any, len(v))
		for i, e := range v {
			out[i] = plain(e)
		}
		return out
	case []any:
		out := make([]any, len(v))
		for i, e := range v {
			out[i] = plain(e)
		}
		return out
	}
	return v
}
