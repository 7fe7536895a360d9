package storage

// The SQLite authorizer for user SQL (ctx.storage.sql.exec), following
// workerd's SqliteDatabase::isAuthorized and SqlStorage regulator
// (src/workerd/util/sqlite.c++, src/workerd/api/sql.c++): names starting
// with _cf_ are reserved, transactions must go through the JS API, only a
// few PRAGMAs and an allow-list of functions are usable, no ATTACH, no temp
// objects, and only the fts5 virtual tables. modernc.org/sqlite/lib exposes
// sqlite3_set_authorizer, so these are enforced by SQLite itself while it
// compiles a statement; SQLite then reports "not authorized" (or "access to
// T.C is prohibited") with SQLITE_AUTH. emu's own statements run with
// conn.trusted set and pass everything except transaction control, which is
// always checked so that a user statement can never open one.

import (
	"strconv"
	"strings"

	sqlite3 "modernc.org/sqlite/lib"
)

// authOutcome records what the authorizer denied while preparing.
type authOutcome struct {
	transaction bool // BEGIN/COMMIT/ROLLBACK/SAVEPOINT/RELEASE in user SQL
}

// msgTransaction is thrown (as Error) for transaction statements in user SQL.
const msgTransaction = "To execute a transaction, please use the state.storage.transaction() or " +
	"state.storage.transactionSync() APIs instead of the SQL BEGIN TRANSACTION or SAVEPOINT " +
	"statements. The JavaScript API is safer because it will automatically roll back on " +
	"exceptions, and because it interacts correctly with Durable Objects' automatic atomic " +
	"write coalescing."

// allowedName reports whether user SQL may use a table, index, view or
// trigger name.
func allowedName(name string) bool {
	return len(name) < 4 || !strings.EqualFold(name[:4], "_cf_")
}

type pragmaSig int

const (
	pragmaNoArg pragmaSig = iota
	pragmaBoolean
	pragmaObjectName
	pragmaOptionalObjectName
	pragmaNullOrNumber
	pragmaNullNumberOrObjectName
)

var allowedPragmas = map[string]pragmaSig{
	"data_version":              pragmaNoArg,
	"page_size":                 pragmaNoArg,
	"case_sensitive_like":       pragmaBoolean,
	"foreign_keys":              pragmaBoolean,
	"defer_foreign_keys":        pragmaBoolean,
	"ignore_check_constraints":  pragmaBoolean,
	"legacy_alter_table":        pragmaBoolean,
	"recursive_triggers":        pragmaBoolean,
	"reverse_unordered_selects": pragmaBoolean,
	"foreign_key_check":         pragmaOptionalObjectName,
	"foreign_key_list":          pragmaObjectName,
	"index_info":                pragmaObjectName,
	"index_list":                pragmaObjectName,
	"index_xinfo":               pragmaObjectName,
	"quick_check":               pragmaNullNumberOrObjectName,
	"optimize":                  pragmaNullOrNumber,
}

var allowedFunctions = toSet(`abs changes char coalesce concat concat_ws format glob hex ifnull iif
	instr last_insert_rowid length like likelihood likely load_extension lower ltrim max_scalar
	min_scalar nullif octet_length printf quote random randomblob replace round rtrim sign soundex
	substr substring total_changes trim typeof unhex unicode unlikely upper zeroblob
	date time datetime julianday unixepoch strftime timediff current_date current_time current_timestamp
	avg count group_concat max min string_agg sum total
	row_number rank dense_rank percent_rank cume_dist ntile lag lead first_value last_value nth_value
	acos acosh asin asinh atan atan2 atanh ceil cos cosh degrees exp floor ln log log2 mod
	pi pow radians sin sinh sqrt tan tanh trunc
	json json_array json_array_length json_extract -> ->> json_insert json_object json_patch
	json_remove json_replace json_set json_type json_valid json_quote json_group_array
	json_group_object json_each json_tree
	match highlight bm25 snippet
	sqlite_rename_column sqlite_rename_table sqlite_rename_test sqlite_drop_column sqlite_rename_quotefix`)

