"use strict";
// emu's inspector page: it reads the JSON API beside it (api/…), listens to
// the live stream (api/events: an "overview" whenever something changes,
// and emu's log lines) and re-reads what it shows when the overview says
// something changed. No framework, no build step; every value from the
// server is put in the page as text.

const PAGE = 50;
const view = {
  worker: null, // api/worker
  overview: null, // the last "overview" event
  ns: null, // binding shown
  id: null, // object shown
  tab: "sockets",
  objOffset: 0, sockOffset: 0, kvOffset: 0, rowsOffset: 0,
  table: null, // SQL table shown
  filter: "", q: "",
};

const $ = (id) => document.getElementById(id);

// fill replaces a node's children with kids (nodes, strings, nested
// arrays; null, undefined and false are skipped).
function fill(node, ...kids) {
  node.replaceChildren(...kids.flat(Infinity).filter((k) => k !== null && k !== undefined && k !== false));
}

// el builds an element: attrs are properties (class, dataset entries as
// "data-x", on* listeners); kids are nodes or strings (as text).
function el(tag, attrs, ...kids) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith("on")) e.addEventListener(k.slice(2), v);
    else if (k.startsWith("data-") || k === "title" || k === "role" || k === "colspan") e.setAttribute(k, v);
    else if (k === "class") e.className = v;
    else e[k] = v;
  }
  for (const kid of kids.flat(Infinity)) {
    if (kid === undefined || kid === null || kid === false) continue;
    e.append(kid instanceof Node ? kid : String(kid));
  }
  return e;
}

async function api(path, init) {
  const res = await fetch("api/" + path, init);
  let body;
  try { body = await res.json(); } catch { body = { error: res.status + " " + res.statusText }; }
  if (!res.ok) throw new Error(body.error || res.statusText);
  return body;
}

const post = (path, body) => api(path, {
  method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body || {}),
});

const enc = encodeURIComponent;
const objPath = () => `namespaces/${enc(view.ns)}/objects/${enc(view.id)}`;

// --- times -----------------------------------------------------------------

function ago(ms) {
  const s = Math.abs(ms) / 1000;
  const two = (a, unitA, b, unitB) => b ? `${a}${unitA} ${b}${unitB}` : `${a}${unitA}`;
  if (s < 1) return `${Math.round(Math.abs(ms))} ms`;
  if (s < 60) return `${s.toFixed(s < 10 ? 1 : 0)}s`;
  if (s < 3600) return two(Math.floor(s / 60), "m", Math.floor(s % 60), "s");
  if (s < 86400) return two(Math.floor(s / 3600), "h", Math.floor((s % 3600) / 60), "m");
  return two(Math.floor(s / 86400), "d", Math.floor((s % 86400) / 3600), "h");
}

function relText(t) {
  const d = Date.parse(t) - Date.now();
  return d > 0 ? "in " + ago(d) : ago(d) + " ago";
}

// time renders a timestamp as "3.2s ago" / "in 5s", kept current by tick.
function time(t) {
  if (!t) return el("span", { class: "dim" }, "—");
  return el("time", { class: "rel", "data-t": t, title: new Date(t).toLocaleString() }, relText(t));
}

setInterval(() => {
  for (const e of document.querySelectorAll("time.rel")) e.textContent = relText(e.dataset.t);
}, 1000);

// --- small pieces ----------------------------------------------------------

function badge(state) {
  return el("span", { class: "state " + state.replace(" ", "-"), "data-state": state }, state);
}

// reasons lists why an object stays in memory; the timer's countdown is
// kept current on the page.
function reasons(o) {
  const list = o.reasons || [];
  if (list.length === 0) return el("span", { class: "dim" }, "—");
  return el("ul", { class: "reasons" }, list.map((r) => {
    const m = /^(\d+ timers?), next due in /.exec(r);
    return el("li", {}, m && o.pins?.nextTimer ? [m[1], ", next due ", time(o.pins.nextTimer)] : r);
  }));
}

const count = (n, what) => `${n} ${what}${n === 1 ? "" : "s"}`;

function objectLabel(o) {
  return o.name ? o.name : o.id.slice(0, 12) + "…";
}

