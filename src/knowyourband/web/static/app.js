// The client's entry point: screens (start → busy → result → band), history, drag-and-drop.

import { recognize, getJSON } from "./js/api.js";
import { shrinkPhoto } from "./js/shrink.js";
import { drawOverlay } from "./js/overlay.js";
import { renderResult, renderBand } from "./js/views.js";

const $ = (id) => document.getElementById(id);
const VIEWS = ["start", "busy", "result", "detail"];
let current = { result: null, photoURL: null };

function show(view, focusId) {
  for (const name of VIEWS) $(`view-${name}`).hidden = name !== view;
  document.body.dataset.view = view;
  if (focusId) $(focusId)?.focus();
}

function showError(message) {
  const box = $("error");
  box.textContent = message;
  box.hidden = !message;
}

async function handleFile(file) {
  if (!file) return;
  showError("");
  if (file.type && !file.type.startsWith("image/")) {
    showError("That file is not a photo. Choose a JPEG, PNG, WebP or HEIC image.");
    return;
  }
  show("busy");
  const label = $("progress-label");
  const bar = $("progress");
  label.textContent = "Preparing the photo…";
  bar.removeAttribute("value");
  try {
    const { blob, name } = await shrinkPhoto(file);
    const result = await recognize(blob, name, (fraction) => {
      if (fraction < 1) {
        bar.value = Math.round(fraction * 100);
        label.textContent = `Uploading… ${Math.round(fraction * 100)}%`;
      } else {
        bar.removeAttribute("value");
        label.textContent = "Looking for bands…";
      }
    });
    if (current.photoURL) URL.revokeObjectURL(current.photoURL);
    current = { result, photoURL: URL.createObjectURL(blob) };
    history.pushState({ view: "result" }, "", "#result");
    showResult();
  } catch (error) {
    show("start");
    showError(error.message);
  }
}

function showResult() {
  const { result, photoURL } = current;
  if (!result) return show("start");
  const count = result.objects.length;
  $("result-title").textContent = count === 0 ? "No known band found"
    : count === 1 ? "Found 1 band logo or cover" : `Found ${count} band logos and covers`;
  const frame = $("photo-frame");
  const img = $("photo");
  frame.style.aspectRatio = `${result.image.width} / ${result.image.height}`;
  img.hidden = false;
  img.onerror = () => { img.hidden = true; }; // e.g. a HEIC this browser cannot show: outlines still draw
  img.src = photoURL;
  img.alt = "Your photo";
  renderResult(result, $("hits"), $("unknowns"), openBand);
  show("result", "result-title");
  drawOverlay($("overlay"), result); // after show(): label widths can only be measured on screen
}

async function openBand(object, candidate, push = true) {
  showError("");
  try {
    const band = await getJSON(`bands/${encodeURIComponent(candidate.band.id)}`);
    renderBand($("detail"), band, object, candidate, current.result?.media || {}, openBand);
    if (push) history.pushState({ view: "detail", object: current.result.objects.indexOf(object),
      reference: candidate.reference_id }, "", "#band");
    show("detail", "band-name");
  } catch (error) {
    showError(error.message);
  }
}

window.addEventListener("popstate", (event) => {
  const state = event.state || {};
  if (state.view === "result") return showResult();
  if (state.view === "detail" && current.result) {
    const object = current.result.objects[state.object];
    const candidate = object?.candidates.find((c) => c.reference_id === state.reference) || object;
    if (object) return openBand(object, candidate, false);
  }
  show("start");
});

function startAgain() {
  showError("");
  history.pushState({ view: "start" }, "", "#");
  show("start");
}

function setUp() {
  for (const id of ["camera", "library"]) {
    $(id).addEventListener("change", (event) => {
      handleFile(event.target.files[0]);
      event.target.value = ""; // choosing the same photo again must fire "change" again
    });
  }
  $("again").addEventListener("click", startAgain);
  $("home").addEventListener("click", startAgain);
  $("back").addEventListener("click", () => history.back());

  const zone = $("dropzone");
  document.addEventListener("dragover", (event) => { event.preventDefault(); zone.classList.add("active"); });
  document.addEventListener("dragleave", () => zone.classList.remove("active"));
  document.addEventListener("drop", (event) => {
    event.preventDefault();
    zone.classList.remove("active");
    handleFile(event.dataTransfer?.files?.[0]);
  });

  history.replaceState({ view: "start" }, "", location.pathname);
  show("start");
  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register("sw.js").catch(() => { /* the app works without offline shell */ });
  }
}

setUp();
