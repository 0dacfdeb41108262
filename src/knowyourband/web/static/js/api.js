// Talking to the server: the photo upload (with progress) and the JSON reads.

const API = "api/v1";

/** Upload a photo; onProgress(fraction 0..1) while sending. Resolves to the recognition result. */
export function recognize(blob, filename, onProgress) {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open("POST", `${API}/recognize`);
    xhr.responseType = "json";
    xhr.upload.addEventListener("progress", (e) => {
      if (e.lengthComputable) onProgress(e.loaded / e.total);
    });
    xhr.upload.addEventListener("load", () => onProgress(1));
    xhr.addEventListener("load", () => {
      if (xhr.status === 200 && xhr.response) resolve(xhr.response);
      else reject(new Error(messageOf(xhr.response, xhr.status)));
    });
    xhr.addEventListener("error", () =>
      reject(new Error("The upload failed: check your connection and try again.")));
    xhr.addEventListener("timeout", () =>
      reject(new Error("The server took too long to answer; try again in a moment.")));
    xhr.timeout = 120000;
    const form = new FormData();
    form.append("image", blob, filename);
    xhr.send(form);
  });
}

/** GET a JSON document from the API, e.g. getJSON(`bands/3`). */
export async function getJSON(path) {
  let response;
  try {
    response = await fetch(`${API}/${path}`, { headers: { Accept: "application/json" } });
  } catch {
    throw new Error("The server cannot be reached: check your connection and try again.");
  }
  const body = await response.json().catch(() => null);
  if (!response.ok) throw new Error(messageOf(body, response.status));
  return body;
}

function messageOf(body, status) {
  if (body && typeof body.detail === "string") return body.detail;
  if (status === 413) return "This photo is too large to send.";
  return `The server could not answer (HTTP ${status}). Try again in a moment.`;
}
