// fetch, and the entry points fetch.go calls: __newIncomingRequest builds
// the Request a fetch handler receives, __readResponse reads a Response back.


// The placeholder request.cf wrangler dev uses when it cannot fetch the real
// one (miniflare's fallbackCf), plus the client's Accept-Encoding.
function placeholderCf(acceptEncoding) {
  return {
    asOrganization: "",
    asn: 395747,
    colo: "DFW",
    city: "Austin",
    region: "Texas",
    regionCode: "TX",
    metroCode: "635",
    postalCode: "78701",
    country: "US",
    continent: "NA",
    timezone: "America/Chicago",
    latitude: "30.27130",
    longitude: "-97.74260",
    clientTcpRtt: 0,
    httpProtocol: "HTTP/1.1",
    requestPriority: "weight=192;exclusive=0",
    tlsCipher: "AEAD-AES128-GCM-SHA256",
    tlsVersion: "TLSv1.3",
    tlsClientAuth: {
      certPresented: "0",
      certVerified: "NONE",
      certRevoked: "0",
      certIssuerDN: "",
      certSubjectDN: "",
      certIssuerDNRFC2253: "",
      certSubjectDNRFC2253: "",
      certIssuerDNLegacy: "",
      certSubjectDNLegacy: "",
      certSerial: "",
      certIssuerSerial: "",
      certSKI: "",
      certIssuerSKI: "",
      certFingerprintSHA1: "",
      certFingerprintSHA256: "",
      certNotBefore: "",
      certNotAfter: "",
    },
    edgeRequestKeepAliveStatus: 0,
    clientTrustScore: 99,
    botManagement: {
      corporateProxy: false,
      verifiedBot: false,
      ja3Hash: "25b4882c2bcb50cd6b469ff28c596742",
      staticResource: false,
      detectionIds: [],
      score: 99,
    },
    clientAcceptEncoding: acceptEncoding,
  };
}

// newIncomingRequest builds the Request a Worker's fetch handler receives,
// as workerd does in ServiceWorkerGlobalScope::request: immutable headers,
// redirect "manual", a null body unless one was sent, and a Content-Length
// for a sent body without Content-Length or Transfer-Encoding.
register("__newIncomingRequest", function (method, url, headerPairs, bodyBuffer) {
  const bodyBytes = bodyBuffer === null ? null : new Uint8Array(bodyBuffer);
  const href = parseURLString(url);
  if (href === null) throw new TypeError(`Invalid URL: ${url}`);
  const headers = new Headers();
  for (let i = 0; i < headerPairs.length; i += 2) {
    headersAppendUnguarded(headers, headerPairs[i].toLowerCase(), headerPairs[i + 1]);
  }
  const framed = headersHasLower(headers, "content-length") || headersHasLower(headers, "transfer-encoding");
  let body = null;
  if (bodyBytes !== null && (bodyBytes.byteLength > 0 || framed)) {
    body = { src: bodyBytes, stream: null, used: false };
  } else if (framed) {
    body = { src: new Uint8Array(0), stream: null, used: false };
  }
  if (body !== null && !framed) headersAppendUnguarded(headers, "content-length", String(body.src.byteLength));
  headersSetGuard(headers, true);
  return new Request(internalToken, {
    method: String(method),
    url: href,
    headers,
    body,
    redirect: "manual",
    // Made on first read of request.cf.
    cf: () => placeholderCf(headersGetLower(headers, "accept-encoding") ?? ""),
  });
});

// readResponse returns what the Go side sends: status, text, headers as a
// flat [name, value, ...] list, and the body: body is null, a string or a
// Uint8Array for a buffered body; a body that is a stream gives stream, the
// pump bodystream.go reads it through, and length (-1 unknown). It consumes
// the body.
register("__readResponse", function (v) {
  if (!(v instanceof Response)) return null;
  const r = responseInternals(v);
  const headers = headersRawEntries(r.headers);
  let body = null;
  let stream = null;
  let length = -1;
  const b = r.body;
  if (b !== null) {
    if (bodyIsUsed(b)) throw new TypeError(bodyUsedMessage);
    if (b.stream === null) {
      b.used = true;
      body = b.src;
    } else {
      body = streamsApi.takeBuffered(b.stream);
      if (body === null) {
        if (streamsApi.isLocked(b.stream)) throw new TypeError("The ReadableStream has been locked to a reader.");
        length = streamsApi.length(b.stream) ?? -1;
        stream = streamsApi.pump(b.stream);
      }
    }
  }
  return { status: r.status, statusText: r.statusText, headers, body, stream, length, webSocket: r.webSocket };
});
