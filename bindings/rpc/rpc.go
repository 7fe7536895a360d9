// Package rpc implements Workers RPC (workerd's JS RPC): calls on Durable
// Object stubs and service bindings, RpcTargets and functions passed and
// returned as stubs that call back into the object they point at, promise
// pipelining (calls and property reads on a result that has not arrived),
// stub lifetimes (dup, Symbol.dispose, parameters disposed when the call
// returns), Request/Response/ReadableStream/Headers as arguments and
// results, and errors that cross with their class and message and
// `remote: true`.
//
// A call is Go data between isolates: the arguments are structured-cloned
// (jsruntime.SerializeWith) with a table of externals beside the bytes
// (Targets for stubs, HTTP values), delivered to a Target, run on the
// target's loop (through its owner's input gate when the owner is a Durable
// Object), and the result comes back the same way with a Target for
// pipelined calls. Calls within one isolate take the same path, so what a
// script observes does not depend on where the callee lives.
package rpc

import (
	"sync"
)

// Target is something RPC calls can be delivered to: an object in some
// isolate (an RpcTarget, a function, a plain object returned by a call), a
// Durable Object or a Worker's entrypoint. Its methods are safe from any
// goroutine.
type Target interface {
	// Deliver runs c on the target's loop and answers through c.Reply.
	Deliver(c *Call)
	// Retain records one more stub pointing at the target.
	Retain()
	// Release drops a stub; the target's disposer runs when none is left.
	Release()
}

// Call is one RPC: a method call or a property read along a path of
// property names, or a fetch.
type Call struct {
	Path  []string // property path from the target; empty calls the target itself
	Get   bool     // read the property instead of calling it
	Fetch bool     // run the fetch handler with Args[0], a Request
	Args  *Message // the arguments as an array; nil for none
	// Reply is called once, from any goroutine.
	Reply func(*Reply)
}

// Message is a serialized value and its externals.
type Message struct {
	Data []byte
	Ext  []any // Target (a stub, retained for the message) or *HTTPValue
}

// Reply is the outcome of a call.
type Reply struct {
	Value *Message
	Err   *ErrorData
	// Pipeline receives the calls made on the result before or after it
	// arrived; it is retained for the caller, who releases it.
	Pipeline Target
}

// release drops what an undelivered message holds.
func (m *Message) release() {
	if m == nil {
		return
	}
	for _, e := range m.Ext {
		if t, ok := e.(Target); ok {
			t.Release()
		}
	}
}

// method is how an error message names the member a call addressed:
// workerd's "(this)" for the target itself, else the dotted path.
func (c *Call) method() string {
	if len(c.Path) == 0 {
		return "(this)"
	}
	s := c.Path[0]
	for _, p := range c.Path[1:] {
		s += "." + p
	}
	return s
}

// future is the Target of a result that has not arrived: calls wait until
// it resolves to the result's pipeline (or its error).
type future struct {
	mu       sync.Mutex
	done     bool
	target   Target
	err      *ErrorData
	queue    []*Call
	released bool
}

func newFuture() *future { return &future{} }

// resolve settles the future with the reply's pipeline or error.
func (f *future) resolve(r *Reply) {
	f.mu.Lock()
	f.done, f.target, f.err = true, r.Pipeline, r.Err
	q := f.queue
	f.queue = nil
	released := f.released
	f.mu.Unlock()
	for _, c := range q {
		f.forward(c)
	}
	if released && r.Pipeline != nil {
		r.Pipeline.Release()
	}
}

func (f *future) forward(c *Call) {
	if f.err != nil {
		c.Args.release()
		c.Reply(&Reply{Err: f.err})
		return
	}
	if f.target == nil {
		c.Args.release()
		c.Reply(&Reply{Err: errDisposedPromise})
		return
	}
	f.target.Deliver(c)
}

// Deliver queues c until the future resolves.
func (f *future) Deliver(c *Call) {
	f.mu.Lock()
	if !f.done {
		f.queue = append(f.queue, c)
		f.mu.Unlock()
		return
	}
	f.mu.Unlock()
	f.forward(c)
}

// Retain is a no-op: a future is owned by one promise.
func (f *future) Retain() {}

// Release drops the result's pipeline (its disposer runs on the callee).
func (f *future) Release() {
	f.mu.Lock()
	if f.released {
		f.mu.Unlock()
		return
	}
	f.released = true
	t := f.target
	done := f.done
	f.target = nil
	f.mu.Unlock()
	if done && t != nil {
		t.Release()
	}
}

// broken is a Target every call to which fails with err.
type broken struct{ err *ErrorData }

func (b broken) Deliver(c *Call) { c.Args.release(); c.Reply(&Reply{Err: b.err}) }
func (broken) Retain()           {}
func (broken) Release()          {}
