package webapi

import (
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"strings"
	"sync"

	"github.com/dop251/goja"

	"github.com/emu-dev/emu/jsruntime"
)

// An area is one part of the web platform: its JS sources and the Go
// natives they call.
type area struct {
	// name names the area in errors.
	name string
	// js are the area's files, run in this order.
	js []string
	// tier is "" for sources run when the APIs are installed, or the name of
	// the lazy tier they belong to: the sources of the areas of tier NAME
	// (which must be listed one after another) become the body of a function
	// __tier_NAME that tiers.js runs on first use of their globals.
	tier string
	// natives are the Go functions the JS side calls as host.<name>. host
	// is one object: the JS of any area may call them.
	natives []native
}

// areas are the web platform APIs, in the order their sources run. The
// prelude's helpers come first and tiers.js, which defines the lazy globals
// of the tiers, last. Adding an area is adding a line here.
var areas = []area{
	{name: "prelude", js: []string{"prelude.js"}},
	{name: "engine", js: []string{"engine.js", "iterator.js"}},
	{name: "events", js: []string{"domexception.js", "events.js", "abort.js"}},
	{name: "encoding", js: []string{"encoding.js"}, natives: encodingNatives},
	{name: "url", js: []string{"urlparse.js", "urlhost.js", "urlsearchparams.js", "url.js"}, tier: "fetch"},
	{name: "headers", js: []string{"headers.js"}, tier: "fetch"},
	{name: "fetch", js: []string{"body.js", "request.js", "response.js", "fetch.js", "fetch_out.js"}, tier: "fetch", natives: outboundNatives},
	{name: "blob", js: []string{"blob.js", "formdata.js"}, tier: "fetch", natives: formDataNatives},
	{name: "streams", js: []string{
		"streams_util.js", "streams_queue.js", "streams_controllers.js", "streams_readable.js",
		"streams_readers.js", "streams_internal.js", "streams_writable.js", "streams_jswritable.js", "streams_pipe.js",
		"streams_transform.js", "streams_encoding.js", "streams_body.js",
	}, tier: "streams", natives: streamsNatives},
	{name: "compression", js: []string{"compression.js"}, tier: "streams", natives: compressionNatives},
	{name: "console", js: []string{"inspect.js", "inspectparts.js", "console.js"}, tier: "console", natives: consoleNatives},
	{name: "subtle", js: []string{"subtleargs.js", "subtle.js"}, tier: "subtle", natives: subtleNatives},
	{name: "crypto", js: []string{"crypto.js", "digeststream.js"}, natives: cryptoNatives},
	{name: "globals", js: []string{"globals.js", "scope.js"}, natives: globalsNatives},
	{name: "tiers", js: []string{"tiers.js"}},
}

//go:embed *.js
var sources embed.FS

var (
	compileOnce sync.Once
	program     *goja.Program // immutable once compiled; shared by all runtimes
	compileErr  error
)

// compile builds the program of areas once per process (see source).
func compile() (*goja.Program, error) {
	compileOnce.Do(func() {
		src, err := source(sources, areas)
		if err != nil {
			compileErr = err
			return
		}
		program, compileErr = goja.Compile("emu:webapi.js", src, false)
		if compileErr != nil {
			compileErr = fmt.Errorf("compile web API sources: %w", compileErr)
		}
	})
	return program, compileErr
}