function pager(node, offset, shown, total, go) {
  fill(node);
  if (total <= PAGE && offset === 0) {
    node.append(`${total} in all`);
    return;
  }
  node.append(
    el("button", { type: "button", disabled: offset === 0, onclick: () => go(Math.max(0, offset - PAGE)) }, "‹ prev"),
    `${total === 0 ? 0 : offset + 1}–${offset + shown} of ${total}`,
    el("button", { type: "button", disabled: offset + shown >= total, onclick: () => go(offset + PAGE) }, "next ›"),
  );
}

let toastTimer;
function toast(msg, bad) {
  const t = $("toast");
  t.textContent = msg;
  t.className = "toast" + (bad ? " bad" : "");
  t.hidden = false;
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => { t.hidden = true; }, 4000);
}

// act runs an action and shows its outcome; the views refresh after it.
async function act(what, fn) {
  try {
    const res = await fn();
    toast(res.message || what + ": done");
  } catch (e) {
    toast(what + ": " + e.message, true);
  }
  refresh();
}

// --- the Worker ------------------------------------------------------------

async function loadWorker() {
  const w = await api("worker");
  view.worker = w;
  const line = $("worker-line");
  fill(line,
    el("strong", {}, w.name || w.entry),
    ` · version ${w.version}`,
    w.version > 1 ? [" · reloaded ", time(w.loadedAt), w.changed.length ? ` (${w.changed.join(", ")} changed, ${w.buildMs} ms)` : ""]
      : w.loadedAt ? [" · started ", time(w.loadedAt)] : "",
  );
  $("build-error").hidden = !w.buildError;
  $("build-error-text").textContent = w.buildError || "";
  const facts = [
    ["entry", el("code", {}, w.entry || "—")],
    ["config", w.config ? el("code", {}, w.config) : el("span", { class: "dim" }, "none (zero-config)")],
    ["compatibility date", w.compatibilityDate],
    ["flags", w.compatibilityFlags.length ? w.compatibilityFlags.map((f) => el("span", { class: "tag" }, f)) : el("span", { class: "dim" }, "none")],
    ["hibernate after", ago(w.hibernateAfterMs)],
    ["storage", el("code", {}, w.storage)],
    ["emu", w.emu],
  ];
  const bindings = w.bindings.map((b) => el("li", {}, el("code", {}, "env." + b.name), " ",
    el("span", { class: "dim" }, b.type === "Durable Object" ? `${b.class}${b.sqlite ? ", SQLite" : ""}` : b.type)));
  fill($("worker"),
    el("h2", {}, "Worker"),
    el("dl", { class: "facts" }, facts.map(([k, v]) => [el("dt", {}, k), el("dd", {}, v)])),
    el("h2", { class: "sub" }, "Bindings"),
    bindings.length ? el("ul", { class: "reasons" }, bindings) : el("p", { class: "dim" }, "none"),
  );
}

// --- namespaces ------------------------------------------------------------

function renderNamespaces() {
  const list = $("namespaces");
  fill(list, ...view.overview.namespaces.map((ns) => {
    const s = ns.states;
    return el("li", { "data-ns": ns.binding, class: ns.binding === view.ns ? "selected" : "", onclick: () => go(ns.binding) },
      el("div", {}, el("strong", {}, ns.className), " ", el("code", { class: "dim" }, "env." + ns.binding)),
      el("div", { class: "counts" },
        el("span", {}, count(ns.objects, "object")),
        s.active ? el("span", {}, `${s.active} active`) : null,
        s.idle ? el("span", {}, `${s.idle} idle`) : null,
        s.hibernated ? el("span", {}, `${s.hibernated} hibernated`) : null,
        s["not loaded"] ? el("span", {}, `${s["not loaded"]} not loaded`) : null,
        el("span", {}, count(ns.sockets + ns.accepted, "socket"))));
  }));
  if (view.overview.namespaces.length === 0) list.append(el("li", { class: "dim" }, "This Worker has no Durable Object bindings."));
}

