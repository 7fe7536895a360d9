// Package worker is emu's composition root for one version of a Worker's
// code: it creates an isolate, installs the web platform APIs, the Node.js
// modules its compatibility flags ask for, and every binding on it
// (WebSockets, cloudflare:workers, env with vars and Durable Object
// namespaces), runs the bundle, and answers HTTP requests with the Worker's
// fetch handler.
package worker

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/dop251/goja"

	"github.com/emu-dev/emu/bindings/cloudflare"
	"github.com/emu-dev/emu/bindings/durableobject"
	"github.com/emu-dev/emu/bindings/kv"
	"github.com/emu-dev/emu/bindings/rpc"
	"github.com/emu-dev/emu/bindings/websocket"
	"github.com/emu-dev/emu/jsruntime"
	"github.com/emu-dev/emu/jsruntime/node"
	"github.com/emu-dev/emu/jsruntime/webapi"
)

// Compatibility flags' enable dates that change behaviour emu implements.
const (
	dateAutoReplyToClose   = "2026-04-07"
	dateCloseReasonLimit   = "2026-03-03"
	dateStandardBinaryType = "2026-03-17"
	dateDeleteAllAlarm     = "2026-02-24"
	dateCtxExports         = "2025-11-17"
	dateTransformStreamFix = "2024-12-16"
	dateNodeJSCompatV2     = "2024-09-23" // with nodejs_compat
	datePopulateProcessEnv = "2025-04-01" // with nodejs_compat
)

// startupCPULimit bounds the CPU time of a version's start-up.
const startupCPULimit = 30 * time.Second

// nodeCompat is how much of Node.js the flags give (workerd's nodeJsCompat,
// nodeJsCompatV2 and nodeJsAls): nodejs_compat_v2, or nodejs_compat from
// 2024-09-23, gives V2; nodejs_compat before that V1; nodejs_als alone ALS.
func nodeCompat(cfg Config) node.Mode {
	has := map[string]bool{}
	for _, f := range cfg.CompatibilityFlags {
		has[f] = true
	}
	compat := has["nodejs_compat"] && !has["no_nodejs_compat"]
	v2 := (has["nodejs_compat_v2"] || (compat && cfg.CompatibilityDate >= dateNodeJSCompatV2)) && !has["no_nodejs_compat_v2"]
	switch {
	case v2:
		return node.V2
	case compat:
		return node.V1
	case has["nodejs_als"] && !has["no_nodejs_als"]:
		return node.ALS
	}
	return node.Off
}

// Config is what a version needs.
type Config struct {
	Entry              string                 // absolute path of the entry module
	Rules              []jsruntime.ModuleRule // module rules, first match wins
	Define             map[string]string      // esbuild define (wrangler's define)
	Alias              map[string]string      // esbuild alias (wrangler's alias)
	Tsconfig           string
	JSXFactory         string
	JSXFragment        string
	Vars               map[string]any
	KV                 []KVBinding // KV namespaces bound in env
	CompatibilityDate  string
	CompatibilityFlags []string
	CPULimit           time.Duration
	MemoryLimit        uint64 // Go heap bytes (jsruntime.Options.MemoryLimit)
	TestPanic          bool   // define __emuTestPanic() (EMU_TEST_PANIC=request)
	TestPanicStorage   bool   // the first KV operation panics (EMU_TEST_PANIC=storage)
	Console            func(level, line string)
	LogError           func(msg string)
	DO                 *durableobject.System
	// Bindings returns the namespace bindings given the exported class names
	// (zero-config inference needs the exports).
	Bindings func(classNames []string) []durableobject.Binding
	// Services are the service bindings; Lookup finds the Worker a service
	// names (nil, false for one that is not running in this process).
	Services []ServiceBinding
	Lookup   func(service string) (Host, bool)
	// Self is this Worker, for ctx.exports.
	Self Host
	// RemoteDO binds other Workers' Durable Object classes (script_name).
	RemoteDO []durableobject.RemoteBinding
}

// KVBinding binds a KV namespace's store to a name in env.
type KVBinding struct {
	Name  string
	Store *kv.Store
}

