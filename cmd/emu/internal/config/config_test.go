package config

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
)

// write creates files (relative path -> content) under a new temporary directory.
func write(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, content := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

const chatTOML = `name = "chat"
main = "src/index.ts"
compatibility_date = "2025-01-01"
compatibility_flags = ["nodejs_compat"]

[vars]
GREETING = "hi"
COUNT = 3
DEBUG = true
[vars.NESTED]
a = [1, "x"]

[limits]
cpu_ms = 50

[durable_objects]
bindings = [
  { name = "CHAT_ROOM", class_name = "ChatRoom" },
  { name = "COUNTER", class_name = "Counter" },
]

[[migrations]]
tag = "v1"
new_sqlite_classes = ["ChatRoom"]
new_classes = ["Counter"]

[[rules]]
type = "Text"
globs = ["**/*.md"]
fallthrough = true
`

func TestLoad(t *testing.T) {
	t.Parallel()
	src := map[string]string{"src/index.ts": "export default {}", "index.js": "export default {}"}
	with := func(files map[string]string) map[string]string {
		out := map[string]string{}
		for k, v := range src {
			out[k] = v
		}
		for k, v := range files {
			out[k] = v
		}
		return out
	}
	tests := []struct {
		name  string
		files map[string]string
		flags Flags  // WorkDir is set to the temporary directory
		sub   string // or to this directory in it
		check func(t *testing.T, dir string, c *Config)
	}{
		{
			name:  "toml",
			files: with(map[string]string{"wrangler.toml": chatTOML}),
			check: func(t *testing.T, dir string, c *Config) {
				want := &Config{
					Path:               filepath.Join(dir, "wrangler.toml"),
					Dir:                dir,
					Name:               "chat",
					Main:               filepath.Join(dir, "src", "index.ts"),
					CompatibilityDate:  "2025-01-01",
					CompatibilityFlags: []string{"nodejs_compat"},
					Vars: map[string]any{"GREETING": "hi", "COUNT": int64(3), "DEBUG": true,
						"NESTED": map[string]any{"a": []any{int64(1), "x"}}},
					DurableObjects: []DurableObjectBinding{
						{Name: "CHAT_ROOM", ClassName: "ChatRoom", SQLite: true},
						{Name: "COUNTER", ClassName: "Counter", SQLite: false},
					},
					Rules:    append([]Rule{{Type: "Text", Globs: []string{"**/*.md"}, FallThrough: true}}, DefaultRules()...),
					CPULimit: 50 * time.Millisecond,
				}
				if !reflect.DeepEqual(c, want) {
					t.Errorf("got  %#v\nwant %#v", c, want)
				}
			},
		},
		{
			name: "json keeps JSON types",
			files: with(map[string]string{"wrangler.json": `{
  "name": "chat", "main": "src/index.ts", "compatibility_date": "2025-01-01",
  "vars": {"GREETING": "hi", "COUNT": 3, "OBJ": {"k": [1, null]}},
  "durable_objects": {"bindings": [{"name": "CHAT_ROOM", "class_name": "ChatRoom"}]},
  "migrations": [{"tag": "v1", "new_sqlite_classes": ["ChatRoom"]}],
  "limits": {"cpu_ms": 100}
}`}),
			check: func(t *testing.T, dir string, c *Config) {
				wantVars := map[string]any{"GREETING": "hi", "COUNT": float64(3), "OBJ": map[string]any{"k": []any{float64(1), nil}}}
				if !reflect.DeepEqual(c.Vars, wantVars) {
					t.Errorf("Vars = %#v, want %#v", c.Vars, wantVars)
				}
				wantDO := []DurableObjectBinding{{Name: "CHAT_ROOM", ClassName: "ChatRoom", SQLite: true}}
				if !reflect.DeepEqual(c.DurableObjects, wantDO) || c.CPULimit != 100*time.Millisecond || len(c.Warnings) != 0 {
					t.Errorf("DurableObjects = %+v, CPULimit = %v, Warnings = %q", c.DurableObjects, c.CPULimit, c.Warnings)
				}
			},
		},
		{
			name: "jsonc with comments and trailing commas",
			files: with(map[string]string{"wrangler.jsonc": `{
  // the Worker
  "name": "chat", /* block */
  "main": "./index.js",
  "compatibility_date": "2025-01-01",
  "compatibility_flags": ["a", "b",],
}`}),
			check: func(t *testing.T, dir string, c *Config) {
				if c.Main != filepath.Join(dir, "index.js") || !reflect.DeepEqual(c.CompatibilityFlags, []string{"a", "b"}) {
					t.Errorf("Main = %q, CompatibilityFlags = %q", c.Main, c.CompatibilityFlags)
				}
			},
		},
		{
			name: "wrangler.json wins over wrangler.jsonc and wrangler.toml",
			files: with(map[string]string{
				"wrangler.toml":  "name = \"toml\"\nmain = \"index.js\"\n",
				"wrangler.jsonc": `{"name": "jsonc", "main": "index.js"}`,
				"wrangler.json":  `{"name": "json", "main": "index.js"}`,
			}),
			check: func(t *testing.T, dir string, c *Config) {
				if c.Name != "json" || c.Path != filepath.Join(dir, "wrangler.json") {
					t.Errorf("Name = %q, Path = %q", c.Name, c.Path)
				}
			},
		},
		{
			name:  "flags override the file",
			files: with(map[string]string{"wrangler.toml": chatTOML}),
			flags: Flags{Entry: "index.js", CompatibilityDate: "2024-06-01", CompatibilityFlags: []string{"x"},
				Vars: []string{"GREETING:hello:world", "NEW:"}},
			check: func(t *testing.T, dir string, c *Config) {
				if c.Main != filepath.Join(dir, "index.js") || c.CompatibilityDate != "2024-06-01" || !reflect.DeepEqual(c.CompatibilityFlags, []string{"x"}) {
					t.Errorf("Main = %q, CompatibilityDate = %q, CompatibilityFlags = %q", c.Main, c.CompatibilityDate, c.CompatibilityFlags)
				}
				if c.Vars["GREETING"] != "hello:world" || c.Vars["NEW"] != "" || c.Vars["COUNT"] != int64(3) {
					t.Errorf("Vars = %#v", c.Vars)
				}
			},
		},
		{
			name:  "zero-config",
			files: with(nil),
			flags: Flags{Entry: "src/index.ts"},
			check: func(t *testing.T, dir string, c *Config) {
				if c.Path != "" || c.Dir != filepath.Join(dir, "src") || c.Main != filepath.Join(dir, "src", "index.ts") {
					t.Errorf("Path = %q, Dir = %q, Main = %q", c.Path, c.Dir, c.Main)
				}
				if c.CompatibilityDate != NewestCompatibilityDate || c.CPULimit != DefaultCPULimit || !reflect.DeepEqual(c.Rules, DefaultRules()) {
					t.Errorf("CompatibilityDate = %q, CPULimit = %v, Rules = %v", c.CompatibilityDate, c.CPULimit, c.Rules)
				}
				wantInferred := []string{"compatibility_date = 2026-04-07 (newest emu implements)"}
				if !reflect.DeepEqual(c.Inferred, wantInferred) {
					t.Errorf("Inferred = %q, want %q", c.Inferred, wantInferred)
				}
				want := "No compatibility_date was specified. Using emu's newest supported date: 2026-04-07.\n" +
					"❯❯ Add one to a wrangler.toml file: compatibility_date = \"2026-04-07\", or\n" +
					"❯❯ Pass it in your terminal: emu dev [<SCRIPT>] --compatibility-date=2026-04-07"
				if len(c.Warnings) != 1 || c.Warnings[0] != want {
					t.Errorf("Warnings = %q, want [%q]", c.Warnings, want)
				}
			},
		},
		{
			name:  "no compatibility_date in a json file",
			files: with(map[string]string{"wrangler.json": `{"main": "index.js"}`}),
			check: func(t *testing.T, dir string, c *Config) {
				if len(c.Warnings) != 1 || !strings.Contains(c.Warnings[0], `Add one to your wrangler.json file: "compatibility_date": "2026-04-07", or`) {
					t.Errorf("Warnings = %q", c.Warnings)
				}
			},
		},
		{
			name:  "compatibility_date newer than emu",
			files: with(map[string]string{"wrangler.toml": "main = \"index.js\"\ncompatibility_date = \"2099-01-01\"\n"}),
			check: func(t *testing.T, dir string, c *Config) {
				want := "compatibility_date 2099-01-01 is newer than emu's newest supported date 2026-04-07: behaviour introduced after 2026-04-07 is not implemented"
				if c.CompatibilityDate != "2099-01-01" || !reflect.DeepEqual(c.Warnings, []string{want}) {
					t.Errorf("CompatibilityDate = %q, Warnings = %q", c.CompatibilityDate, c.Warnings)
				}
			},
		},
		{
			name:  "entry directory with index",
			files: map[string]string{"worker/src/index.ts": ""},
			flags: Flags{Entry: "worker", CompatibilityDate: "2025-01-01"},
			check: func(t *testing.T, dir string, c *Config) {
				if c.Main != filepath.Join(dir, "worker", "src", "index.ts") || c.Dir != filepath.Join(dir, "worker") || c.Path != "" {
					t.Errorf("Main = %q, Dir = %q, Path = %q", c.Main, c.Dir, c.Path)
				}
				if !reflect.DeepEqual(c.Inferred, []string{"main = src/index.ts (found in worker)"}) {
					t.Errorf("Inferred = %q", c.Inferred)
				}
			},
		},
		{
			name: "entry directory with a wrangler file",
			files: map[string]string{
				"wrangler.toml":        "name = \"outer\"\nmain = \"index.js\"\n", // not used: the directory has its own
				"index.js":             "",
				"worker/wrangler.toml": "name = \"inner\"\nmain = \"app.js\"\ncompatibility_date = \"2025-01-01\"\n",
				"worker/app.js":        "",
				"worker/index.js":      "",
			},
			flags: Flags{Entry: "worker"},
			check: func(t *testing.T, dir string, c *Config) {
				if c.Name != "inner" || c.Main != filepath.Join(dir, "worker", "app.js") || c.Dir != filepath.Join(dir, "worker") {
					t.Errorf("Name = %q, Main = %q, Dir = %q", c.Name, c.Main, c.Dir)
				}
			},
		},
		{
			name: "entry file finds the wrangler file above it",
			files: map[string]string{
				"proj/wrangler.toml": "name = \"proj\"\ncompatibility_date = \"2025-01-01\"\n",
				"proj/src/worker.js": "",
			},
			flags: Flags{Entry: "proj/src/worker.js"},
			check: func(t *testing.T, dir string, c *Config) {
				if c.Name != "proj" || c.Main != filepath.Join(dir, "proj", "src", "worker.js") || c.Dir != filepath.Join(dir, "proj") {
					t.Errorf("Name = %q, Main = %q, Dir = %q", c.Name, c.Main, c.Dir)
				}
			},
		},
		{
			name: "the search stops at the repository root",
			files: map[string]string{
				"wrangler.toml":  "name = \"outside\"\nmain = \"index.js\"\n",
				"repo/.git/HEAD": "",
				"repo/index.js":  "",
			},
			sub:   "repo",
			flags: Flags{Entry: "index.js"},
			check: func(t *testing.T, dir string, c *Config) {
				if c.Path != "" || c.Name != "" || c.Main != filepath.Join(dir, "repo", "index.js") {
					t.Errorf("Path = %q, Name = %q, Main = %q", c.Path, c.Name, c.Main)
				}
			},
		},
		{
			name: "--config",
			files: with(map[string]string{
				"wrangler.toml":     "name = \"default\"\nmain = \"index.js\"\n",
				"conf/staging.json": `{"name": "staging", "main": "../index.js", "compatibility_date": "2025-01-01"}`,
			}),
			flags: Flags{ConfigPath: "conf/staging.json"},
			check: func(t *testing.T, dir string, c *Config) {
				if c.Name != "staging" || c.Main != filepath.Join(dir, "index.js") || c.Dir != filepath.Join(dir, "conf") {
					t.Errorf("Name = %q, Main = %q, Dir = %q", c.Name, c.Main, c.Dir)
				}
			},
		},
		{
			name: "migrations",
			files: with(map[string]string{"wrangler.toml": `main = "index.js"
compatibility_date = "2025-01-01"
[[durable_objects.bindings]]
name = "A"
class_name = "Renamed"
[[durable_objects.bindings]]
name = "B"
class_name = "Kv"
[[durable_objects.bindings]]
name = "C"
class_name = "Gone"
[[durable_objects.bindings]]
name = "D"
class_name = "Remote"
script_name = "other-worker"

[[migrations]]
tag = "v1"
new_sqlite_classes = ["Old", "Gone"]
new_classes = ["Kv"]
[[migrations]]
tag = "v2"
renamed_classes = [{ from = "Old", to = "Renamed" }]
deleted_classes = ["Gone"]
`}),
			check: func(t *testing.T, dir string, c *Config) {
				want := []DurableObjectBinding{
					{Name: "A", ClassName: "Renamed", SQLite: true, Origin: DurableObjectOrigin{Class: "Old"}, FormerNames: []string{"Old"}},
					{Name: "B", ClassName: "Kv"},
					{Name: "C", ClassName: "Gone", Origin: DurableObjectOrigin{Class: "Gone", Generation: 1}},
					{Name: "D", ClassName: "Remote", ScriptName: "other-worker"},
				}
				if !reflect.DeepEqual(c.DurableObjects, want) {
					t.Errorf("DurableObjects = %+v, want %+v", c.DurableObjects, want)
				}
				wantWarnings := []string{
					`wrangler.toml: durable_objects binding C uses class Gone, which [[migrations]] deleted (deleted_classes): its objects' storage is not served; they start empty`,
				}
				if !reflect.DeepEqual(c.Warnings, wantWarnings) {
					t.Errorf("Warnings = %q\nwant %q", c.Warnings, wantWarnings)
				}
			},
		},
		{
			name: "rules: a rule without fallthrough replaces the default of its type",
			files: with(map[string]string{"wrangler.toml": `main = "index.js"
compatibility_date = "2025-01-01"
[[rules]]
type = "Text"
globs = ["**/*.md"]
[[rules]]
type = "Text"
globs = ["**/*.csv"]
[[rules]]
type = "ESModule"
globs = ["**/*.mjs"]
`}),
			check: func(t *testing.T, dir string, c *Config) {
				want := []Rule{
					{Type: "Text", Globs: []string{"**/*.md"}},
					{Type: "ESModule", Globs: []string{"**/*.mjs"}},
					{Type: "Data", Globs: []string{"**/*.bin"}},
					{Type: "CompiledWasm", Globs: []string{"**/*.wasm", "**/*.wasm?module"}},
				}
				if !reflect.DeepEqual(c.Rules, want) {
					t.Errorf("Rules = %+v\nwant %+v", c.Rules, want)
				}
				if len(c.Warnings) != 1 || !strings.HasPrefix(c.Warnings[0], "The module rule at position 1 (type Text, globs [\"**/*.csv\"]) has the same type as a previous rule (at position 0).") {
					t.Errorf("Warnings = %q", c.Warnings)
				}
			},
		},
		{
			name: "unknown and unsupported keys warn",
			files: with(map[string]string{"wrangler.toml": `main = "index.js"
compatibility_date = "2025-01-01"
account_id = "abc"
foo = 1
bar = 2

[[r2_buckets]]
binding = "R2"
bucket_name = "x"
`}),
			check: func(t *testing.T, dir string, c *Config) {
				want := []string{
					`wrangler.toml:7:1: r2_buckets: not supported by emu yet; ignored`,
					`wrangler.toml: Unexpected fields found in top-level field: "bar","foo"`,
				}
				if !reflect.DeepEqual(c.Warnings, want) {
					t.Errorf("Warnings = %q\nwant %q", c.Warnings, want)
				}
			},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			dir := write(t, tc.files)
			f := tc.flags
			f.WorkDir = filepath.Join(dir, tc.sub)
			c, err := Load(f)
			if err != nil {
				t.Fatalf("Load: %v", err)
			}
			tc.check(t, dir, c)
		})
	}
}

func TestLoadErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		files map[string]string
		flags Flags
		want  string // the whole message
	}{
		{
			name:  "toml syntax",
			files: map[string]string{"wrangler.toml": "name = \"x\"\nmain = \"index.js\"\ncompat date = 1\n"},
			want:  `wrangler.toml:3:8: expected '.' or '=', but got 'd' instead`,
		},
		{
			name:  "toml syntax after a blank line",
			files: map[string]string{"wrangler.toml": "name = \"x\"\n\n= 1\n"},
			want:  `wrangler.toml:3:1: unexpected '=': key name appears blank`,
		},
		{
			name:  "jsonc syntax",
			files: map[string]string{"wrangler.jsonc": "{\n  // c\n  \"name\": \"x\"\n  \"main\": \"index.js\"\n}"},
			want:  `wrangler.jsonc:4:3: invalid character '"' after object value (expecting ',' or '}')`,
		},
		{
			name:  "json top level is not an object",
			files: map[string]string{"wrangler.json": `["main"]`},
			want:  `wrangler.json:1:1: expected a JSON object at the top level`,
		},
		{
			name:  "toml wrong type",
			files: map[string]string{"wrangler.toml": "name = \"x\"\n\ncompatibility_date = 20250101\nmain = \"index.js\"\n"},
			want:  `wrangler.toml:3:22: compatibility_date: expected a string, got integer`,
		},
		{
			name:  "toml unquoted date",
			files: map[string]string{"wrangler.toml": "compatibility_date = 2025-01-01\n"},
			want:  `wrangler.toml:1:22: compatibility_date: expected a string, got a TOML date; quote it: compatibility_date = "2025-01-01"`,
		},
		{
			name:  "bad date",
			files: map[string]string{"wrangler.json": `{"compatibility_date": "2025-13-01"}`},
			want:  `wrangler.json:1:24: compatibility_date: expected a date as YYYY-MM-DD, got "2025-13-01"`,
		},
		{
			name:  "json wrong type",
			files: map[string]string{"wrangler.json": "{\n  \"main\": \"index.js\",\n  \"vars\": [1]\n}"},
			want:  `wrangler.json:3:11: vars: expected an object, got array`,
		},
		{
			name:  "nested toml key",
			files: map[string]string{"wrangler.toml": "main = \"index.js\"\n[limits]\ncpu_ms = \"fast\"\n"},
			want:  `wrangler.toml:3:10: limits.cpu_ms: expected an integer, got string`,
		},
		{
			name:  "non-positive cpu_ms",
			files: map[string]string{"wrangler.json": `{"limits": {"cpu_ms": 0}}`},
			want:  `wrangler.json:1:23: limits.cpu_ms: expected a positive integer, got 0`,
		},
		{
			name:  "array element in json",
			files: map[string]string{"wrangler.jsonc": "{\n\"compatibility_flags\": [\"a\",\n  7]\n}"},
			want:  `wrangler.jsonc:3:3: compatibility_flags[1]: expected a string, got number`,
		},
		{
			name: "key in the only element of an array of tables",
			files: map[string]string{"wrangler.toml": `main = "index.js"
[[durable_objects.bindings]]
name = "A"
class_name = 1
`},
			want: `wrangler.toml:4:14: durable_objects.bindings[0].class_name: expected a string, got integer`,
		},
		{
			name: "key in one of several tables has no line",
			files: map[string]string{"wrangler.toml": `main = "index.js"
[[migrations]]
tag = "v1"
[[migrations]]
tag = "v2"
new_classes = "A"
`},
			want: `wrangler.toml: migrations[1].new_classes: expected an array of strings, got string`,
		},
		{
			name:  "missing class_name",
			files: map[string]string{"wrangler.json": "{\"durable_objects\": {\"bindings\": [\n  {\"name\": \"A\"}]}}"},
			want:  `wrangler.json:2:3: durable_objects.bindings[0].class_name: required (the exported class, e.g. "ChatRoom")`,
		},
		{
			name:  "bad rule type",
			files: map[string]string{"wrangler.toml": "[[rules]]\ntype = \"Markdown\"\nglobs = [\"*.md\"]\n"},
			want:  `wrangler.toml:2:8: rules[0].type: expected one of Text, Data, ESModule, CommonJS, CompiledWasm, got "Markdown"`,
		},
		{
			name:  "main not found",
			files: map[string]string{"wrangler.toml": "name = \"x\"\nmain = \"src/missing.ts\"\n"},
			want:  `wrangler.toml:2:8: main: entry point not found: src/missing.ts`,
		},
		{
			name:  "no main",
			files: map[string]string{"wrangler.jsonc": `{"name": "x"}`},
			want:  `wrangler.jsonc: main: no entry point: add "main": "src/index.ts" or pass one: emu dev <script>`,
		},
		{
			name:  "entry not found",
			flags: Flags{Entry: "src/nope.js"},
			want:  `entry point not found: src/nope.js`,
		},
		{
			name:  "entry directory without index",
			files: map[string]string{"worker/readme.txt": ""},
			flags: Flags{Entry: "worker"},
			want:  `no entry point in worker: expected index.ts, index.js, src/index.ts or src/index.js`,
		},
		{
			name: "no config and no entry",
			want: `no entry point: pass one (emu dev index.js) or run where a wrangler.toml, wrangler.json or wrangler.jsonc sets main`,
		},
		{
			name:  "config not found",
			flags: Flags{ConfigPath: "nope.toml"},
			want:  `--config: config file not found: nope.toml`,
		},
		{
			name:  "var without colon",
			files: map[string]string{"index.js": ""},
			flags: Flags{Entry: "index.js", Vars: []string{"FOO"}},
			want:  `--var: expected KEY:VALUE, got "FOO"`,
		},
		{
			name:  "bad --compatibility-date",
			files: map[string]string{"index.js": ""},
			flags: Flags{Entry: "index.js", CompatibilityDate: "today"},
			want:  `--compatibility-date: expected a date as YYYY-MM-DD, got "today"`,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			f := tc.flags
			f.WorkDir = write(t, tc.files)
			c, err := Load(f)
			if err == nil {
				t.Fatalf("Load succeeded: %+v", c)
			}
			var ce *Error
			if !errors.As(err, &ce) {
				t.Fatalf("error %T is not an *Error: %v", err, err)
			}
			if err.Error() != tc.want {
				t.Errorf("error:\n got %s\nwant %s", err, tc.want)
			}
		})
	}
}

