package rpc

import (
	"testing"
	"time"

	"github.com/dop251/goja"

	"github.com/emu-dev/emu/jsruntime"
	"github.com/emu-dev/emu/jsruntime/webapi"
)

// newEndpoint is an isolate with the web APIs and RPC installed, and the
// RPC classes as globals; closed when the test ends.
func newEndpoint(t *testing.T) (*jsruntime.Isolate, *Endpoint) {
	t.Helper()
	iso, err := jsruntime.New(jsruntime.Options{LogError: func(msg string) { t.Log(msg) }})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(iso.Close)
	var ep *Endpoint
	err = iso.Do(func(rt *goja.Runtime) error {
		if err := webapi.Install(iso, rt, webapi.Options{}); err != nil {
			return err
		}
		if ep, err = Install(iso, rt); err != nil {
			return err
		}
		for _, k := range []string{"RpcTarget", "RpcStub", "RpcPromise", "RpcProperty", "ServiceStub"} {
			_ = rt.Set(k, ep.Classes.Get(k))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return iso, ep
}

// runAsync runs the body of an async function on iso and returns the string
// it resolves to (or "threw: name: message").
func runAsync(t *testing.T, iso *jsruntime.Isolate, body string) string {
	t.Helper()
	got := make(chan string, 1)
	err := iso.Do(func(rt *goja.Runtime) error {
		_ = rt.Set("__done", func(s string) { got <- s })
		_, err := rt.RunString(`(async () => {` + body + `})().then((v) => __done(String(v)), (e) => __done("threw: " + e.name + ": " + e.message + (e.remote ? " (remote)" : "")))`)
		return err
	})
	if err != nil {
		t.Fatal(jsruntime.FormatError(err))
	}
	select {
	case s := <-got:
		return s
	case <-time.After(5 * time.Second):
		t.Fatal("script did not settle")
		return ""
	}
}

func TestLoopbackStub(t *testing.T) {
	iso, _ := newEndpoint(t)
	cases := []struct{ name, body, want string }{
		{"call", `
			class Counter extends RpcTarget { constructor(){ super(); this.i = 0 } increment(n){ return this.i += n } }
			const s = new RpcStub(new Counter());
			return [await s.increment(2), await s.increment(3), typeof s, String(s.increment(0)), String(s.i), String(s)].join(",")`,
			"2,5,function,[object JsRpcPromise],[object JsRpcProperty],[object JsRpcStub]"},
		{"own properties hidden", `
			class C extends RpcTarget { constructor(){ super(); this.secret = 1 } }
			return await new RpcStub(new C()).secret`,
			`threw: TypeError: The RPC receiver does not implement the method "secret". (remote)`},
		{"dispose", `
			let disposed = false;
			class C extends RpcTarget { ping(){ return "pong" } [Symbol.dispose](){ disposed = true } }
			const s = new RpcStub(new C());
			const a = await s.ping();
			s[Symbol.dispose]();
			await new Promise((r) => setTimeout(r, 1));
			try { await s.ping(); return "no error" } catch (e) { return [a, disposed, e.name, e.message, e.remote].join(",") }`,
			"pong,true,Error,RPC stub used after being disposed.,"},
		{"dup survives dispose", `
			class C extends RpcTarget { ping(){ return "pong" } }
			const s = new RpcStub(new C()); const d = s.dup(); s[Symbol.dispose]();
			return await d.ping()`, "pong"},
		{"pipelining", `
			class Counter extends RpcTarget { constructor(i){ super(); this.i = i } increment(n){ return this.i += n } }
			class Svc extends RpcTarget { make(i){ return new Counter(i) } obj(i){ return { foo: 123 + i, counter: new Counter(i) } } }
			const s = new RpcStub(new Svc());
			return [await s.make(12).increment(3), await s.obj(5).foo, await s.obj(5).counter.increment(7)].join(",")`,
			"15,128,12"},
		{"callback", `
			const s = new RpcStub({ twice(cb, x){ return cb(x).then((a) => cb(a)) } });
			return await s.twice((v) => v * 3, 2)`, "18"},
		{"errors cross", `
			class C extends RpcTarget { boom(){ throw new RangeError("nope") } custom(){ class MyErr extends TypeError {}; throw new MyErr("mine") } get inner(){ return { f(){} } } }
			const s = new RpcStub(new C()); const out = [];
			for (const f of [() => s.boom(), () => s.custom(), () => s.missing(), () => s.inner.dup(), () => s.constructor.name]) {
				try { await f(); out.push("no error") } catch (e) { out.push(e.name + ": " + e.message + (e.remote ? " remote" : "")) }
			}
			return out.join("|")`,
			`RangeError: nope remote|TypeError: mine remote|TypeError: The RPC receiver does not implement the method "missing". remote|` +
				`TypeError: 'dup' is a reserved method and cannot be called over RPC. remote|no error`},
		{"not serializable", `
			class NonRpc { foo(){} }
			const s = new RpcStub({ echo(x){ return x } });
			const out = [];
			for (const v of [new NonRpc(), Object.create(null), s.echo(1)]) {
				try { await s.echo(v); out.push("no error") } catch (e) { out.push(e.name + ": " + e.message + (e.remote ? " remote" : "")) }
			}
			return out.join("|")`,
			`DataCloneError: Could not serialize object of type "NonRpc". This type does not support serialization.|` +
				`DataCloneError: Could not serialize object of type "Object". This type does not support serialization.|` +
				`DataCloneError: Could not serialize object of type "JsRpcPromise". This type does not support serialization.`},
		{"structuredClone refuses stubs", `
			class C extends RpcTarget {}
			const out = [];
			for (const v of [new C(), new RpcStub(new C())]) { try { structuredClone(v); out.push("cloned") } catch (e) { out.push(e.name + ": " + e.message) } }
			return out.join("|")`,
			"DataCloneError: Remote RPC references can only be serialized for RPC.|DataCloneError: Remote RPC references can only be serialized for RPC."},
		{"http values", `
			const s = new RpcStub({ async echo(req){ return new Response("got " + req.method + " " + req.url + " " + await req.text(), { status: 201, headers: { "x-a": "1" } }) } });
			const res = await s.echo(new Request("https://x.test/p", { method: "POST", body: "hi" }));
			return [res.status, res.headers.get("x-a"), await res.text()].join(",")`,
			"201,1,got POST https://x.test/p hi"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := runAsync(t, iso, tc.body); got != tc.want {
				t.Errorf("got  %s\nwant %s", got, tc.want)
			}
		})
	}
}
