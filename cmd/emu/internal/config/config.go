// Package config turns a wrangler.toml / wrangler.json / wrangler.jsonc, the command-line flags
// of emu dev and zero-config inference into one Config value.
//
//	cfg, err := config.Load(config.Flags{Entry: "src/index.ts", WorkDir: cwd, Vars: []string{"KEY:value"}})
//	if err != nil {
//		fmt.Fprintln(stderr, err) // one line: wrangler.toml:4:22: compatibility_date: expected a string, got integer
//		return 2
//	}
//	for _, w := range cfg.Warnings { /* print */ }
//	// ... bundle cfg.Main, find the exported classes used as Durable Objects ...
//	cfg.InferDurableObjects(classes) // zero-config only: adds CHAT_ROOM for ChatRoom
//
// The package reads files but keeps no state; every call to Load starts afresh.
package config

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"
)

// NewestCompatibilityDate is the newest compatibility date whose behaviour emu implements. It is
// the default when no date is configured, as wrangler defaults to its workerd's newest date.
const NewestCompatibilityDate = "2026-04-07"

// DefaultCPULimit is the CPU time a request may use when limits.cpu_ms is not set (workerd: 30 s).
const DefaultCPULimit = 30 * time.Second

// Config is everything emu dev needs to know about one Worker.
type Config struct {
	Path               string         // config file used ("" when zero-config)
	Env                string         // the [env.NAME] selected with --env ("" for the top level)
	Dir                string         // directory relative paths resolve against: the config's, or the entry's when zero-config
	Name               string         // `name`, may be ""
	Main               string         // absolute path of the entry module
	CompatibilityDate  string         // "YYYY-MM-DD"
	CompatibilityFlags []string       // compatibility_flags, or --compatibility-flags when given
	Vars               map[string]any // [vars] (JSON-like values: string, int64 or float64, bool, []any, map[string]any), then .dev.vars or .env (strings), then --var KEY:VALUE (strings); never nil
	Secrets            []string       // names of the vars read from .dev.vars / .env (the banner hides their values), sorted
	VarsFiles          []string       // the .dev.vars / .env files read (absolute paths)
	DurableObjects     []DurableObjectBinding
	KVNamespaces       []KVNamespace
	Services           []ServiceBinding  // services = [{binding, service, entrypoint}]
	Define             map[string]string // define (and --define): identifier -> JS expression, for esbuild
	Alias              map[string]string // alias (and --alias): module -> replacement, for esbuild
	Tsconfig           string            // tsconfig (absolute), for esbuild
	JSXFactory         string            // jsx_factory
	JSXFragment        string            // jsx_fragment
	Build              Build             // [build]
	DevIP              string            // [dev] ip, "" if unset
	DevPort            int               // [dev] port, 0 if unset
	Rules              []Rule            // effective module rules: user [[rules]] first, then wrangler's defaults, shadowed ones removed
	CPULimit           time.Duration     // limits.cpu_ms, default DefaultCPULimit
	Inferred           []string          // what was inferred, for the banner, e.g. `compatibility_date = 2026-04-07 (newest emu implements)`
	Warnings           []string          // problems worth telling the user; a warning may span lines
}

// DurableObjectBinding binds a Durable Object class to a name in env.
type DurableObjectBinding struct {
	Name       string // env binding name, e.g. "CHAT_ROOM"
	ClassName  string // exported class, e.g. "ChatRoom"
	SQLite     bool   // true for new_sqlite_classes and for inferred bindings; false for new_classes
	ScriptName string // the Worker the class lives in, when it is another one (emu dev -c a -c b)
	// Origin is the storage the class keeps from [[migrations]] (renamed_classes,
	// transferred_classes, or a class created again after deleted_classes); zero when the
	// class's objects are its own under its current name.
	Origin DurableObjectOrigin
	// FormerNames are the names the class's objects were stored under before renames and
	// transfers, oldest first, so their storage can be moved to the current name.
	FormerNames []string
}

// ServiceBinding binds a Worker (or one of its named entrypoints) to a name in env.
type ServiceBinding struct {
	Binding    string // env binding name, e.g. "WORKER_B"
	Service    string // the bound Worker's `name`
	Entrypoint string // a named entrypoint of it; "" for its default export
}

// Rule is a wrangler module rule: imports matching Globs are loaded as Type.
type Rule struct {
	Type        string // "Text" | "Data" | "ESModule" | "CommonJS" | "CompiledWasm"
	Globs       []string
	FallThrough bool // later rules of the same type still apply
}

// Flags are the command-line values that override or complete the file.
type Flags struct {
	Entry              string   // positional script (or directory) argument, relative to WorkDir
	ConfigPath         string   // --config / -c
	Vars               []string // --var KEY:VALUE, repeatable
	CompatibilityDate  string   // --compatibility-date
	CompatibilityFlags []string // --compatibility-flags; replaces the file's list when non-empty
	Env                string   // --env / -e: the [env.NAME] section to use
	Defines            []string // --define KEY:VALUE, repeatable; added to define
	Aliases            []string // --alias MODULE:REPLACEMENT, repeatable; added to alias
	WorkDir            string   // the current directory; "" means os.Getwd
	// Getenv reads emu's own environment (CLOUDFLARE_LOAD_DEV_VARS_FROM_DOT_ENV,
	// CLOUDFLARE_INCLUDE_PROCESS_ENV); nil means os.Getenv.
	Getenv func(string) string
}

