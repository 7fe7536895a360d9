package config

import (
	"os"
	"reflect"
	"strings"
	"testing"
)

func TestParseDotenv(t *testing.T) {
	t.Parallel()
	src := "# comment\n" +
		"A=plain\n" +
		"  B = spaced value  \n" +
		"export C=exported\n" +
		"D=\"double \\n quoted\" # trailing comment\n" +
		"E='single \\n kept'\n" +
		"F=`back`\n" +
		"G=unquoted # comment\n" +
		"H=a#b\n" +
		"I=\n" +
		"J=\"multi\nline\"\n" +
		"K: colon\n" +
		"L=\"quoted\" junk\n" +
		"M=\"never closed\n" +
		"not a pair\n" +
		"=novalue\n" +
		"N.dotted-key=ok\r\n" +
		"\n" +
		"A=again\n"
	pairs, bad := parseDotenv(src)
	got := map[string]string{}
	for _, p := range pairs {
		got[p.Key] = p.Value
	}
	want := map[string]string{
		"A": "again", "B": "spaced value", "C": "exported", "D": "double \n quoted", "E": `single \n kept`, "F": "back",
		"G": "unquoted", "H": "a", "I": "", "J": "multi\nline", "K": "colon", "L": `"quoted" junk`, "M": `"never closed`,
		"N.dotted-key": "ok",
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got  %q\nwant %q", got, want)
	}
	wantBad := []dotenvProblem{{16, "not a pair"}, {17, "=novalue"}}
	if !reflect.DeepEqual(bad, wantBad) {
		t.Errorf("bad = %+v, want %+v", bad, wantBad)
	}
}

func TestExpandDotenv(t *testing.T) {
	t.Parallel()
	vals := map[string]string{"HOST": "localhost", "URL": "http://${HOST}:$PORT/x", "PORT": "8080",
		"DEF": "${MISSING:-fallback}", "DEF2": "${MISSING-dash}", "ESC": `\$HOST`, "LOOP": "${LOOP}x", "FROMENV": "$SHELLVAR"}
	lookup := func(k string) (string, bool) {
		if k == "SHELLVAR" {
			return "from-process", true
		}
		return "", false
	}
	got := expandDotenv(vals, lookup)
	want := map[string]string{"HOST": "localhost", "URL": "http://localhost:8080/x", "PORT": "8080", "DEF": "fallback",
		"DEF2": "dash", "ESC": "$HOST", "LOOP": strings.Repeat("x", 17), "FROMENV": "from-process"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got  %q\nwant %q", got, want)
	}
}

