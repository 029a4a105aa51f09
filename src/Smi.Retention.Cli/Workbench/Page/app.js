// The workbench page: every edit is sent to the tool, which validates it, runs the tests and
// decides the whole inventory; the answer is drawn here. Text from the tool is set as text, never
// as markup, except the charts, which the tool draws (as its HTML reports do) with every label escaped.
//
// The file is the truth: each tab holds a file as it was loaded (its text and SHA-256); the page
// watches the file on disk and says when it changed; a save carries the hash it was loaded from
// and the tool refuses it when the file changed since, until the author has compared and chosen.
"use strict";

const token = document.querySelector('meta[name="smi-token"]').content;
const nonce = document.querySelector('meta[name="smi-nonce"]').content;
const $ = id => document.getElementById(id);
let sequence = 0;
let timer = 0;
let explained = null;
const files = {}; // "policy" and (when there is a tests file) "tests": { path, base: { text, sha256 }, editor, dismissed }
let active = "policy";

const gone = "The workbench is not answering (was it stopped?). Your text is still here, and kept in this browser: start the workbench again and reload this page to get it back.";

async function call(method, path, body) {
  let response;
  try {
    response = await fetch(path, {
      method,
      headers: method === "POST" ? { "Content-Type": "application/json", "X-Smi-Token": token } : {},
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    return { ok: false, status: 0, data: { error: gone } };
  }
  const data = await response.json().catch(() => ({ error: `The workbench answered ${response.status}.` }));
  if (response.status === 403) data.error += " Your text is kept in this browser: reload the page to get it back.";
  return { ok: response.ok, status: response.status, data };
}
const post = (path, body) => call("POST", path, body);

function element(tag, text, className) {
  const node = document.createElement(tag);
  if (text !== undefined) node.textContent = text;
  if (className) node.className = className;
  return node;
}

function number(n) { return n.toLocaleString("en-GB"); }

// ---- Drafts: an unsaved edit survives a reload, with the hash of the file it was made on.

function draftKey(of) { return `smi-workbench:${of}:${files[of].path}`; }
function keepDraft(of) {
  try { sessionStorage.setItem(draftKey(of), JSON.stringify({ text: files[of].editor.text(), base: files[of].base.sha256 })); } catch { /* storage off: nothing kept */ }
}
function takeDraft(of) {
  try { return JSON.parse(sessionStorage.getItem(draftKey(of)) || "null"); } catch { return null; }
}

// ---- Unsaved marker.

function dirty(of) { return files[of] && files[of].editor.text() !== (files[of].base.text ?? ""); }
function anyDirty() { return Object.keys(files).some(dirty); }

function showDirty() {
  for (const of of Object.keys(files)) {
    const tab = $(`tab-${of}`);
    tab.textContent = (of === "policy" ? "Policy " : "Tests ") + files[of].path + (dirty(of) ? " ●" : "");
    tab.title = dirty(of) ? "Unsaved changes" : "Saved";
  }
  const unsaved = Object.keys(files).filter(dirty).map(of => files[of].path);
  $("unsaved").textContent = unsaved.length ? `Unsaved: ${unsaved.join(", ")}` : "";
  document.title = (unsaved.length ? "● " : "") + "Smi.Retention workbench";
}

window.addEventListener("beforeunload", event => {
  if (anyDirty()) { event.preventDefault(); event.returnValue = ""; }
});

// ---- Tabs.

function showTab(of) {
  if (!files[of]) return;
  active = of;
  for (const name of ["policy", "tests"]) {
    $(`tab-${name}`).setAttribute("aria-selected", String(name === of));
    $(`pane-${name}`).hidden = name !== of;
  }
  $("save-path-label").hidden = of !== "policy";
  $("save-button").textContent = `Save ${files[of].path}`;
  files[of].editor.focus();
}

// ---- Problems, as markers in the editor and as a list reachable by keyboard.

function place(problem) {
  const where = problem.line > 0 ? `line ${problem.line}, column ${problem.column}: ` : "";
  return where + (problem.rule ? `rule '${problem.rule}': ` : "") + problem.message;
}

function listProblems(list, problems, of) {
  list.replaceChildren(...problems.map(p => {
    const item = element("li");
    const go = element("button", place(p), "link");
    go.type = "button";
    go.dataset.line = p.line;
    go.dataset.column = p.column;
    go.addEventListener("click", () => { showTab(of); if (p.line > 0) files[of].editor.goto(p.line, p.column); });
    item.appendChild(go);
    return item;
  }));
}

function row(cells) {
  const tr = element("tr");
  cells.forEach(c => tr.appendChild(element("td", typeof c === "number" ? number(c) : c)));
  return tr;
}

function drawTests(tests) {
  if (!tests) { $("tests-summary").textContent = files.tests ? "Not run: the tests file has problems." : "No tests file."; $("tests").replaceChildren(); return; }
  $("tests-summary").textContent = `${tests.source}: ${tests.passed} passed, ${tests.failed} failed`;
  $("tests").replaceChildren(...tests.cases.map(c => {
    const item = element("li", `${c.name} `, c.passed ? "passed" : "failed");
    if (files.tests) {
      const go = element("button", `tests file line ${c.line}`, "link");
      go.type = "button";
      go.addEventListener("click", () => { showTab("tests"); files.tests.editor.goto(c.line, c.column); });
      item.appendChild(go);
    }
    if (!c.passed) {
      item.appendChild(element("div", c.failures.join("; ")));
      item.appendChild(element("pre", c.explanation || ""));
    }
    return item;
  }));
}

function drawNumbers(check) {
  const counts = check.counts, diff = check.diff, forecast = check.forecast;
  $("counts").tBodies[0].replaceChildren(
    ...counts.types.map(t => row([t.type, t.remove, t.retain, t.undetermined])),
    row(["total", counts.remove, counts.retain, counts.undetermined]));
  $("diff-against").textContent = diff.against;
  $("diff-removed").textContent = number(diff.newlyRemoved);
  $("diff-retained").textContent = number(diff.newlyRetained);
  $("diff-other").textContent = number(diff.other);
  $("diff").tBodies[0].replaceChildren(
    ...diff.types.map(t => row([t.type, t.newlyRemoved, t.newlyRetained, t.other])),
    row(["total", diff.newlyRemoved, diff.newlyRetained, diff.other]));
  $("diff-chart").innerHTML = diff.chart;
  $("flip-list").replaceChildren(...diff.sample.map(f => {
    const item = element("li", `${f.id} ${f.type} ${f.status} since ${f.since}: ${f.against} → ${f.proposed} (${f.direction})`);
    item.appendChild(element("pre", f.explanation));
    return item;
  }));
  $("forecast-summary").textContent =
    `${number(forecast.backlog)} removable now; ${number(forecast.removals)} more in the next ${forecast.months.length} months` +
    (forecast.cost ? ` (cost ${forecast.cost}, the backlog included)` : "") + `; ${number(forecast.later)} later; ${number(forecast.undetermined)} undetermined. Assumes no status changes.`;
  $("forecast-chart").innerHTML = forecast.chart;
  $("meaning").replaceChildren(...(check.meaning || []).map(line => element("li", line)));
  $("meaning-summary").textContent = check.meaning === null || check.meaning === undefined
    ? (check.meaningAbsent || "Not worked out for this as-of date: it is too near the end of the calendar for the policies' periods.")
    : check.meaning.length === 0
    ? `No device's action changes against ${diff.against}: both decide every device alike.`
    : `Every device whose action changes against ${diff.against}, from the two policies alone (as diff --symbolic prints it):`;
}

async function check() {
  const mine = ++sequence;
  const started = performance.now();
  $("status").textContent = "Checking…";
  const { ok, data } = await post("/api/check", { text: files.policy.editor.text(), tests: files.tests ? files.tests.editor.text() : null });
  if (mine !== sequence) return; // a later edit is on its way
  const status = $("status");
  if (!ok) { status.textContent = data.error; status.className = "bad"; return; }
  listProblems($("problems"), data.problems, "policy");
  listProblems($("warnings"), data.warnings, "policy");
  files.policy.editor.mark(data.problems, data.warnings);
  if (files.tests) {
    files.tests.editor.mark(data.testProblems || [], []);
    listProblems($("test-problems"), data.testProblems || [], "tests");
  }
  if (data.valid) {
    drawTests(data.tests);
  } else {
    $("tests-summary").textContent = "Not run: the policy has problems.";
    $("tests").replaceChildren();
  }
  const round = Math.round(performance.now() - started);
  if (data.valid) {
    drawNumbers(data);
    $("impact").classList.remove("stale");
    const failed = data.tests && data.tests.failed > 0 ? `, ${data.tests.failed} test(s) failing` : "";
    const testProblems = (data.testProblems || []).length ? `, the tests file has ${data.testProblems.length} problem(s)` : "";
    status.textContent = `Valid${failed}${testProblems}: checked, tested and decided in ${Math.round(data.elapsedMs)} ms on the server (${round} ms with the page).`;
    status.className = failed || testProblems ? "bad" : "good";
  } else {
    $("impact").classList.add("stale");
    status.textContent = `${data.problems.length} problem(s): the numbers are those of the last valid version (checked in ${Math.round(data.elapsedMs)} ms).`;
    status.className = "bad";
  }
}

function edited(of) {
  keepDraft(of);
  showDirty();
  $("save-status").textContent = "";
  clearTimeout(timer);
  timer = setTimeout(check, 150);
}

// ---- Comparing: a line diff of the file on disk and the editor's text.

function lineDiff(before, after) {
  const a = before.split("\n"), b = after.split("\n");
  if (a.length * b.length > 4_000_000) return null;
  const lcs = Array.from({ length: a.length + 1 }, () => new Uint32Array(b.length + 1));
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) lcs[i][j] = a[i] === b[j] ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
  }
  const out = [];
  let i = 0, j = 0;
  while (i < a.length || j < b.length) {
    if (i < a.length && j < b.length && a[i] === b[j]) { out.push(["  ", a[i]]); i++; j++; }
    else if (j < b.length && (i === a.length || lcs[i][j + 1] >= lcs[i + 1][j])) { out.push(["+ ", b[j]]); j++; }
    else { out.push(["- ", a[i]]); i++; }
  }
  return out;
}

