package storage

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"
)

func TestKVGetPutDelete(t *testing.T) {
	for _, sqlite := range []bool{false, true} {
		e := newEnv(t, Options{SQLite: sqlite})
		e.run(`
			eq(await storage.get("missing"), undefined);
			eq(await storage.put("s", "hello"), undefined);
			eq(await storage.get("s"), "hello");
			await storage.put("n", -0); eq(await storage.get("n"), -0);
			await storage.put("big", 2n ** 70n); eq(await storage.get("big"), 2n ** 70n);
			await storage.put("null", null); eq(await storage.get("null"), null);
			const o = {m: new Map([["k", [1, 2]]]), d: new Date(7), b: new Uint8Array([1, 2]).buffer};
			o.self = o;
			await storage.put("o", o);
			const got = await storage.get("o");
			eq(got.self, got); eq(got.m.get("k")[1], 2); eq(got.d.getTime(), 7); eq(new Uint8Array(got.b)[1], 2);
			eq(got === o, false, "a copy");

			// Values are snapshots taken at put().
			const arr = [1]; await storage.put("arr", arr); arr.push(2);
			eq((await storage.get("arr")).length, 1);

			await storage.put("s", "overwritten"); eq(await storage.get("s"), "overwritten");

			// Keys are coerced to strings, as JSG does.
			await storage.put(12, "twelve"); eq(await storage.get("12"), "twelve");
			await storage.put(["a", 1], "arr key"); eq(await storage.get("a,1"), "arr key");
			await storage.put(undefined, "u"); eq(await storage.get("undefined"), "u");

			// Multiple: entries with undefined values are skipped; get returns found keys in order.
			await storage.put({x: 1, w: 2, skip: undefined}, null);
			eq(await storage.get("skip"), undefined);
			eq(entries(await storage.get(["x", "nope", "w", "x"])), json([["w", 2], ["x", 1]]));
			eq((await storage.get([])).size, 0);

			eq(await storage.delete("x"), true);
			eq(await storage.delete("x"), false);
			eq(await storage.delete(["w", "s", "nope"]), 2);
			eq(await storage.delete([]), 0);
			eq(await storage.get("w"), undefined);
			eq(await storage.sync(), undefined);
		`)
	}
}

func TestKVErrors(t *testing.T) {
	tests := []struct {
		name   string
		sqlite bool
		js     string
	}{
		{"put undefined", false, `await rejects(storage.put("k"), "TypeError: put() called with undefined value.")`},
		{"put undefined explicit", true, `await rejects(storage.put("k", undefined), "TypeError: put() called with undefined value.")`},
		{"put overload", false, `await rejects(storage.put({a: 1}, 5), "TypeError: ` + msgPutOverload + `")`},
		{"put overload string", true, `await rejects(storage.put({a: 1}, "x"), "TypeError: ` + msgPutOverload + `")`},
		{"symbol key", false, `await rejects(storage.get(Symbol("s")), "TypeError: Cannot convert a Symbol value to a string")`},
		{"not cloneable", false, `
			const e = await rejects(storage.put("f", {fn() {}}), "DataCloneError: fn() {} could not be cloned.");
			eq(e.name, "DataCloneError");
			eq(await storage.get("f"), undefined);`},
		{"key too large", false, `
			const k = "k".repeat(2049);
			const msg = "RangeError: Keys cannot be larger than 2048 bytes. A key of size 2049 was provided.";
			await rejects(storage.put(k, 1), msg);
			await rejects(storage.get(k), msg);
			await rejects(storage.delete([k]), msg);
			await rejects(storage.put({[k]: 1}), msg);
			await storage.put("k".repeat(2048), 1);
			eq((await storage.get([k])).size, 0, "multi-get does not check key size");
			// UTF-8 bytes, not UTF-16 units.
			await rejects(storage.put("é".repeat(1025), 1), "RangeError: Keys cannot be larger than 2048 bytes. A key of size 2050 was provided.");`},
		{"value too large", false, `
			await storage.put("ok", "x".repeat(131000));
			const e = await rejects(storage.put({a: 1, b: "x".repeat(140000)}), "RangeError: Values cannot be larger than 131072 bytes. A value of size 140006 was provided.");
			eq(await storage.get("a"), undefined, "whole batch rejected");`},
		{"too many keys", false, `
			const keys = Array.from({length: 129}, (_, i) => "k" + i);
			await rejects(storage.get(keys), "RangeError: Maximum number of key value pairs is 128. 129 pairs were provided.");
			eq((await storage.get(keys.slice(1))).size, 0);`},
		{"sqlite limits", true, `
			const k = "k".repeat(5000);
			await storage.put(k, "x".repeat(200000));
			eq((await storage.get(k)).length, 200000);
			eq((await storage.get(Array.from({length: 300}, (_, i) => "k" + i))).size, 0);
			await rejects(storage.put("big", "x".repeat(2 << 20)), "Error: string or blob too big: SQLITE_TOOBIG");`},
		{"list both starts", false, `await rejects(storage.list({start: "a", startAfter: "b"}), "TypeError: list() cannot be called with both start and startAfter values.")`},
		{"list limit", true, `
			await rejects(storage.list({limit: 0}), "TypeError: List limit must be positive.");
			await rejects(storage.list({limit: -3}), "TypeError: List limit must be positive.");`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			newEnv(t, Options{SQLite: tc.sqlite}).run(tc.js)
		})
	}
}

