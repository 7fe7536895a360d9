// JWT-like tokens (header.payload.signature, base64url) signed and
// verified with crypto.subtle: HS256 (HMAC with SHA-256) and ES256 (ECDSA
// on P-256 with SHA-256).
//
//   POST /sign?alg=HS256|ES256   body: JSON claims   -> the token
//   POST /verify                 body: a token       -> {valid, alg, claims}
//   GET  /jwks                   the ES256 public key as a JWK
//   POST /digest?alg=SHA-256     body: bytes         -> the hex digest
//   GET  /errors                 what a few bad calls reject with

const enc = new TextEncoder();
const dec = new TextDecoder();

function b64url(bytes) {
  let s = "";
  for (const b of new Uint8Array(bytes)) s += String.fromCharCode(b);
  return btoa(s).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

function unb64url(s) {
  const bin = atob(s.replace(/-/g, "+").replace(/_/g, "/"));
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

const keys = new Map();

// key returns the CryptoKey for an algorithm and use, imported once.
async function key(env, alg, use) {
  const id = alg + "/" + use;
  if (!keys.has(id)) {
    if (alg === "HS256") {
      keys.set(id, crypto.subtle.importKey("raw", enc.encode(env.JWT_SECRET), { name: "HMAC", hash: "SHA-256" }, false, ["sign", "verify"]));
    } else if (use === "sign") {
      keys.set(id, crypto.subtle.importKey("jwk", env.EC_JWK, { name: "ECDSA", namedCurve: "P-256" }, false, ["sign"]));
    } else {
      const { d, ...pub } = env.EC_JWK;
      keys.set(id, crypto.subtle.importKey("jwk", pub, { name: "ECDSA", namedCurve: "P-256" }, true, ["verify"]));
    }
  }
  return keys.get(id);
}

const params = { HS256: "HMAC", ES256: { name: "ECDSA", hash: "SHA-256" } };

async function sign(env, alg, claims) {
  const input = b64url(enc.encode(JSON.stringify({ alg, typ: "JWT" }))) + "." + b64url(enc.encode(JSON.stringify(claims)));
  const sig = await crypto.subtle.sign(params[alg], await key(env, alg, "sign"), enc.encode(input));
  return input + "." + b64url(sig);
}

async function verify(env, token) {
  const [h, p, s] = token.split(".");
  const { alg } = JSON.parse(dec.decode(unb64url(h)));
  if (!(alg in params)) return { valid: false, alg };
  const valid = await crypto.subtle.verify(params[alg], await key(env, alg, "verify"), unb64url(s), enc.encode(h + "." + p));
  return { valid, alg, claims: valid ? JSON.parse(dec.decode(unb64url(p))) : null };
}

const describe = (p) => p.then(() => "resolved", (e) => `${e.constructor.name} ${e.name}: ${e.message}`);

export default {
  async fetch(request, env) {
    const url = new URL(request.url);
    switch (url.pathname) {
      case "/sign": {
        const alg = url.searchParams.get("alg") ?? "HS256";
        return new Response(await sign(env, alg, await request.json()));
      }
      case "/verify":
        return Response.json(await verify(env, (await request.text()).trim()));
      case "/jwks":
        return Response.json(await crypto.subtle.exportKey("jwk", await key(env, "ES256", "verify")));
      case "/digest": {
        const d = await crypto.subtle.digest(url.searchParams.get("alg") ?? "SHA-256", await request.arrayBuffer());
        return new Response([...new Uint8Array(d)].map((b) => b.toString(16).padStart(2, "0")).join(""));
      }
      case "/errors": {
        const hmac = await key(env, "HS256", "sign");
        return Response.json([
          await describe(crypto.subtle.digest("SHA-3", new Uint8Array(1))),
          await describe(crypto.subtle.sign({ name: "ECDSA", hash: "SHA-256" }, hmac, new Uint8Array(1))),
          await describe(crypto.subtle.exportKey("raw", hmac)),
          await describe(crypto.subtle.importKey("raw", new Uint8Array(3), "AES-GCM", true, ["encrypt"])),
          await describe(crypto.subtle.generateKey({ name: "AES-GCM", length: 128 }, true, ["sign"])),
          await describe(crypto.subtle.sign("HMAC", {}, new Uint8Array(1))),
        ]);
      }
    }
    return new Response("not found", { status: 404 });
  },
};