// Worker is one loaded version of the code.
type Worker struct {
	Iso     *jsruntime.Isolate
	Version *durableobject.Version // nil without a Durable Object system
	Classes []string               // exported classes
	Inputs  []string               // files the bundle read (absolute paths)

	ws       *websocket.Registry
	handler  goja.Value // default export
	exports  *goja.Object
	env      *goja.Object
	requests map[*request]struct{}
	rpc      *rpc.Endpoint
	cf       *cloudflare.Module
	ctxExp   *goja.Object // ctx.exports, nil before its compatibility date
	names    []string     // the module's export names
}

// knownFlags are the compatibility flags emu implements: each enable flag
// with its disable flag and its default-on date.
var knownFlags = []struct{ on, off, date string }{
	{"web_socket_auto_reply_to_close", "web_socket_manual_reply_to_close", dateAutoReplyToClose},
	{"websocket_close_reason_byte_limit", "no_websocket_close_reason_byte_limit", dateCloseReasonLimit},
	{"websocket_standard_binary_type", "no_websocket_standard_binary_type", dateStandardBinaryType},
	{"delete_all_deletes_alarm", "delete_all_preserves_alarm", dateDeleteAllAlarm},
}

// compatibilityFlags is the state of the flags in effect, for
// Cloudflare.compatibilityFlags: the flags emu knows, on or off by date or
// by name, and every other flag the configuration turns on by name.
// (workerd lists every flag it knows; emu knows the table above.)
func compatibilityFlags(cfg Config) map[string]bool {
	m := map[string]bool{}
	disables := map[string]bool{}
	for _, f := range knownFlags {
		m[f.on] = flag(cfg, f.date, f.on, f.off)
		disables[f.off] = true
	}
	for _, f := range cfg.CompatibilityFlags {
		if _, known := m[f]; !known && !disables[f] && f != "experimental" {
			m[f] = true
		}
	}
	return m
}

// flag reports whether a compatibility flag is on, by date or by name.
func flag(cfg Config, date, on, off string) bool {
	for _, f := range cfg.CompatibilityFlags {
		switch f {
		case on:
			return true
		case off:
			return false
		}
	}
	return cfg.CompatibilityDate >= date
}

// Build bundles the entry with esbuild, creates an isolate, installs the
// web platform and the bindings, runs the bundle's top level and binds env.
// A build error is a *jsruntime.BuildError; a top-level exception is
// returned with its mapped stack.
func Build(cfg Config) (*Worker, error) {
	nodeMode := nodeCompat(cfg)
	b, err := jsruntime.BuildBundle(jsruntime.BundleOptions{
		Entry:          cfg.Entry,
		Rules:          cfg.Rules,
		VirtualModules: map[string]string{"cloudflare:workers": cloudflare.ModuleSource},
		Define:         cfg.Define,
		Alias:          cfg.Alias,
		Tsconfig:       cfg.Tsconfig,
		JSXFactory:     cfg.JSXFactory,
		JSXFragment:    cfg.JSXFragment,
		Node:           jsruntime.NodeModules{Sources: node.Modules(nodeMode), Builtins: node.Builtins(), Mode: nodeMode.String()},
	})
	if err != nil {
		return nil, err
	}
	w := &Worker{requests: map[*request]struct{}{}, Inputs: b.Inputs}
	// Compiling emu's own JS happens once per process; it must not count
	// against the CPU limit of the task that installs it. Installing the
	// APIs and running the module's top level is start-up, limited
	// separately (as in workerd) from the events that follow.
	webapi.Prepare()
	if nodeMode != node.Off {
		node.Prepare()
	}
	iso, err := jsruntime.New(jsruntime.Options{
		CPULimit:    max(cfg.CPULimit, startupCPULimit),
		MemoryLimit: cfg.MemoryLimit,
		LogError:    cfg.LogError,
	})
	if err != nil {
		return nil, err
	}
	w.Iso = iso
	err = iso.Do(func(rt *goja.Runtime) error { return w.setup(rt, cfg, b) })
	if err != nil {
		iso.Close()
		return nil, err
	}
	iso.SetCPULimit(cfg.CPULimit)
	return w, nil
}

