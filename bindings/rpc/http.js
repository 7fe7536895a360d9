// Request, Response, Headers and ReadableStream across RPC: out() reads one
// into plain parts (its body as a promise for the bytes: streams are
// buffered whole), into() makes one from the parts on the other side.
(function () {
  const pairs = (h) => [...h];
  function out(kind, o) {
    switch (kind) {
      case "request":
        return [o.method, o.url, pairs(o.headers), o.redirect, o.body === null ? null : o.arrayBuffer()];
      case "response":
        return [o.status, o.statusText, pairs(o.headers), null, o.body === null ? null : o.arrayBuffer()];
      case "headers":
        return [null, null, pairs(o), null, null];
      case "stream":
        return [null, null, null, null, new Response(o).arrayBuffer()];
    }
  }
  function into(kind, a, b, headers, redirect, body) {
    switch (kind) {
      case "request":
        return new Request(b, { method: a, headers, redirect, body });
      case "response":
        return new Response(body, { status: a, statusText: b, headers });
      case "headers":
        return new Headers(headers);
      case "stream":
        return new Response(body).body;
    }
  }
  return { out, into };
})