function showCompare(of, diskText, title) {
  const mine = files[of].editor.text();
  const lines = lineDiff(diskText ?? "", mine);
  $("compare-title").textContent = title;
  const pre = $("compare-diff");
  if (lines === null) {
    pre.replaceChildren(element("span", "The files are too large to compare line by line here; compare them with a diff tool."));
  } else {
    pre.replaceChildren(...lines.filter(([mark]) => mark !== "  " || lines.length < 400).map(([mark, text]) =>
      element("span", mark + text + "\n", mark === "+ " ? "ins" : mark === "- " ? "del" : "")));
  }
  $("compare").hidden = false;
}

// ---- Watching the files on disk.

let disk = null; // { of, file } the banner is about

async function checkDisk() {
  for (const of of Object.keys(files)) {
    const { ok, data } = await call("GET", `/api/file?of=${of}`);
    if (!ok || !data) continue;
    const file = files[of];
    const seen = data.sha256 ?? `gone:${data.error ?? ""}`; // what the author may have said "keep mine" to
    if ((data.sha256 !== file.base.sha256 || data.error) && seen !== file.dismissed) {
      disk = { of, file: data, seen };
      $("disk-message").textContent = data.error ? `${file.path} cannot be read now: ${data.error}`
        : data.sha256 === null ? `${file.path} was removed from disk since it was loaded.`
        : `${file.path} changed on disk since it was loaded (another tab or another editor saved it)${dirty(of) ? "; your unsaved text is different again" : ""}.`;
      $("disk-reload").disabled = data.text === null;
      $("disk-banner").hidden = false;
      return;
    }
  }
}

