package storage

import (
	"runtime"
	"testing"
)

func TestSQLCursor(t *testing.T) {
	e := newEnv(t, Options{SQLite: true})
	e.run(`
		const sql = storage.sql;
		let c = sql.exec("CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT, score REAL, data BLOB, n)");
		eq(c.rowsWritten, 0); eq(json(c.columnNames), "[]"); eq(json(c.toArray()), "[]");

		c = sql.exec("INSERT INTO t (name, score, data, n) VALUES (?, ?, ?, ?), (?, ?, ?, ?)",
			"a", 1.5, new Uint8Array([1, 2, 3]), null, "b", 2, new Uint8Array([9]).buffer, undefined);
		eq(c.rowsWritten, 2, "rowsWritten"); eq(c.rowsRead, 0, "rowsRead of INSERT");
		eq(json(c.toArray()), "[]");

		c = sql.exec("SELECT * FROM t ORDER BY id");
		eq(json(c.columnNames), json(["id", "name", "score", "data", "n"]));
		eq(c.columnNames, c.columnNames, "same array");
		eq(c.rowsRead, 1, "rowsRead after exec");
		const first = c.next();
		eq(first.done, false);
		const r = first.value;
		eq(r.id, 1); eq(typeof r.id, "number"); eq(r.name, "a"); eq(r.score, 1.5); eq(r.n, null);
		eq(r.data instanceof ArrayBuffer, true); eq(new Uint8Array(r.data)[2], 3);
		const rest = c.toArray();
		eq(rest.length, 1); eq(rest[0].name, "b"); eq(rest[0].score, 2); eq(new Uint8Array(rest[0].data)[0], 9);
		eq(json(c.next()), json({done: true}));
		eq(c.rowsRead, 2); eq(c.rowsWritten, 0);

		// Iteration and raw rows.
		const names = [];
		for (const row of sql.exec("SELECT name FROM t ORDER BY id")) names.push(row.name);
		eq(names.join(), "a,b");
		eq(json(sql.exec("SELECT id, name FROM t ORDER BY id").raw().toArray()), json([[1, "a"], [2, "b"]]));
		eq(json([...sql.exec("SELECT name, name FROM t WHERE id = 1").raw()]), json([["a", "a"]]));
		const raw = sql.exec("SELECT id FROM t ORDER BY id").raw();
		eq(json(raw.next()), json({done: false, value: [1]}));
		eq(json([...raw]), json([[2]]));
		eq(json(sql.exec("SELECT 1 AS x, 2 AS x").columnNames), json(["x", "x"]));
		eq(sql.exec("SELECT 1 AS x, 2 AS x").one().x, 2, "last duplicate column wins");

		// one()
		eq(sql.exec("SELECT name FROM t WHERE id = ?", 2).one().name, "b");
		throws(() => sql.exec("SELECT * FROM t WHERE id = 99").one(), "Error: Expected exactly one result from SQL query, but got no results.");
		throws(() => sql.exec("SELECT * FROM t").one(), "Error: Expected exactly one result from SQL query, but got multiple results.");

		// Value types.
		const v = sql.exec("SELECT 9007199254740993 AS big, 0.25 AS f, 'é' AS s, x'00ff' AS b, NULL AS z, ? AS bool, ? AS bi", true, 5n).one();
		eq(v.big, 9007199254740992, "int64 becomes a double"); eq(v.f, 0.25); eq(v.s, "é");
		eq(new Uint8Array(v.b)[1], 255); eq(v.z, null); eq(v.bool, "true", "booleans bind as text"); eq(v.bi, "5");
		eq(typeof sql.exec("SELECT ? AS n", 3).one().n, "number");
		eq(sql.exec("SELECT typeof(?) AS t", 3).one().t, "real", "numbers bind as REAL");

		// Multiple statements: all run, the cursor is the last one's.
		c = sql.exec("INSERT INTO t (name) VALUES ('c'); INSERT INTO t (name) VALUES ('d');  SELECT count(*) AS n FROM t WHERE id > ?;  ", 2);
		eq(c.one().n, 2);
		eq(sql.exec("SELECT count(*) AS n FROM t").one().n, 4);
		eq(sql.exec("  SELECT 1 AS one;\n").one().one, 1);

		// The same query twice while the first cursor is open.
		const q = "SELECT id FROM t ORDER BY id";
		const c1 = sql.exec(q), c2 = sql.exec(q);
		eq(c1.next().value.id, 1); eq(c2.next().value.id, 1); eq(c1.next().value.id, 2); eq(c2.toArray().length, 3);
		eq(c1.toArray().length, 2);
		eq(sql.exec(q).toArray().length, 4, "cached statement reusable");

		eq(sql.databaseSize > 0, true); eq(sql.databaseSize % 4096, 0);
	`)
}

