package storage

import "testing"

func TestTransaction(t *testing.T) {
	for _, sqlite := range []bool{false, true} {
		e := newEnv(t, Options{SQLite: sqlite})
		e.run(`
			// Commit: the closure's value is the result.
			const order = [];
			const p = storage.transaction(async (txn) => {
				order.push("closure");
				await txn.put("a", 1);
				eq(await txn.get("a"), 1);
				await txn.put({b: 2, c: 3});
				eq(await txn.delete("c"), true);
				eq(entries(await txn.list({prefix: ""})), json([["a", 1], ["b", 2]]));
				return "result";
			});
			order.push("after call");
			eq(await p, "result");
			eq(order.join(), "after call,closure", "closure runs from a promise reaction");
			eq(entries(await storage.list()), json([["a", 1], ["b", 2]]));

			// Throwing rolls back and rejects with the same error.
			const boom = new RangeError("boom");
			const got = await rejects(storage.transaction(async (txn) => {
				await txn.put("a", 100);
				await storage.put("via storage", 1);
				throw boom;
			}), "RangeError: boom");
			eq(got, boom, "same error object");
			eq(await storage.get("a"), 1); eq(await storage.get("via storage"), undefined);

			// A synchronous throw rolls back too.
			await rejects(storage.transaction((txn) => { txn.put("z", 1); throw new Error("sync"); }), "Error: sync");
			eq(await storage.get("z"), undefined);

			// rollback() discards, may be repeated, and the closure's value is still returned.
			let saved;
			eq(await storage.transaction(async (txn) => {
				saved = txn;
				await txn.put("a", 200);
				txn.rollback(); txn.rollback();
				await rejects(txn.get("a"), "Error: Cannot get() on rolled back transaction");
				await rejects(txn.put("a", 1), "Error: Cannot put() on rolled back transaction");
				await rejects(txn.setAlarm(Date.now() + 1000), "Error: Cannot setAlarm() on rolled back transaction");
				return 7;
			}), 7);
			eq(await storage.get("a"), 1);

			// Using txn after commit.
			await storage.transaction(async (txn) => { saved = txn; });
			const moved = "on transaction that has already committed: did you move ` + "`txn`" + ` outside of the closure?";
			await rejects(saved.get("a"), "Error: Cannot call get() " + moved);
			await rejects(saved.list(), "Error: Cannot call list() " + moved);
			await rejects(saved.delete("a"), "Error: Cannot call delete() " + moved);
			await rejects(saved.getAlarm(), "Error: Cannot call getAlarm() " + moved);
			await rejects(saved.deleteAlarm(), "Error: Cannot call deleteAlarm() " + moved);
			throws(() => saved.rollback(), "Error: Cannot call rollback() " + moved);

			// After the closure threw, txn counts as rolled back.
			await rejects(storage.transaction(async (txn) => { saved = txn; throw new Error("x"); }), "Error: x");
			await rejects(saved.get("a"), "Error: Cannot get() on rolled back transaction");

			// deleteAll() is not part of transactions.
			await storage.transaction(async (txn) => {
				throws(() => txn.deleteAll(), "Error: Cannot call deleteAll() within a transaction");
			});

			// Nested transactions.
			await storage.transaction(async (outer) => {
				await outer.put("n1", 1);
				await rejects(storage.transaction(async (inner) => { await inner.put("n2", 2); throw new Error("inner"); }), "Error: inner");
				await storage.transaction(async (inner) => { await inner.put("n3", 3); });
			});
			eq(entries(await storage.list({prefix: "n"})), json([["n1", 1], ["n3", 3]]));

			await rejects(storage.transaction("nope"), "TypeError: Failed to execute 'transaction' on 'DurableObjectStorage': parameter 1 is not of type 'Function'.");
		`)
		if e.st.InTransaction() {
			t.Fatal("transaction left open")
		}
		e.reopen()
		e.run(`eq(await storage.get("n3"), 3); eq(await storage.get("n2"), undefined);`)
	}
}

func TestTransactionSync(t *testing.T) {
	e := newEnv(t, Options{SQLite: true})
	e.run(`
		const sql = storage.sql;
		sql.exec("CREATE TABLE t (x)");
		eq(storage.transactionSync(() => { sql.exec("INSERT INTO t VALUES (1)"); return "ok"; }), "ok");
		const err = throws(() => storage.transactionSync(() => {
			sql.exec("INSERT INTO t VALUES (2)");
			storage.put("k", 1);
			throw new TypeError("nope");
		}), "TypeError: nope");
		eq(sql.exec("SELECT count(*) AS n FROM t").one().n, 1);
		eq(await storage.get("k"), undefined);

		// Nested: an inner rollback keeps the outer's writes.
		storage.transactionSync(() => {
			sql.exec("INSERT INTO t VALUES (3)");
			try { storage.transactionSync(() => { sql.exec("INSERT INTO t VALUES (4)"); throw 1; }); } catch (e) { eq(e, 1); }
			storage.transactionSync(() => sql.exec("INSERT INTO t VALUES (5)"));
		});
		eq(json(sql.exec("SELECT x FROM t ORDER BY x").raw().toArray()), json([[1], [3], [5]]));

		// Inside transaction().
		await storage.transaction(async () => { storage.transactionSync(() => sql.exec("INSERT INTO t VALUES (6)")); });
		eq(sql.exec("SELECT count(*) AS n FROM t").one().n, 4);
		throws(() => storage.transactionSync(5), "TypeError: Failed to execute 'transactionSync' on 'DurableObjectStorage': parameter 1 is not of type 'Function'.");
	`)
	k := newEnv(t, Options{})
	k.run(`throws(() => storage.transactionSync(() => 1), "Error: Durable Object is not backed by SQL.")`)
}

func TestTransactionOpenAcrossAwait(t *testing.T) {
	e := newEnv(t, Options{SQLite: true})
	e.run(`
		globalThis.release = null;
		globalThis.done = storage.transaction(async (txn) => {
			await txn.put("a", 1);
			await new Promise(r => { globalThis.release = r; });
			await txn.put("b", 2);
		});
	`)
	if !e.st.InTransaction() {
		t.Fatal("InTransaction() = false while the closure awaits")
	}
	e.run(`release(); await done; eq(await storage.get("b"), 2);`)
	if e.st.InTransaction() {
		t.Fatal("InTransaction() = true after commit")
	}
}
