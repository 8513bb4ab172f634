// Serval's web console: sign-in, the models with their live metrics, a model's page (settings,
// versions, scale, set default, unregister, try it) and registration from the model store.
import { ApiError, keys, management, predict, setInference, inferenceAt, upload } from "./api.js";
import { History, parse } from "./metrics.js";
import { show } from "./answers.js";

const REFRESH_MS = 2000;
const LOG_LINES = 100;
/**
 * The access log's lines of the console's own refreshes, a successful GET of the models or of
 * /server, by the access log's message, whatever the logging backend writes before it.
 */
const OWN_CALL = / Management \S+ "GET \/(models|server)\S*" 200 /;
const $ = (id) => document.getElementById(id);
const history = new History();
const charts = new Map();
let server = null;
let timer = null;
let inFlight = null;
let models = [];

function cell(row, content) {
  const td = document.createElement("td");
  if (content instanceof Node) {
    td.append(content);
  } else {
    td.textContent = content ?? "–";
  }
  row.append(td);
  return td;
}

function notice(text) {
  $("notice").textContent = text;
  $("notice").hidden = !text;
}

function fixed(value, digits = 1) {
  return value === null || value === undefined ? "–" : value.toFixed(digits);
}

function describeError(e) {
  if (e instanceof ApiError && e.status === 401) {
    return "The management key was refused (401): it may have expired; sign in again.";
  }
  return e.message;
}

// ---- sign-in ----------------------------------------------------------------------------------

async function start() {
  try {
    server = await management("GET", "/server");
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) {
      signIn(keys.management() ? "The management key was refused: it may have expired (key_file.json has the current one)." : "");
      return;
    }
    signIn(`The server cannot be reached: ${e.message}`);
    return;
  }
  setInference(server.inference);
  $("server-version").textContent = `Serval ${server.version}`;
  $("sign-in").hidden = true;
  $("sign-out").hidden = !server.tokenAuthorization;
  notice(server.tokenAuthorization ? ""
    : "Token authorization is off: this console, and every API of this server, is open to anyone who can reach it.");
  registerForm();
  deployForm();
  route();
  refresh();
}

function signIn(message) {
  stopRefreshing();
  $("models-view").hidden = true;
  $("model-view").hidden = true;
  $("sign-out").hidden = true;
  $("sign-in").hidden = false;
  $("sign-in-error").textContent = message;
  $("management-key").focus();
}

$("sign-in-form").addEventListener("submit", (event) => {
  event.preventDefault();
  keys.save($("management-key").value.trim(), $("inference-key").value.trim());
  $("management-key").value = "";
  $("inference-key").value = "";
  start();
});

$("sign-out").addEventListener("click", () => {
  keys.clear();
  signIn("Signed out.");
});

// ---- the models ---------------------------------------------------------------------------------

async function load(signal) {
  const list = await management("GET", "/models?limit=1000", "json", signal);
  const described = await Promise.all(list.models.map(async (m) => {
    const [defaultVersion, all] = await Promise.all([
      management("GET", `/models/${encodeURIComponent(m.modelName)}`, "json", signal),
      management("GET", `/models/${encodeURIComponent(m.modelName)}/all`, "json", signal),
    ]);
    return { name: m.modelName, defaultVersion: defaultVersion[0], versions: all };
  }));
  const [metricsText, log] = await Promise.all([
    management("GET", "/server/metrics", "text", signal),
    $("models-view").hidden ? null : management("GET", "/server/log?lines=500", "json", signal),
  ]);
  const metrics = parse(metricsText);
  history.add(performance.now() / 1000, metrics);
  return { described, metrics, log };
}

/** Stops the refreshes, the one in flight included (signing out: none goes without the key). */
function stopRefreshing() {
  clearTimeout(timer);
  inFlight?.abort();
  inFlight = null;
}

