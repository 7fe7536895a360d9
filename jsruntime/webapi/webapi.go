// Package webapi installs the web platform APIs Workers use (Request,
// Response, Headers, URL, encodings, events, streams, console, crypto's
// random functions, ...) on an isolate, with workerd's observable behaviour.
// The APIs are written in JavaScript (*.js beside this file), with Go natives
// where Go does the work better.
package webapi

import (
	"crypto/rand"
	"embed"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"net/http"
	"slices"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/dop251/goja"

	"github.com/emu-dev/emu/jsruntime"
)

// The web platform APIs are written in JavaScript (webapi/*.js). The files
// are concatenated in name order into the body of one function
// `function (host) { ...; return registry }`, compiled once per process and
// run once per runtime. host carries the Go helpers below; registry holds
// the classes that Class returns and the entry points NewRequest and
// ReadResponse call. To keep a new runtime cheap (goja spends about a
// microsecond per function object), files starting "// tier: NAME" are
// wrapped in a function that runs on first use of their globals (see
// webapi/90_tiers.js).

//go:embed *.js
var webapiFiles embed.FS

var (
	webapiOnce    sync.Once
	webapiProgram *goja.Program // immutable once compiled; shared by all runtimes
	webapiErr     error
)

// webapiRegistryKey names the hidden global property holding a runtime's
// registry (classes and internal entry points). A symbol, so scripts
// overwriting globals cannot reach it by name.
var webapiRegistryKey = goja.NewSymbol("emu.webapi")

// ErrNotResponse is returned by ReadResponse for a value that is not a
// Response: workerd's TypeError for a fetch handler that resolves to
// something else.
var ErrNotResponse = jsruntime.Errorf(jsruntime.TypeError, "Incorrect type for Promise: the Promise did not resolve to 'Response'.")

// Options configures the globals of one runtime.
type Options struct {
	// Console receives console.* output: level is "log", "info", "warn",
	// "error" or "debug"; line is formatted as workerd's console prints it
	// (strings bare, objects as `{ a: 1, b: 'x' }`, Errors as their stack).
	// Nil discards the output.
	Console func(level string, line string)
}

func webapiCompile() (*goja.Program, error) {
	webapiOnce.Do(func() {
		entries, err := fs.ReadDir(webapiFiles, ".")
		if err != nil {
			webapiErr = fmt.Errorf("read web API sources: %w", err)
			return
		}
		var src strings.Builder
		src.WriteString("(function (host) {\n\"use strict\";\n")
		tier := ""
		for _, e := range entries {
			b, err := webapiFiles.ReadFile(e.Name())
			if err != nil {
				webapiErr = fmt.Errorf("read web API sources: %w", err)
				return
			}
			// Consecutive files starting "// tier: NAME" become the body of
			// function __tier_NAME, which 90_tiers.js runs on first use.
			t := ""
			if rest, ok := strings.CutPrefix(string(b), "// tier: "); ok {
				t, _, _ = strings.Cut(rest, "\n")
				t = strings.TrimSpace(t)
			}
			if t != tier {
				if tier != "" {
					src.WriteString("}\n")
				}
				if t != "" {
					src.WriteString("function __tier_" + t + "() {\n")
				}
				tier = t
			}
			src.Write(b)
			src.WriteString("\n")
		}
		if tier != "" {
			src.WriteString("}\n")
		}
		src.WriteString("return registry;\n})")
		webapiProgram, webapiErr = goja.Compile("emu:webapi.js", src.String(), false)
		if webapiErr != nil {
			webapiErr = fmt.Errorf("compile web API sources: %w", webapiErr)
		}
	})
	return webapiProgram, webapiErr
}

