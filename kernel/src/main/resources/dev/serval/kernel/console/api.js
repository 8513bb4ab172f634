// The console's calls: management calls to this listener with the management key, inference calls
// to the inference listener with the inference key. Keys live in this tab's sessionStorage only.

const MANAGEMENT_KEY = "serval.managementKey";
const INFERENCE_KEY = "serval.inferenceKey";

/** A refused call, with the server's TorchServe error JSON when it sent one. */
export class ApiError extends Error {
  constructor(status, body) {
    super(body && body.message ? body.message : `HTTP ${status}`);
    this.status = status;
    this.body = body;
  }
}

export const keys = {
  management: () => sessionStorage.getItem(MANAGEMENT_KEY),
  inference: () => sessionStorage.getItem(INFERENCE_KEY),
  save(management, inference) {
    sessionStorage.setItem(MANAGEMENT_KEY, management);
    sessionStorage.setItem(INFERENCE_KEY, inference);
  },
  clear() {
    sessionStorage.removeItem(MANAGEMENT_KEY);
    sessionStorage.removeItem(INFERENCE_KEY);
  },
};

function authorized(key, headers = {}) {
  return key ? { ...headers, Authorization: `Bearer ${key}` } : headers;
}

async function answer(response, as) {
  if (!response.ok) {
    let body = null;
    try {
      body = await response.json();
    } catch (e) {
      // not TorchServe's JSON: the status says it
    }
    throw new ApiError(response.status, body);
  }
  return as === "text" ? response.text() : response.json();
}

/** A management call: method, path (with its query), answered as JSON or text; a signal aborts it. */
export async function management(method, path, as = "json", signal = undefined) {
  const response = await fetch(path, { method, headers: authorized(keys.management()), cache: "no-store", signal });
  return answer(response, as);
}

/** A management call sending a file as its body: answered as JSON. */
export async function upload(method, path, file) {
  const response = await fetch(path, {
    method,
    headers: authorized(keys.management(), { "Content-Type": "application/octet-stream" }),
    body: file,
  });
  return answer(response, "json");
}

let inferenceOrigin = "";

/** @param listener /server's inference: scheme, host (null on every interface), port */
export function setInference(listener) {
  const loopback = ["127.0.0.1", "localhost", "::1", "[::1]"];
  // A loopback or wildcard listener is reached by the name this page was opened with.
  const host = !listener.host || loopback.includes(listener.host) ? location.hostname : listener.host;
  inferenceOrigin = `${listener.scheme}://${host.includes(":") && !host.startsWith("[") ? `[${host}]` : host}:${listener.port}`;
}

/** @return the inference listener's origin */
export function inferenceAt() {
  return inferenceOrigin;
}

/** A prediction: the body as sent, with its content type; answered as JSON. */
export async function predict(path, body, contentType) {
  let response;
  try {
    response = await fetch(inferenceOrigin + path, {
      method: "POST",
      headers: authorized(keys.inference(), { "Content-Type": contentType }),
      body,
      cache: "no-store",
    });
  } catch (e) {
    throw new ApiError(0, { message: `The inference listener at ${inferenceOrigin} cannot be reached: ${e.message}` });
  }
  return answer(response, "json");
}