func TestKVList(t *testing.T) {
	keys := []string{"a", "b", "é", "z", "ä", "日本", "😀", "Z", "a\x00", "ab", "abc", "abd", "bÿ", "\uffff", "ac"}
	want := slices.Clone(keys)
	slices.Sort(want) // Go compares strings byte-wise, as workerd does
	if want[0] != "Z" || want[len(want)-1] != "😀" {
		t.Fatalf("unexpected byte order %q", want)
	}
	keysJSON, _ := json.Marshal(keys)
	wantJSON, _ := json.Marshal(want)
	for _, sqlite := range []bool{false, true} {
		e := newEnv(t, Options{SQLite: sqlite})
		e.rt.Set("KEYS", string(keysJSON))
		e.rt.Set("WANT", string(wantJSON))
		e.run(`
			const keys = JSON.parse(KEYS);
			for (const [i, k] of keys.entries()) await storage.put(k, i);
			const list = async (o) => [...(await storage.list(o)).keys()].join("|");
			eq(json([...(await storage.list()).keys()]), WANT);
			const all = await storage.list();
			eq(all instanceof Map, true);
			eq(all.get("日本"), 5);
			eq(await list({start: "ab", end: "b"}), "ab|abc|abd|ac");
			eq(await list({startAfter: "ab", end: "b"}), "abc|abd|ac");
			eq(await list({startAfter: "a", limit: 2}), "a\u0000|ab");
			eq(await list({prefix: "ab"}), "ab|abc|abd");
			eq(await list({prefix: "ab", reverse: true}), "abd|abc|ab");
			eq(await list({prefix: "ab", reverse: true, limit: 2}), "abd|abc");
			eq(await list({prefix: "ab", start: "abc"}), "abc|abd");
			eq(await list({prefix: "ab", start: "a"}), "ab|abc|abd");
			eq(await list({prefix: "ab", start: "b"}), "");
			eq(await list({prefix: "ab", end: "abd"}), "ab|abc");
			eq(await list({prefix: "ab", end: "aa"}), "");
			eq(await list({prefix: "ab", end: "zz"}), "ab|abc|abd");
			eq(await list({prefix: "b"}), "b|b\xff");
			eq(await list({start: "b", end: "a"}), "");
			eq(await list({end: "a"}), "Z");
			eq(await list({reverse: true, limit: 3}), "😀|\uffff|日本");
			eq(await list({start: "é"}), "é|日本|\uffff|😀");
			eq(await list({prefix: ""}), await list());
		`)
	}
}

