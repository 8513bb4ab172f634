// The listeners' OpenAPI descriptions (OPTIONS / on each) in Swagger UI, asked with the keys the
// console signed in with; "Try it out" sends the key too.
import { ApiError, keys, management, setInference, inferenceAt } from "./api.js";

async function description(which) {
  if (which === "inference") {
    const response = await fetch(`${inferenceAt()}/`, {
      method: "OPTIONS",
      headers: keys.inference() ? { Authorization: `Bearer ${keys.inference()}` } : {},
    });
    if (!response.ok) {
      throw new ApiError(response.status, await response.json().catch(() => null));
    }
    return response.json();
  }
  return management("OPTIONS", "/");
}

async function showDocs() {
  const which = location.hash === "#inference" ? "inference" : "management";
  const error = document.getElementById("docs-error");
  error.hidden = true;
  try {
    setInference((await management("GET", "/server")).inference);
    const spec = await description(which);
    const ui = SwaggerUIBundle({ spec, dom_id: "#swagger", deepLinking: false });
    const key = which === "inference" ? keys.inference() : keys.management();
    if (key) {
      ui.preauthorizeApiKey("bearer", key);
    }
  } catch (e) {
    error.textContent = e instanceof ApiError && e.status === 401
      ? `The ${which} key was refused (401): sign in on the console's first page.`
      : e.message;
    error.hidden = false;
  }
}

window.addEventListener("hashchange", showDocs);
// The bundle is deferred, as this module is; it has run by now.
showDocs();
