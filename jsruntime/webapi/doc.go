// Package webapi installs the web platform APIs Workers use (Request,
// Response, Headers, URL, encodings, events, streams, console, crypto and
// crypto.subtle, ...) on an isolate, with workerd's observable behaviour.
//
// The APIs are written in JavaScript, with Go natives where Go does the
// work better. The package is laid out by area; an area's JS files and its
// Go file (natives, and the Go API of the area if it has one) sit side by
// side:
//
//	prelude.js                 helpers every area uses (defineGlobal, lazyClass, byteView, ...)
//	engine.js iterator.js      ES2023-2025 built-ins goja lacks (Promise.withResolvers, groupBy,
//	                           ...), Iterator helpers; V8's error wording in rejection handlers
//	domexception.js events.js  DOMException; Event, its subclasses and EventTarget;
//	abort.js                   AbortController and AbortSignal
//	encoding.go encoding.js    TextEncoder, TextDecoder, atob, btoa; UTF-8, latin1 and base64 in Go;
//	textdecoder.go             TextDecoder's decoders: every WHATWG encoding (x/text), streaming
//	urlparse.js urlhost.js     URL: the URL Standard's parser and hosts;
//	urlsearchparams.js url.js  URLSearchParams; URL records serialized and the URL class
//	headers.js                 Headers
//	body.js request.js         Request, Response and their bodies; fetch (a stub), and
//	response.js fetch.js       the entry points of NewRequest and ReadResponse (fetch.go)
//	streams_*.js streams.go    the Streams Standard as workerd ships it (its own lazy tier):
//	                           queues, controllers, ReadableStream and readers, internal
//	                           byte streams, WritableStream and its JS sinks, pipes, TransformStream,
//	                           Identity/FixedLengthStream, TextEncoder/DecoderStream, and
//	                           the bodies of Requests and Responses as streams
//	bodystream.go              BodyStream: a streaming Response body read from Go
//	compression.go .js         CompressionStream, DecompressionStream on Go's compress/*
//	inspect.js inspectparts.js util.inspect as workerd has it (Node's algorithm; web API
//	                           objects as JSG objects) and the parts it is made of;
//	console.js console.go      console and util.format; console output, promise and
//	                           proxy introspection in Go (InspectFunctions for node:util)
//	crypto.go crypto.js        crypto.getRandomValues, randomUUID
//	subtleargs.js subtle.js    crypto.subtle (lazy tier "subtle"): SubtleCrypto, CryptoKey and the
//	                           Web IDL conversions of their arguments
//	subtle.go subtle_ops.go    the crypto in Go: natives and digest; the algorithm table and
//	subtle_key.go              generate/import/export/deriveKey/wrap; keys and usages;
//	subtle_params.go           algorithm dictionaries and JWKs; then one file per family:
//	subtle_hmac.go subtle_aes.go subtle_aeskw.go subtle_kdf.go subtle_ec.go subtle_okp.go
//	subtle_rsa.go subtle_asym.go (spki, pkcs8 and jwk of RSA, EC and OKP keys)
//	globals.js                 navigator, self, scheduler, Cloudflare.compatibilityFlags
//	scope.go scope.js          the global scope as an event target: unhandledrejection,
//	                           rejectionhandled, error, reportError
//	tiers.js                   the lazy globals of the fetch, streams, console and subtle tiers; stubs
//	notyet.go                  globals emu does not have yet, caches
//
// webapi.go lists the areas in the order their JS runs (prelude first,
// tiers.js last), each with its lazy tier, if any, and its natives, and
// compiles them into one program shared by all runtimes (see source). Install
// runs that program on a runtime with the natives of every area as host.
// Areas in a tier are only run on first use of their globals, which keeps a
// new runtime cheap.
package webapi