function reloadFromDisk(of, file) {
  if (file.text === null || file.text === undefined) return; // nothing readable to take
  files[of].base = { text: file.text, sha256: file.sha256 };
  files[of].editor.setReadOnly(false);
  files[of].editor.setText(file.text);
  files[of].dismissed = null;
  $("disk-banner").hidden = true;
  $("compare").hidden = true;
  edited(of);
}

// ---- Saving.

let saving = false;

async function save(of = active, overwrite = false) {
  if (saving) return; // one save at a time: a second would carry the hash the first replaces
  saving = true;
  try { await saveNow(of, overwrite); } finally { saving = false; }
}

async function saveNow(of, overwrite) {
  const file = files[of];
  const text = file.editor.text();
  $("save-status").textContent = "Saving…";
  $("save-status").className = "";
  const { ok, status, data } = await post("/api/save", {
    of, text, path: of === "policy" ? $("save-path").value : null, baseSha256: file.base.sha256, overwrite,
  });
  if (ok) {
    const own = of === "tests" || data.path === file.path;
    if (own) {
      file.base = { text, sha256: data.sha256 };
      file.dismissed = null;
      $("disk-banner").hidden = true;
    }
    $("conflict").hidden = true;
    $("compare").hidden = true;
    keepDraft(of);
    showDirty();
    $("save-status").textContent = `Saved ${data.path} (sha256 ${data.sha256.slice(0, 12)})${data.valid ? "" : " with problems (--force)"}${own ? "" : `; ${file.path} itself is unchanged`}.`;
    $("save-status").className = "good";
    return;
  }
  $("save-status").className = "bad";
  $("save-status").textContent = data.error;
  if (status === 409 && data.conflict) {
    $("conflict-message").textContent = data.error;
    $("conflict").hidden = false;
    $("conflict").dataset.of = of;
    disk = { of, file: data.conflict, seen: data.conflict.sha256 ?? "gone:" };
    showCompare(of, data.conflict.text, `${data.conflict.path} on disk (-) against your text (+)`);
  }
}

