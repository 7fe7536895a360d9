// Package webapi installs the web platform APIs Workers use (Request,
// Response, Headers, URL, encodings, events, streams, console, crypto's
// random functions, ...) on an isolate, with workerd's observable behaviour.
//
// The APIs are written in JavaScript, with Go natives where Go does the
// work better. The package is laid out by area; an area's JS files and its
// Go file (natives, and the Go API of the area if it has one) sit side by
// side:
//
//	prelude.js                 helpers every area uses (defineGlobal, lazyClass, byteView, ...)
//	domexception.js events.js  DOMException; Event, its subclasses and EventTarget;
//	abort.js                   AbortController and AbortSignal
//	encoding.go encoding.js    TextEncoder, TextDecoder, atob, btoa; UTF-8, latin1 and base64 in Go
//	urlparse.js urlhost.js     URL: the URL Standard's parser and hosts;
//	urlsearchparams.js url.js  URLSearchParams; URL records serialized and the URL class
//	headers.js                 Headers
//	streams.js                 ReadableStream, its reader and controller
//	body.js request.js         Request, Response and their bodies; fetch (a stub), and
//	response.js fetch.js       the entry points of NewRequest and ReadResponse (fetch.go)
//	inspect.js inspectparts.js util.inspect as workerd has it (Node's algorithm; web API
//	                           objects as JSG objects) and the parts it is made of;
//	console.js console.go      console and util.format; console output, promise and
//	                           proxy introspection in Go (InspectFunctions for node:util)
//	crypto.go crypto.js        crypto.getRandomValues, randomUUID; crypto.subtle (stubs)
//	globals.js                 navigator, self, scheduler
//	tiers.js                   the lazy globals of the fetch and console tiers; stub classes
//	notyet.go                  globals emu does not have yet, caches
//
// webapi.go lists the areas in the order their JS runs (prelude first,
// tiers.js last), each with its lazy tier, if any, and its natives, and
// compiles them into one program shared by all runtimes (see source). Install
// runs that program on a runtime with the natives of every area as host.
// Areas in a tier are only run on first use of their globals, which keeps a
// new runtime cheap.
package webapi