async function loadObjects() {
  const q = new URLSearchParams({ offset: view.objOffset, limit: PAGE });
  if (view.filter) q.set("state", view.filter);
  if (view.q) q.set("q", view.q);
  const page = await api(`namespaces/${enc(view.ns)}/objects?${q}`);
  const ns = view.overview?.namespaces.find((n) => n.binding === view.ns);
  fill($("objects-title"), ns ? ns.className : view.ns, " ", el("code", { class: "dim" }, "env." + view.ns));
  const rows = page.objects.map((o) => el("tr", { class: "clickable", "data-object": o.id, "data-name": o.name || "", onclick: () => go(view.ns, o.id) },
    el("td", { title: o.id }, el("strong", {}, objectLabel(o)), o.name ? el("div", { class: "dim mono" }, o.id.slice(0, 16) + "…") : null),
    el("td", {}, badge(o.state)),
    el("td", {}, reasons(o)),
    el("td", {}, o.constructed),
    el("td", {}, o.lastEvent ? [el("code", {}, o.lastEvent), " ", time(o.lastEventAt)] : el("span", { class: "dim" }, "—")),
    el("td", {}, o.sockets + o.accepted),
    el("td", {}, o.alarm.at ? time(o.alarm.at) : el("span", { class: "dim" }, "—"))));
  if (rows.length === 0) rows.push(el("tr", {}, el("td", { colspan: 7, class: "dim" }, "No objects yet: they appear when the Worker gets a stub, or when they have storage on disk.")));
  fill($("objects").tBodies[0], rows);
  pager($("objects-pager"), page.offset, page.objects.length, page.total, (off) => { view.objOffset = off; loadObjects().catch(showError); });
}

// --- one object ------------------------------------------------------------

async function loadObject() {
  const o = await api(objPath());
  fill($("object-title"), objectLabel(o), " ", badge(o.state));
  $("object-title").dataset.state = o.state;
  const alarm = o.alarm;
  const facts = [
    ["id", el("code", {}, o.id)],
    ["name", o.name || el("span", { class: "dim" }, "unknown (not seen by name in this run)")],
    ["in memory because", o.state === "active" || o.state === "idle" ? reasons(o) : el("span", { class: "dim" }, "not in memory")],
    ["constructor runs", o.constructed],
    ["last event", o.lastEvent ? [el("code", {}, o.lastEvent), " ", time(o.lastEventAt)] : el("span", { class: "dim" }, "none yet")],
    ["alarm", el("span", { id: "alarm-at" }, alarm.at ? time(alarm.at) : el("span", { class: "dim" }, "none"),
      alarm.retry ? ` (retry ${alarm.retry})` : "")],
    ["last alarm run", alarm.lastRun ? [time(alarm.lastRun), " ", el("span", { id: "alarm-outcome" }, alarm.lastOutcome)] : el("span", { class: "dim" }, "never in this run")],
    ["auto-response", o.autoResponse ? [el("code", {}, JSON.stringify(o.autoResponse.request)), " → ", el("code", {}, JSON.stringify(o.autoResponse.response))] : el("span", { class: "dim" }, "none")],
    ["storage", o.storageInfo ? `${count(o.storageInfo.kvKeys, "key")}, ${count(o.storageInfo.tables, "table")}, ${(o.storageInfo.bytes / 1024).toFixed(1)} KiB${o.storageInfo.transaction ? ", a transaction is open" : ""}` : el("span", { class: "dim" }, "none")],
  ];
  fill($("object-facts"), ...facts.map(([k, v]) => [el("dt", {}, k), el("dd", {}, v)]).flat());
  $("hibernate-one").disabled = !(o.state === "active" || o.state === "idle");
  $("fire-alarm").disabled = !alarm.at;
  $("delete-alarm").disabled = !alarm.at;
  $("wipe").disabled = !o.storage;
  await loadTab();
}

async function loadTab() {
  for (const t of ["sockets", "kv", "sql"]) {
    $("pane-" + t).hidden = t !== view.tab;
    $("tab-" + t).setAttribute("aria-selected", String(t === view.tab));
  }
  if (view.tab === "sockets") await loadSockets();
  else if (view.tab === "kv") await loadKV();
  else await loadSQL();
}

