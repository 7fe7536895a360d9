package config

import (
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

const envTOML = `name = "app"
main = "index.js"
compatibility_date = "2025-01-01"
compatibility_flags = ["a"]

[vars]
PLAIN = "top"
NUM = 1

[define]
VERSION = '"top"'

[[kv_namespaces]]
binding = "CACHE"
id = "top-id"

[build]
command = "make"
watch_dir = ["src", "lib"]

[env.staging]
compatibility_date = "2025-06-01"
vars = { PLAIN = "staging" }
kv_namespaces = [{ binding = "CACHE", id = "staging-id", preview_id = "staging-preview" }]

[env.named]
name = "other"
`

// loadIn writes files and loads with flags (WorkDir set to the directory).
func loadIn(t *testing.T, files map[string]string, f Flags) (*Config, string, error) {
	t.Helper()
	dir := write(t, files)
	f.WorkDir = dir
	if f.Getenv == nil {
		f.Getenv = func(string) string { return "" }
	}
	c, err := Load(f)
	return c, dir, err
}

func TestEnvironments(t *testing.T) {
	t.Parallel()
	files := map[string]string{"wrangler.toml": envTOML, "index.js": "export default {}"}
	tests := []struct {
		name  string
		env   string
		check func(t *testing.T, dir string, c *Config)
	}{
		{"top level", "", func(t *testing.T, dir string, c *Config) {
			if c.Env != "" || c.Name != "app" || c.CompatibilityDate != "2025-01-01" {
				t.Errorf("Env %q, Name %q, date %q", c.Env, c.Name, c.CompatibilityDate)
			}
			if !reflect.DeepEqual(c.Vars, map[string]any{"PLAIN": "top", "NUM": int64(1)}) ||
				!reflect.DeepEqual(c.Define, map[string]string{"VERSION": `"top"`}) ||
				!reflect.DeepEqual(c.KVNamespaces, []KVNamespace{{Binding: "CACHE", ID: "top-id"}}) {
				t.Errorf("Vars %v, Define %v, KV %v", c.Vars, c.Define, c.KVNamespaces)
			}
			want := Build{Command: "make", Cwd: dir, WatchDirs: []string{filepath.Join(dir, "src"), filepath.Join(dir, "lib")}}
			if !reflect.DeepEqual(c.Build, want) {
				t.Errorf("Build %+v, want %+v", c.Build, want)
			}
		}},
		{"staging: own keys, inherited keys, non-inheritable keys dropped", "staging", func(t *testing.T, dir string, c *Config) {
			if c.Env != "staging" || c.Name != "app-staging" || c.CompatibilityDate != "2025-06-01" ||
				!reflect.DeepEqual(c.CompatibilityFlags, []string{"a"}) || c.Build.Command != "make" {
				t.Errorf("Env %q, Name %q, date %q, flags %v, build %q", c.Env, c.Name, c.CompatibilityDate, c.CompatibilityFlags, c.Build.Command)
			}
			if !reflect.DeepEqual(c.Vars, map[string]any{"PLAIN": "staging"}) || c.Define != nil ||
				!reflect.DeepEqual(c.KVNamespaces, []KVNamespace{{Binding: "CACHE", ID: "staging-preview"}}) {
				t.Errorf("Vars %v, Define %v, KV %v", c.Vars, c.Define, c.KVNamespaces)
			}
			want := []string{`wrangler.toml: "define" exists at the top level, but not on "env.staging": it is not inherited by environments, ` +
				`so [env.staging] has none. Add "define" to "env.staging".`}
			if !reflect.DeepEqual(c.Warnings, want) {
				t.Errorf("Warnings = %q\nwant %q", c.Warnings, want)
			}
		}},
		{"an environment's own name", "named", func(t *testing.T, dir string, c *Config) {
			if c.Name != "other" || len(c.Vars) != 0 || len(c.KVNamespaces) != 0 || len(c.Warnings) != 3 {
				t.Errorf("Name %q, Vars %v, KV %v, Warnings %q", c.Name, c.Vars, c.KVNamespaces, c.Warnings)
			}
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			c, dir, err := loadIn(t, files, Flags{Env: tc.env})
			if err != nil {
				t.Fatal(err)
			}
			tc.check(t, dir, c)
		})
	}
}

func TestEnvironmentErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		files map[string]string
		env   string
		err   string // the whole error, or "" for none
		warn  string // a warning, when err is ""
	}{
		{"unknown env", map[string]string{"wrangler.toml": envTOML}, "prod",
			"wrangler.toml: No environment found in configuration with name \"prod\". Before using `--env=prod` there should be an " +
				"equivalent environment section in the configuration. The available configured environment names are: [\"named\",\"staging\"]", ""},
		{"no environments at all: a warning", map[string]string{"wrangler.toml": "main = \"index.js\"\ncompatibility_date = \"2025-01-01\"\n"}, "prod",
			"", "wrangler.toml: No environment found in configuration with name \"prod\". Before using `--env=prod` there should be an " +
				"equivalent environment section in the configuration. Add [env.prod] to wrangler.toml; using the top-level configuration."},
		{"env not a table", map[string]string{"wrangler.json": `{"main": "index.js", "env": {"x": 1}}`}, "x",
			"wrangler.json:1:35: env.x: expected an object, got number", ""},
		{"top-level-only key in an env", map[string]string{"wrangler.toml": "main = \"index.js\"\ncompatibility_date = \"2025-01-01\"\n[env.s]\nalias = { a = \"b\" }\n"}, "s",
			"", "wrangler.toml:4:10: env.s.alias: only allowed at the top level, not in [env.s]; ignored"},
		{"unknown key in an env", map[string]string{"wrangler.toml": "main = \"index.js\"\ncompatibility_date = \"2025-01-01\"\n[env.s]\nbogus = 1\n"}, "s",
			"", `wrangler.toml: Unexpected fields found in "env.s" environment: "bogus"`},
		{"unsupported key in an env", map[string]string{"wrangler.toml": "main = \"index.js\"\ncompatibility_date = \"2025-01-01\"\n[env.s]\nr2_buckets = []\n"}, "s",
			"", "wrangler.toml:4:15: env.s.r2_buckets: not supported by emu yet; ignored"},
		{"no wrangler file", map[string]string{}, "s",
			"", "--env s: there is no wrangler file, so no [env.s] section; only .dev.vars.s / .env.s apply"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			tc.files["index.js"] = "export default {}"
			f := Flags{Env: tc.env}
			if len(tc.files) == 1 {
				f.Entry = "index.js"
			}
			c, _, err := loadIn(t, tc.files, f)
			if tc.err != "" {
				if err == nil || err.Error() != tc.err {
					t.Fatalf("err = %v\nwant %s", err, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			found := false
			for _, w := range c.Warnings {
				found = found || w == tc.warn
			}
			if !found {
				t.Errorf("Warnings = %q\nwant %q among them", c.Warnings, tc.warn)
			}
		})
	}
}

func TestSettings(t *testing.T) {
	t.Parallel()
	base := "main = \"index.js\"\ncompatibility_date = \"2025-01-01\"\n"
	tests := []struct {
		name  string
		toml  string
		flags Flags
		check func(t *testing.T, dir string, c *Config)
		err   string
	}{
		{name: "define, alias, tsconfig, jsx", toml: base + `tsconfig = "tsconfig.json"
jsx_factory = "h"
jsx_fragment = "Frag"
[define]
DEBUG = "true"
[alias]
"node-fetch" = "./fetch.js"
`, flags: Flags{Defines: []string{"DEBUG:false", "X:1"}, Aliases: []string{"a:./b.js"}}, check: func(t *testing.T, dir string, c *Config) {
			if !reflect.DeepEqual(c.Define, map[string]string{"DEBUG": "false", "X": "1"}) ||
				!reflect.DeepEqual(c.Alias, map[string]string{"node-fetch": "./fetch.js", "a": "./b.js"}) ||
				c.Tsconfig != filepath.Join(dir, "tsconfig.json") || c.JSXFactory != "h" || c.JSXFragment != "Frag" {
				t.Errorf("Define %v, Alias %v, Tsconfig %q, JSX %q %q", c.Define, c.Alias, c.Tsconfig, c.JSXFactory, c.JSXFragment)
			}
		}},
		{name: "define must be strings", toml: base + "[define]\nX = 1\n", err: "wrangler.toml:4:5: define.X: expected a string, got integer"},
		{name: "bad --define", toml: base, flags: Flags{Defines: []string{"X"}}, err: `--define: expected KEY:VALUE, got "X"`},
		{name: "missing tsconfig", toml: base + "tsconfig = \"nope.json\"\n", err: "wrangler.toml:3:12: tsconfig: file not found: nope.json"},
		{name: "kv ids: preview_id, id, binding", toml: base + `kv_namespaces = [
  { binding = "A", id = "a-id", preview_id = "a-preview" },
  { binding = "B", id = "b-id" },
  { binding = "C" },
]`, check: func(t *testing.T, dir string, c *Config) {
			want := []KVNamespace{{"A", "a-preview"}, {"B", "b-id"}, {"C", "C"}}
			if !reflect.DeepEqual(c.KVNamespaces, want) || len(c.Warnings) != 0 {
				t.Errorf("KV %v, Warnings %q", c.KVNamespaces, c.Warnings)
			}
		}},
		{name: "kv binding required", toml: base + "[[kv_namespaces]]\nid = \"x\"\n", err: `wrangler.toml:3:1: kv_namespaces[0].binding: required (the env binding name, e.g. "MY_KV")`},
		{name: "kv binding twice", toml: base + "kv_namespaces = [{ binding = \"A\" }, { binding = \"A\" }]\n", err: "wrangler.toml: kv_namespaces[1].binding: A is bound twice"},
		{name: "kv unknown field", toml: base + "kv_namespaces = [{ binding = \"A\", namespace = \"x\" }]\n", check: func(t *testing.T, dir string, c *Config) {
			if want := []string{`wrangler.toml:3:18: kv_namespaces[0]: unexpected fields, ignored: "namespace"`}; !reflect.DeepEqual(c.Warnings, want) {
				t.Errorf("Warnings = %q\nwant %q", c.Warnings, want)
			}
		}},
		{name: "build defaults", toml: base + "[build]\ncommand = \"npm run build\"\ncwd = \"app\"\n", check: func(t *testing.T, dir string, c *Config) {
			want := Build{Command: "npm run build", Cwd: filepath.Join(dir, "app"), WatchDirs: []string{filepath.Join(dir, "src")}}
			if !reflect.DeepEqual(c.Build, want) {
				t.Errorf("Build %+v", c.Build)
			}
		}},
		{name: "build without command", toml: base + "[build]\nwatch_dir = \"x\"\n", check: func(t *testing.T, dir string, c *Config) {
			if !reflect.DeepEqual(c.Build, Build{}) {
				t.Errorf("Build %+v", c.Build)
			}
		}},
		{name: "dev ip and port", toml: base + "[dev]\nip = \"0.0.0.0\"\nport = 9000\nlocal_protocol = \"https\"\n", check: func(t *testing.T, dir string, c *Config) {
			if c.DevIP != "0.0.0.0" || c.DevPort != 9000 || len(c.Warnings) != 1 || !strings.Contains(c.Warnings[0], "dev.local_protocol: https is not supported by emu") {
				t.Errorf("DevIP %q, DevPort %d, Warnings %q", c.DevIP, c.DevPort, c.Warnings)
			}
		}},
		{name: "no_bundle, find_additional_modules, base_dir warn", toml: base + "no_bundle = true\nfind_additional_modules = true\nbase_dir = \"src\"\n", check: func(t *testing.T, dir string, c *Config) {
			if len(c.Warnings) != 3 || !strings.HasPrefix(c.Warnings[0], "wrangler.toml:3:13: no_bundle: emu bundles the Worker anyway") ||
				!strings.HasPrefix(c.Warnings[1], "wrangler.toml:4:27: find_additional_modules: not supported by emu yet") ||
				!strings.HasPrefix(c.Warnings[2], "wrangler.toml:5:12: base_dir: ignored by emu") {
				t.Errorf("Warnings = %q", c.Warnings)
			}
		}},
		{name: "no_bundle = false says nothing", toml: base + "no_bundle = false\n", check: func(t *testing.T, dir string, c *Config) {
			if len(c.Warnings) != 0 {
				t.Errorf("Warnings = %q", c.Warnings)
			}
		}},
		{name: "deploy-only keys say nothing", toml: `"$schema" = "x"
main = "index.js"
compatibility_date = "2025-01-01"
account_id = "a"
workers_dev = true
routes = ["example.com/*"]
minify = true
keep_vars = true
logpush = true
upload_source_maps = true
[observability]
enabled = true
[placement]
mode = "smart"
`, check: func(t *testing.T, dir string, c *Config) {
			if len(c.Warnings) != 0 {
				t.Errorf("Warnings = %q", c.Warnings)
			}
		}},
		{name: "every unsupported binding warns", toml: base + `d1_databases = []
queues = {}
r2_buckets = []
[ai]
binding = "AI"
`, check: func(t *testing.T, dir string, c *Config) {
			want := []string{"wrangler.toml:6:1: ai: not supported by emu yet; ignored",
				"wrangler.toml:3:17: d1_databases: not supported by emu yet; ignored",
				"wrangler.toml:4:11: queues: not supported by emu yet; ignored",
				"wrangler.toml:5:15: r2_buckets: not supported by emu yet; ignored"}
			if !reflect.DeepEqual(c.Warnings, want) {
				t.Errorf("Warnings = %q\nwant %q", c.Warnings, want)
			}
		}},
		{name: "migrations: transferred_classes", toml: base + `[[durable_objects.bindings]]
name = "R"
class_name = "Room"
[[migrations]]
tag = "v1"
transferred_classes = [{ from = "OldRoom", from_script = "old-worker", to = "Room" }]
`, check: func(t *testing.T, dir string, c *Config) {
			want := []DurableObjectBinding{{Name: "R", ClassName: "Room", Origin: DurableObjectOrigin{Script: "old-worker", Class: "OldRoom"}, FormerNames: []string{"OldRoom"}}}
			if !reflect.DeepEqual(c.DurableObjects, want) || len(c.Warnings) != 0 {
				t.Errorf("DurableObjects %+v, Warnings %q", c.DurableObjects, c.Warnings)
			}
		}},
		{name: "migrations: chained renames keep the first name's storage", toml: base + `[[durable_objects.bindings]]
name = "R"
class_name = "C"
[[migrations]]
tag = "v1"
new_sqlite_classes = ["A"]
[[migrations]]
tag = "v2"
renamed_classes = [{ from = "A", to = "B" }]
[[migrations]]
tag = "v3"
renamed_classes = [{ from = "B", to = "C" }, { from = "Nope", to = "D" }]
`, check: func(t *testing.T, dir string, c *Config) {
			want := []DurableObjectBinding{{Name: "R", ClassName: "C", SQLite: true, Origin: DurableObjectOrigin{Class: "A"}, FormerNames: []string{"A", "B"}}}
			if !reflect.DeepEqual(c.DurableObjects, want) {
				t.Errorf("DurableObjects %+v", c.DurableObjects)
			}
			if len(c.Warnings) != 1 || !strings.Contains(c.Warnings[0], `migrations[2].renamed_classes[1].from: no class "Nope" exists at this migration; rename ignored`) {
				t.Errorf("Warnings %q", c.Warnings)
			}
		}},
		{name: "migrations: deleted then created again starts fresh", toml: base + `[[durable_objects.bindings]]
name = "R"
class_name = "A"
[[migrations]]
tag = "v1"
new_sqlite_classes = ["A"]
[[migrations]]
tag = "v2"
deleted_classes = ["A"]
[[migrations]]
tag = "v3"
new_sqlite_classes = ["A"]
`, check: func(t *testing.T, dir string, c *Config) {
			want := []DurableObjectBinding{{Name: "R", ClassName: "A", SQLite: true, Origin: DurableObjectOrigin{Class: "A", Generation: 1}}}
			if !reflect.DeepEqual(c.DurableObjects, want) || len(c.Warnings) != 0 {
				t.Errorf("DurableObjects %+v, Warnings %q", c.DurableObjects, c.Warnings)
			}
		}},
		{name: "vars of every JSON type, --var stays a string", toml: base + `[vars]
S = "s"
I = 1
F = 1.5
B = false
A = [1, "two", { three = 3 }]
O = { nested = { deep = true } }
D = 2024-01-02
`, flags: Flags{Vars: []string{"I:7"}}, check: func(t *testing.T, dir string, c *Config) {
			want := map[string]any{"S": "s", "I": "7", "F": 1.5, "B": false,
				"A": []any{int64(1), "two", map[string]any{"three": int64(3)}},
				"O": map[string]any{"nested": map[string]any{"deep": true}}, "D": "2024-01-02"}
			if !reflect.DeepEqual(c.Vars, want) {
				t.Errorf("Vars = %#v", c.Vars)
			}
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			c, dir, err := loadIn(t, map[string]string{"wrangler.toml": tc.toml, "index.js": "export default {}", "tsconfig.json": "{}"}, tc.flags)
			if tc.err != "" {
				if err == nil || err.Error() != tc.err {
					t.Fatalf("err = %v\nwant %s", err, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			tc.check(t, dir, c)
		})
	}
}
