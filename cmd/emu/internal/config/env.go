package config

import (
	"encoding/json"
	"fmt"
	"maps"
	"slices"
)

// fileReader reads one wrangler file as seen from the selected environment:
// at(key) is where a key is read, [env.NAME] for the keys that section sets
// and for every non-inheritable key, the top level otherwise (wrangler's
// inheritance rules).
type fileReader struct {
	*reader
	env      string         // selected environment; "" for the top level
	envTable map[string]any // [env.NAME]
	warnings []string
}

func (r *fileReader) warn(w string) { r.warnings = append(r.warnings, w) }

// at is the path of key for the selected environment.
func (r *fileReader) at(key string, rest ...any) []any {
	path := []any{key}
	if r.env != "" {
		_, set := r.envTable[key]
		if set || wranglerKeys[key].scope == nonInheritable {
			path = []any{"env", r.env, key}
		}
	}
	return slices.Clip(append(path, rest...))
}

// selectEnv finds [env.NAME] for --env NAME. A name the file does not
// define is wrangler's error when the file defines other environments, and
// its warning (the top level is used) when it defines none.
func (r *fileReader) selectEnv(name string) error {
	if name == "" {
		return nil
	}
	envs := r.table("env")
	if r.err != nil {
		return r.err
	}
	for _, n := range slices.Sorted(maps.Keys(envs)) {
		if _, ok := envs[n].(map[string]any); !ok {
			r.mismatch([]any{"env", n}, r.d.aTable(), envs[n])
			return r.err
		}
	}
	if t, ok := envs[name].(map[string]any); ok {
		r.env, r.envTable = name, t
		return nil
	}
	msg := fmt.Sprintf("No environment found in configuration with name %q. "+
		"Before using `--env=%s` there should be an equivalent environment section in the configuration.", name, name)
	if len(envs) == 0 {
		r.warn(fmt.Sprintf("%s: %s Add [env.%s] to %s; using the top-level configuration.", r.d.file, msg, name, r.d.file))
		return nil
	}
	names, _ := json.Marshal(slices.Sorted(maps.Keys(envs)))
	return &Error{File: r.d.file, Msg: fmt.Sprintf("%s The available configured environment names are: %s", msg, names)}
}

// inheritanceWarnings are wrangler's warnings for a non-inheritable key set
// at the top level but not in the selected environment.
func (r *fileReader) inheritanceWarnings() {
	if r.env == "" {
		return
	}
	for _, k := range slices.Sorted(maps.Keys(r.d.root)) {
		if wranglerKeys[k].scope != nonInheritable {
			continue
		}
		if _, ok := r.envTable[k]; !ok {
			r.warn(fmt.Sprintf("%[1]s: %[2]q exists at the top level, but not on \"env.%[3]s\": it is not inherited by environments, "+
				"so [env.%[3]s] has none. Add %[2]q to \"env.%[3]s\".", r.d.file, k, r.env))
		}
	}
}

// name is the Worker's name in the selected environment: the section's
// own, else wrangler's `<name>-<env>`.
func (r *fileReader) name() string {
	if r.env == "" {
		return r.str("name")
	}
	if _, ok := r.envTable["name"]; ok {
		return r.str("env", r.env, "name")
	}
	if n := r.str("name"); n != "" {
		return n + "-" + r.env
	}
	return ""
}