// DefaultRules returns wrangler's default module rules, which apply after the user's [[rules]].
func DefaultRules() []Rule {
	return []Rule{
		{Type: "Text", Globs: []string{"**/*.txt", "**/*.html", "**/*.sql"}},
		{Type: "Data", Globs: []string{"**/*.bin"}},
		{Type: "CompiledWasm", Globs: []string{"**/*.wasm", "**/*.wasm?module"}},
	}
}

// Load finds and reads the wrangler file, applies the flags and returns the Config.
//
// The file is flags.ConfigPath if set. Otherwise, with an entry directory, it is the wrangler
// file in that directory; with an entry file, the nearest one from the entry's directory up
// (stopping at a directory that holds .git), then from WorkDir up; without an entry, from WorkDir
// up. In each directory wrangler's order applies: wrangler.json, wrangler.jsonc, wrangler.toml.
// An entry file on the command line wins over `main`; an entry directory without a `main` in its
// wrangler file uses its index.ts, index.js, src/index.ts or src/index.js.
//
// Every error is an *Error.
func Load(f Flags) (*Config, error) {
	wd := f.WorkDir
	if wd == "" {
		var err error
		if wd, err = os.Getwd(); err != nil {
			return nil, &Error{Msg: "cannot get the working directory: " + err.Error()}
		}
	}
	wd, _ = filepath.Abs(wd)
	c := &Config{Vars: map[string]any{}, CPULimit: DefaultCPULimit}

	var entry string
	entryIsDir := false
	if f.Entry != "" {
		entry = absPath(wd, f.Entry)
		fi, err := os.Stat(entry)
		if err != nil {
			return nil, &Error{Msg: "entry point not found: " + f.Entry}
		}
		entryIsDir = fi.IsDir()
	}

	path, err := findConfig(f, wd, entry, entryIsDir)
	if err != nil {
		return nil, err
	}
	var d *doc
	var main, date string
	var required []string
	var hasRequired bool
	if path != "" {
		if d, err = readDoc(path, displayPath(wd, path)); err != nil {
			return nil, err
		}
		c.Path, c.Dir = path, filepath.Dir(path)
		if main, date, required, hasRequired, err = c.applyFile(d, f.Env); err != nil {
			return nil, err
		}
	} else if f.Env != "" {
		c.Warnings = append(c.Warnings, fmt.Sprintf("--env %s: there is no wrangler file, so no [env.%[1]s] section; "+
			"only .dev.vars.%[1]s / .env.%[1]s apply", f.Env))
	}

	if err := c.resolveMain(f.Entry, entry, entryIsDir, d, main); err != nil {
		return nil, err
	}
	getenv := f.Getenv
	if getenv == nil {
		getenv = os.Getenv
	}
	c.loadDevVars(f.Env, getenv, required, hasRequired)
	if err := c.applyFlags(f, d, date); err != nil {
		return nil, err
	}
	var warnings []string
	c.Rules, warnings = mergeRules(c.Rules)
	c.Warnings = append(c.Warnings, warnings...)
	return c, nil
}

// resolveMain sets Main, and Dir when there is no wrangler file. arg is the entry as typed,
// entry its absolute path; main is the file's `main`.
func (c *Config) resolveMain(arg, entry string, entryIsDir bool, d *doc, main string) error {
	switch {
	case entry != "" && !entryIsDir:
		c.Main = entry
	case main != "":
		c.Main = absPath(c.Dir, main)
		if !isFile(c.Main) {
			return d.errorf([]any{"main"}, "entry point not found: %s", main)
		}
	case entryIsDir:
		for _, name := range []string{"index.ts", "index.js", "src/index.ts", "src/index.js"} {
			if p := filepath.Join(entry, filepath.FromSlash(name)); isFile(p) {
				c.Main = p
				c.Inferred = append(c.Inferred, fmt.Sprintf("main = %s (found in %s)", name, arg))
				break
			}
		}
		if c.Main == "" {
			return &Error{Msg: fmt.Sprintf("no entry point in %s: expected index.ts, index.js, src/index.ts or src/index.js", arg)}
		}
	case d != nil:
		return &Error{File: d.file, Key: "main", Msg: fmt.Sprintf("no entry point: add %s or pass one: emu dev <script>", setting(d, "main", "src/index.ts"))}
	default:
		return &Error{Msg: "no entry point: pass one (emu dev index.js) or run where a wrangler.toml, wrangler.json or wrangler.jsonc sets main"}
	}
	if c.Dir == "" && entryIsDir {
		c.Dir = entry
	} else if c.Dir == "" {
		c.Dir = filepath.Dir(c.Main)
	}
	return nil
}

