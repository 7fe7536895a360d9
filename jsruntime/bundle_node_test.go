package jsruntime

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/dop251/goja"
)

func writeFiles(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, src := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

var testBuiltins = []string{"buffer", "events", "fs", "fs/promises"}

// Without nodejs_compat, importing a Node.js built-in fails as wrangler's
// build does, with its hint.
func TestBundleNodeBuiltinsWithoutCompat(t *testing.T) {
	t.Parallel()
	cases := []struct {
		mode, src, want string
	}{
		{"", `import { Buffer } from "node:buffer";`, "index.js:1:23: ERROR: Could not resolve \"node:buffer\"\n" +
			"    1 | import { Buffer } from \"node:buffer\";\n" +
			"      |                        ^\n" +
			"  The package \"node:buffer\" wasn't found on the file system but is built into node.\n" +
			"  - Add the \"nodejs_compat\" compatibility flag to your project."},
		{"als", `import fs from "fs/promises";`, "index.js:1:15: ERROR: Could not resolve \"fs/promises\"\n" +
			"    1 | import fs from \"fs/promises\";\n" +
			"      |                ^\n" +
			"  The package \"fs/promises\" wasn't found on the file system but is built into node.\n" +
			"  - Add the \"nodejs_compat\" compatibility flag to your project."},
		{"v1", `import { EventEmitter } from "events";`, "index.js:1:29: ERROR: Could not resolve \"events\"\n" +
			"    1 | import { EventEmitter } from \"events\";\n" +
			"      |                              ^\n" +
			"  The package \"events\" wasn't found on the file system but is built into node.\n" +
			"  - Make sure to prefix the module name with \"node:\" or update your compatibility_date to 2024-09-23 or later."},
	}
	for _, tc := range cases {
		dir := writeFiles(t, map[string]string{"index.js": tc.src + "\nexport default {};\n"})
		sources := map[string]string{}
		if tc.mode != "" {
			sources["node:async_hooks"] = "module.exports = {};"
		}
		_, err := BuildBundle(BundleOptions{Entry: filepath.Join(dir, "index.js"), Node: NodeModules{Sources: sources, Builtins: testBuiltins, Mode: tc.mode}})
		var be *BuildError
		if !errors.As(err, &be) {
			t.Fatalf("%s: err = %v", tc.src, err)
		}
		if be.Error() != tc.want {
			t.Errorf("%s:\n got:\n%s\nwant:\n%s", tc.src, be.Error(), tc.want)
		}
	}
}

// With the modules, specifiers resolve to their virtual modules (CommonJS:
// require gives the module itself); without them, a bare name is a
// package in node_modules.
func TestBundleNodeBuiltins(t *testing.T) {
	t.Parallel()
	dir := writeFiles(t, map[string]string{
		"index.js": `import { EventEmitter } from "events";
import Def from "node:events";
import * as ns from "node:buffer";
const cjs = require("events");
export const out = [EventEmitter.tag, Def.tag, ns.Buffer, cjs === Def].join();`,
		"node_modules/events/package.json": `{"name": "events", "main": "index.js"}`,
		"node_modules/events/index.js":     `module.exports = { tag: "npm", EventEmitter: { tag: "npm" } };`,
	})
	run := func(sources map[string]string) string {
		b, err := BuildBundle(BundleOptions{Entry: filepath.Join(dir, "index.js"), Node: NodeModules{Sources: sources, Builtins: testBuiltins, Mode: "v2"}})
		if err != nil {
			t.Fatal(err)
		}
		iso := newIsolate(t, Options{})
		var out string
		err = iso.Do(func(rt *goja.Runtime) error {
			_, err := rt.RunString(`const cache = {}; globalThis.__node = (name) => { if (cache[name]) return cache[name]; const m = function () {}; m.tag = "emu " + name; m.EventEmitter = m; m.Buffer = "B"; return (cache[name] = m); };`)
			if err != nil {
				return err
			}
			ns, err := Load(rt, b)
			if err != nil {
				return err
			}
			out = ns.Get("out").String()
			return nil
		})
		if err != nil {
			t.Fatal(FormatError(err))
		}
		return out
	}
	src := func(name string) string { return `module.exports = globalThis.__node("` + name + `");` }
	if got := run(map[string]string{"events": src("events"), "node:events": src("events"), "node:buffer": src("buffer")}); got != "emu events,emu events,B,true" {
		t.Errorf("with the modules: %s", got)
	}
	// node:buffer must resolve for the bundle to build; events comes from
	// node_modules.
	if got := run(map[string]string{"node:events": src("events"), "node:buffer": src("buffer")}); !strings.HasPrefix(got, "npm,emu events,B,") {
		t.Errorf("bare name without v2: %s", got)
	}
}

// Syntax goja lacks is lowered: class fields named get or set (Hono's
// Context has them), logical assignment, import() of a computed specifier
// (it rejects, as nothing outside the bundle can be imported).
func TestBundleLowersSyntaxGojaLacks(t *testing.T) {
	t.Parallel()
	dir := writeFiles(t, map[string]string{"index.js": `class C {
  #v;
  set = (k) => { this.#v ??= []; this.#v.push(k); };
  get = () => this.#v.join();
  static tag = "s";
}
const c = new C();
c.set("a");
c.set("b");
let x = null;
x ||= 1;
const name = "some" + "where";
export const out = import(name).then(() => "imported", (e) => c.get() + " " + C.tag + " " + x + " " + e.message);
`})
	b, err := BuildBundle(BundleOptions{Entry: filepath.Join(dir, "index.js")})
	if err != nil {
		t.Fatal(err)
	}
	iso := newIsolate(t, Options{})
	done := make(chan string, 1)
	err = iso.Do(func(rt *goja.Runtime) error {
		ns, err := Load(rt, b)
		if err != nil {
			return err
		}
		Settle(rt, ns.Get("out"), func(v goja.Value, err error) {
			if err != nil {
				done <- err.Error()
				return
			}
			done <- v.String()
		})
		return nil
	})
	if err != nil {
		t.Fatal(FormatError(err))
	}
	select {
	case got := <-done:
		if got != `a,b s 1 Dynamic require of "somewhere" is not supported` {
			t.Errorf("got %q", got)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the import did not settle")
	}
}
