// The workbench page: every edit is sent to the tool, which validates it, runs the tests and
// decides the whole inventory; the answer is drawn here. Text from the tool is set as text, never
// as markup, except the charts, which the tool draws (as its HTML reports do) with every label escaped.
"use strict";

const token = document.querySelector('meta[name="smi-token"]').content;
const $ = id => document.getElementById(id);
let sequence = 0;
let timer = 0;

const gone = "The workbench is not answering (was it stopped?). Your text is still here, and kept in this browser: start the workbench again and reload this page to get it back.";

async function post(path, body) {
  let response;
  try {
    response = await fetch(path, {
      method: "POST",
      headers: { "Content-Type": "application/json", "X-Smi-Token": token },
      body: JSON.stringify(body),
    });
  } catch {
    return { ok: false, data: { error: gone } };
  }
  const data = await response.json().catch(() => ({ error: `The workbench answered ${response.status}.` }));
  if (response.status === 403) data.error += " Your text is kept in this browser: reload the page to get it back.";
  return { ok: response.ok, data };
}

// The text being edited survives a reload (a restarted workbench has a new token) in this tab's storage.
let draftKey = "";
function keepDraft() { try { sessionStorage.setItem(draftKey, $("editor").value); } catch { /* storage off: nothing kept */ } }
function takeDraft() { try { return sessionStorage.getItem(draftKey); } catch { return null; } }

function element(tag, text, className) {
  const node = document.createElement(tag);
  if (text !== undefined) node.textContent = text;
  if (className) node.className = className;
  return node;
}

function number(n) { return n.toLocaleString("en-GB"); }

function place(problem) {
  const where = problem.line > 0 ? `line ${problem.line}, column ${problem.column}: ` : "";
  return where + (problem.rule ? `rule '${problem.rule}': ` : "") + problem.message;
}

function select(problem) {
  if (problem.line <= 0) return;
  const editor = $("editor");
  const lines = editor.value.split("\n");
  let offset = 0;
  for (let i = 0; i < problem.line - 1 && i < lines.length; i++) offset += lines[i].length + 1;
  offset += Math.max(0, problem.column - 1);
  editor.focus();
  editor.setSelectionRange(offset, offset + 1);
}

function listProblems(list, problems) {
  list.replaceChildren(...problems.map(p => {
    const item = element("li", place(p));
    item.dataset.line = p.line;
    item.dataset.column = p.column;
    item.addEventListener("click", () => select(p));
    return item;
  }));
}

function drawGutter(problems, warnings) {
  const count = $("editor").value.split("\n").length;
  const bad = new Set(problems.map(p => p.line));
  const doubtful = new Set(warnings.map(w => w.line));
  const gutter = $("gutter");
  gutter.replaceChildren(...Array.from({ length: count }, (_, i) => {
    const line = i + 1;
    const span = element("span", `${line}\n`, bad.has(line) ? "problem" : doubtful.has(line) ? "warning" : "");
    span.dataset.line = line;
    return span;
  }));
  gutter.scrollTop = $("editor").scrollTop;
}

function row(cells) {
  const tr = element("tr");
  cells.forEach(c => tr.appendChild(element("td", typeof c === "number" ? number(c) : c)));
  return tr;
}