/** Loads and shows the models now, then every REFRESH_MS; one refresh at a time. */
async function refresh() {
  stopRefreshing();
  const controller = new AbortController();
  inFlight = controller;
  try {
    const { described, metrics, log } = await load(controller.signal);
    if (controller.signal.aborted) {
      return;
    }
    models = described;
    renderModels(metrics);
    renderLog(log);
    renderModel(metrics);
    drawCharts();
    document.body.dataset.refreshed = String(Number(document.body.dataset.refreshed || 0) + 1);
  } catch (e) {
    if (controller.signal.aborted) {
      return;
    }
    if (e instanceof ApiError && e.status === 401) {
      signIn(describeError(e));
      return;
    }
    notice(`The console cannot refresh: ${e.message}`);
  }
  timer = setTimeout(refresh, REFRESH_MS);
}

function renderModels(metrics) {
  const body = $("models").tBodies[0];
  body.replaceChildren();
  for (const model of models) {
    const d = model.defaultVersion;
    const m = metrics.get(model.name) || { requests: 0, queue: 0, ready: 0, wanted: 0 };
    const latest = history.latest(model.name);
    const row = document.createElement("tr");
    row.dataset.model = model.name;
    const link = document.createElement("a");
    link.href = `#/models/${encodeURIComponent(model.name)}`;
    link.textContent = model.name;
    cell(row, link);
    cell(row, model.versions.map((v) => (v.modelVersion === d.modelVersion ? `${v.modelVersion} (default)` : v.modelVersion)).join(", "));
    const status = cell(row, d.status);
    status.className = `status ${d.status.toLowerCase()}`;
    if (d.failure) {
      status.title = d.failure;
      status.textContent = `${d.status}: ${d.failure}`;
    }
    cell(row, `${m.ready} / ${m.wanted}`).dataset.field = "workers";
    cell(row, String(m.queue)).dataset.field = "queue";
    cell(row, String(m.requests)).dataset.field = "requests";
    cell(row, fixed(latest.rate, 2)).dataset.field = "rate";
    cell(row, `${fixed(latest.p50)} / ${fixed(latest.p99)}`).dataset.field = "latency";
    body.append(row);
  }
}

function renderLog(log) {
  if (!log) {
    return;
  }
  const pre = $("log");
  const atEnd = pre.scrollTop + pre.clientHeight >= pre.scrollHeight - 4;
  const shown = $("log-own").checked ? log.lines.filter((line) => !OWN_CALL.test(line)) : log.lines;
  pre.textContent = log.captured ? shown.slice(-LOG_LINES).join("\n")
    : "This server does not keep its log lines (Serval embedded in an application): see its own log.";
  if (atEnd) {
    pre.scrollTop = pre.scrollHeight; // follows the log unless the reader scrolled up
  }
}

// ---- charts (uPlot) -------------------------------------------------------------------------------

const PALETTE = ["#4363d8", "#e6194b", "#3cb44b", "#f58231", "#911eb4", "#42d4f4"];

function chart(id, names, data) {
  const element = $(id);
  const key = names.join("\u0000");
  let entry = charts.get(id);
  if (!entry || entry.key !== key) {
    entry?.plot.destroy();
    const width = Math.max(element.clientWidth, 240);
    const plot = new uPlot({
      width,
      height: 160,
      legend: { show: true, live: false },
      scales: { x: { time: false } },
      axes: [{ show: false }, { size: 40 }],
      // Latencies exist only where requests were served: their gaps are spanned.
      series: [{}, ...names.map((name, i) => ({ label: name, stroke: PALETTE[i % PALETTE.length], width: 2, spanGaps: true }))],
    }, data, element);
    entry = { key, plot };
    charts.set(id, entry);
  } else {
    entry.plot.setData(data);
  }
  element.dataset.points = String(data[0].length);
  // What each series shows last, by name: what a reader (or a test) sees at the chart's right edge.
  element.dataset.last = JSON.stringify(Object.fromEntries(names.map((name, i) => [name, data[i + 1][data[i + 1].length - 1] ?? null])));
}

