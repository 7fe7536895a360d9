package config

import (
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"
)

// applyFile copies the settings of a wrangler file into c. It returns `main` and
// `compatibility_date` as written, for Load to combine with the flags.
func (c *Config) applyFile(d *doc) (main, date string, err error) {
	c.Warnings = append(c.Warnings, checkKeys(d)...)
	r := &reader{d: d}
	c.Name, main = r.str("name"), r.str("main")
	if t, ok := d.root["compatibility_date"].(time.Time); ok { // compatibility_date = 2024-01-01, unquoted
		r.fail([]any{"compatibility_date"}, "expected a string, got a TOML date; quote it: compatibility_date = %q", plain(t))
	}
	if date = r.str("compatibility_date"); date != "" && !validDate(date) {
		r.fail([]any{"compatibility_date"}, "expected a date as YYYY-MM-DD, got %q", date)
	}
	c.CompatibilityFlags = r.strs("compatibility_flags")
	for k, v := range r.table("vars") {
		c.Vars[k] = plain(v)
	}
	if r.table("limits")["cpu_ms"] != nil {
		if ms := r.int("limits", "cpu_ms"); ms > 0 {
			c.CPULimit = time.Duration(ms) * time.Millisecond
		} else {
			r.fail([]any{"limits", "cpu_ms"}, "expected a positive integer, got %d", ms)
		}
	}
	c.Rules = userRules(r)
	c.applyDurableObjects(r)
	c.applyServices(r)
	return main, date, r.err
}

// checkKeys warns about top-level keys emu ignores: wrangler's bindings that emu lacks, and keys
// wrangler does not know either (with wrangler's wording).
func checkKeys(d *doc) []string {
	var warnings, unknown []string
	for _, k := range slices.Sorted(maps.Keys(d.root)) {
		switch k {
		case "name", "main", "compatibility_date", "compatibility_flags", "vars", "durable_objects", "migrations", "rules", "limits", "services":
			// read by emu
		case "$schema", "account_id", "workers_dev", "preview_urls", "route", "routes", "env", "minify", "keep_names",
			"upload_source_maps", "keep_vars", "logpush", "usage_model", "placement", "observability", "send_metrics",
			"legacy_env", "preserve_file_names", "first_party_worker", "compliance_region", "tail_consumers",
			"streaming_tail_consumers", "logfwdr", "python_modules":
			// deploy settings that do not change how the Worker runs here
		case "kv_namespaces", "r2_buckets", "d1_databases", "queues", "analytics_engine_datasets", "ai",
			"browser", "vectorize", "hyperdrive", "send_email", "dispatch_namespaces", "mtls_certificates", "workflows",
			"pipelines", "secrets_store_secrets", "images", "version_metadata", "assets", "site", "triggers", "unsafe",
			"containers", "wasm_modules", "text_blobs", "data_blobs", "ratelimits", "worker_loaders", "vpc_services",
			"cloudchamber", "secrets", "dev", "build", "define", "alias", "tsconfig", "jsx_factory", "jsx_fragment",
			"node_compat", "no_bundle", "find_additional_modules", "base_dir":
			warnings = append(warnings, d.errorf([]any{k}, "not supported by emu yet; ignored").Error())
		default:
			unknown = append(unknown, strconv.Quote(k))
		}
	}
	if len(unknown) > 0 {
		warnings = append(warnings, fmt.Sprintf("%s: Unexpected fields found in top-level field: %s", d.file, strings.Join(unknown, ",")))
	}
	return warnings
}