// setup installs everything on the isolate and runs the bundle (on the
// loop). Each part has the same shape: Install(iso, rt, options).
func (w *Worker) setup(rt *goja.Runtime, cfg Config, b *jsruntime.Bundle) error {
	iso := w.Iso
	iso.OnIdle(w.idle)
	if cfg.TestPanic {
		// A test hook (EMU_TEST_PANIC=request): a Go panic on the loop.
		_ = rt.Set("__emuTestPanic", func(goja.FunctionCall) goja.Value {
			panic("EMU_TEST_PANIC: injected panic on the isolate loop")
		})
	}
	err := webapi.Install(iso, rt, webapi.Options{
		Console:            cfg.Console,
		CompatibilityFlags: compatibilityFlags(cfg),
		FixupTransformStreamBackpressure: flag(cfg, dateTransformStreamFix,
			"fixup-transform-stream-backpressure", "original-transform-stream-backpressure"),
	})
	if err != nil {
		return err
	}
	ws, err := websocket.Install(iso, rt, websocket.Options{
		AutoReplyToClose:   flag(cfg, dateAutoReplyToClose, "web_socket_auto_reply_to_close", "web_socket_manual_reply_to_close"),
		CloseReasonLimit:   flag(cfg, dateCloseReasonLimit, "websocket_close_reason_byte_limit", "no_websocket_close_reason_byte_limit"),
		StandardBinaryType: flag(cfg, dateStandardBinaryType, "websocket_standard_binary_type", "no_websocket_standard_binary_type"),
		Serialize:          jsruntime.Serialize,
		Deserialize:        jsruntime.Deserialize,
	})
	if err != nil {
		return err
	}
	w.ws = ws
	if err := webapi.SetWebSocketUpgrader(rt, ws.FetchUpgrade); err != nil {
		return err
	}
	if w.rpc, err = rpc.Install(iso, rt); err != nil {
		return err
	}
	w.env = rt.NewObject()
	if err := setVars(rt, w.env, cfg.Vars); err != nil {
		return err
	}
	for _, b := range cfg.KV {
		obj, err := kv.Install(iso, rt, kv.Options{Store: b.Store, LogError: cfg.LogError, TestPanic: cfg.TestPanicStorage})
		if err != nil {
			return err
		}
		_ = w.env.Set(b.Name, obj)
	}
	w.bindServices(rt, cfg)
	err = node.Install(iso, rt, node.Options{
		Mode:        nodeCompat(cfg),
		Env:         w.env,
		PopulateEnv: nodeCompat(cfg) >= node.V1 && flag(cfg, datePopulateProcessEnv, "nodejs_compat_populate_process_env", "nodejs_compat_do_not_populate_process_env"),
	})
	if err != nil {
		return err
	}
	cf, err := cloudflare.Install(iso, rt, cloudflare.Options{Env: w.env, RPC: w.rpc.Classes})
	if err != nil {
		return err
	}
	w.cf = cf
	if flag(cfg, dateCtxExports, "enable_ctx_exports", "disable_ctx_exports") {
		w.ctxExp = rt.NewObject()
	}
	exports, err := jsruntime.Load(rt, b)
	if err != nil {
		return err
	}
	w.exports = exports
	w.names = exports.Keys()
	w.handler = exports.Get("default")
	for _, k := range exports.Keys() {
		if k != "default" && isClass(exports.Get(k)) {
			w.Classes = append(w.Classes, k)
		}
	}
	defer w.fillCtxExports(rt, cfg)
	if cfg.DO == nil {
		return nil
	}
	if cfg.Bindings != nil {
		bs := cfg.Bindings(w.Classes)
		var missing []string
		for _, b := range bs {
			if !isClass(exports.Get(b.ClassName)) {
				missing = append(missing, b.ClassName)
			}
		}
		if len(missing) > 0 {
			return &MissingClassesError{Classes: missing}
		}
		cfg.DO.SetBindings(bs)
	}
	w.Version, err = cfg.DO.Install(iso, rt, durableobject.VersionOptions{
		WS:                    ws,
		Exports:               exports,
		Env:                   w.env,
		DurableObjectBase:     cf.DurableObject,
		DeleteAllDeletesAlarm: flag(cfg, dateDeleteAllAlarm, "delete_all_deletes_alarm", "delete_all_preserves_alarm"),
		RPC:                   w.rpc,
		Remote:                cfg.RemoteDO,
		CtxExports:            w.ctxExportsValue(),
	})
	return err
}