function drawCharts() {
  const times = history.times;
  if (!$("models-view").hidden) {
    const names = [...history.series.keys()];
    chart("chart-rate", names, [times, ...names.map((n) => history.series.get(n).rate)]);
    chart("chart-latency", names, [times, ...names.map((n) => history.series.get(n).p99)]);
  }
  const name = shownModel();
  if (name && history.series.has(name)) {
    const series = history.series.get(name);
    chart("chart-model", ["p50", "p99"], [times, series.p50, series.p99]);
  }
}

// ---- routing --------------------------------------------------------------------------------------

function shownModel() {
  const match = /^#\/models\/(.+)$/.exec(location.hash);
  return match ? decodeURIComponent(match[1]) : null;
}

function route() {
  const name = shownModel();
  $("models-view").hidden = name !== null;
  $("model-view").hidden = name === null;
  if (name !== null) {
    $("model-title").textContent = name;
    $("try-error").textContent = "";
    $("model-result").textContent = "";
  }
  renderModel(history.last || new Map());
}

window.addEventListener("hashchange", () => {
  if (server) {
    route();
    refresh();
  }
});

// ---- a model's page -------------------------------------------------------------------------------

const SETTINGS = ["modelUrl", "handler", "engine", "runtime", "minWorkers", "maxWorkers", "batchSize",
  "maxBatchDelay", "batchPolicy", "responseTimeout", "startupTimeout", "loadedAtStartup", "loadedAt"];

function renderModel() {
  const name = shownModel();
  const model = models.find((m) => m.name === name);
  if (!model) {
    return;
  }
  const d = model.defaultVersion;
  const settings = $("model-settings");
  settings.replaceChildren();
  for (const key of SETTINGS) {
    const dt = document.createElement("dt");
    dt.textContent = key;
    const dd = document.createElement("dd");
    dd.textContent = String(d[key]);
    dd.dataset.setting = key;
    settings.append(dt, dd);
  }
  $("model-failure").hidden = !d.failure;
  $("model-failure").textContent = d.failure ? `${d.status}: ${d.failure}` : "";
  const body = $("versions").tBodies[0];
  body.replaceChildren();
  for (const v of model.versions) {
    const row = document.createElement("tr");
    row.dataset.version = v.modelVersion;
    cell(row, v.modelVersion === d.modelVersion ? `${v.modelVersion} (default)` : v.modelVersion);
    cell(row, v.status);
    const ready = v.workers.filter((w) => w.status === "READY").length;
    cell(row, `${ready} / ${v.minWorkers}`).dataset.field = "workers";
    const actions = cell(row, "");
    actions.append(
      button("Set default", v.modelVersion === d.modelVersion ? "It is the default version" : null,
        () => act("PUT", `/models/${encodeURIComponent(name)}/${encodeURIComponent(v.modelVersion)}/set-default`)),
      button("Unregister", server.modelApi ? null : server.modelApiDisabled,
        () => act("DELETE", `/models/${encodeURIComponent(name)}/${encodeURIComponent(v.modelVersion)}`)),
    );
    body.append(row);
  }
  $("model-api-disabled").hidden = server.modelApi;
  $("model-api-disabled").textContent = server.modelApi ? "" : `Unregister is disabled: ${server.modelApiDisabled}`;
}

function button(label, disabledWhy, action) {
  const b = document.createElement("button");
  b.type = "button";
  b.textContent = label;
  b.disabled = disabledWhy !== null;
  if (disabledWhy) {
    b.title = disabledWhy;
  }
  b.addEventListener("click", action);
  return b;
}

async function act(method, path) {
  $("model-result").textContent = "…";
  try {
    const answer = await management(method, path);
    $("model-result").textContent = answer.status;
  } catch (e) {
    $("model-result").textContent = describeError(e);
  }
  refresh();
}

$("scale-form").addEventListener("submit", (event) => {
  event.preventDefault();
  const workers = Number($("scale-workers").value);
  act("PUT", `/models/${encodeURIComponent(shownModel())}?min_worker=${workers}&synchronous=true`);
});

// ---- registration ---------------------------------------------------------------------------------