func TestSQLRowsRead(t *testing.T) {
	e := newEnv(t, Options{SQLite: true})
	e.run(`
		const sql = storage.sql;
		sql.exec("CREATE TABLE t (x)");
		eq(sql.exec("INSERT INTO t VALUES (1), (2), (3)").rowsWritten, 3);
		const c = sql.exec("SELECT * FROM t");
		eq(c.rowsRead, 1); c.next(); eq(c.rowsRead, 2); c.toArray(); eq(c.rowsRead, 3);
		eq(sql.exec("UPDATE t SET x = x + 1").rowsRead, 3);
		eq(sql.exec("UPDATE t SET x = x + 1").rowsWritten, 3);
		eq(sql.exec("DELETE FROM t WHERE x = 3").rowsWritten, 1);
		eq(sql.exec("SELECT * FROM t").rowsWritten, 0);
	`)
}

func TestSQLErrors(t *testing.T) {
	tests := []struct{ name, js string }{
		{"empty", `throws(() => storage.sql.exec(""), "Error: SQL code did not contain a statement.");
			throws(() => storage.sql.exec(" ; "), "Error: SQL code did not contain a statement.");
			throws(() => storage.sql.exec("SELECT 1; -- trailing"), "Error: SQL code did not contain a statement.");`},
		{"syntax", `throws(() => storage.sql.exec("bunk"), 'Error: near "bunk": syntax error at offset 0: SQLITE_ERROR')`},
		{"syntax offset", `throws(() => storage.sql.exec("SELECT 1 FROM"), 'Error: incomplete input: SQLITE_ERROR')`},
		{"no table", `throws(() => storage.sql.exec("SELECT * FROM nope"), "Error: no such table: nope: SQLITE_ERROR")`},
		{"bindings", `
			throws(() => storage.sql.exec("SELECT ?", 1, 2), "Error: Wrong number of parameter bindings for SQL query.");
			throws(() => storage.sql.exec("SELECT ?"), "Error: Wrong number of parameter bindings for SQL query.");
			throws(() => storage.sql.exec("SELECT ?; SELECT ?", 1), "Error: ` + msgMultiParams + `");
			eq(storage.sql.exec("SELECT ?1 + ?1 AS x", 2).one().x, 4);`},
		{"constraint", `
			storage.sql.exec("CREATE TABLE u (id TEXT PRIMARY KEY)");
			storage.sql.exec("INSERT INTO u VALUES ('a')");
			throws(() => storage.sql.exec("INSERT INTO u VALUES ('a')"), "Error: UNIQUE constraint failed: u.id: SQLITE_CONSTRAINT");
			eq(storage.sql.exec("SELECT count(*) AS n FROM u").one().n, 1);`},
		{"transactions", `
			for (const q of ["BEGIN", "BEGIN TRANSACTION", "COMMIT", "ROLLBACK", "SAVEPOINT s", "RELEASE s", "END"])
				throws(() => storage.sql.exec(q), "Error: ` + msgTransaction + `");`},
		{"reserved names", `
			throws(() => storage.sql.exec("SELECT * FROM _cf_KV"), "Error: access to _cf_KV.key is prohibited: SQLITE_AUTH");
			throws(() => storage.sql.exec("SELECT * FROM _CF_kv"), "Error: access to _cf_KV.key is prohibited: SQLITE_AUTH");
			throws(() => storage.sql.exec("DELETE FROM _cf_METADATA"), "Error: not authorized: SQLITE_AUTH");
			throws(() => storage.sql.exec("CREATE TABLE _cf_mine (x)"), "Error: not authorized: SQLITE_AUTH");
			throws(() => storage.sql.exec("DROP TABLE _cf_KV"), "Error: not authorized: SQLITE_AUTH");
			throws(() => storage.sql.exec("PRAGMA table_info(_cf_KV)"), "Error: not authorized: SQLITE_AUTH");`},
		{"pragmas", `
			for (const p of ["PRAGMA journal_mode", "PRAGMA journal_mode = DELETE", "PRAGMA synchronous = OFF", "PRAGMA data_version = 5", "PRAGMA max_page_count = 1", "PRAGMA foreign_keys = maybe"])
				throws(() => storage.sql.exec(p), "Error: not authorized: SQLITE_AUTH");
			storage.sql.exec("CREATE TABLE p (x)");
			for (const p of ["PRAGMA data_version", "PRAGMA foreign_keys", "PRAGMA foreign_keys = ON", "PRAGMA foreign_keys = 'off'", "PRAGMA table_list", "PRAGMA table_info(p)", "PRAGMA index_list(p)", "PRAGMA quick_check", "PRAGMA optimize", "PRAGMA page_size"])
				storage.sql.exec(p).toArray();`},
		{"attach and temp", `
			throws(() => storage.sql.exec("ATTACH DATABASE 'x.db' AS x"), "Error: not authorized: SQLITE_AUTH");
			throws(() => storage.sql.exec("CREATE TEMP TABLE tt (x)"), "Error: not authorized: SQLITE_AUTH");`},
		{"functions", `
			throws(() => storage.sql.exec("SELECT sqlite_version()"), "Error: not authorized to use function: sqlite_version at offset 7: SQLITE_ERROR");
			eq(storage.sql.exec("SELECT abs(-2) AS a, upper('x') AS u, json_extract('{\"a\":3}', '$.a') AS j, count(*) AS c").one().j, 3);`},
		{"fts5", `
			storage.sql.exec("CREATE VIRTUAL TABLE docs USING fts5(body)");
			storage.sql.exec("INSERT INTO docs VALUES ('hello world')");
			eq(storage.sql.exec("SELECT count(*) AS n FROM docs WHERE docs MATCH 'hello'").one().n, 1);`},
		{"too long", `throws(() => storage.sql.exec("SELECT 1" + " ".repeat(100000)), "Error: statement too long: SQLITE_TOOBIG")`},
		{"symbol", `throws(() => storage.sql.exec("SELECT ?", Symbol()), "TypeError: Cannot convert a Symbol value to a string")`},
		{"cursor misuse", `throws(() => Object.getPrototypeOf(storage.sql.exec("SELECT 1")).next.call({}), "TypeError: Illegal invocation")`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			newEnv(t, Options{SQLite: true}).run(tc.js)
		})
	}
}