func TestDeleteAll(t *testing.T) {
	for _, tc := range []struct {
		name       string
		opts       Options
		alarmAfter bool
	}{
		{"kv", Options{}, true},
		{"kv deletes alarm", Options{CompatDeleteAllDeletesAlarm: true}, false},
		{"sqlite", Options{SQLite: true}, true},
		{"sqlite deletes alarm", Options{SQLite: true, CompatDeleteAllDeletesAlarm: true}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t, tc.opts)
			e.run(`
				await storage.put({a: 1, b: 2});
				await storage.setAlarm(Date.now() + 60000);
				if (` + boolJS(tc.opts.SQLite) + `) {
					storage.sql.exec("CREATE TABLE t (x)");
					storage.sql.exec("INSERT INTO t VALUES (1)");
					globalThis.cur = storage.sql.exec("SELECT 1 UNION ALL SELECT 2");
				}
				await storage.transaction(async () => {
					await rejects(storage.deleteAll(), "Error: Cannot call deleteAll() within a transaction");
				});
				eq(await storage.deleteAll(), undefined);
				eq((await storage.list()).size, 0);
				eq(await storage.getAlarm() !== null, ` + boolJS(tc.alarmAfter) + `, "alarm kept");
				await storage.put("c", 3);
				eq(await storage.get("c"), 3);
				if (` + boolJS(tc.opts.SQLite) + `) {
					throws(() => storage.sql.exec("SELECT * FROM t"), "Error: no such table: t: SQLITE_ERROR");
					throws(() => cur.next(), "Error: ` + msgCanceled + `");
					storage.sql.exec("CREATE TABLE t (x)");
				}
			`)
			n := len(e.alarms)
			if last := e.alarms[n-1]; last.ok != tc.alarmAfter {
				t.Errorf("last AlarmChanged = %+v, want ok=%v", last, tc.alarmAfter)
			}
			e.reopen()
			e.run(`eq(await storage.get("c"), 3); eq(await storage.get("a"), undefined);`)
		})
	}
}

func boolJS(b bool) string {
	if b {
		return "true"
	}
	return "false"
}

func TestStorageObjectShape(t *testing.T) {
	e := newEnv(t, Options{SQLite: true})
	e.run(`
		eq(Object.keys(storage).length, 0, "no own enumerable properties");
		eq(Object.prototype.toString.call(storage), "[object DurableObjectStorage]");
		for (const m of ["get", "put", "delete", "list", "deleteAll", "transaction", "transactionSync", "sync", "getAlarm", "setAlarm", "deleteAlarm"])
			eq(typeof storage[m], "function", m);
		eq(storage.sql, storage.sql, "sql is one object");
	`)
	if !strings.Contains(msgSQLNotEnabled, "directly,set") {
		t.Fatal("message must keep workerd's missing space")
	}
}

func TestSyncKV(t *testing.T) {
	e := newEnv(t, Options{SQLite: true})
	e.run(`
		const kv = storage.kv;
		eq(kv, storage.kv);
		eq(kv.put("a", {n: 1}), undefined);
		eq(kv.get("a").n, 1);
		eq(await storage.get("a").then(v => v.n), 1, "shared with the async API");
		kv.put({b: 2, c: 3});
		eq(entries(kv.get(["c", "a", "zz"])), json([["a", {n: 1}], ["c", 3]]));
		eq(json([...kv.list({start: "b"})]), json([["b", 2], ["c", 3]]));
		eq(kv.delete("a"), true); eq(kv.delete(["b", "c", "d"]), 2); eq(kv.get("a"), undefined);
		throws(() => kv.put("x"), "TypeError: put() called with undefined value.");
		throws(() => kv.put("f", () => 1), "DataCloneError: () => 1 could not be cloned.");
		storage.transactionSync(() => { kv.put("t", 1); });
		throws(() => storage.transactionSync(() => { kv.put("u", 1); throw new Error("no"); }), "Error: no");
		eq(kv.get("t"), 1); eq(kv.get("u"), undefined);
	`)
	k := newEnv(t, Options{})
	k.run(`throws(() => storage.kv.get("a"), "Error: ` + msgSQLNotEnabled + `")`)
}