func TestDevVars(t *testing.T) {
	t.Parallel()
	toml := "main = \"index.js\"\ncompatibility_date = \"2025-01-01\"\n[vars]\nA = \"from-config\"\nKEEP = 1\n[env.staging]\nvars = { A = \"staging-config\" }\n"
	tests := []struct {
		name     string
		files    map[string]string
		flags    Flags
		env      map[string]string // emu's environment
		vars     map[string]any
		secrets  []string
		files2   []string // VarsFiles, relative
		warnings []string
	}{
		{name: ".dev.vars overrides vars", files: map[string]string{".dev.vars": "A=dev\nS=secret\n", ".env": "E=ignored\n"},
			vars: map[string]any{"A": "dev", "KEEP": int64(1), "S": "secret"}, secrets: []string{"A", "S"}, files2: []string{".dev.vars"}},
		{name: "--var overrides .dev.vars and is not a secret", files: map[string]string{".dev.vars": "A=dev\nS=secret\n"},
			flags: Flags{Vars: []string{"S:cli"}}, vars: map[string]any{"A": "dev", "KEEP": int64(1), "S": "cli"}, secrets: []string{"A"}, files2: []string{".dev.vars"}},
		{name: ".dev.vars.<env> alone", files: map[string]string{".dev.vars": "A=dev\nS=secret\n", ".dev.vars.staging": "T=staging\n"},
			flags: Flags{Env: "staging"}, vars: map[string]any{"A": "staging-config", "T": "staging"}, secrets: []string{"T"}, files2: []string{".dev.vars.staging"}},
		{name: ".dev.vars when .dev.vars.<env> is missing", files: map[string]string{".dev.vars": "S=secret\n"},
			flags: Flags{Env: "staging"}, vars: map[string]any{"A": "staging-config", "S": "secret"}, secrets: []string{"S"}, files2: []string{".dev.vars"}},
		{name: ".env files merged in order", files: map[string]string{".env": "A=env\nB=env\nC=env\nD=env\nU=${B}-x\n", ".env.local": "B=local\nC=local\nD=local\n",
			".env.staging": "C=staging\nD=staging\n", ".env.staging.local": "D=staging-local\n"},
			flags: Flags{Env: "staging"}, vars: map[string]any{"A": "env", "B": "local", "C": "staging", "D": "staging-local", "U": "local-x"},
			secrets: []string{"A", "B", "C", "D", "U"}, files2: []string{".env", ".env.local", ".env.staging", ".env.staging.local"}},
		{name: ".env without an env ignores .env.<env>", files: map[string]string{".env": "A=env\n", ".env.staging": "A=staging\n"},
			vars: map[string]any{"A": "env", "KEEP": int64(1)}, secrets: []string{"A"}, files2: []string{".env"}},
		{name: "CLOUDFLARE_LOAD_DEV_VARS_FROM_DOT_ENV=false", files: map[string]string{".env": "A=env\n"},
			env: map[string]string{"CLOUDFLARE_LOAD_DEV_VARS_FROM_DOT_ENV": "false"}, vars: map[string]any{"A": "from-config", "KEEP": int64(1)}},
		{name: "a bad line is a warning", files: map[string]string{".dev.vars": "A=ok\nnot valid\n"},
			vars: map[string]any{"A": "ok", "KEEP": int64(1)}, secrets: []string{"A"}, files2: []string{".dev.vars"},
			warnings: []string{`.dev.vars:2: expected KEY=VALUE, got "not valid"; line ignored`}},
		{name: "secrets.required filters and warns", files: map[string]string{
			"wrangler.toml": toml + "[secrets]\nrequired = [\"S\", \"MISSING\"]\n", ".dev.vars": "S=s\nEXTRA=x\n"},
			vars: map[string]any{"A": "from-config", "KEEP": int64(1), "S": "s"}, secrets: []string{"S"}, files2: []string{".dev.vars"},
			warnings: []string{"secrets.required lists MISSING, not set in .dev.vars: env will not have it"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			files := map[string]string{"wrangler.toml": toml, "index.js": "export default {}"}
			for k, v := range tc.files {
				files[k] = v
			}
			f := tc.flags
			f.Getenv = func(k string) string { return tc.env[k] }
			c, dir, err := loadIn(t, files, f)
			if err != nil {
				t.Fatal(err)
			}
			var rel []string
			for _, p := range c.VarsFiles {
				rel = append(rel, strings.TrimPrefix(p, dir+string(os.PathSeparator)))
			}
			if !reflect.DeepEqual(c.Vars, tc.vars) || !reflect.DeepEqual(c.Secrets, tc.secrets) || !reflect.DeepEqual(rel, tc.files2) {
				t.Errorf("Vars %v (want %v)\nSecrets %q (want %q)\nVarsFiles %q (want %q)", c.Vars, tc.vars, c.Secrets, tc.secrets, rel, tc.files2)
			}
			if !reflect.DeepEqual(c.Warnings, tc.warnings) {
				t.Errorf("Warnings = %q\nwant %q", c.Warnings, tc.warnings)
			}
		})
	}
}

// TestDevVarsEnvWithoutSection: --env NAME reads .dev.vars.NAME even when the file has no
// environments (wrangler warns and uses the top level, and still reads the file).
func TestDevVarsEnvWithoutSection(t *testing.T) {
	t.Parallel()
	c, _, err := loadIn(t, map[string]string{"wrangler.toml": "main = \"index.js\"\ncompatibility_date = \"2025-01-01\"\n",
		"index.js": "export default {}", ".dev.vars": "A=top\n", ".dev.vars.prod": "A=prod\n"}, Flags{Env: "prod"})
	if err != nil {
		t.Fatal(err)
	}
	if c.Env != "" || c.Vars["A"] != "prod" {
		t.Errorf("Env %q, Vars %v", c.Env, c.Vars)
	}
}
