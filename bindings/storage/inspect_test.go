package storage

import (
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/emu-dev/emu/jsruntime"
)

// TestKVPageAndCount: the inspector's KV listing is in list() order, paged
// by offset, and counts every key.
func TestKVPageAndCount(t *testing.T) {
	e := newEnv(t, Options{SQLite: true})
	e.run(`for (let i = 0; i < 25; i++) await storage.put("k" + String(i).padStart(2, "0"), {i});`)
	n, err := e.st.KVCount()
	if err != nil || n != 25 {
		t.Fatalf("KVCount = %d, %v; want 25", n, err)
	}
	page, err := e.st.KVPage(20, 10)
	if err != nil {
		t.Fatal(err)
	}
	var keys []string
	for _, kv := range page {
		keys = append(keys, kv.Key)
	}
	if strings.Join(keys, ",") != "k20,k21,k22,k23,k24" {
		t.Fatalf("page at 20: %v", keys)
	}
	// The value is what get() deserializes.
	v, err := jsruntime.Deserialize(e.rt, page[0].Value)
	if err != nil || v.ToObject(e.rt).Get("i").ToInteger() != 20 {
		t.Fatalf("value of k20: %v, %v", v, err)
	}
}

// TestTablesAndQuery: user tables with schema and row counts; hidden
// tables left out; Query reads, pages with a limit, refuses writes, more
// than one statement, _cf_ tables, and interrupts a runaway statement.
func TestTablesAndQuery(t *testing.T) {
	e := newEnv(t, Options{SQLite: true})
	e.run(`
		storage.sql.exec("CREATE TABLE msgs (id INTEGER PRIMARY KEY, body TEXT, score REAL, raw BLOB)");
		for (let i = 1; i <= 5; i++) storage.sql.exec("INSERT INTO msgs (body, score, raw) VALUES (?, ?, ?)", "m" + i, i / 2, new Uint8Array([i]).buffer);
		storage.sql.exec("CREATE VIEW top AS SELECT body FROM msgs WHERE score > 1");
		await storage.put("kv", 1);
	`)
	tables, err := e.st.Tables()
	if err != nil {
		t.Fatal(err)
	}
	if len(tables) != 2 || tables[0].Name != "msgs" || tables[0].Rows != 5 || tables[0].Type != "table" ||
		!strings.HasPrefix(tables[0].Schema, "CREATE TABLE msgs") || tables[1].Name != "top" || tables[1].Type != "view" || tables[1].Rows != 3 {
		t.Fatalf("Tables = %+v", tables)
	}
	res, err := e.st.Query("SELECT id, body, score, raw, NULL AS empty FROM msgs ORDER BY id", nil, 2, time.Second)
	if err != nil {
		t.Fatal(err)
	}
	want := &Result{
		Columns: []string{"id", "body", "score", "raw", "empty"},
		Rows:    [][]any{{int64(1), "m1", 0.5, []byte{1}, nil}, {int64(2), "m2", 1.0, []byte{2}, nil}},
		More:    true,
	}
	if !reflect.DeepEqual(res, want) {
		t.Fatalf("Query = %+v, want %+v", res, want)
	}
	res, err = e.st.Query("SELECT * FROM "+QuoteIdent("msgs")+" LIMIT ? OFFSET ?", []any{int64(10), int64(4)}, 10, time.Second)
	if err != nil || len(res.Rows) != 1 || res.More || res.Rows[0][1] != "m5" {
		t.Fatalf("paged Query = %+v, %v", res, err)
	}
	for _, c := range []struct{ sql, want string }{
		{"DELETE FROM msgs", ErrNotReadOnly.Error()},
		{"INSERT INTO msgs (body) VALUES ('x')", ErrNotReadOnly.Error()},
		{"CREATE TABLE x (a)", ErrNotReadOnly.Error()},
		{"SELECT 1; DELETE FROM msgs", ErrOneStatement.Error()},
		{"SELECT * FROM _cf_KV", "access to _cf_KV.key is prohibited: SQLITE_AUTH"},
		{"   ", msgNoStatement},
		{"SELEC 1", `near "SELEC": syntax error at offset 0: SQLITE_ERROR`},
	} {
		if _, err := e.st.Query(c.sql, nil, 10, time.Second); err == nil || err.Error() != c.want {
			t.Errorf("Query(%q) error = %v, want %q", c.sql, err, c.want)
		}
	}
	if res, err := e.st.Query("SELECT count(*) AS n FROM msgs;", nil, 10, time.Second); err != nil || res.Rows[0][0] != int64(5) {
		t.Fatalf("a trailing semicolon: %+v, %v", res, err)
	}
	start := time.Now()
	_, err = e.st.Query("WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT count(*) FROM c", nil, 10, 100*time.Millisecond)
	if !errors.Is(err, ErrQueryTimedOut) || time.Since(start) > 5*time.Second {
		t.Fatalf("runaway query: %v after %s", err, time.Since(start))
	}
	// The connection is usable afterwards, without a deadline.
	e.run(`eq(storage.sql.exec("SELECT count(*) AS n FROM msgs").one().n, 5);`)
}

// TestWipe empties KV, SQL and the alarm of a SQLite-backed store and of a
// KV-backed one, and refuses while a transaction is open.
func TestWipe(t *testing.T) {
	for _, sqlite := range []bool{true, false} {
		t.Run(fmt.Sprintf("sqlite=%v", sqlite), func(t *testing.T) {
			e := newEnv(t, Options{SQLite: sqlite})
			e.run(fmt.Sprintf("const sqlite = %v;", sqlite) + `
				await storage.put({a: 1, b: 2});
				await storage.setAlarm(Date.now() + 60000);
				if (sqlite) storage.sql.exec("CREATE TABLE t (x)");
			`)
			if err := e.st.Wipe(); err != nil {
				t.Fatal(err)
			}
			if n, err := e.st.KVCount(); err != nil || n != 0 {
				t.Fatalf("after Wipe: %d keys, %v", n, err)
			}
			if _, ok, err := e.st.Alarm(); ok || err != nil {
				t.Fatalf("after Wipe the alarm is still set (%v)", err)
			}
			if tables, err := e.st.Tables(); err != nil || len(tables) != 0 {
				t.Fatalf("after Wipe: tables %+v, %v", tables, err)
			}
			e.run(`eq(await storage.get("a"), undefined); await storage.put("c", 3); eq(await storage.get("c"), 3);`)
		})
	}
	e := newEnv(t, Options{SQLite: true})
	e.run(`globalThis.release = null; globalThis.p = storage.transaction(() => new Promise(r => { release = r; }));`)
	if err := e.st.Wipe(); !errors.Is(err, ErrTransactionOpen) {
		t.Fatalf("Wipe during a transaction: %v", err)
	}
	e.run(`release(); await p;`)
}