// MissingClassesError is a load error: Durable Object bindings name classes
// the entry point does not export. Its text is wrangler's.
type MissingClassesError struct{ Classes []string }

func (e *MissingClassesError) Error() string {
	return "Your Worker depends on the following Durable Objects, which are not exported in your entrypoint file: " + strings.Join(e.Classes, ", ") + "."
}

// isClass reports whether v is a class (or constructor function) export.
func isClass(v goja.Value) bool {
	o, ok := v.(*goja.Object)
	if !ok {
		return false
	}
	if _, ok := goja.AssertConstructor(o); !ok {
		return false
	}
	proto, ok := o.Get("prototype").(*goja.Object)
	return ok && proto != nil
}

func setVars(rt *goja.Runtime, env *goja.Object, vars map[string]any) error {
	if len(vars) == 0 {
		return nil
	}
	b, err := json.Marshal(vars)
	if err != nil {
		return fmt.Errorf("vars: %w", err)
	}
	parse, _ := goja.AssertFunction(rt.Get("JSON").ToObject(rt).Get("parse"))
	v, err := parse(goja.Undefined(), rt.ToValue(string(b)))
	if err != nil {
		return fmt.Errorf("vars: %w", err)
	}
	o := v.ToObject(rt)
	for _, k := range o.Keys() {
		_ = env.Set(k, o.Get(k))
	}
	return nil
}

// Close stops the isolate.
func (w *Worker) Close() { w.Iso.Close() }

// Request is an incoming HTTP request as the Worker sees it.
type Request struct {
	Method   string
	URL      string
	Header   http.Header
	Body     []byte
	ClientIP string
	Upgrade  bool // the request asked for a WebSocket upgrade
}

// Response is the Worker's answer. Its body is ResponseData.Body, or
// ResponseData.Stream for a body the Worker streams (read it with Next
// until io.EOF, or Cancel it).
type Response struct {
	*webapi.ResponseData
	Conn *websocket.Conn // set for a 101 with a WebSocket
	// Err is an exception (status 500) or the CPU limit (503); Body holds
	// the text to send.
	Err error
}

// ErrNeverResponds is the error of a fetch whose promise can never settle;
// its text is workerd's log line.
//
//lint:ignore ST1005 workerd's message verbatim
var ErrNeverResponds = errors.New("The script will never generate a response.")

// errUpgradeMissing is workerd's error for a WebSocket response to a plain
// request.
var errUpgradeMissing = jsruntime.Errorf(jsruntime.TypeError, `Worker tried to return a WebSocket in a response to a request which did not contain the header "Upgrade: websocket".`)

// errNoFetch is workerd's error for a default export without fetch.
var errNoFetch = jsruntime.Errorf(jsruntime.Error, "Handler does not export a fetch() function.")

type request struct {
	done       chan *Response
	settled    bool
	interrupts uint64
	upgrade    bool
}

// Fetch runs the fetch handler for req and waits for its response. It is
// safe from any goroutine.
func (w *Worker) Fetch(req *Request) *Response {
	return w.FetchContext(context.Background(), req)
}

// errCanceled answers a request whose client went away first.
var errCanceled = errors.New("the client disconnected before the Worker responded")

// FetchContext is Fetch for a request that may be canceled: when ctx is
// done first (the client went away), the request is dropped, so a handler
// that never settles does not keep its caller waiting; what the handler
// still does runs on, as in workerd, and its result is ignored.
func (w *Worker) FetchContext(ctx context.Context, req *Request) *Response {
	r := &request{done: make(chan *Response, 1), upgrade: req.Upgrade}
	if !w.Iso.Post(nil, func(rt *goja.Runtime) { w.dispatch(rt, r, req) }) {
		return &Response{Err: errors.New("Worker is shutting down")}
	}
	select {
	case resp := <-r.done:
		return resp
	case <-ctx.Done():
		if !w.Iso.Post(nil, func(*goja.Runtime) { w.finish(r, &Response{Err: errCanceled}) }) {
			return &Response{Err: errCanceled}
		}
		return <-r.done
	}
}

func (w *Worker) finish(r *request, resp *Response) {
	if r.settled {
		return
	}
	r.settled = true
	delete(w.requests, r)
	r.done <- resp
}