// applyFlags sets the compatibility date and flags and the --var overrides.
func (c *Config) applyFlags(f Flags, d *doc, date string) error {
	switch {
	case f.CompatibilityDate != "":
		if !validDate(f.CompatibilityDate) {
			return &Error{Key: "--compatibility-date", Msg: fmt.Sprintf("expected a date as YYYY-MM-DD, got %q", f.CompatibilityDate)}
		}
		c.CompatibilityDate = f.CompatibilityDate
	case date != "":
		c.CompatibilityDate = date
	default:
		c.CompatibilityDate = NewestCompatibilityDate
		where := "a wrangler.toml file"
		if d != nil {
			where = "your " + filepath.Base(c.Path) + " file"
		}
		c.Warnings = append(c.Warnings, fmt.Sprintf("No compatibility_date was specified. Using emu's newest supported date: %s.\n"+
			"❯❯ Add one to %s: %s, or\n"+
			"❯❯ Pass it in your terminal: emu dev [<SCRIPT>] --compatibility-date=%[1]s",
			NewestCompatibilityDate, where, setting(d, "compatibility_date", NewestCompatibilityDate)))
		c.Inferred = append(c.Inferred, fmt.Sprintf("compatibility_date = %s (newest emu implements)", NewestCompatibilityDate))
	}
	if c.CompatibilityDate > NewestCompatibilityDate {
		c.Warnings = append(c.Warnings, fmt.Sprintf("compatibility_date %s is newer than emu's newest supported date %s: "+
			"behaviour introduced after %[2]s is not implemented", c.CompatibilityDate, NewestCompatibilityDate))
	}
	if len(f.CompatibilityFlags) > 0 {
		c.CompatibilityFlags = slices.Clone(f.CompatibilityFlags)
	}
	for _, kv := range f.Vars {
		k, v, ok := strings.Cut(kv, ":")
		if !ok || k == "" {
			return &Error{Key: "--var", Msg: fmt.Sprintf("expected KEY:VALUE, got %q", kv)}
		}
		c.Vars[k] = v
		if i, ok := slices.BinarySearch(c.Secrets, k); ok {
			c.Secrets = slices.Delete(c.Secrets, i, i+1) // now a plain var
		}
	}
	for _, kv := range f.Defines {
		k, v, ok := strings.Cut(kv, ":")
		if !ok || k == "" {
			return &Error{Key: "--define", Msg: fmt.Sprintf("expected KEY:VALUE, got %q", kv)}
		}
		if c.Define == nil {
			c.Define = map[string]string{}
		}
		c.Define[k] = v
	}
	for _, kv := range f.Aliases {
		k, v, ok := strings.Cut(kv, ":")
		if !ok || k == "" {
			return &Error{Key: "--alias", Msg: fmt.Sprintf("expected MODULE:REPLACEMENT, got %q", kv)}
		}
		if c.Alias == nil {
			c.Alias = map[string]string{}
		}
		c.Alias[k] = v
	}
	return nil
}

// findConfig returns the wrangler file to use, or "" for zero-config.
func findConfig(f Flags, wd, entry string, entryIsDir bool) (string, error) {
	if f.ConfigPath != "" {
		p := absPath(wd, f.ConfigPath)
		if !isFile(p) {
			return "", &Error{Key: "--config", Msg: "config file not found: " + f.ConfigPath}
		}
		return p, nil
	}
	if entryIsDir {
		return configIn(entry), nil
	}
	if entry != "" {
		if p := findUp(filepath.Dir(entry)); p != "" {
			return p, nil
		}
	}
	return findUp(wd), nil
}

// findUp looks for a wrangler file in dir and its parents, up to the repository root.
func findUp(dir string) string {
	for {
		if p := configIn(dir); p != "" {
			return p
		}
		parent := filepath.Dir(dir)
		if parent == dir || exists(filepath.Join(dir, ".git")) {
			return ""
		}
		dir = parent
	}
}

// configIn returns dir's wrangler file, in wrangler's order of precedence.
func configIn(dir string) string {
	for _, name := range []string{"wrangler.json", "wrangler.jsonc", "wrangler.toml"} {
		if p := filepath.Join(dir, name); isFile(p) {
			return p
		}
	}
	return ""
}

// setting renders key = "value" in the syntax of d's format (TOML when d is nil).
func setting(d *doc, key, value string) string {
	if d != nil && d.json {
		return fmt.Sprintf("%q: %q", key, value)
	}
	return fmt.Sprintf("%s = %q", key, value)
}

func validDate(s string) bool {
	_, err := time.Parse(time.DateOnly, s)
	return err == nil
}

func absPath(dir, p string) string {
	if filepath.IsAbs(p) {
		return filepath.Clean(p)
	}
	return filepath.Join(dir, p)
}

// displayPath names p as the user would: relative to wd when it is inside it.
func displayPath(wd, p string) string {
	if rel, err := filepath.Rel(wd, p); err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return rel
	}
	return p
}

func isFile(p string) bool {
	fi, err := os.Stat(p)
	return err == nil && !fi.IsDir()
}

func exists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}