function drawTests(tests) {
  if (!tests) { $("tests-summary").textContent = "No tests file."; $("tests").replaceChildren(); return; }
  $("tests-summary").textContent = `${tests.source}: ${tests.passed} passed, ${tests.failed} failed`;
  $("tests").replaceChildren(...tests.cases.map(c => {
    const item = element("li", `${c.name} (line ${c.line})`, c.passed ? "passed" : "failed");
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
    ...diff.types.map(t => row([t.type, t.newlyRemoved, t.newlyRetained])),
    row(["total", diff.newlyRemoved, diff.newlyRetained]));
  $("diff-chart").innerHTML = diff.chart;
  $("flip-list").replaceChildren(...diff.sample.map(f => {
    const item = element("li", `${f.id} ${f.type} ${f.status} since ${f.since}: ${f.against} → ${f.proposed} (${f.direction})`);
    item.appendChild(element("pre", f.explanation));
    return item;
  }));
  $("forecast-summary").textContent =
    `${number(forecast.backlog)} removable now; ${number(forecast.removals)} more in the next ${forecast.months.length} months` +
    (forecast.cost ? ` (cost ${forecast.cost})` : "") + `; ${number(forecast.later)} later; ${number(forecast.undetermined)} undetermined. Assumes no status changes.`;
  $("forecast-chart").innerHTML = forecast.chart;
}

async function check() {
  const mine = ++sequence;
  const started = performance.now();
  $("status").textContent = "Checking…";
  const { ok, data } = await post("/api/check", { text: $("editor").value });
  if (mine !== sequence) return; // a later edit is on its way
  const status = $("status");
  if (!ok) { status.textContent = data.error; status.className = "bad"; return; }
  listProblems($("problems"), data.problems);
  listProblems($("warnings"), data.warnings);
  drawGutter(data.problems, data.warnings);
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
    status.textContent = `Valid${failed}: checked, tested and decided in ${Math.round(data.elapsedMs)} ms on the server (${round} ms with the page).`;
    status.className = failed ? "bad" : "good";
  } else {
    $("impact").classList.add("stale");
    status.textContent = `${data.problems.length} problem(s): the numbers are those of the last valid version (checked in ${Math.round(data.elapsedMs)} ms).`;
    status.className = "bad";
  }
}

function edited() {
  drawGutter([], []);
  keepDraft();
  $("save-status").textContent = "";
  clearTimeout(timer);
  timer = setTimeout(check, 120);
}

async function explain(event) {
  event.preventDefault();
  const device = {
    type: $("explain-type").value, status: $("explain-status").value, since: $("explain-since").value,
    prior: $("explain-prior").value, asOf: $("explain-as-of").value,
  };
  const { ok, data } = await post("/api/explain", { text: $("editor").value, device });
  $("explanation").textContent = !ok ? data.error : data.error ? data.error : data.text;
}

async function save() {
  $("save-status").textContent = "Saving…";
  $("save-status").className = "";
  const { ok, data } = await post("/api/save", { text: $("editor").value, path: $("save-path").value });
  const line = ok ? `Saved ${data.path} (sha256 ${data.sha256.slice(0, 12)})${data.valid ? "" : " with problems (--force)"}.` : data.error;
  $("save-status").textContent = line;
  $("save-status").className = ok ? "good" : "bad";
}

async function start() {
  let start;
  try {
    start = await (await fetch("/api/start")).json();
  } catch {
    $("status").textContent = gone;
    $("status").className = "bad";
    return;
  }
  $("context").textContent =
    `Editing ${start.savePath} · against ${start.against} · inventory ${start.inventory} (${number(start.devices)} devices) · as of ${start.asOf}` +
    (start.tests ? ` · tests ${start.tests}` : "");
  $("save-path").value = start.savePath;
  $("explain-as-of").value = start.asOf;
  $("explain-type").replaceChildren(...start.types.map(t => element("option", t)));
  $("explain-status").replaceChildren(...start.statuses.map(s => element("option", s)));
  const editor = $("editor");
  draftKey = `smi-workbench:${start.savePath}`;
  const draft = takeDraft();
  editor.value = draft ?? start.text;
  editor.addEventListener("input", edited);
  editor.addEventListener("scroll", () => { $("gutter").scrollTop = editor.scrollTop; });
  $("explain-form").addEventListener("submit", explain);
  $("save-button").addEventListener("click", save);
  drawGutter([], []);
  await check();
  if (draft !== null && draft !== start.text) {
    $("save-status").textContent = `Your unsaved edit from before the reload is back; ${start.savePath} on disk differs until you save.`;
  }
}

start();