func TestInferDurableObjects(t *testing.T) {
	t.Parallel()
	c := &Config{DurableObjects: []DurableObjectBinding{{Name: "TAKEN", ClassName: "Taken", SQLite: true}}}
	c.InferDurableObjects([]string{"ChatRoom", "WebSocketHibernationServer", "Taken", "TAKEN_"})
	c.InferDurableObjects([]string{"ChatRoom"}) // again, as after a rebuild: nothing new
	want := []DurableObjectBinding{
		{Name: "TAKEN", ClassName: "Taken", SQLite: true},
		{Name: "CHAT_ROOM", ClassName: "ChatRoom", SQLite: true},
		{Name: "WEBSOCKET_HIBERNATION_SERVER", ClassName: "WebSocketHibernationServer", SQLite: true},
	}
	if !reflect.DeepEqual(c.DurableObjects, want) {
		t.Errorf("DurableObjects = %+v\nwant %+v", c.DurableObjects, want)
	}
	wantInferred := []string{
		"env.CHAT_ROOM = Durable Object ChatRoom (SQLite)",
		"env.WEBSOCKET_HIBERNATION_SERVER = Durable Object WebSocketHibernationServer (SQLite)",
	}
	if !reflect.DeepEqual(c.Inferred, wantInferred) {
		t.Errorf("Inferred = %q", c.Inferred)
	}
	if len(c.Warnings) != 1 || !strings.HasPrefix(c.Warnings[0], "Durable Object class TAKEN_ would be bound as env.TAKEN,") {
		t.Errorf("Warnings = %q", c.Warnings)
	}

	withFile := &Config{Path: "/x/wrangler.toml"}
	withFile.InferDurableObjects([]string{"ChatRoom"})
	if len(withFile.DurableObjects) != 0 || len(withFile.Inferred) != 0 {
		t.Errorf("with a wrangler file: DurableObjects = %+v, Inferred = %q", withFile.DurableObjects, withFile.Inferred)
	}
}

func TestBindingName(t *testing.T) {
	t.Parallel()
	tests := []struct{ in, want string }{
		{"ChatRoom", "CHAT_ROOM"},
		{"WebSocketHibernationServer", "WEBSOCKET_HIBERNATION_SERVER"},
		{"WebSocketServer", "WEBSOCKET_SERVER"},
		{"HTMLParser", "HTML_PARSER"},
		{"Counter", "COUNTER"},
		{"MyDO", "MY_DO"},
		{"myDurableObject", "MY_DURABLE_OBJECT"},
		{"Room2", "ROOM2"},
		{"V2Server", "V2_SERVER"},
		{"HTML5Parser", "HTML5_PARSER"},
		{"SQLiteStore", "SQLITE_STORE"},
		{"Chat_Room", "CHAT_ROOM"},
		{"$Counter", "COUNTER"},
		{"A", "A"},
		{"", ""},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			t.Parallel()
			if got := BindingName(tc.in); got != tc.want {
				t.Errorf("BindingName(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}
