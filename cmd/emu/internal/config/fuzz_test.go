package config

import (
	"errors"
	"strings"
	"testing"
	"unicode/utf8"
)

// The fuzz targets below feed arbitrary bytes to the readers of files a
// user (or a tool, or a bad merge) writes: wrangler.toml, wrangler.json(c)
// and .dev.vars/.env. Whatever the input, reading it must not panic or hang
// and must end in either a Config or one *Error whose position lies inside
// the file. Their seed corpora are in testdata/fuzz/<Target>/, run by plain
// `go test`; fuzz with
//
//	go test -run '^$' -fuzz '^FuzzWranglerTOML$' -fuzztime 10m ./cmd/emu/internal/config

// FuzzWranglerTOML reads arbitrary wrangler.toml text and applies it, at the
// top level and under an environment.
func FuzzWranglerTOML(f *testing.F) {
	for _, s := range []string{chatTOML, "", "name = 1", "[env.staging]\nname = \"x\"\n[[env.staging.durable_objects.bindings]]\nname = \"A\"\nclass_name = \"A\"",
		"[[migrations]]\ntag = \"v1\"\nnew_sqlite_classes = [\"A\"]\n[[migrations]]\ntag = \"v2\"\nrenamed_classes = [{from = \"A\", to = \"B\"}]",
		"compatibility_date = 2024-01-01", "[limits]\ncpu_ms = -1", "[[rules]]\ntype = \"Text\"\nglobs = [\"**/*.md\"]\n",
		"[vars]\na = { b = [1, 2.5, true, \"s\", 1979-05-27T07:32:00Z] }", "x = \"\\uD800\"", "[dev]\nport = 99999999999"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src string) {
		d, err := parseTOML([]byte(src), "wrangler.toml")
		checkRead(t, src, d, err)
	})
}

// FuzzWranglerJSONC reads arbitrary wrangler.jsonc text (comments and
// trailing commas allowed) and applies it.
func FuzzWranglerJSONC(f *testing.F) {
	for _, s := range []string{
		`{"name": "chat", "main": "src/index.ts", "compatibility_date": "2025-01-01", /* c */ "vars": {"A": [1, {"b": null}],},}`,
		`{}`, ``, `[]`, `null`, `{"name": 1}`, `{"env": {"staging": {"vars": {"X": "y"}}}}`,
		`{"durable_objects": {"bindings": [{"name": "A", "class_name": "A"}, 3]}, "migrations": [{"tag": "v1", "new_classes": ["A"]}]}`,
		`{"limits": {"cpu_ms": 1e400}}`, `{"kv_namespaces": [{"binding": "K", "id": "x"}]}`, "{\"a\": \"\xff\"}",
		`{"build": {"command": "make", "watch_dir": ["a", "b"]}, "dev": {"port": -1}}`, `// only a comment`,
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src string) {
		d, err := parseJSON([]byte(src), "wrangler.jsonc")
		checkRead(t, src, d, err)
	})
}

// checkRead checks the outcome of parsing src and, if it parsed, of applying
// it at the top level and under [env.staging].
func checkRead(t *testing.T, src string, d *doc, err error) {
	t.Helper()
	if err != nil {
		checkError(t, src, err)
		return
	}
	for _, env := range []string{"", "staging"} {
		c := &Config{Vars: map[string]any{}, CPULimit: DefaultCPULimit}
		if _, _, _, _, err := c.applyFile(d, env); err != nil {
			checkError(t, src, err)
		}
	}
}

// checkError: an error is an *Error with a message, at a position inside src.
func checkError(t *testing.T, src string, err error) {
	t.Helper()
	var e *Error
	if !errors.As(err, &e) {
		t.Fatalf("error %T %v is not a *config.Error", err, err)
	}
	if e.Msg == "" || e.Error() == "" {
		t.Fatalf("empty error message: %#v", e)
	}
	lines := strings.Count(src, "\n") + 1
	if e.Line < 0 || e.Line > lines || e.Col < 0 {
		t.Fatalf("error position %d:%d outside the file (%d lines): %v", e.Line, e.Col, lines, e)
	}
}

// FuzzDotenv reads arbitrary .dev.vars / .env text and expands it as
// wrangler does. Keys are dotenv keys, line numbers are inside the file, and
// expansion stays bounded however the values refer to each other.
func FuzzDotenv(f *testing.F) {
	for _, s := range []string{
		"A=1\nB='two'\nC=\"3\\n4\"\n# c\nexport D=x # y\nE: z\n",
		"A=\"multi\nline\"\nB=`back`\n", "A='never closed\nB=2", "=nokey\nbad line\n", "A=${B:-def}\nB=$A\\$C\n",
		"A=$B$B$B$B\nB=$C$C$C$C\nC=$D$D$D$D\nD=$E$E$E$E\nE=xxxxxxxxxxxxxxxx\n", "A=${A}${A}\n", "\r\nK=\"v\" junk\r",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src string) {
		pairs, bad := parseDotenv(src)
		lines := strings.Count(src, "\n") + strings.Count(src, "\r") + 1
		vals := map[string]string{}
		for _, p := range pairs {
			if p.Key == "" || dotenvKey.FindString(p.Key) != p.Key {
				t.Fatalf("bad key %q", p.Key)
			}
			if p.Line < 1 || p.Line > lines {
				t.Fatalf("pair %q on line %d of %d", p.Key, p.Line, lines)
			}
			vals[p.Key] = p.Value
		}
		for _, b := range bad {
			if b.Line < 1 || b.Line > lines {
				t.Fatalf("problem on line %d of %d", b.Line, lines)
			}
		}
		env := map[string]string{"HOME": "/home/u"}
		out := expandDotenv(vals, func(k string) (string, bool) { v, ok := env[k]; return v, ok })
		if len(out) != len(vals) {
			t.Fatalf("expanded %d values, read %d", len(out), len(vals))
		}
		total := 0
		for _, v := range out {
			total += len(v)
		}
		if total > maxDotenvExpansion+len(src)+len(env["HOME"])*len(src) {
			t.Fatalf("expansion grew to %d bytes from %d", total, len(src))
		}
		if utf8.ValidString(src) {
			for k, v := range out {
				if !utf8.ValidString(v) {
					t.Fatalf("%s expanded to invalid UTF-8 %q", k, v)
				}
			}
		}
	})
}
