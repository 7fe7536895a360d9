// A Worker for uploads: POST /upload takes a multipart/form-data body and
// answers, for its "file" field, with the name, type, size and SHA-256
// (hashed through crypto.DigestStream as the file streams in), plus the
// other fields; GET /form answers with a FormData body; POST /echo parses
// any form body and sends it back as FormData; POST /blob answers with the
// request body as a Blob of the request's type.

const hex = (ab) => Array.from(new Uint8Array(ab), (b) => b.toString(16).padStart(2, "0")).join("");

async function upload(request) {
  let form;
  try {
    form = await request.formData();
  } catch (e) {
    return new Response(`${e.name}: ${e.message}`, { status: 400 });
  }
  const file = form.get("file");
  if (!(file instanceof File)) return new Response("no file", { status: 400 });
  const digest = new crypto.DigestStream("SHA-256");
  await file.stream().pipeTo(digest);
  const fields = {};
  for (const [k, v] of form) if (typeof v === "string") fields[k] = v;
  return Response.json({
    name: file.name,
    type: file.type,
    size: file.size,
    sha256: hex(await digest.digest),
    bytesWritten: String(digest.bytesWritten),
    fields,
  });
}

function form() {
  const fd = new FormData();
  fd.append("greeting", "héllo wörld");
  fd.append("report", new File(["line 1\nline 2\n"], "report.txt", { type: "text/plain" }));
  fd.append("raw", new Blob([new Uint8Array([0, 1, 2, 253, 254, 255])]));
  fd.append("greeting", "again");
  return new Response(fd);
}

async function echo(request) {
  const fd = await request.formData();
  return new Response(fd);
}

export default {
  async fetch(request) {
    const { pathname } = new URL(request.url);
    if (pathname === "/upload" && request.method === "POST") return upload(request);
    if (pathname === "/form") return form();
    if (pathname === "/echo" && request.method === "POST") return echo(request);
    if (pathname === "/blob" && request.method === "POST") {
      const blob = await request.blob();
      return new Response(blob.slice(1, -1, blob.type));
    }
    return new Response("not found", { status: 404 });
  },
};