// source concatenates the sources of areas, read from fsys, into one
// function `(function (host) { ...; return registry; })`, run once per
// runtime with host, the object of natives. registry holds the classes
// jsruntime.Class returns and the entry points fetch.go calls. To keep a
// new runtime cheap (goja spends about a microsecond per function object),
// each tier's sources are wrapped in a function that runs on first use of
// their globals (see tiers.js). Every *.js file in fsys must be in exactly
// one area, each tier's areas must be consecutive, and native names unique.
func source(fsys fs.FS, areas []area) (string, error) {
	var src strings.Builder
	src.WriteString("(function (host) {\n\"use strict\";\n")
	used := map[string]bool{}
	natives := map[string]bool{}
	tier, closed := "", map[string]bool{}
	for _, a := range areas {
		if a.tier != tier {
			if tier != "" {
				src.WriteString("}\n")
				closed[tier] = true
			}
			if closed[a.tier] {
				return "", fmt.Errorf("web API sources: area %s: the areas of tier %s are not listed together", a.name, a.tier)
			}
			if a.tier != "" {
				src.WriteString("function __tier_" + a.tier + "() {\n")
			}
			tier = a.tier
		}
		for _, name := range a.js {
			if used[name] {
				return "", fmt.Errorf("web API sources: area %s: %s is listed twice", a.name, name)
			}
			used[name] = true
			b, err := fs.ReadFile(fsys, name)
			if err != nil {
				return "", fmt.Errorf("read web API sources: area %s: %w", a.name, err)
			}
			src.Write(b)
			src.WriteString("\n")
		}
		for _, n := range a.natives {
			if natives[n.name] {
				return "", fmt.Errorf("web API sources: area %s: native %s is defined twice", a.name, n.name)
			}
			natives[n.name] = true
		}
	}
	if tier != "" {
		src.WriteString("}\n")
	}
	src.WriteString("return registry;\n})")
	all, err := fs.Glob(fsys, "*.js")
	if err != nil {
		return "", fmt.Errorf("read web API sources: %w", err)
	}
	for _, name := range all {
		if !used[name] {
			return "", fmt.Errorf("web API sources: %s is in no area", name)
		}
	}
	return src.String(), nil
}

// Prepare compiles the web platform APIs now, so a later Install does not
// wait for it. Safe to call from any goroutine, any number of times; emu
// calls it in the background at startup while esbuild bundles the Worker.
func Prepare() { _, _ = compile() }

// Options configures the globals of one runtime.
type Options struct {
	// Console receives console.* output: level is "log", "info", "warn",
	// "error" or "debug"; line is formatted as workerd's console prints it
	// (strings bare, objects as `{ a: 1, b: 'x' }`, Errors as their stack).
	// Nil discards the output.
	Console func(level string, line string)
	// CompatibilityFlags is the state of the compatibility flags in effect
	// (enable-flag names to on or off), as the compatibility date and
	// flags of the Worker's configuration set them: the script reads it as
	// Cloudflare.compatibilityFlags.
	CompatibilityFlags map[string]bool
	// FixupTransformStreamBackpressure is workerd's compatibility flag
	// fixup-transform-stream-backpressure (on from 2024-12-16): a
	// TransformStream's writes wait while its readable side is full.
	FixupTransformStreamBackpressure bool
}

// registryKey names the hidden global property holding a runtime's registry
// (classes and internal entry points). A symbol, so scripts overwriting
// globals cannot reach it by name.
var registryKey = goja.NewSymbol("emu.webapi")

// Install defines the web platform globals on iso's runtime rt: Headers,
// Request, Response, URL, URLSearchParams, TextEncoder, TextDecoder, atob,
// btoa, console, crypto, Event, EventTarget, AbortController, DOMException,
// ReadableStream and the rest, with workerd's observable behaviour, and
// registers their classes for jsruntime.Class. fetch is a stub that
// rejects; structuredClone and timers are the isolate's own. Call it once,
// on iso's loop (inside Do), before the Worker's code runs. iso must not be
// nil.
func Install(iso *jsruntime.Isolate, rt *goja.Runtime, opts Options) error {
	if iso == nil {
		return errors.New("install web APIs: no isolate")
	}
	prog, err := compile()
	if err != nil {
		return err
	}
	global := rt.GlobalObject()
	if r := global.GetSymbol(registryKey); r != nil && !goja.IsUndefined(r) {
		return errors.New("install web APIs: already installed on this runtime")
	}
	f, err := rt.RunProgram(prog)
	if err != nil {
		return fmt.Errorf("install web APIs: %w", err)
	}
	fn, ok := goja.AssertFunction(f)
	if !ok {
		return errors.New("install web APIs: program did not produce a function")
	}
	e := newEnv(iso, rt, opts)
	reg, err := fn(goja.Undefined(), e.host())
	if err != nil {
		return fmt.Errorf("install web APIs: %w", err)
	}
	if err := global.DefineDataPropertySymbol(registryKey, reg, goja.FLAG_FALSE, goja.FLAG_FALSE, goja.FLAG_FALSE); err != nil {
		return fmt.Errorf("install web APIs: %w", err)
	}
	if err := global.DefineDataPropertySymbol(envKey, rt.ToValue(e), goja.FLAG_FALSE, goja.FLAG_FALSE, goja.FLAG_FALSE); err != nil {
		return fmt.Errorf("install web APIs: %w", err)
	}
	if err := jsruntime.RegisterClasses(rt, reg.ToObject(rt)); err != nil {
		return fmt.Errorf("install web APIs: %w", err)
	}
	iso.OnIdle(e.failStalledReads)
	installNotYet(rt)
	return installHooks(iso, rt)
}