function registerForm() {
  const form = $("register-form");
  const select = $("register-url");
  select.replaceChildren(...(server.modelStore || []).map((archive) => new Option(archive, archive)));
  for (const control of form.elements) {
    control.disabled = !server.modelApi;
  }
  $("register-disabled").hidden = server.modelApi;
  $("register-disabled").textContent = server.modelApi ? "" : `Registering is disabled: ${server.modelApiDisabled}`;
}

$("register-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const query = new URLSearchParams({ url: $("register-url").value, initial_workers: $("register-workers").value,
    synchronous: "true" });
  if ($("register-name").value.trim()) {
    query.set("model_name", $("register-name").value.trim());
  }
  $("register-result").textContent = "Registering…";
  try {
    $("register-result").textContent = (await management("POST", `/models?${query}`)).status;
  } catch (e) {
    $("register-result").textContent = describeError(e);
  }
  refresh();
});

// ---- deploy ---------------------------------------------------------------------------------------

function deployForm() {
  for (const control of $("deploy-form").elements) {
    control.disabled = !server.modelApi;
  }
  $("deploy-disabled").hidden = server.modelApi;
  $("deploy-disabled").textContent = server.modelApi ? "" : `Deploying is disabled: ${server.modelApiDisabled}`;
}

async function deploy(file) {
  if (!file || !server.modelApi) {
    return;
  }
  $("deploy-result").textContent = `Sending ${file.name}…`;
  try {
    const answer = await upload("PUT", `/server/deploy/${encodeURIComponent(file.name)}`, file);
    $("deploy-result").textContent = `${answer.status}: watch it come up in the list and the log.`;
  } catch (e) {
    $("deploy-result").textContent = describeError(e);
  }
  refresh();
}

const drop = $("deploy-drop");
drop.addEventListener("dragover", (event) => {
  event.preventDefault();
  drop.classList.add("over");
});
drop.addEventListener("dragleave", () => drop.classList.remove("over"));
drop.addEventListener("drop", (event) => {
  event.preventDefault();
  drop.classList.remove("over");
  deploy(event.dataTransfer.files[0]);
});
$("deploy-form").addEventListener("submit", (event) => {
  event.preventDefault();
  deploy($("deploy-file").files[0]);
});

// ---- try it ---------------------------------------------------------------------------------------

function loadImage(file) {
  return new Promise((resolve, reject) => {
    const image = new Image();
    image.onload = () => resolve(image);
    image.onerror = () => reject(new Error("The browser cannot show this image (the server may still read it)"));
    image.src = URL.createObjectURL(file);
  });
}

$("try-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const name = shownModel();
  const model = models.find((m) => m.name === name);
  const file = $("try-file").files[0];
  const text = $("try-text").value;
  const segmenter = model && model.defaultVersion.handler === "image_segmenter";
  const path = `/predictions/${encodeURIComponent(name)}${segmenter ? "?output=compact" : ""}`;
  const type = file ? file.type || "application/octet-stream" : "text/plain";
  $("try-error").textContent = "";
  $("try-json").textContent = "";
  $("try-curl").textContent = `curl -H "Authorization: Bearer $INFERENCE_KEY" -H "Content-Type: ${type}" `
    + (file ? `--data-binary @${file.name}` : `--data-binary ${JSON.stringify(text)}`)
    + ` "${inferenceAt()}${path}"`;
  if (!file && !text) {
    $("try-error").textContent = "Choose an image or type a text.";
    return;
  }
  try {
    const image = file ? await loadImage(file).catch(() => null) : null;
    const answer = await predict(path, file || text, type);
    $("try-json").textContent = JSON.stringify(answer, null, 2);
    show(answer, image, $("try-canvas"), $("try-answer"));
  } catch (e) {
    $("try-answer").replaceChildren();
    if (e instanceof ApiError && e.status === 401) {
      $("try-error").textContent = "The inference listener refused the inference key (401): "
        + "sign out and sign in with the current inference key of key_file.json.";
    } else {
      $("try-error").textContent = e.message;
    }
    if (e.body) {
      $("try-json").textContent = JSON.stringify(e.body, null, 2);
    }
  }
});

start();