async function loadSockets() {
  const page = await api(`${objPath()}/sockets?offset=${view.sockOffset}&limit=${PAGE}`);
  const rows = page.sockets.map((s) => el("tr", { "data-socket": s.id },
    el("td", { class: "mono" }, s.id || "(not connected yet)"),
    el("td", {}, s.hibernatable ? "hibernatable" : "accept()ed"),
    el("td", {}, s.tags.length ? s.tags.map((t) => el("span", { class: "tag" }, t)) : el("span", { class: "dim" }, "—")),
    el("td", {}, s.attachment ? el("pre", {}, s.attachment) : el("span", { class: "dim" }, "—")),
    el("td", {}, time(s.since)),
    el("td", {}, `${s.in} / ${s.out}`),
    el("td", {}, s.autoReplies ? [String(s.autoReplies), el("div", { class: "dim" }, "last ", time(s.autoReplyAt))] : "0"),
    el("td", {}, s.closedByUs || s.closedByPeer ? el("span", { class: "dim" }, "closing") :
      el("button", { type: "button", class: "close-socket", disabled: !s.id, onclick: () => closeSocket(s.id) }, "Close"))));
  if (rows.length === 0) rows.push(el("tr", {}, el("td", { colspan: 8, class: "dim" }, "No WebSockets.")));
  fill($("sockets").tBodies[0], rows);
  pager($("sockets-pager"), page.offset, page.sockets.length, page.total, (off) => { view.sockOffset = off; loadSockets().catch(showError); });
}

async function loadKV() {
  const page = await api(`${objPath()}/storage/kv?offset=${view.kvOffset}&limit=${PAGE}`);
  const rows = page.entries.map((e) => el("tr", { "data-key": e.key },
    el("td", { class: "mono key" }, e.key), el("td", {}, el("pre", { class: "value" }, e.value)), el("td", {}, e.bytes)));
  if (rows.length === 0) rows.push(el("tr", {}, el("td", { colspan: 3, class: "dim" }, "No keys.")));
  fill($("kv").tBodies[0], rows);
  pager($("kv-pager"), page.offset, page.entries.length, page.total, (off) => { view.kvOffset = off; loadKV().catch(showError); });
}

async function loadSQL() {
  const t = await api(`${objPath()}/storage/sql`);
  const box = $("tables");
  if (!t.sqlite) {
    fill(box, el("p", { class: "dim" }, "This class is KV-backed (new_classes): it has no SQL database."));
    $("query-form").hidden = true;
    return;
  }
  $("query-form").hidden = false;
  fill(box, ...(t.tables.length ? t.tables.map((tb) => el("div", { class: "table-card", "data-table": tb.name },
    el("h3", {}, el("a", { href: "#", onclick: (ev) => { ev.preventDefault(); view.table = tb.name; view.rowsOffset = 0; loadRows().catch(showError); } }, tb.name),
      " ", el("span", { class: "dim" }, `${tb.type}, ${count(tb.rows, "row")}`)),
    el("pre", {}, tb.schema))) : [el("p", { class: "dim" }, "No tables.")]));
  if (view.table && t.tables.some((tb) => tb.name === view.table)) await loadRows();
  else fill($("table-rows"));
}

function rowsTable(res) {
  const cell = (v) => v === null ? el("span", { class: "dim" }, "NULL")
    : typeof v === "object" ? el("span", { class: "mono" }, `x'${v.blob}${v.bytes > 64 ? "…" : ""}' (${v.bytes} bytes)`)
    : String(v);
  return el("table", { class: "grid" },
    el("thead", {}, el("tr", {}, res.columns.map((c) => el("th", {}, c)))),
    el("tbody", {}, res.rows.map((r) => el("tr", {}, r.map((v) => el("td", {}, cell(v)))))));
}

async function loadRows() {
  const res = await api(`${objPath()}/storage/sql/${enc(view.table)}?offset=${view.rowsOffset}&limit=${PAGE}`);
  const p = el("div", { class: "pager" });
  pager(p, res.offset, res.rows.length, res.total, (off) => { view.rowsOffset = off; loadRows().catch(showError); });
  fill($("table-rows"), el("h3", {}, view.table), rowsTable(res), p);
}

async function runQuery(ev) {
  ev.preventDefault();
  const out = $("query-result");
  try {
    const res = await post(`${objPath()}/storage/query`, { sql: $("query").value, limit: 200 });
    fill(out, rowsTable(res), res.more ? el("p", { class: "dim" }, "First 200 rows shown.") : "");
  } catch (e) {
    fill(out, el("p", { class: "error-text" }, e.message));
  }
}

function closeSocket(id) {
  const code = Number($("close-code").value);
  const reason = $("close-reason").value;
  act("close", () => post(`${objPath()}/sockets/${enc(id)}/close`, { code, reason }));
}

// --- routing and refreshing ------------------------------------------------