func toSet(words string) map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(words) {
		m[w] = true
	}
	return m
}

// authorize decides one action for user SQL (or transaction control in
// trusted SQL). The arguments are those of sqlite3_set_authorizer.
func (c *conn) authorize(action int32, p1, p2, dbName, _ arg) bool {
	if action == sqlite3.SQLITE_TRANSACTION || action == sqlite3.SQLITE_SAVEPOINT {
		if c.trusted {
			return true
		}
		c.auth.transaction = true
		return false
	}
	// SQLite passes the database name first for these two.
	if action == sqlite3.SQLITE_ALTER_TABLE || action == sqlite3.SQLITE_DETACH {
		p1, p2, dbName = p2, dbName, p1
	}
	if dbName.ok {
		switch dbName.s {
		case "main":
		case "temp":
			// Only reads and updates of the temp schema's tables.
			return (action == sqlite3.SQLITE_READ || action == sqlite3.SQLITE_UPDATE) && allowedName(p1.s)
		default:
			return false
		}
	}
	switch action {
	case sqlite3.SQLITE_SELECT, sqlite3.SQLITE_RECURSIVE, sqlite3.SQLITE_ANALYZE:
		return true
	case sqlite3.SQLITE_CREATE_TABLE, sqlite3.SQLITE_DELETE, sqlite3.SQLITE_DROP_TABLE,
		sqlite3.SQLITE_INSERT, sqlite3.SQLITE_CREATE_VIEW, sqlite3.SQLITE_DROP_VIEW,
		sqlite3.SQLITE_REINDEX, sqlite3.SQLITE_ALTER_TABLE, sqlite3.SQLITE_READ, sqlite3.SQLITE_UPDATE:
		return allowedName(p1.s)
	case sqlite3.SQLITE_CREATE_INDEX, sqlite3.SQLITE_DROP_INDEX,
		sqlite3.SQLITE_CREATE_TRIGGER, sqlite3.SQLITE_DROP_TRIGGER:
		return allowedName(p1.s) && allowedName(p2.s)
	case sqlite3.SQLITE_PRAGMA:
		return allowedPragma(strings.ToLower(p1.s), p2)
	case sqlite3.SQLITE_FUNCTION:
		return allowedFunctions[strings.ToLower(p2.s)]
	case sqlite3.SQLITE_CREATE_VTABLE, sqlite3.SQLITE_DROP_VTABLE:
		m := strings.ToLower(p2.s)
		return (m == "fts5" || m == "fts5vocab") && allowedName(p1.s)
	}
	// ATTACH, DETACH, temp objects, and anything unknown.
	return false
}

func allowedPragma(name string, a arg) bool {
	switch name {
	case "table_list":
		return true
	case "table_info", "table_xinfo":
		return a.ok && allowedName(a.s)
	}
	sig, ok := allowedPragmas[name]
	if !ok {
		return false
	}
	switch sig {
	case pragmaNoArg:
		return !a.ok
	case pragmaBoolean:
		if !a.ok {
			return true
		}
		v := strings.ToLower(strings.Trim(a.s, `'"`))
		for _, b := range []string{"true", "false", "yes", "no", "on", "off", "1", "0"} {
			if v == b {
				return true
			}
		}
		return false
	case pragmaObjectName:
		return a.ok && allowedName(a.s)
	case pragmaOptionalObjectName:
		return !a.ok || allowedName(a.s)
	case pragmaNullOrNumber:
		if !a.ok {
			return true
		}
		_, err := strconv.ParseInt(a.s, 10, 32)
		return err == nil
	case pragmaNullNumberOrObjectName:
		if !a.ok {
			return true
		}
		if _, err := strconv.ParseUint(a.s, 10, 32); err == nil {
			return true
		}
		return allowedName(a.s)
	}
	return false
}
