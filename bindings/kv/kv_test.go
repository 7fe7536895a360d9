package kv

import (
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/dop251/goja"
	"go.uber.org/goleak"

	"github.com/emu-dev/emu/jsruntime"
	"github.com/emu-dev/emu/jsruntime/webapi"
)

// TestMain fails the run if a test leaves a goroutine behind.
func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// clock is a settable clock for expirations.
type clock struct{ now atomic.Int64 }

func (c *clock) Now() time.Time        { return time.Unix(c.now.Load(), 0) }
func (c *clock) advance(s int64) int64 { return c.now.Add(s) }

const start = 1_700_000_000

// env is an isolate with the web APIs, a KV binding as the global KV, the clock's
// advance(seconds) and now() as globals.
type env struct {
	t     *testing.T
	iso   *jsruntime.Isolate
	store *Store
	clock *clock
	path  string
}

func newEnv(t *testing.T) *env {
	t.Helper()
	e := &env{t: t, clock: &clock{}, path: filepath.Join(t.TempDir(), "kv", FileName("ns"))}
	e.clock.now.Store(start)
	e.open()
	return e
}

func (e *env) open() {
	t := e.t
	st, err := Open(e.path, StoreOptions{Now: e.clock.Now})
	if err != nil {
		t.Fatal(err)
	}
	iso, err := jsruntime.New(jsruntime.Options{})
	if err != nil {
		t.Fatal(err)
	}
	e.iso, e.store = iso, st
	t.Cleanup(e.close)
	err = iso.Do(func(rt *goja.Runtime) error {
		if err := webapi.Install(iso, rt, webapi.Options{}); err != nil {
			return err
		}
		obj, err := Install(iso, rt, Options{Store: st})
		if err != nil {
			return err
		}
		_ = rt.Set("KV", obj)
		_ = rt.Set("advance", func(s int64) int64 { return e.clock.advance(s) })
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func (e *env) close() {
	if e.iso != nil {
		e.iso.Close()
		e.store.Close()
		e.iso, e.store = nil, nil
	}
}

// describe renders a thrown value as "Name: message".
func describe(v goja.Value) string {
	if o, ok := v.(*goja.Object); ok {
		if n, m := o.Get("name"), o.Get("message"); n != nil && m != nil && !goja.IsUndefined(m) {
			return n.String() + ": " + m.String()
		}
	}
	return v.String()
}

// run runs src as the body of an async function and returns what it settles to:
// its value as a string, or "rejected: Name: message".
func (e *env) run(src string) string {
	e.t.Helper()
	ch := make(chan string, 1)
	err := e.iso.Do(func(rt *goja.Runtime) error {
		v, err := rt.RunString("(async () => {\n" + src + "\n})()")
		if err != nil {
			return err
		}
		jsruntime.Settle(rt, v, func(v goja.Value, err error) {
			if err != nil {
				ch <- "rejected: " + describe(jsruntime.Thrown(err))
				return
			}
			ch <- v.String()
		})
		return nil
	})
	if err != nil {
		e.t.Fatal(jsruntime.FormatError(err))
	}
	select {
	case s := <-ch:
		return s
	case <-time.After(10 * time.Second):
		e.t.Fatalf("timed out running %s", src)
		return ""
	}
}

func TestKV(t *testing.T) {
	t.Parallel()
	cases := []struct{ name, src, want string }{
		// get and put
		{"put then get", `await KV.put("a", "1"); return await KV.get("a")`, "1"},
		{"get missing", `return String(await KV.get("nope"))`, "null"},
		{"put overwrites", `await KV.put("a", "1"); await KV.put("a", "2"); return KV.get("a")`, "2"},
		{"get json", `await KV.put("j", '{"x":[1,2]}'); const v = await KV.get("j", "json"); return v.x[1]`, "2"},
		{"get json option object", `await KV.put("j", "[3]"); return (await KV.get("j", {type: "json"}))[0]`, "3"},
		{"get bad json", `await KV.put("j", "{"); try { await KV.get("j", "json") } catch (e) { return e.name }`, "SyntaxError"},
		{"get arrayBuffer", `await KV.put("b", new Uint8Array([1, 2, 255])); const b = await KV.get("b", "arrayBuffer");
			return b instanceof ArrayBuffer && Array.from(new Uint8Array(b)).join()`, "1,2,255"},
		{"get stream", `await KV.put("s", "streamed"); const s = await KV.get("s", {type: "stream"});
			return (s instanceof ReadableStream) + " " + await new Response(s).text()`, "true streamed"},
		{"get unknown type", `await KV.put("a", "1"); await KV.get("a", "blob")`,
			`rejected: TypeError: Unknown response type. Possible types are "text", "arrayBuffer", "json", and "stream".`},
		{"get unknown type, missing key", `return String(await KV.get("nope", "blob"))`, "null"},
		{"cacheTtl accepted", `await KV.put("a", "1"); return KV.get("a", {cacheTtl: 30})`, "1"},
		{"cacheTtl too small", `await KV.get("a", {cacheTtl: 10})`,
			"rejected: Error: KV GET failed: 400 Invalid cache_ttl of 10. Cache TTL must be at least 30."},
		{"utf-8 text", `await KV.put("ü", "héllo ✓"); return KV.get("ü")`, "héllo ✓"},
		{"empty value", `await KV.put("e", ""); const v = await KV.get("e"); return JSON.stringify(v)`, `""`},

		// put value types
		{"put ArrayBuffer", `await KV.put("b", new Uint8Array([104, 105]).buffer); return KV.get("b")`, "hi"},
		{"put view with offset", `const u = new Uint8Array([0, 104, 105, 0]); await KV.put("b", u.subarray(1, 3)); return KV.get("b")`, "hi"},
		{"put DataView", `await KV.put("b", new DataView(new Uint8Array([111, 107]).buffer)); return KV.get("b")`, "ok"},
		{"put ReadableStream", `const s = new ReadableStream({start(c) { c.enqueue(new Uint8Array([97])); c.enqueue(new Uint8Array([98])); c.close() }});
			await KV.put("s", s); return KV.get("s")`, "ab"},
		{"put number is text", `await KV.put("n", 123); return typeof (await KV.get("n")) + " " + await KV.get("n")`, "string 123"},
		{"put object rejected", `await KV.put("o", {a: 1})`,
			"rejected: TypeError: KV put() accepts only strings, ArrayBuffers, ArrayBufferViews, and ReadableStreams as values."},
		{"put returns undefined", `return String(await KV.put("a", "1"))`, "undefined"},

		// metadata
		{"getWithMetadata", `await KV.put("m", "v", {metadata: {tag: "x", n: 1}}); const r = await KV.getWithMetadata("m");
			return JSON.stringify(r)`, `{"value":"v","metadata":{"tag":"x","n":1},"cacheStatus":null}`},
		{"getWithMetadata without metadata", `await KV.put("m", "v"); return JSON.stringify(await KV.getWithMetadata("m"))`,
			`{"value":"v","metadata":null,"cacheStatus":null}`},
		{"getWithMetadata missing", `return JSON.stringify(await KV.getWithMetadata("nope"))`,
			`{"value":null,"metadata":null,"cacheStatus":null}`},
		{"getWithMetadata json", `await KV.put("m", "[1]", {metadata: 7}); const r = await KV.getWithMetadata("m", "json");
			return r.value[0] + " " + r.metadata`, "1 7"},
		{"metadata too large", `await KV.put("m", "v", {metadata: "x".repeat(1023)})`,
			"rejected: Error: KV PUT failed: 413 Metadata length of 1025 exceeds limit of 1024."},
		{"metadata at the limit", `await KV.put("m", "v", {metadata: "x".repeat(1022)}); return (await KV.getWithMetadata("m")).metadata.length`, "1022"},

		// delete
		{"delete", `await KV.put("a", "1"); await KV.delete("a"); return String(await KV.get("a"))`, "null"},
		{"delete missing", `return String(await KV.delete("nope"))`, "undefined"},

		// list
		{"list in byte order", `for (const k of ["b", "a", "B", "ä", "a/1"]) await KV.put(k, "v");
			const r = await KV.list(); return JSON.stringify(r)`,
			`{"keys":[{"name":"B"},{"name":"a"},{"name":"a/1"},{"name":"b"},{"name":"ä"}],"list_complete":true,"cacheStatus":null}`},
		{"list prefix", `for (const k of ["user:1", "user:2", "post:1", "user"]) await KV.put(k, "v");
			const r = await KV.list({prefix: "user:"}); return r.keys.map(k => k.name).join()`, "user:1,user:2"},
		{"list pages", `for (let i = 0; i < 5; i++) await KV.put("k" + i, "v");
			const out = []; let cursor;
			for (;;) { const r = await KV.list({limit: 2, cursor}); out.push(r.keys.map(k => k.name).join("+") + (r.list_complete ? "." : ""));
				if (r.list_complete) break; cursor = r.cursor; }
			return out.join(" ")`, "k0+k1 k2+k3 k4."},
		{"list exact page is complete only after", `await KV.put("a", "1"); await KV.put("b", "2");
			const r = await KV.list({limit: 2}); return r.list_complete + " " + typeof r.cursor`, "true undefined"},
		{"list metadata and expiration", `await KV.put("a", "1", {metadata: {m: 1}, expiration: now() + 100}); await KV.put("b", "2");
			const r = await KV.list(); return JSON.stringify(r.keys.map(k => [k.name, k.expiration - now(), k.metadata]))`,
			`[["a",100,{"m":1}],["b",null,null]]`},
		{"list limit 0 is the default", `await KV.put("a", "1"); return (await KV.list({limit: 0})).keys.length`, "1"},
		{"list limit too large", `await KV.list({limit: 1001})`,
			"rejected: Error: KV GET failed: 400 Invalid key_count_limit of 1001. Please specify an integer less than 1000."},
		{"list prefix too long", `await KV.list({prefix: "p".repeat(513)})`,
			"rejected: Error: KV GET failed: 414 UTF-8 encoded length of 513 exceeds key length limit of 512."},

		// bulk get
		{"bulk get", `await KV.put("a", "1"); await KV.put("b", "2"); const m = await KV.get(["b", "a", "x", "b"]);
			return m instanceof Map && JSON.stringify([...m])`, `[["b","2"],["a","1"],["x",null]]`},
		{"bulk get json", `await KV.put("a", '{"v":1}'); const m = await KV.get(["a"], "json"); return m.get("a").v`, "1"},
		{"bulk get non-json", `await KV.put("a", "{"); await KV.get(["a"], {type: "json"})`,
			"rejected: Error: KV GET_BULK failed: 400 At least one of the requested keys corresponds to a non-json value"},
		{"bulk get arrayBuffer", `await KV.get(["a"], "arrayBuffer")`,
			`rejected: Error: KV GET_BULK failed: 400 "arrayBuffer" is not a valid type. Use "json" or "text"`},
		{"bulk get too many", `await KV.get(Array.from({length: 101}, (_, i) => "k" + i))`,
			"rejected: Error: KV GET_BULK failed: 400 You can request a maximum of 100 keys"},
		{"bulk get none", `await KV.get([])`, "rejected: Error: KV GET_BULK failed: 400 You must request a minimum of 1 key"},
		{"bulk get empty key", `await KV.get(["a", ""])`, "rejected: Error: KV GET_BULK failed: 400 Key names must not be empty"},
		{"bulk getWithMetadata", `await KV.put("a", "1", {metadata: {m: true}}); const m = await KV.getWithMetadata(["a", "x"]);
			return JSON.stringify([...m])`, `[["a",{"value":"1","metadata":{"m":true}}],["x",null]]`},
		{"bulk get drops index keys as workerd does", `await KV.put("1", "one"); await KV.put("a", "A");
			return JSON.stringify([...await KV.get(["1", "a"])])`, `[["a","A"]]`},

		// keys
		{"empty key", `await KV.get("")`, "rejected: TypeError: Key name cannot be empty."},
		{"dot key", `await KV.put(".", "v")`, `rejected: TypeError: "." is not allowed as a key name.`},
		{"dot dot key", `await KV.delete("..")`, `rejected: TypeError: ".." is not allowed as a key name.`},
		{"key too long: get", `await KV.get("k".repeat(513))`,
			"rejected: Error: KV GET failed: 414 UTF-8 encoded length of 513 exceeds key length limit of 512."},
		{"key too long in bytes: put", `await KV.put("é".repeat(257), "v")`,
			"rejected: Error: KV PUT failed: 414 UTF-8 encoded length of 514 exceeds key length limit of 512."},
		{"key too long: delete", `await KV.delete("k".repeat(600))`,
			"rejected: Error: KV DELETE failed: 414 UTF-8 encoded length of 600 exceeds key length limit of 512."},
		{"key at the limit", `await KV.put("k".repeat(512), "v"); return KV.get("k".repeat(512))`, "v"},
		{"key is coerced to a string", `await KV.put(42, "v"); return KV.get("42")`, "v"},

		// values
		{"value too large", `await KV.put("big", new Uint8Array(25 * 1024 * 1024 + 1))`,
			"rejected: Error: KV PUT failed: 413 Value length of 26214401 exceeds limit of 26214400."},

		// expiration
		{"expirationTtl too small", `await KV.put("a", "1", {expirationTtl: 30})`,
			"rejected: Error: KV PUT failed: 400 Invalid expiration_ttl of 30. Expiration TTL must be at least 60."},
		{"expirationTtl zero", `await KV.put("a", "1", {expirationTtl: 0})`,
			"rejected: Error: KV PUT failed: 400 Invalid expiration_ttl of 0. Please specify integer greater than 0."},
		{"expiration in the past", `await KV.put("a", "1", {expiration: now() - 1})`,
			"rejected: Error: KV PUT failed: 400 Invalid expiration of 1699999999. Please specify integer greater than the current number of seconds since the UNIX epoch."},
		{"expiration too soon", `await KV.put("a", "1", {expiration: now() + 59})`,
			"rejected: Error: KV PUT failed: 400 Invalid expiration of 1700000059. Expiration times must be at least 60 seconds in the future."},
		{"expirationTtl honoured on read", `await KV.put("a", "1", {expirationTtl: 60});
			const before = await KV.get("a"); advance(59); const still = await KV.get("a"); advance(1);
			return [before, still, await KV.get("a"), (await KV.list()).keys.length, JSON.stringify([...await KV.get(["a"])])].join()`,
			`1,1,,0,[["a",null]]`},
		{"expiration honoured on read", `await KV.put("a", "1", {expiration: now() + 120}); advance(120);
			return String(await KV.get("a"))`, "null"},
		{"expirationTtl wins over expiration", `await KV.put("a", "1", {expiration: 1, expirationTtl: 60});
			return (await KV.list()).keys[0].expiration - now()`, "60"},

		// the binding object
		{"methods", `return ["get", "getWithMetadata", "put", "delete", "list"].map(m => typeof KV[m]).join()`,
			"function,function,function,function,function"},
		{"not constructible", `try { new KV.constructor() } catch (e) { return e.name + ": " + e.message }`, "TypeError: Illegal constructor"},
		{"detached method", `const get = KV.get; await get.call({}, "a")`, "rejected: TypeError: Illegal invocation"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			e := newEnv(t)
			src := "const now = () => advance(0);\n" + tc.src
			if got := e.run(src); got != tc.want {
				t.Errorf("got  %s\nwant %s", got, tc.want)
			}
		})
	}
}

// TestKVOrder: operations started without awaiting run in the order they were made.
func TestKVOrder(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	got := e.run(`const ps = []; for (let i = 0; i < 50; i++) ps.push(KV.put("k", String(i)));
		ps.push(KV.get("k")); const r = await Promise.all(ps); return r[50]`)
	if got != "49" {
		t.Errorf("got %s", got)
	}
}

// TestKVPersists: data is in the database file and read back after a restart.
func TestKVPersists(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	if got := e.run(`await KV.put("a", "kept", {metadata: {m: 1}, expirationTtl: 3600}); await KV.put("b", "gone", {expirationTtl: 60}); return "ok"`); got != "ok" {
		t.Fatal(got)
	}
	e.close()
	e.clock.advance(61)
	e.open()
	got := e.run(`const r = await KV.getWithMetadata("a"); return [r.value, r.metadata.m, await KV.get("b")].join()`)
	if got != "kept,1," {
		t.Errorf("after restart: %s", got)
	}
}

// TestClosedStore: an operation on a closed Store rejects instead of hanging.
func TestClosedStore(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.store.Close()
	if got := e.run(`await KV.get("a")`); !strings.HasPrefix(got, "rejected: Error: KV namespace is closed") {
		t.Errorf("got %s", got)
	}
}

func TestFileName(t *testing.T) {
	t.Parallel()
	for id, want := range map[string]string{
		"0f2ac74b498b48028cb68387c421e279": "0f2ac74b498b48028cb68387c421e279.sqlite",
		"MY_KV":                            "MY_KV.sqlite",
	} {
		if got := FileName(id); got != want {
			t.Errorf("FileName(%q) = %q, want %q", id, got, want)
		}
	}
	for _, id := range []string{"../x", "a/b", "..", ".hidden", strings.Repeat("x", 200)} {
		if got := FileName(id); strings.ContainsAny(strings.TrimSuffix(got, ".sqlite"), "/.") || len(got) != 64+7 {
			t.Errorf("FileName(%q) = %q: want a hash", id, got)
		}
	}
}

// newBenchIsolate is an isolate with the web APIs and st bound as the global KV.
func newBenchIsolate(b *testing.B, st *Store) *jsruntime.Isolate {
	iso, err := jsruntime.New(jsruntime.Options{})
	if err != nil {
		b.Fatal(err)
	}
	err = iso.Do(func(rt *goja.Runtime) error {
		if err := webapi.Install(iso, rt, webapi.Options{}); err != nil {
			return err
		}
		obj, err := Install(iso, rt, Options{Store: st})
		if err != nil {
			return err
		}
		return rt.Set("KV", obj)
	})
	if err != nil {
		b.Fatal(err)
	}
	return iso
}

// settle sends nil or the rejection of v to done once it settles (on the loop).
func settle(rt *goja.Runtime, v goja.Value, done chan<- error) {
	jsruntime.Settle(rt, v, func(_ goja.Value, err error) { done <- err })
}

// TestStateFilesArePrivate: the namespace directory is 0700 and its
// database files 0600.
func TestStateFilesArePrivate(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "kv")
	path := filepath.Join(dir, FileName("ns"))
	s, err := Open(path, StoreOptions{})
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	s.Submit(func() { done <- s.Put("k", []byte("v"), 0, nil) })
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Stat(dir); err != nil {
		t.Error(err)
	} else if fi.Mode().Perm() != 0o700 {
		t.Errorf("%s: %v, want 0700", dir, fi.Mode().Perm())
	}
	for _, f := range []string{path, path + "-wal", path + "-shm"} {
		fi, err := os.Stat(f)
		switch {
		case os.IsNotExist(err) && f != path:
		case err != nil:
			t.Error(err)
		case fi.Mode().Perm() != 0o600:
			t.Errorf("%s: %v, want 0600", f, fi.Mode().Perm())
		}
	}
	s.Close()
}
