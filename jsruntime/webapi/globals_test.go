package webapi

import (
	"slices"
	"testing"

	"github.com/dop251/goja"
)

func TestWebAPIGlobals(t *testing.T) {
	runCases(t, []jsCase{
		{"navigator", `navigator.userAgent`, `Cloudflare-Workers`},
		{"self", `self === globalThis`, `true`},
		{"fetch", `fetch("ftp://example.com/")`, `rejected: TypeError: Fetch API cannot load: ftp://example.com/`},
		{"FormData", `String(new FormData())`, `[object FormData]`},
		{"File loads the fetch tier", `typeof File + " " + ("value" in Object.getOwnPropertyDescriptor(globalThis, "Request"))`, `function true`},
		{"Blob", `typeof Blob + " " + Blob.name`, `function Blob`},
		{"WritableStream", `String(new WritableStream())`, `[object WritableStream]`},
		{"streams tier loads on its own", `new ReadableStream(); String("value" in Object.getOwnPropertyDescriptor(globalThis, "Request"))`, `false`},
		{"global overwritten before first use", `globalThis.Response = 42; new Request("https://a/"); Response`, `42`},
		{"lazy global descriptor", `typeof Response + " " + ("value" in Object.getOwnPropertyDescriptor(globalThis, "Response"))`, `function true`},
	})
	// Globals are defined as Web IDL does: none is enumerable, the
	// isolate's (timers, structuredClone) included.
	runCases(t, []jsCase{
		{"structuredClone is the isolate's", `typeof structuredClone`, `function`},
		{"globals not enumerable", `Object.keys(globalThis).join()`, ``},
	})
}

// On a real isolate, Install keeps the isolate's own structuredClone and
// adds no enumerable global.
func TestWebAPIIsolateGlobalsKept(t *testing.T) {
	iso := newBareIsolate(t)
	do(t, iso, func(rt *goja.Runtime) error {
		keys := func() ([]string, error) {
			v, err := rt.RunString(`Object.keys(globalThis)`)
			if err != nil {
				return nil, err
			}
			var k []string
			return k, rt.ExportTo(v, &k)
		}
		before, err := keys()
		if err != nil {
			return err
		}
		clone := rt.Get("structuredClone")
		if err := Install(iso, rt, Options{}); err != nil {
			return err
		}
		after, err := keys()
		if err != nil {
			return err
		}
		if !slices.Equal(before, after) {
			t.Errorf("enumerable globals: %q before Install, %q after", before, after)
		}
		if goja.IsUndefined(clone) || !rt.Get("structuredClone").SameAs(clone) {
			t.Errorf("structuredClone is not the isolate's after Install")
		}
		return nil
	})
}

func TestWebAPIGlobalsReplacedFromGo(t *testing.T) {
	iso, _ := newIsolate(t)
	do(t, iso, func(rt *goja.Runtime) error {
		if err := rt.Set("fetch", func(goja.FunctionCall) goja.Value { return rt.ToValue("mine") }); err != nil {
			return err
		}
		return rt.GlobalObject().DefineDataProperty("URL", rt.ToValue(7), goja.FLAG_TRUE, goja.FLAG_TRUE, goja.FLAG_FALSE)
	})
	// Loading the lazy fetch APIs must not put the stubs back.
	if got := eval(t, iso, `new Request("https://a/"); fetch() + " " + URL + " " + typeof Response`); got != "mine 7 function" {
		t.Errorf("got %s", got)
	}
}