// envKey names the hidden global property holding a runtime's env.
var envKey = goja.NewSymbol("emu.webapi.env")

// envOf returns rt's env, or nil before Install.
func envOf(rt *goja.Runtime) *env {
	v := rt.GlobalObject().GetSymbol(envKey)
	if v == nil {
		return nil
	}
	e, _ := v.Export().(*env)
	return e
}

// registry returns rt's registry, or nil before Install.
func registry(rt *goja.Runtime) *goja.Object {
	v := rt.GlobalObject().GetSymbol(registryKey)
	if o, ok := v.(*goja.Object); ok {
		return o
	}
	return nil
}

// entry returns the registry's entry point name (a function the JS side
// registered for Go to call).
func entry(rt *goja.Runtime, name string) (goja.Callable, error) {
	reg := registry(rt)
	if reg == nil {
		return nil, errors.New("web APIs are not installed on this runtime")
	}
	fn, ok := goja.AssertFunction(reg.Get(name))
	if !ok {
		return nil, fmt.Errorf("web API entry point %s is missing", name)
	}
	return fn, nil
}

// A native is a Go function the JS side calls as host.<name>. It runs on the
// isolate's loop, with the env of the runtime it was installed on.
type native struct {
	name string
	fn   func(e *env, call goja.FunctionCall) goja.Value
}

// env is what natives know of the runtime they were installed on.
type env struct {
	iso     *jsruntime.Isolate
	rt      *goja.Runtime
	opts    Options
	console func(level, line string) // Options.Console, never nil
	flags   map[string]bool          // Options.CompatibilityFlags
	// bodyReads are the reads of streaming Response bodies in flight (loop
	// only).
	bodyReads map[*BodyStream]struct{}
	// out is the client of outgoing fetch(), made on first use (loop only).
	out *outbound
	// upgrader opens outgoing WebSockets for fetch() (see
	// SetWebSocketUpgrader); nil without one.
	upgrader WebSocketUpgrader
}

func newEnv(iso *jsruntime.Isolate, rt *goja.Runtime, opts Options) *env {
	e := &env{iso: iso, rt: rt, opts: opts, console: opts.Console, flags: opts.CompatibilityFlags, bodyReads: map[*BodyStream]struct{}{}}
	if e.console == nil {
		e.console = func(string, string) {}
	}
	return e
}

// host builds the host object: the natives of every area, bound to e.
func (e *env) host() *goja.Object {
	rt := e.rt
	h := rt.NewObject()
	for _, a := range areas {
		for _, n := range a.natives {
			fn := n.fn
			mustSet(h.Set(n.name, func(call goja.FunctionCall) goja.Value { return fn(e, call) }))
		}
	}
	return h
}

// bytesArg returns the bytes of argument i, an ArrayBuffer or a typed
// array (sharing memory with it), or throws a TypeError.
func (e *env) bytesArg(call goja.FunctionCall, i int) []byte {
	b, ok := bufferBytes(call.Argument(i))
	if !ok {
		panic(e.rt.NewTypeError("expected an ArrayBuffer or a typed array"))
	}
	return b
}

// bufferBytes returns the bytes of an ArrayBuffer or of a typed array that
// goja exports as []byte (a Uint8Array), sharing memory with it. Unlike
// jsruntime.BufferSource it does not read other views; the JS side passes
// Uint8Arrays.
func bufferBytes(v goja.Value) ([]byte, bool) {
	switch x := v.Export().(type) {
	case goja.ArrayBuffer:
		return x.Bytes(), true
	case []byte:
		return x, true
	}
	return nil, false
}
