package config

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
)

// applyFile copies the settings of a wrangler file, as seen from the
// environment env ("" for the top level), into c. It returns `main` and
// `compatibility_date` as written, for Load to combine with the flags, and
// `secrets.required`.
func (c *Config) applyFile(d *doc, env string) (main, date string, required []string, hasRequired bool, err error) {
	r := &fileReader{reader: &reader{d: d}}
	if err := r.selectEnv(env); err != nil {
		return "", "", nil, false, err
	}
	c.Env = r.env
	r.warnings = append(r.warnings, checkKeys(d, d.root, "")...)
	if r.env != "" {
		r.warnings = append(r.warnings, checkKeys(d, r.envTable, r.env)...)
	}
	r.inheritanceWarnings()
	r.checkNested()
	c.Name, main = r.name(), r.str(r.at("main")...)
	if t, ok := r.get(r.at("compatibility_date")...).(time.Time); ok { // compatibility_date = 2024-01-01, unquoted
		r.fail(r.at("compatibility_date"), "expected a string, got a TOML date; quote it: compatibility_date = %q", plain(t))
	}
	if date = r.str(r.at("compatibility_date")...); date != "" && !validDate(date) {
		r.fail(r.at("compatibility_date"), "expected a date as YYYY-MM-DD, got %q", date)
	}
	c.CompatibilityFlags = r.strs(r.at("compatibility_flags")...)
	for k, v := range r.table(r.at("vars")...) {
		c.Vars[k] = plain(v)
	}
	if r.table(r.at("limits")...)["cpu_ms"] != nil {
		if ms := r.int(r.at("limits", "cpu_ms")...); ms > 0 {
			c.CPULimit = time.Duration(ms) * time.Millisecond
		} else {
			r.fail(r.at("limits", "cpu_ms"), "expected a positive integer, got %d", ms)
		}
	}
	c.Rules = userRules(r)
	c.applyDurableObjects(r)
	c.applyServices(r)
	c.applyBundling(r)
	c.applyKV(r)
	c.applyBuild(r)
	c.applyDev(r)
	if r.table(r.at("secrets")...) != nil {
		_, hasRequired = r.get(r.at("secrets", "required")...).([]any)
		required = r.strs(r.at("secrets", "required")...)
	}
	c.Warnings = append(c.Warnings, r.warnings...)
	return main, date, required, hasRequired, r.err
}

// applyDurableObjects reads durable_objects.bindings and marks each binding SQLite-backed or not
// from [[migrations]], with the storage it keeps through renames and transfers.
func (c *Config) applyDurableObjects(r *fileReader) {
	r.table(r.at("durable_objects")...)
	for i := range r.tables(r.at("durable_objects", "bindings")...) {
		at := r.at("durable_objects", "bindings", i)
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
	classes, deleted := migrations(r)
	var missing []string
	for i := range c.DurableObjects {
		b := &c.DurableObjects[i]
		if b.ScriptName != "" && b.ScriptName != c.Name {
			continue // another Worker's class: emu dev -c this -c that runs both
		}
		st, ok := classes[b.ClassName]
		switch {
		case ok:
			b.SQLite, b.Origin, b.FormerNames = st.sqlite, st.origin, st.former
		case deleted[b.ClassName] > 0:
			b.Origin = DurableObjectOrigin{Class: b.ClassName, Generation: deleted[b.ClassName]}
			r.warn(fmt.Sprintf("%s: durable_objects binding %s uses class %s, which [[migrations]] deleted (deleted_classes): "+
				"its objects' storage is not served; they start empty", r.d.file, b.Name, b.ClassName))
		default:
			if q := strconv.Quote(b.ClassName); !slices.Contains(missing, q) {
				missing = append(missing, q)
			}
		}
	}
	if len(missing) > 0 {
		r.warn(fmt.Sprintf("%s: you have configured [durable_objects] exported by this Worker (%s), "+
			"but no [migrations] for them; emu runs them with key-value storage only (no ctx.storage.sql). "+
			"Add a migration: [[migrations]] tag = \"v1\", new_sqlite_classes = [%[2]s]", r.d.file, strings.Join(missing, ", ")))
	}
}

// classState is what replaying [[migrations]] says about a class that exists at the end.
type classState struct {
	sqlite bool
	origin DurableObjectOrigin // zero for a class created under its own name in this Worker
	former []string            // names it had before renames, oldest first
}

// migrations replays [[migrations]]: new_classes (key-value storage), new_sqlite_classes,
// renamed_classes (the class keeps its objects and their storage), deleted_classes (its
// objects are gone: a class created again under that name starts empty) and
// transferred_classes (the objects of a class of another Worker move here). It returns the
// classes that exist at the end and, for deleted names, how many times each was deleted.
func migrations(r *fileReader) (map[string]classState, map[string]int) {
	state := map[string]classState{}
	deleted := map[string]int{}
	create := func(cls string, sqlite bool) {
		st := classState{sqlite: sqlite}
		if n := deleted[cls]; n > 0 {
			st.origin = DurableObjectOrigin{Class: cls, Generation: n}
		}
		state[cls] = st
	}
	move := func(from, to string, st classState) {
		if st.origin == (DurableObjectOrigin{}) {
			st.origin = DurableObjectOrigin{Class: from}
		}
		st.former = append(slices.Clip(st.former), from)
		state[to] = st
	}
	for i := range r.tables(r.at("migrations")...) {
		at := r.at("migrations", i)
		for _, cls := range r.strs(append(at, "new_classes")...) {
			create(cls, false)
		}
		for _, cls := range r.strs(append(at, "new_sqlite_classes")...) {
			create(cls, true)
		}
		for j := range r.tables(append(at, "renamed_classes")...) {
			from, to := r.str(append(at, "renamed_classes", j, "from")...), r.str(append(at, "renamed_classes", j, "to")...)
			if st, ok := state[from]; ok {
				delete(state, from)
				move(from, to, st)
			} else {
				r.warn(r.d.errorf(append(at, "renamed_classes", j, "from"), "no class %q exists at this migration; rename ignored", from).Error())
			}
		}
		for _, cls := range r.strs(append(at, "deleted_classes")...) {
			if _, ok := state[cls]; ok {
				delete(state, cls)
				deleted[cls]++
			}
		}
		for j := range r.tables(append(at, "transferred_classes")...) {
			p := append(at, "transferred_classes", j)
			from, script, to := r.str(append(p, "from")...), r.str(append(p, "from_script")...), r.str(append(p, "to")...)
			if from == "" || script == "" || to == "" {
				r.fail(p, "expected from, from_script and to")
				continue
			}
			state[to] = classState{origin: DurableObjectOrigin{Script: script, Class: from}, former: []string{from}}
		}
	}
	return state, deleted
}

// userRules reads [[rules]].
func userRules(r *fileReader) []Rule {
	var rules []Rule
	for i := range r.tables(r.at("rules")...) {
		at := r.at("rules", i)
		rule := Rule{Type: r.str(append(at, "type")...), Globs: r.strs(append(at, "globs")...), FallThrough: want[bool](r.reader, "a boolean", append(at, "fallthrough")...)}
		switch rule.Type {
		case "Text", "Data", "ESModule", "CommonJS", "CompiledWasm":
		default:
			r.fail(append(at, "type"), "expected one of Text, Data, ESModule, CommonJS, CompiledWasm, got %q", rule.Type)
		}
		if len(rule.Globs) == 0 {
			r.fail(append(at, "globs"), "expected at least one glob")
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
func (c *Config) applyServices(r *fileReader) {
	for i := range r.tables(r.at("services")...) {
		at := r.at("services", i)
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
