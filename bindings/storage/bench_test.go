package storage

import (
	"testing"

	"github.com/dop251/goja"
)

// runLoop runs body (JS, with i the iteration) b.N times inside one async
// function and reports iterations per second.
func runLoop(b *testing.B, opts Options, setup, body, unit string) {
	e := newEnv(b, opts)
	e.run(setup)
	b.ReportAllocs()
	b.ResetTimer()
	e.rt.Set("N", b.N)
	v, err := e.rt.RunString(`(async () => { for (let i = 0; i < N; i++) {` + body + `} })()`)
	if err != nil {
		b.Fatal(err)
	}
	if p := v.Export().(*goja.Promise); p.State() != goja.PromiseStateFulfilled {
		b.Fatal(p.Result())
	}
	b.StopTimer()
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), unit)
}

// BenchmarkPutGet is one put of a small object and one get of it, from JS.
func BenchmarkPutGet(b *testing.B) {
	for _, mode := range []struct {
		name string
		opts Options
	}{{"sqlite", Options{SQLite: true}}, {"kv", Options{}}} {
		b.Run(mode.name, func(b *testing.B) {
			runLoop(b, mode.opts, ``, `
				const k = "player:" + (i % 1000);
				await storage.put(k, {id: i, name: "player-one", score: 12.5, tags: ["a", "b"]});
				if ((await storage.get(k)).id !== i) throw new Error("bad read");
			`, "putget/s")
		})
	}
}

func BenchmarkGet(b *testing.B) {
	runLoop(b, Options{SQLite: true}, `await storage.put("k", {id: 1, name: "player-one"})`,
		`await storage.get("k");`, "get/s")
}

func BenchmarkPut(b *testing.B) {
	runLoop(b, Options{SQLite: true}, ``, `await storage.put("k" + (i % 1000), i);`, "put/s")
}

func BenchmarkSQLInsertSelect(b *testing.B) {
	runLoop(b, Options{SQLite: true}, `storage.sql.exec("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)")`, `
		storage.sql.exec("INSERT OR REPLACE INTO t (id, v) VALUES (?, ?)", i % 1000, "value");
		storage.sql.exec("SELECT v FROM t WHERE id = ?", i % 1000).one();
	`, "ops/s")
}

func BenchmarkTransaction(b *testing.B) {
	runLoop(b, Options{SQLite: true}, ``, `
		await storage.transaction(async (txn) => {
			await txn.put("a" + (i % 100), i);
			await txn.put("b" + (i % 100), i);
		});
	`, "txn/s")
}
