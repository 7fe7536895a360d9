package main

import (
	"strings"
	"testing"
	"time"
)

// TestJSRPC drives the examples of Cloudflare's RPC docs through a real
// emu: an RpcTarget returned from a Durable Object and called, pipelined
// calls, a callback passed to the object, disposal, stubs in parameters,
// workerd's errors, WorkerEntrypoints behind service bindings, ctx.exports.
func TestJSRPC(t *testing.T) {
	t.Parallel()
	p := startEmu(t, testdataCopy(t, "rpc"))
	cases := []struct{ path, want string }{
		{"/target", `{"v":5,"value":5,"message":"Hello, Ada!"}`},
		{"/pipeline", `{"v":4,"label":"obj","nested":6}`},
		{"/callback", `{"v":50}`},
		{"/shape", `{"promise":"[object JsRpcPromise]","promiseType":"function","property":"[object JsRpcProperty]","stub":"[object DurableObject]",` +
			`"keys":["id","name"],"ownId":true,"ownName":true,"name":"main","idMatches":true,"then":"undefined","toString":"[object DurableObject]"}`},
		{"/dispose", `{"afterDispose":"Error: RPC stub used after being disposed.","objCounter":"Error: RPC stub used after being disposed.","disposerRan":1,"dupStillWorks":7}`},
		{"/params", `{"kept":"kept","later":"Error: RPC stub used after being disposed. (remote)","mine":5}`},
		{"/errors", `{"missing":"TypeError: The RPC receiver does not implement the method \"noSuchMethod\". (remote)",` +
			`"thrown":"RangeError: bad range (remote)",` +
			`"reserved":"TypeError: 'alarm' is a reserved method and cannot be called over RPC. (remote)",` +
			`"notFunction":"TypeError: \"storageName\" is not a function. (remote)",` +
			`"property":"ok main",` +
			`"notSerializable":"DataCloneError: Could not serialize object of type \"NotRpc\". This type does not support serialization.",` +
			`"fn":"ok function",` +
			`"cyclic":"DataCloneError: Could not serialize object of type \"JsRpcPromise\". This type does not support serialization.",` +
			`"structuredClone":"DataCloneError: Remote RPC references can only be serialized for RPC."}`},
		{"/entrypoint", `{"greet":"Hi Bob from Greeter","fetch":"Greeter fetch /path","selfFetch":"hello from the default export",` +
			`"serviceStub":"[object Fetcher]","reservedFetch":"ok Fetcher",` +
			`"instanceProp":"TypeError: The RPC receiver does not implement the method \"env\". (remote)"}`},
		{"/exports", `{"keys":["Greeter","MyDurableObject","default"],"greet":"Hi Cy from Greeter","nested":"Hi Di from Greeter","ns":true}`},
	}
	for _, tc := range cases {
		if status, body, _ := p.get(tc.path); status != 200 || body != tc.want {
			t.Errorf("GET %s = %d %s\nwant %s", tc.path, status, body, tc.want)
		}
	}
	// Nothing above is an uncaught error.
	if out := p.output(); containsLine(out, "✘ [ERROR]") {
		t.Errorf("uncaught errors logged:\n%s", out)
	}
}

// containsLine reports whether a line of out contains s.
func containsLine(out, s string) bool {
	for _, l := range strings.Split(out, "\n") {
		if strings.Contains(l, s) {
			return true
		}
	}
	return false
}

// TestServiceBindingBanner: service bindings are listed as wrangler lists
// them; a binding to the Worker itself is connected.
func TestServiceBindingBanner(t *testing.T) {
	t.Parallel()
	p := startEmu(t, testdataCopy(t, "rpc"))
	p.waitFor("  env.SELF (rpc-demo)  Worker [connected]", 5*time.Second)
	p.waitFor("  env.GREETER (rpc-demo#Greeter)  Worker [connected]", 5*time.Second)
	p.waitFor("with their connection status indicated by [connected] or [not connected].", 5*time.Second)
}

// TestMultiConfig runs two Workers with wrangler's multi-config form: the
// first serves HTTP and calls the second's named entrypoint (with a
// pipelined RpcTarget and a callback), its default export's fetch, and its
// Durable Object through a script_name binding.
func TestMultiConfig(t *testing.T) {
	t.Parallel()
	p := startEmu(t, testdataCopy(t, "multi"), "-c", "a/wrangler.toml", "-c", "b/wrangler.toml")
	want := `{"add":5,"pipelined":15,"callback":42,"fetch":"B got POST /hi payload","increments":[1,2],"doFetch":"count=2 /count","name":"shared"}`
	if status, body, _ := p.get("/"); status != 200 || body != want {
		t.Errorf("GET / = %d %s\nwant %s", status, body, want)
	}
	if _, body, _ := p.get("/missing"); body != `Error: Couldn't find a local dev session for the "default" entrypoint of service "worker-c" to proxy to` {
		t.Errorf("not connected service: %s", body)
	}
	for _, line := range []string{
		"worker-b has access to the following bindings:",
		"worker-a has access to the following bindings:",
		"  env.COUNTER (Counter, defined in worker-b)  Durable Object [connected]",
		"  env.API (worker-b#Api)  Worker [connected]",
		"  env.MISSING (worker-c)  Worker [not connected]",
	} {
		p.waitFor(line, 5*time.Second)
	}
}
