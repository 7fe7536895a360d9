package config

import (
	"fmt"
	"maps"
	"path/filepath"
	"regexp"
	"slices"
)

// KVNamespace is a kv_namespaces binding.
type KVNamespace struct {
	Binding string // env binding name
	ID      string // the namespace emu stores: preview_id, else id, else the binding name (as wrangler dev)
}

// Build is [build]: a custom build command run before bundling and again on
// change.
type Build struct {
	Command   string   // run with sh -c; "" for none
	Cwd       string   // absolute directory it runs in (default: the config's directory)
	WatchDirs []string // absolute directories whose changes re-run it (default: src)
}

// DurableObjectOrigin names the storage a Durable Object class uses when it
// is not the class's own under its current name: a class renamed in
// [[migrations]] keeps the storage of its first name, a transferred class
// that of the class in the other Worker, and a class created again after
// being deleted gets fresh storage (Generation counts the deletions).
type DurableObjectOrigin struct {
	Script     string // other Worker's name (transferred_classes); "" for this Worker
	Class      string
	Generation int
}

// applyBundling reads define, alias, tsconfig, jsx_factory, jsx_fragment and
// says what emu does with no_bundle, find_additional_modules and base_dir.
func (c *Config) applyBundling(r *fileReader) {
	for _, k := range slices.Sorted(maps.Keys(r.table(r.at("define")...))) {
		v := r.str(r.at("define", k)...)
		if c.Define == nil {
			c.Define = map[string]string{}
		}
		c.Define[k] = v
	}
	for _, k := range slices.Sorted(maps.Keys(r.table("alias"))) {
		v := r.str("alias", k)
		if c.Alias == nil {
			c.Alias = map[string]string{}
		}
		c.Alias[k] = v
	}
	if ts := r.str(r.at("tsconfig")...); ts != "" {
		c.Tsconfig = absPath(c.Dir, ts)
		if !isFile(c.Tsconfig) {
			r.fail(r.at("tsconfig"), "file not found: %s", ts)
		}
	}
	c.JSXFactory = r.str(r.at("jsx_factory")...)
	c.JSXFragment = r.str(r.at("jsx_fragment")...)
	if want[bool](r.reader, "a boolean", r.at("no_bundle")...) {
		r.warn(r.d.errorf(r.at("no_bundle"), "emu bundles the Worker anyway (esbuild): imports resolve as in a bundled Worker, "+
			"and modules only reached by import() of a computed path are not found").Error())
	}
	if want[bool](r.reader, "a boolean", r.at("find_additional_modules")...) {
		r.warn(r.d.errorf(r.at("find_additional_modules"), "not supported by emu yet: only modules the entry imports "+
			"(statically, or by import() of a literal path) are loaded").Error())
	}
	if r.str(r.at("base_dir")...) != "" {
		r.warn(r.d.errorf(r.at("base_dir"), "ignored by emu (it only matters for find_additional_modules)").Error())
	}
}

var bindingName = regexp.MustCompile(`^[A-Za-z_$][A-Za-z0-9_$]*$`)

// applyKV reads kv_namespaces.
func (c *Config) applyKV(r *fileReader) {
	for i := range r.tables(r.at("kv_namespaces")...) {
		at := r.at("kv_namespaces", i)
		ns := KVNamespace{Binding: r.str(append(at, "binding")...)}
		id, preview := r.str(append(at, "id")...), r.str(append(at, "preview_id")...)
		switch {
		case ns.Binding == "":
			r.fail(append(at, "binding"), "required (the env binding name, e.g. \"MY_KV\")")
		case !bindingName.MatchString(ns.Binding):
			r.fail(append(at, "binding"), "expected a JavaScript identifier, got %q", ns.Binding)
		}
		switch {
		case preview != "":
			ns.ID = preview
		case id != "":
			ns.ID = id
		default:
			ns.ID = ns.Binding
		}
		if want[bool](r.reader, "a boolean", append(at, "remote")...) {
			r.warn(r.d.errorf(append(at, "remote"), "remote bindings are not supported by emu: %s is local", ns.Binding).Error())
		}
		for _, prev := range c.KVNamespaces {
			if prev.Binding == ns.Binding {
				r.fail(append(at, "binding"), "%s is bound twice", ns.Binding)
			}
		}
		c.KVNamespaces = append(c.KVNamespaces, ns)
	}
}

// applyBuild reads [build].
func (c *Config) applyBuild(r *fileReader) {
	r.table(r.at("build")...)
	c.Build.Command = r.str(r.at("build", "command")...)
	if c.Build.Command == "" {
		return
	}
	c.Build.Cwd = c.Dir
	if cwd := r.str(r.at("build", "cwd")...); cwd != "" {
		c.Build.Cwd = absPath(c.Dir, cwd)
	}
	var dirs []string
	switch v := r.get(r.at("build", "watch_dir")...).(type) {
	case nil:
		dirs = []string{"src"}
	case string:
		dirs = []string{v}
	default:
		dirs = r.strs(r.at("build", "watch_dir")...)
	}
	for _, d := range dirs {
		c.Build.WatchDirs = append(c.Build.WatchDirs, absPath(c.Dir, filepath.FromSlash(d)))
	}
}

// applyDev reads [dev] ip and port: the defaults of --ip and --port.
func (c *Config) applyDev(r *fileReader) {
	if r.table("dev") == nil {
		return
	}
	c.DevIP = r.str("dev", "ip")
	if r.get("dev", "port") != nil {
		p := r.int("dev", "port")
		if p < 0 || p > 65535 {
			r.fail([]any{"dev", "port"}, "expected a port number, got %d", p)
		}
		c.DevPort = int(p)
	}
	if proto := r.str("dev", "local_protocol"); proto == "https" {
		r.warn(r.d.errorf([]any{"dev", "local_protocol"}, "https is not supported by emu; serving http").Error())
	}
}

// String names an origin for messages: `Class` or `script:Class`.
func (o DurableObjectOrigin) String() string {
	s := o.Class
	if o.Script != "" {
		s = o.Script + ":" + s
	}
	if o.Generation > 0 {
		s += fmt.Sprintf(" (generation %d)", o.Generation)
	}
	return s
}