// go shows a namespace, or one of its objects; the address bar keeps it.
function go(ns, id) {
  location.hash = id ? `#/${enc(ns)}/${enc(id)}` : `#/${enc(ns)}`;
}

function route() {
  const parts = location.hash.replace(/^#\/?/, "").split("/").filter(Boolean).map(decodeURIComponent);
  const [ns, id] = parts;
  if (ns !== view.ns) { view.objOffset = 0; }
  if (id !== view.id) { view.sockOffset = 0; view.kvOffset = 0; view.table = null; fill($("query-result")); hideWipe(); }
  view.ns = ns || null;
  view.id = id || null;
  $("empty-view").hidden = !!view.ns;
  $("objects-view").hidden = !view.ns || !!view.id;
  $("object-view").hidden = !view.id;
  if (view.overview) renderNamespaces();
  refresh();
}

let busy = false;
let again = false;
// refresh re-reads what the page shows; calls while one runs make it read
// once more when it is done.
async function refresh() {
  if (busy) { again = true; return; }
  busy = true;
  try {
    do {
      again = false;
      try {
        if (view.id) await loadObject();
        else if (view.ns) await loadObjects();
      } catch (e) { showError(e); }
    } while (again);
  } finally {
    busy = false;
  }
}

function showError(e) { toast(e.message, true); }

function logLine(l) {
  const list = $("log");
  const atEnd = list.scrollTop + list.clientHeight >= list.scrollHeight - 4;
  list.append(el("li", { class: l.level }, el("time", { title: new Date(l.time).toLocaleString() }, new Date(l.time).toLocaleTimeString()), l.text));
  while (list.children.length > 200) list.firstChild.remove();
  if (atEnd) list.scrollTop = list.scrollHeight;
}

function listen() {
  const es = new EventSource("api/events");
  es.addEventListener("open", () => { $("live").className = "live on"; $("live").textContent = "live"; });
  es.addEventListener("error", () => { $("live").className = "live off"; $("live").textContent = "reconnecting…"; });
  es.addEventListener("overview", (ev) => {
    const ov = JSON.parse(ev.data);
    const first = !view.overview;
    const was = view.overview?.worker;
    const newVersion = !first && (ov.worker.version !== was.version || ov.worker.buildError !== was.buildError || ov.worker.loadedAt !== was.loadedAt);
    view.overview = ov;
    renderNamespaces();
    if (first || newVersion) loadWorker().catch(showError);
    if (first && !view.ns && ov.namespaces.length === 1) go(ov.namespaces[0].binding);
    else refresh();
  });
  es.addEventListener("log", (ev) => logLine(JSON.parse(ev.data)));
  es.addEventListener("problem", (ev) => toast(JSON.parse(ev.data).error, true));
}

function hideWipe() { $("wipe-confirm").hidden = true; $("wipe").hidden = false; }

function setup() {
  $("hibernate-all").addEventListener("click", () => act("hibernate all", async () => {
    const r = await post("hibernate");
    return { message: `hibernated ${r.hibernated} object(s)` };
  }));
  $("hibernate-one").addEventListener("click", () => act("hibernate", () => post(`${objPath()}/hibernate`)));
  $("fire-alarm").addEventListener("click", () => act("fire alarm", () => post(`${objPath()}/alarm/fire`)));
  $("delete-alarm").addEventListener("click", () => act("delete alarm", () => post(`${objPath()}/alarm/delete`)));
  $("wipe").addEventListener("click", () => { $("wipe").hidden = true; $("wipe-confirm").hidden = false; });
  $("wipe-no").addEventListener("click", hideWipe);
  $("wipe-yes").addEventListener("click", () => { hideWipe(); act("wipe", () => post(`${objPath()}/storage/wipe`, { confirm: view.id })); });
  for (const t of ["sockets", "kv", "sql"]) {
    $("tab-" + t).addEventListener("click", () => { view.tab = t; loadTab().catch(showError); });
  }
  $("back").addEventListener("click", (ev) => { ev.preventDefault(); go(view.ns); });
  $("state-filter").addEventListener("change", (ev) => { view.filter = ev.target.value; view.objOffset = 0; refresh(); });
  $("search").addEventListener("input", (ev) => { view.q = ev.target.value; view.objOffset = 0; refresh(); });
  $("query-form").addEventListener("submit", runQuery);
  window.addEventListener("hashchange", route);
  route();
  listen();
}

setup();
