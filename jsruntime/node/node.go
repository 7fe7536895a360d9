// Package node provides the Node.js built-in modules a Worker gets with
// workerd's nodejs_compat compatibility flag: node:buffer, node:events,
// node:util, node:assert, node:async_hooks, node:path, node:crypto,
// node:string_decoder, node:url, node:timers, node:process and a few more,
// written in JavaScript with Go natives beside them. Every other Node.js
// module can be imported, and each of its functions throws workerd's
// "The <module>.<name> method is not implemented" (ERR_METHOD_NOT_IMPLEMENTED).
//
// The modules are platform code, like package webapi: they know nothing of
// Cloudflare bindings. The bundler resolves their specifiers to small
// virtual modules (Modules) that ask the runtime for the module
// (`globalThis.__emu_node("buffer")`); Install defines that function, which
// builds a module on first import.
//
// The package is laid out as webapi is, by module: each module's JS file and
// the Go file of its natives side by side (buffer.js and buffer.go, ...);
// prelude.js holds Node's error classes and argument validators; names.js
// the export names of every Node.js module, so that importing a name emu
// lacks gives a function that throws rather than a build error.
package node

import (
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"sort"
	"strings"
	"sync"

	"github.com/dop251/goja"

	"github.com/emu-dev/emu/jsruntime"
)

// Mode is how much of Node.js a Worker gets, from its compatibility flags
// (see ModeFor).
type Mode int

const (
	// Off: no Node.js modules; importing one is a build error.
	Off Mode = iota
	// ALS (nodejs_als): only node:async_hooks.
	ALS
	// V1 (nodejs_compat before 2024-09-23): the modules, with the "node:"
	// prefix only.
	V1
	// V2 (nodejs_compat_v2): also without the prefix ("buffer"), and the
	// Buffer and process globals.
	V2
)

// String names the mode as wrangler does in its build errors.
func (m Mode) String() string {
	switch m {
	case ALS:
		return "als"
	case V1:
		return "v1"
	case V2:
		return "v2"
	}
	return ""
}

// Options configures the modules of one runtime.
type Options struct {
	Mode Mode
	// Env is the Worker's env; with PopulateEnv (nodejs_compat_populate_process_env),
	// process.env holds its string values and, as JSON, its values that are
	// plain JSON data, as workerd does. Otherwise process.env starts empty.
	Env         *goja.Object
	PopulateEnv bool
}

// moduleNames are the modules of Node.js (20) a Worker may import, with or
// without the "node:" prefix: names.js has their exports.
var moduleNames = []string{
	"assert", "assert/strict", "async_hooks", "buffer", "child_process", "cluster", "console",
	"constants", "crypto", "dgram", "diagnostics_channel", "dns", "dns/promises", "domain",
	"events", "fs", "fs/promises", "http", "http2", "https", "inspector", "inspector/promises",
	"module", "net", "os", "path", "path/posix", "path/win32", "perf_hooks", "process",
	"punycode", "querystring", "readline", "readline/promises", "repl", "stream",
	"stream/consumers", "stream/promises", "stream/web", "string_decoder", "sys", "timers",
	"timers/promises", "tls", "trace_events", "tty", "url", "util", "util/types", "v8", "vm",
	"wasi", "worker_threads", "zlib",
}

// Builtins returns the names of Node.js's built-in modules (without the
// "node:" prefix), sorted.
func Builtins() []string {
	out := append([]string(nil), moduleNames...)
	sort.Strings(out)
	return out
}

// globalName is the hidden global function the virtual modules call.
const globalName = "__emu_node"

// Modules returns, for a mode, the import specifiers the bundler resolves to
// virtual modules and their sources: "node:buffer" (and "buffer" in V2) is
// `module.exports = globalThis.__emu_node("buffer");`, a CommonJS module,
// so `require("events")` is the EventEmitter class as in Node, and named
// imports are its properties.
func Modules(m Mode) map[string]string {
	out := map[string]string{}
	add := func(name string) {
		src := "module.exports = globalThis." + globalName + "(" + quote(name) + ");\n"
		out["node:"+name] = src
		if m == V2 {
			out[name] = src
		}
	}
	switch m {
	case ALS:
		add("async_hooks")
	case V1, V2:
		for _, n := range moduleNames {
			add(n)
		}
	}
	return out
}