// ---- Explaining a device, and keeping it as a test case.

async function explain(event) {
  event.preventDefault();
  const device = {
    type: $("explain-type").value, status: $("explain-status").value, since: $("explain-since").value,
    prior: $("explain-prior").value, asOf: $("explain-as-of").value,
    generation: $("explain-generation").value, model: $("explain-model").value,
  };
  const { ok, data } = await post("/api/explain", { text: files.policy.editor.text(), device });
  $("explanation").textContent = !ok ? data.error : data.error ? data.error : data.text;
  explained = ok && !data.error ? { device, decision: data } : null;
  $("add-case").disabled = !(explained && files.tests);
}

// The index just past the closing bracket of the "Cases" array, found by scanning the JSON (strings skipped).
function casesEnd(text) {
  const key = text.indexOf('"Cases"');
  if (key < 0) return -1;
  let depth = 0, inString = false;
  for (let i = text.indexOf("[", key); i >= 0 && i < text.length; i++) {
    const c = text[i];
    if (inString) { if (c === "\\") i++; else if (c === '"') inString = false; continue; }
    if (c === '"') inString = true;
    else if (c === "[" || c === "{") depth++;
    else if (c === "]" || c === "}") { depth--; if (depth === 0) return i; }
  }
  return -1;
}

function addCase() {
  if (!explained || !files.tests) return;
  const { device, decision } = explained;
  const prior = device.prior.split(/[;,]/).map(s => s.trim()).filter(s => s);
  const testCase = {
    Name: `${device.type}${device.generation ? ` ${device.generation}` : ""}${device.model ? ` ${device.model}` : ""} ${device.status} since ${device.since}${device.prior ? ` (held ${device.prior} before)` : ""} as of ${decision.asOf}: ${decision.action}`,
    Type: device.type, Status: device.status, Since: device.since,
    ...(prior.length ? { Prior: prior } : {}),
    ...(device.generation ? { Generation: device.generation } : {}),
    ...(device.model ? { Model: device.model } : {}),
    AsOf: decision.asOf,
    Expect: { Action: decision.action, Rule: decision.rule, DueDate: decision.dueDate, ...(decision.alert ? { Alert: decision.alert } : {}) },
  };
  const editor = files.tests.editor;
  const text = editor.text();
  const end = casesEnd(text);
  if (end < 0) { $("save-status").textContent = "The tests file has no \"Cases\" array to add to; fix it in the Tests tab."; return; }
  const before = text.slice(0, end).trimEnd();
  const empty = before.endsWith("[");
  const json = JSON.stringify(testCase, null, 2).split("\n").map(l => "    " + l).join("\n");
  const insert = (empty ? "\n" : ",\n") + json + "\n  ";
  editor.replace(before.length, end, insert);
  const line = text.slice(0, before.length).split("\n").length + 1;
  showTab("tests");
  editor.goto(line, 5);
  $("save-status").textContent = `Added the case to ${files.tests.path} (not saved yet: save it from the Tests tab).`;
}