func TestSQLNotEnabled(t *testing.T) {
	e := newEnv(t, Options{})
	e.run(`
		const sql = storage.sql;
		eq(typeof sql, "object");
		throws(() => sql.exec("SELECT 1"), "Error: ` + msgSQLNotEnabled + `");
		throws(() => sql.databaseSize, "Error: ` + msgSQLNotEnabled + `");
	`)
}

func TestSQLAbandonedCursor(t *testing.T) {
	e := newEnv(t, Options{SQLite: true})
	e.run(`
		storage.sql.exec("CREATE TABLE t (x)");
		storage.sql.exec("INSERT INTO t VALUES (1), (2)");
		// Held until the runtime is dropped: a collection during the loop
		// must not reap some of them early.
		globalThis.keep = [];
		for (let i = 0; i < 20; i++) { const c = storage.sql.exec("SELECT x FROM t"); c.next(); keep.push(c); }
	`)
	e.st.mu.Lock()
	before := len(e.st.live)
	e.st.mu.Unlock()
	if before != 20 {
		t.Fatalf("live statements = %d, want 20", before)
	}
	e.rt = nil // drop the runtime and with it the cursors
	for i := 0; i < 10; i++ {
		runtime.GC()
		if _, _, err := e.st.Alarm(); err != nil { // any operation reaps
			t.Fatal(err)
		}
		e.st.mu.Lock()
		n := len(e.st.live)
		e.st.mu.Unlock()
		if n == 0 {
			return
		}
	}
	t.Fatal("statements of abandoned cursors were not finalized")
}