// applyDurableObjects reads durable_objects.bindings and marks each binding SQLite-backed or not
// from [[migrations]].
func (c *Config) applyDurableObjects(r *reader) {
	r.table("durable_objects")
	for i := range r.tables("durable_objects", "bindings") {
		at := []any{"durable_objects", "bindings", i}
		b := DurableObjectBinding{
			Name:       r.str(append(at, "name")...),
			ClassName:  r.str(append(at, "class_name")...),
			ScriptName: r.str(append(at, "script_name")...),
		}
		if b.Name == "" {
			r.fail(append(at, "name"), "required (the env binding name, e.g. \"CHAT_ROOM\")")
		}
		if b.ClassName == "" {
			r.fail(append(at, "class_name"), "required (the exported class, e.g. \"ChatRoom\")")
		}
		c.DurableObjects = append(c.DurableObjects, b)
	}
	sqlite := migrations(r)
	var missing []string
	for i := range c.DurableObjects {
		b := &c.DurableObjects[i]
		if b.ScriptName != "" && b.ScriptName != c.Name {
			continue // another Worker's class: emu dev -c this -c that runs both
		}
		s, ok := sqlite[b.ClassName]
		if q := strconv.Quote(b.ClassName); !ok && !slices.Contains(missing, q) {
			missing = append(missing, q)
		}
		b.SQLite = s
	}
	if len(missing) > 0 {
		c.Warnings = append(c.Warnings, fmt.Sprintf("%s: you have configured [durable_objects] exported by this Worker (%s), "+
			"but no [migrations] for them; emu runs them with key-value storage only (no ctx.storage.sql). "+
			"Add a migration: [[migrations]] tag = \"v1\", new_sqlite_classes = [%[2]s]", r.d.file, strings.Join(missing, ", ")))
	}
}

// migrations replays [[migrations]] and reports, for each class that exists at the end, whether
// it is SQLite-backed (new_sqlite_classes) or key-value-backed (new_classes).
func migrations(r *reader) map[string]bool {
	state := map[string]bool{}
	for i := range r.tables("migrations") {
		for _, cls := range r.strs("migrations", i, "new_classes") {
			state[cls] = false
		}
		for _, cls := range r.strs("migrations", i, "new_sqlite_classes") {
			state[cls] = true
		}
		for j := range r.tables("migrations", i, "renamed_classes") {
			from, to := r.str("migrations", i, "renamed_classes", j, "from"), r.str("migrations", i, "renamed_classes", j, "to")
			if s, ok := state[from]; ok {
				delete(state, from)
				state[to] = s
			}
		}
		for _, cls := range r.strs("migrations", i, "deleted_classes") {
			delete(state, cls)
		}
	}
	return state
}

// userRules reads [[rules]].
func userRules(r *reader) []Rule {
	var rules []Rule
	for i := range r.tables("rules") {
		rule := Rule{Type: r.str("rules", i, "type"), Globs: r.strs("rules", i, "globs"), FallThrough: want[bool](r, "a boolean", "rules", i, "fallthrough")}
		switch rule.Type {
		case "Text", "Data", "ESModule", "CommonJS", "CompiledWasm":
		default:
			r.fail([]any{"rules", i, "type"}, "expected one of Text, Data, ESModule, CommonJS, CompiledWasm, got %q", rule.Type)
		}
		if len(rule.Globs) == 0 {
			r.fail([]any{"rules", i, "globs"}, "expected at least one glob")
		}
		rules = append(rules, rule)
	}
	return rules
}

// mergeRules appends wrangler's default rules to the user's and, as wrangler does, drops every
// rule that follows a rule of the same type without fallthrough, warning about the user's.
func mergeRules(user []Rule) ([]Rule, []string) {
	var out []Rule
	var warnings []string
	done := map[string]int{} // type -> position of the rule that completes it
	for i, r := range append(slices.Clone(user), DefaultRules()...) {
		if j, ok := done[r.Type]; ok {
			if i < len(user) {
				warnings = append(warnings, fmt.Sprintf("The module rule at position %d (type %s, globs %q) has the same type as a previous rule (at position %d). "+
					"This rule will be ignored. To use it as well, add `fallthrough = true` to the previous rule.", i, r.Type, r.Globs, j))
			}
			continue
		}
		if !r.FallThrough {
			done[r.Type] = i
		}
		out = append(out, r)
	}
	return out, warnings
}

// applyServices reads services = [{ binding, service, entrypoint }].
func (c *Config) applyServices(r *reader) {
	for i := range r.tables("services") {
		at := []any{"services", i}
		s := ServiceBinding{
			Binding:    r.str(append(at, "binding")...),
			Service:    r.str(append(at, "service")...),
			Entrypoint: r.str(append(at, "entrypoint")...),
		}
		if s.Binding == "" {
			r.fail(append(at, "binding"), "required (the env binding name, e.g. \"WORKER_B\")")
		}
		if s.Service == "" {
			r.fail(append(at, "service"), "required (the name of the Worker to bind)")
		}
		c.Services = append(c.Services, s)
	}
}