func (w *Worker) dispatch(rt *goja.Runtime, r *request, req *Request) {
	w.requests[r] = struct{}{}
	r.interrupts = w.Iso.Interrupts()
	h := req.Header.Clone()
	if req.ClientIP != "" {
		h.Set("Cf-Connecting-Ip", req.ClientIP)
	}
	// As under workerd: the runtime negotiates compression itself, so a
	// Worker always sees "br, gzip"; an Upgrade other than websocket does
	// not reach it.
	h.Set("Accept-Encoding", "br, gzip")
	if !req.Upgrade {
		h.Del("Upgrade")
	}
	jsReq, err := webapi.NewRequest(rt, req.Method, req.URL, h, req.Body)
	if err != nil {
		w.finish(r, &Response{Err: err})
		return
	}
	res, err := w.callFetch(rt, jsReq)
	if err != nil {
		w.finish(r, w.errorResponse(err))
		return
	}
	jsruntime.Settle(rt, res, func(v goja.Value, err error) {
		if err != nil {
			w.finish(r, w.errorResponse(err))
			return
		}
		w.finish(r, w.readResponse(rt, r, v))
	})
}

func (w *Worker) callFetch(rt *goja.Runtime, req *goja.Object) (goja.Value, error) {
	ctx := w.executionContext(rt)
	h := w.handler
	if h == nil || goja.IsUndefined(h) {
		return nil, errNoFetch
	}
	obj := h.ToObject(rt)
	class := isClass(h)
	if class {
		inst, err := jsruntime.Construct(rt, obj, ctx, w.env)
		if err != nil {
			return nil, err
		}
		obj = inst
	}
	fetch, ok := goja.AssertFunction(obj.Get("fetch"))
	if !ok {
		return nil, errNoFetch
	}
	if class {
		return fetch(obj, req)
	}
	return fetch(obj, req, w.env, ctx)
}

func (w *Worker) executionContext(rt *goja.Runtime) *goja.Object {
	ctx := rt.NewObject()
	_ = ctx.Set("waitUntil", func(c goja.FunctionCall) goja.Value {
		enqueue := w.Iso.Reserve()
		jsruntime.Settle(rt, c.Argument(0), func(_ goja.Value, err error) {
			if err != nil {
				w.Iso.ReportError(err)
			}
			enqueue(func(*goja.Runtime) {})
		})
		return goja.Undefined()
	})
	_ = ctx.Set("passThroughOnException", func(goja.FunctionCall) goja.Value { return goja.Undefined() })
	_ = ctx.Set("props", rt.NewObject())
	if w.ctxExp != nil {
		_ = ctx.Set("exports", w.ctxExp)
	}
	return ctx
}

func (w *Worker) readResponse(rt *goja.Runtime, r *request, v goja.Value) *Response {
	data, err := webapi.ReadResponse(rt, v)
	if err != nil {
		return w.errorResponse(err)
	}
	resp := &Response{ResponseData: data}
	if data.WebSocket != nil {
		if !r.upgrade {
			w.ws.Discard(data.WebSocket)
			return &Response{Err: errUpgradeMissing}
		}
		conn, err := w.ws.Release(data.WebSocket)
		if err != nil {
			return &Response{Err: err}
		}
		resp.Conn = conn
	}
	return resp
}

// errorResponse logs an exception and answers as workerd does: 500, or 503
// when the CPU limit interrupted the handler.
func (w *Worker) errorResponse(err error) *Response {
	if jsruntime.IsInterrupt(err) {
		w.Iso.NoteInterrupt(err)
		return &Response{Err: jsruntime.InterruptCause(err)}
	}
	w.Iso.ReportError(err)
	return &Response{Err: err}
}

// idle runs when nothing at all is pending: requests still unsettled can
// never settle.
func (w *Worker) idle() {
	for r := range w.requests {
		if w.Iso.Interrupts() > r.interrupts {
			w.finish(r, &Response{Err: jsruntime.ErrCPULimit})
			continue
		}
		w.finish(r, &Response{Err: ErrNeverResponds})
	}
}

// ErrorBody is the text of an error response.
func ErrorBody(err error) string {
	return strings.TrimRight(jsruntime.FormatError(err), "\n")
}