// ---- Start.

function makeEditor(of, file, vocabulary) {
  files[of] = { path: file.path, base: { text: file.text, sha256: file.sha256 }, dismissed: null };
  const draft = takeDraft(of);
  let text = file.text ?? "";
  let note = null;
  if (draft && draft.text !== text) {
    text = draft.text;
    if (draft.base === file.sha256) {
      note = `Your unsaved edit of ${file.path} from before the reload is back.`;
    } else {
      // Made on an older version of the file: kept, and held to that version's hash, so the page
      // shows the change on disk and a save is refused until the author has compared and chosen.
      files[of].base.sha256 = draft.base;
      note = `Your unsaved edit of ${file.path} from before the reload is back, but the file changed on disk since it was made: compare before saving.`;
    }
  }
  files[of].editor = SmiEditor.create($(`editor-${of}`), {
    text, vocabulary, nonce, label: of === "policy" ? "Policy JSON" : "Tests JSON",
    onChange: () => edited(of), onSave: () => save(of),
  });
  if (file.error) {
    // Not readable now (a folder, a pipe, a link): nothing to edit until it is a file again.
    files[of].editor.setReadOnly(true);
    note = `${file.path} cannot be read: ${file.error}`;
  }
  return note;
}

async function start() {
  const { ok, data: start } = await call("GET", "/api/start");
  if (!ok) { $("status").textContent = start.error; $("status").className = "bad"; return; }
  $("context").textContent =
    `Editing ${start.policy.path} · against ${start.against} · inventory ${start.inventory} (${number(start.devices)} devices) · as of ${start.asOf}` +
    (start.tests ? ` · tests ${start.tests.path}` : "");
  $("save-path").value = start.policy.path;
  $("explain-as-of").value = start.asOf;
  $("explain-type").replaceChildren(...start.vocabulary.types.map(t => element("option", t)));
  $("explain-status").replaceChildren(...start.vocabulary.statuses.map(s => element("option", s)));
  $("explain-generation").append(...start.vocabulary.generations.map(g => element("option", g)));
  const notes = [makeEditor("policy", start.policy, start.vocabulary)];
  if (start.tests) {
    $("tab-tests").hidden = false;
    notes.push(makeEditor("tests", start.tests, null));
  }
  $("tab-policy").addEventListener("click", () => showTab("policy"));
  $("tab-tests").addEventListener("click", () => showTab("tests"));
  $("explain-form").addEventListener("submit", explain);
  $("add-case").addEventListener("click", addCase);
  $("save-button").addEventListener("click", () => save(active));
  $("disk-reload").addEventListener("click", () => { if (disk) reloadFromDisk(disk.of, disk.file); });
  $("disk-compare").addEventListener("click", () => { if (disk) showCompare(disk.of, disk.file.text, `${disk.file.path} on disk (-) against your text (+)`); });
  $("disk-dismiss").addEventListener("click", () => { if (disk) files[disk.of].dismissed = disk.seen; $("disk-banner").hidden = true; });
  $("conflict-overwrite").addEventListener("click", () => save($("conflict").dataset.of, true));
  $("conflict-take").addEventListener("click", () => { if (disk) reloadFromDisk(disk.of, disk.file); $("conflict").hidden = true; });
  $("conflict-close").addEventListener("click", () => { $("conflict").hidden = true; $("compare").hidden = true; });
  document.addEventListener("keydown", event => {
    // Ctrl+S outside the editor (the editor's own key binding has handled it inside, and says so).
    if (!event.defaultPrevented && (event.ctrlKey || event.metaKey) && event.key.toLowerCase() === "s") { event.preventDefault(); save(active); }
  });
  showTab("policy");
  showDirty();
  await check();
  const said = notes.filter(n => n);
  if (said.length) $("save-status").textContent = said.join(" ");
  setInterval(checkDisk, 1500);
  window.addEventListener("focus", checkDisk);
  await checkDisk();
}

// For the browser tests and the curious: the editors, by file.
window.smiWorkbench = { files, save, check, checkDisk };

start();