// Install defines the web platform globals on iso's runtime rt: Headers,
// Request, Response, URL, URLSearchParams, TextEncoder, TextDecoder, atob,
// btoa, console, crypto, Event, EventTarget, AbortController, DOMException,
// ReadableStream and the rest, with workerd's observable behaviour, and
// registers their classes for jsruntime.Class. fetch is a stub that
// rejects; structuredClone and timers are the isolate's own. Call it once,
// on iso's loop (inside Do), before the Worker's code runs.
func Install(iso *jsruntime.Isolate, rt *goja.Runtime, opts Options) error {
	prog, err := webapiCompile()
	if err != nil {
		return err
	}
	global := rt.GlobalObject()
	if r := global.GetSymbol(webapiRegistryKey); r != nil && !goja.IsUndefined(r) {
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
	reg, err := fn(goja.Undefined(), webapiHost(rt, opts))
	if err != nil {
		return fmt.Errorf("install web APIs: %w", err)
	}
	if err := global.DefineDataPropertySymbol(webapiRegistryKey, reg, goja.FLAG_FALSE, goja.FLAG_FALSE, goja.FLAG_FALSE); err != nil {
		return fmt.Errorf("install web APIs: %w", err)
	}
	if err := jsruntime.RegisterClasses(rt, reg.ToObject(rt)); err != nil {
		return fmt.Errorf("install web APIs: %w", err)
	}
	installMissing(rt)
	return nil
}

// webapiRegistry returns rt's registry, or nil before InstallWebAPIs.
func webapiRegistry(rt *goja.Runtime) *goja.Object {
	v := rt.GlobalObject().GetSymbol(webapiRegistryKey)
	if o, ok := v.(*goja.Object); ok {
		return o
	}
	return nil
}

func webapiEntry(rt *goja.Runtime, name string) (goja.Callable, error) {
	reg := webapiRegistry(rt)
	if reg == nil {
		return nil, errors.New("web APIs are not installed on this runtime")
	}
	fn, ok := goja.AssertFunction(reg.Get(name))
	if !ok {
		return nil, fmt.Errorf("web API entry point %s is missing", name)
	}
	return fn, nil
}

// NewRequest builds the JS Request a Worker's fetch handler receives, as
// workerd does for an incoming request: url must be absolute; the headers
// (canonical Go names; lower-cased in JS) are immutable; redirect is
// "manual"; request.cf is wrangler dev's placeholder object. body is nil for
// no body; a non-empty body (or a Content-Length/Transfer-Encoding header)
// makes request.body non-null, and a body without either header gets a
// Content-Length. NewRequest takes ownership of body. Call it on the
// goroutine that owns rt.
func NewRequest(rt *goja.Runtime, method, url string, h http.Header, body []byte) (*goja.Object, error) {
	fn, err := webapiEntry(rt, "__newIncomingRequest")
	if err != nil {
		return nil, err
	}
	names := make([]string, 0, len(h))
	for k := range h {
		names = append(names, k)
	}
	slices.Sort(names)
	pairs := make([]any, 0, 2*len(h))
	for _, k := range names {
		for _, v := range h[k] {
			pairs = append(pairs, k, v)
		}
	}
	bodyArg := goja.Null()
	if body != nil {
		bodyArg = rt.ToValue(rt.NewArrayBuffer(body))
	}
	v, err := fn(goja.Undefined(), rt.ToValue(method), rt.ToValue(url), rt.NewArray(pairs...), bodyArg)
	if err != nil {
		return nil, fmt.Errorf("new request %s %s: %w", method, url, err)
	}
	return v.ToObject(rt), nil
}

// ResponseData is a JS Response read back into Go.
type ResponseData struct {
	Status     int
	StatusText string
	Header     http.Header  // canonical names; each value separate, Set-Cookie included
	Body       []byte       // nil for a null body
	WebSocket  *goja.Object // the Response's webSocket, nil if none
}

// ReadResponse converts a JS Response into ResponseData, consuming its body:
// a string body as UTF-8, bytes as they are, a ReadableStream body by its
// queued chunks (a stream that has not been closed yet is an error, as is a
// body already used). A value that is not a Response gives ErrNotResponse.
// Call it on the goroutine that owns rt.
func ReadResponse(rt *goja.Runtime, v goja.Value) (*ResponseData, error) {
	fn, err := webapiEntry(rt, "__readResponse")
	if err != nil {
		return nil, err
	}
	if v == nil {
		return nil, ErrNotResponse
	}
	res, err := fn(goja.Undefined(), v)
	if err != nil {
		return nil, fmt.Errorf("read response: %w", err)
	}
	if goja.IsNull(res) || goja.IsUndefined(res) {
		return nil, ErrNotResponse
	}
	o := res.ToObject(rt)
	d := &ResponseData{
		Status:     int(o.Get("status").ToInteger()),
		StatusText: o.Get("statusText").String(),
		Header:     http.Header{},
	}
	var pairs []string
	if err := rt.ExportTo(o.Get("headers"), &pairs); err != nil {
		return nil, fmt.Errorf("read response headers: %w", err)
	}
	for i := 0; i+1 < len(pairs); i += 2 {
		k := http.CanonicalHeaderKey(pairs[i])
		d.Header[k] = append(d.Header[k], pairs[i+1])
	}
	switch body := o.Get("body"); {
	case goja.IsNull(body) || goja.IsUndefined(body):
	case webapiIsString(body):
		d.Body = []byte(body.String())
	default:
		b, ok := webapiBytes(body)
		if !ok {
			return nil, errors.New("read response: body is not bytes")
		}
		d.Body = slices.Clone(b)
	}
	if ws, ok := o.Get("webSocket").(*goja.Object); ok {
		d.WebSocket = ws
	}
	return d, nil
}

func webapiIsString(v goja.Value) bool {
	_, ok := v.Export().(string)
	return ok
}

// webapiBytes returns the bytes of an ArrayBuffer or typed array, sharing
// memory with it.
func webapiBytes(v goja.Value) ([]byte, bool) {
	switch x := v.Export().(type) {
	case goja.ArrayBuffer:
		return x.Bytes(), true
	case []byte:
		return x, true
	}
	return nil, false
}

// webapiHost builds the object of Go helpers the JS side calls as host.*.
func webapiHost(rt *goja.Runtime, opts Options) *goja.Object {
	console := opts.Console
	if console == nil {
		console = func(string, string) {}
	}
	h := rt.NewObject()
	set := func(name string, fn func(goja.FunctionCall) goja.Value) {
		if err := h.Set(name, fn); err != nil {
			panic(err)
		}
	}
	bytesArg := func(call goja.FunctionCall, i int) []byte {
		b, ok := webapiBytes(call.Argument(i))
		if !ok {
			panic(rt.NewTypeError("expected an ArrayBuffer or a typed array"))
		}
		return b
	}
	set("console", func(call goja.FunctionCall) goja.Value {
		console(call.Argument(0).String(), call.Argument(1).String())
		return goja.Undefined()
	})
	set("utf8Encode", func(call goja.FunctionCall) goja.Value {
		return rt.ToValue(rt.NewArrayBuffer([]byte(call.Argument(0).String())))
	})
	set("utf8Decode", func(call goja.FunctionCall) goja.Value {
		s, ok := webapiDecodeUTF8(bytesArg(call, 0), call.Argument(1).ToBoolean())
		if !ok {
			return goja.Null()
		}
		return rt.ToValue(s)
	})
	set("latin1Decode", func(call goja.FunctionCall) goja.Value {
		return rt.ToValue(webapiLatin1(bytesArg(call, 0)))
	})
	set("btoa", func(call goja.FunctionCall) goja.Value {
		s := call.Argument(0).String()
		b := make([]byte, 0, len(s))
		for _, r := range s {
			if r > 0xff {
				return goja.Null()
			}
			b = append(b, byte(r))
		}
		return rt.ToValue(base64.StdEncoding.EncodeToString(b))
	})
	set("atob", func(call goja.FunctionCall) goja.Value {
		b, ok := webapiForgivingBase64(call.Argument(0).String())
		if !ok {
			return goja.Null()
		}
		return rt.ToValue(webapiLatin1(b))
	})
	set("randomFill", func(call goja.FunctionCall) goja.Value {
		_, _ = rand.Read(bytesArg(call, 0))
		return goja.Undefined()
	})
	set("randomUUID", func(goja.FunctionCall) goja.Value {
		return rt.ToValue(webapiRandomUUID())
	})
	set("promiseState", func(call goja.FunctionCall) goja.Value {
		p, ok := call.Argument(0).Export().(*goja.Promise)
		if !ok {
			return rt.NewArray("pending", goja.Undefined())
		}
		switch p.State() {
		case goja.PromiseStateFulfilled:
			return rt.NewArray("fulfilled", p.Result())
		case goja.PromiseStateRejected:
			return rt.NewArray("rejected", p.Result())
		}
		return rt.NewArray("pending", goja.Undefined())
	})
	return h
}

// webapiDecodeUTF8 decodes b as the WHATWG Encoding Standard's UTF-8 decoder
// does: each maximal invalid subsequence becomes one U+FFFD, or, when fatal,
// decoding fails. A BOM is kept (the caller strips it).
func webapiDecodeUTF8(b []byte, fatal bool) (string, bool) {
	if utf8.Valid(b) {
		return string(b), true
	}
	if fatal {
		return "", false
	}
	var sb strings.Builder
	sb.Grow(len(b) + 8)
	for i := 0; i < len(b); {
		c := b[i]
		if c < 0x80 {
			sb.WriteByte(c)
			i++
			continue
		}
		var need int
		var cp rune
		lower, upper := byte(0x80), byte(0xbf)
		switch {
		case c >= 0xc2 && c <= 0xdf:
			need, cp = 1, rune(c&0x1f)
		case c >= 0xe0 && c <= 0xef:
			if c == 0xe0 {
				lower = 0xa0
			}
			if c == 0xed {
				upper = 0x9f
			}
			need, cp = 2, rune(c&0x0f)
		case c >= 0xf0 && c <= 0xf4:
			if c == 0xf0 {
				lower = 0x90
			}
			if c == 0xf4 {
				upper = 0x8f
			}
			need, cp = 3, rune(c&0x07)
		default:
			sb.WriteRune(utf8.RuneError)
			i++
			continue
		}
		j := i + 1
		ok := true
		for k := 0; k < need; k++ {
			if j >= len(b) || b[j] < lower || b[j] > upper {
				ok = false
				break
			}
			cp = cp<<6 | rune(b[j]&0x3f)
			lower, upper = 0x80, 0xbf
			j++
		}
		if !ok {
			// The lead byte and the valid continuation bytes seen so far are
			// one error; the byte that broke the sequence is read again.
			sb.WriteRune(utf8.RuneError)
			i = j
			continue
		}
		sb.WriteRune(cp)
		i = j
	}
	return sb.String(), true
}

// webapiLatin1 maps each byte to the code point of the same value.
func webapiLatin1(b []byte) string {
	ascii := true
	for _, c := range b {
		if c >= 0x80 {
			ascii = false
			break
		}
	}
	if ascii {
		return string(b)
	}
	var sb strings.Builder
	sb.Grow(len(b) * 2)
	for _, c := range b {
		sb.WriteRune(rune(c))
	}
	return sb.String()
}

// webapiForgivingBase64 is the WHATWG forgiving-base64 decode atob uses: ASCII
// whitespace is ignored, padding is optional but must be right when present.
func webapiForgivingBase64(s string) ([]byte, bool) {
	clean := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case ' ', '\t', '\n', '\f', '\r':
		default:
			clean = append(clean, c)
		}
	}
	if len(clean)%4 == 0 {
		if n := len(clean); n >= 1 && clean[n-1] == '=' {
			clean = clean[:n-1]
			if n >= 2 && clean[n-2] == '=' {
				clean = clean[:n-2]
			}
		}
	}
	if len(clean)%4 == 1 {
		return nil, false
	}
	for _, c := range clean {
		if !(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '+' || c == '/') {
			return nil, false
		}
	}
	b, err := base64.RawStdEncoding.DecodeString(string(clean))
	if err != nil {
		return nil, false
	}
	return b, true
}

// webapiRandomUUID returns a version 4 UUID in its lower-case text form.
func webapiRandomUUID() string {
	var u [16]byte
	_, _ = rand.Read(u[:])
	u[6] = u[6]&0x0f | 0x40
	u[8] = u[8]&0x3f | 0x80
	var out [36]byte
	hex.Encode(out[0:8], u[0:4])
	out[8] = '-'
	hex.Encode(out[9:13], u[4:6])
	out[13] = '-'
	hex.Encode(out[14:18], u[6:8])
	out[18] = '-'
	hex.Encode(out[19:23], u[8:10])
	out[23] = '-'
	hex.Encode(out[24:], u[10:])
	return string(out[:])
}

// Prepare compiles the web platform APIs now, so a later New does not wait
// for it. Safe to call from any goroutine, any number of times; emu calls it
// in the background at startup while esbuild bundles the Worker.
func Prepare() { _, _ = webapiCompile() }