func quote(s string) string { return `"` + strings.ReplaceAll(s, `"`, `\"`) + `"` }

// sourceFiles are the JS files, in the order they run. Each module file
// registers its module with defineModule.
var sourceFiles = []string{
	"prelude.js", "names.js", "stubs.js", "events.js", "buffer.js", "buffernumbers.js", "util.js", "types.js",
	"comparisons.js", "assert.js", "async_hooks.js", "path.js", "crypto.js", "string_decoder.js", "url.js",
	"querystring.js", "timers.js", "process.js", "diagnostics_channel.js", "console.js",
}

//go:embed *.js
var sources embed.FS

var (
	compileOnce sync.Once
	program     *goja.Program
	compileErr  error
)

// compile builds the program of sourceFiles once per process: a function
// `(function (host) { ...; return loadModule; })`.
func compile() (*goja.Program, error) {
	compileOnce.Do(func() {
		var src strings.Builder
		src.WriteString("(function (host) {\n\"use strict\";\n")
		for _, name := range sourceFiles {
			b, err := fs.ReadFile(sources, name)
			if err != nil {
				compileErr = fmt.Errorf("read node module sources: %w", err)
				return
			}
			src.Write(b)
			src.WriteString("\n")
		}
		src.WriteString("return loadModule;\n})")
		program, compileErr = goja.Compile("emu:node.js", src.String(), false)
		if compileErr != nil {
			compileErr = fmt.Errorf("compile node module sources: %w", compileErr)
		}
	})
	return program, compileErr
}

// Prepare compiles the modules now, so Install does not (it runs under the
// CPU limit). Safe from any goroutine, any number of times.
func Prepare() { _, _ = compile() }

// Install defines what the modules need on iso's runtime rt: the hidden
// function the virtual modules call and, in V2, the Buffer and process
// globals (made on first use). Call it on the loop, after webapi.Install
// and before the Worker's code runs. With Mode Off it does nothing.
func Install(iso *jsruntime.Isolate, rt *goja.Runtime, opts Options) error {
	if opts.Mode == Off {
		return nil
	}
	if iso == nil {
		return errors.New("install node modules: no isolate")
	}
	prog, err := compile()
	if err != nil {
		return err
	}
	f, err := rt.RunProgram(prog)
	if err != nil {
		return fmt.Errorf("install node modules: %w", err)
	}
	fn, _ := goja.AssertFunction(f)
	load, err := fn(goja.Undefined(), newHost(iso, rt, opts))
	if err != nil {
		return fmt.Errorf("install node modules: %w", err)
	}
	g := rt.GlobalObject()
	if err := g.DefineDataProperty(globalName, load, goja.FLAG_FALSE, goja.FLAG_FALSE, goja.FLAG_FALSE); err != nil {
		return fmt.Errorf("install node modules: %w", err)
	}
	if opts.Mode == V2 {
		loadFn, _ := goja.AssertFunction(load)
		for _, global := range []struct{ name, module, prop string }{{"Buffer", "buffer", "Buffer"}, {"process", "process", ""}} {
			if err := lazyGlobal(rt, loadFn, global.name, global.module, global.prop); err != nil {
				return fmt.Errorf("install node modules: %w", err)
			}
		}
	}
	return nil
}

// lazyGlobal defines a global whose value is module (or its property prop)
// loaded on first read; assigning it replaces it.
func lazyGlobal(rt *goja.Runtime, load goja.Callable, name, module, prop string) error {
	g := rt.GlobalObject()
	define := func(v goja.Value) {
		_ = g.DefineDataProperty(name, v, goja.FLAG_TRUE, goja.FLAG_TRUE, goja.FLAG_FALSE)
	}
	get := func(goja.FunctionCall) goja.Value {
		m, err := load(goja.Undefined(), rt.ToValue(module))
		if err != nil {
			panic(err)
		}
		v := m
		if prop != "" {
			v = m.ToObject(rt).Get(prop)
		}
		define(v)
		return v
	}
	set := func(c goja.FunctionCall) goja.Value {
		define(c.Argument(0))
		return goja.Undefined()
	}
	return g.DefineAccessorProperty(name, rt.ToValue(get), rt.ToValue(set), goja.FLAG_TRUE, goja.FLAG_FALSE)
}
