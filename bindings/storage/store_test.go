package storage

import (
	"path/filepath"
	"testing"
	"time"

	"github.com/dop251/goja"

	"github.com/emu-dev/emu/jsruntime"
)

// env is a goja runtime with ctx.storage as the global `storage`, over a
// real SQLite file in a temporary directory.
type env struct {
	t      testing.TB
	rt     *goja.Runtime
	st     *Store
	path   string
	opts   Options
	hooks  Hooks
	alarms []alarmEvent // AlarmChanged calls
}

type alarmEvent struct {
	at time.Time
	ok bool
}

const jsHelpers = `
	function fmt(v) {
		try { return typeof v === "string" ? JSON.stringify(v) : typeof v === "bigint" ? v + "n" : String(v); }
		catch (e) { return "?"; }
	}
	function eq(a, b, what) {
		if (!Object.is(a, b)) throw new Error((what || "value") + ": got " + fmt(a) + ", want " + fmt(b));
	}
	function json(v) { return JSON.stringify(v); }
	function entries(m) { return JSON.stringify([...m]); }
	async function rejects(p, want) {
		if (!(p instanceof Promise)) throw new Error("not a promise; want rejection " + want);
		try { await p; } catch (e) { eq(String(e), want, "rejection"); return e; }
		throw new Error("did not reject; want " + want);
	}
	function throws(fn, want) {
		try { fn(); } catch (e) { eq(String(e), want, "exception"); return e; }
		throw new Error("did not throw; want " + want);
	}
`

func newEnv(t testing.TB, opts Options) *env {
	t.Helper()
	e := &env{t: t, rt: goja.New(), path: filepath.Join(t.TempDir(), "do.sqlite"), opts: opts}
	jsruntime.InstallStructuredClone(e.rt)
	e.hooks = Hooks{AlarmChanged: func(at time.Time, ok bool) { e.alarms = append(e.alarms, alarmEvent{at, ok}) }}
	if _, err := e.rt.RunString(jsHelpers); err != nil {
		t.Fatal(err)
	}
	e.open()
	t.Cleanup(func() { e.st.Close() })
	return e
}

func (e *env) open() {
	e.t.Helper()
	st, err := Open(e.path, e.opts)
	if err != nil {
		e.t.Fatal(err)
	}
	e.st = st
	e.bind()
}

// bind (re)creates the JS object, e.g. after changing hooks.
func (e *env) bind() {
	if err := e.rt.Set("storage", e.st.Object(e.rt, e.hooks)); err != nil {
		e.t.Fatal(err)
	}
}

// reopen closes the store and opens the file again, as after a restart.
func (e *env) reopen() {
	e.t.Helper()
	if err := e.st.Close(); err != nil {
		e.t.Fatal(err)
	}
	e.open()
}

// run runs js as the body of an async function and fails the test if it
// throws or rejects. Promise jobs run before RunString returns.
func (e *env) run(js string) goja.Value {
	e.t.Helper()
	v, err := e.rt.RunString("(async () => {\n" + js + "\n})()")
	if err != nil {
		e.t.Fatal(jsruntime.FormatError(err))
	}
	p := v.Export().(*goja.Promise)
	switch p.State() {
	case goja.PromiseStateRejected:
		e.t.Fatal(jsruntime.FormatValue(p.Result()))
	case goja.PromiseStatePending:
		e.t.Fatal("script did not finish")
	}
	return p.Result()
}

func TestOpenCreatesHiddenTables(t *testing.T) {
	e := newEnv(t, Options{SQLite: true})
	e.run(`
		const names = storage.sql.exec("SELECT name FROM sqlite_master ORDER BY name").toArray().map(r => r.name);
		eq(json(names), json(["_cf_KV", "_cf_METADATA"]));
		eq(storage.sql.exec("PRAGMA data_version").columnNames[0], "data_version");
	`)
	var mode string
	e.st.mu.Lock()
	st, _, err := e.st.c.prepare("PRAGMA journal_mode", false)
	if err == nil {
		_, err = e.st.c.step(st)
		mode = e.st.c.columnText(st, 0)
		e.st.c.finalize(st)
	}
	e.st.mu.Unlock()
	if err != nil || mode != "wal" {
		t.Fatalf("journal_mode = %q, %v; want wal", mode, err)
	}
}

func TestReopenPersistence(t *testing.T) {
	e := newEnv(t, Options{SQLite: true})
	e.run(`
		await storage.put("k", {n: 1, when: new Date(5), tags: new Set(["a"])});
		await storage.put({a: 1, b: [2, 3]});
		storage.sql.exec("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)");
		storage.sql.exec("INSERT INTO t (v) VALUES (?), (?)", "x", "y");
		await storage.setAlarm(Date.now() + 60000);
	`)
	want, ok, err := e.st.Alarm()
	if err != nil || !ok {
		t.Fatalf("Alarm() = %v, %v, %v", want, ok, err)
	}
	e.reopen()
	e.run(`
		const v = await storage.get("k");
		eq(v.n, 1); eq(v.when.getTime(), 5); eq(v.tags.has("a"), true);
		eq(entries(await storage.list()), json([["a", 1], ["b", [2, 3]], ["k", {n: 1, when: "1970-01-01T00:00:00.005Z", tags: {}}]]));
		eq(json(storage.sql.exec("SELECT v FROM t ORDER BY id").raw().toArray()), json([["x"], ["y"]]));
	`)
	got, ok, err := e.st.Alarm()
	if err != nil || !ok || !got.Equal(want) {
		t.Fatalf("after reopen Alarm() = %v, %v, %v; want %v", got, ok, err, want)
	}
}

func TestClosedStore(t *testing.T) {
	e := newEnv(t, Options{SQLite: true})
	e.st.Close()
	e.run(`
		await rejects(storage.get("a"), "Error: Durable Object storage is closed");
		throws(() => storage.sql.exec("SELECT 1"), "Error: Durable Object storage is closed");
	`)
	if _, _, err := e.st.Alarm(); err != ErrClosed {
		t.Fatalf("Alarm() after Close = %v, want ErrClosed", err)
	}
}
