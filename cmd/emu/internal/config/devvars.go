package config

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// loadDevVars reads local secrets as wrangler dev does
// (workers-sdk packages/wrangler/src/dev/dev-vars.ts), beside the wrangler
// file (else in c.Dir), for the environment env (--env, even when the file has no such
// section, as wrangler):
//
//   - `.dev.vars.<env>` when an environment is selected and the file
//     exists, else `.dev.vars`: only that one file is read;
//   - when neither exists (and CLOUDFLARE_LOAD_DEV_VARS_FROM_DOT_ENV is not
//     "false"), `.env`, `.env.local`, `.env.<env>`, `.env.<env>.local`,
//     each overriding the ones before, with dotenv-expand's `${NAME}`
//     expansion, and the process environment too when
//     CLOUDFLARE_INCLUDE_PROCESS_ENV is "true".
//
// The values become string vars (overriding [vars]) and their names are
// listed in c.Secrets, so the banner hides them. With `secrets.required`
// in the config only those names are taken, and a missing one is a
// warning. A line that is not KEY=VALUE is a warning naming file and line.
func (c *Config) loadDevVars(env string, getenv func(string) string, required []string, hasRequired bool) {
	vals, order := map[string]string{}, []string(nil)
	set := func(k, v string) {
		if _, ok := vals[k]; !ok {
			order = append(order, k)
		}
		vals[k] = v
	}
	read := func(name string) bool {
		p := filepath.Join(c.Dir, name)
		src, err := os.ReadFile(p)
		if err != nil {
			if !os.IsNotExist(err) {
				c.Warnings = append(c.Warnings, fmt.Sprintf("%s: %v; not read", name, err))
			}
			return false
		}
		pairs, bad := parseDotenv(string(src))
		for _, b := range bad {
			c.Warnings = append(c.Warnings, fmt.Sprintf("%s:%d: expected KEY=VALUE, got %q; line ignored", name, b.Line, strings.TrimSpace(b.Text)))
		}
		for _, p := range pairs {
			set(p.Key, p.Value)
		}
		c.VarsFiles = append(c.VarsFiles, p)
		return true
	}

	switch {
	case env != "" && read(".dev.vars."+env):
	case read(".dev.vars"):
	case getenv("CLOUDFLARE_LOAD_DEV_VARS_FROM_DOT_ENV") == "false":
	default:
		files := []string{".env", ".env.local"}
		if env != "" {
			files = append(files, ".env."+env, ".env."+env+".local")
		}
		for _, f := range files {
			read(f)
		}
		lookup := func(string) (string, bool) { return "", false }
		if getenv("CLOUDFLARE_INCLUDE_PROCESS_ENV") == "true" {
			for _, kv := range os.Environ() {
				k, v, _ := strings.Cut(kv, "=")
				if _, ok := vals[k]; !ok {
					set(k, v)
				}
			}
			lookup = os.LookupEnv
		}
		vals = expandDotenv(vals, lookup)
	}

	if hasRequired {
		var missing []string
		for _, k := range required {
			if _, ok := vals[k]; !ok {
				missing = append(missing, k)
			}
		}
		for _, k := range order {
			if !slices.Contains(required, k) {
				delete(vals, k)
			}
		}
		if len(missing) > 0 {
			where := "no .dev.vars or .env file"
			if len(c.VarsFiles) > 0 {
				where = displayPath(c.Dir, c.VarsFiles[0])
			}
			c.Warnings = append(c.Warnings, fmt.Sprintf("secrets.required lists %s, not set in %s: env will not have %s",
				strings.Join(missing, ", "), where, map[bool]string{true: "it", false: "them"}[len(missing) == 1]))
		}
	}
	for _, k := range order {
		if v, ok := vals[k]; ok {
			c.Vars[k] = v
			c.Secrets = append(c.Secrets, k)
		}
	}
	slices.Sort(c.Secrets)
	c.Secrets = slices.Compact(c.Secrets)
}
