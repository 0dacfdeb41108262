// Building the result list and the band page from API data (DOM nodes, never HTML strings).

import { unknownLabel } from "./overlay.js";

export function h(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, value === true ? "" : String(value));
  }
  node.append(...present(children));
  return node;
}

/** Children without the holes that optional parts leave (null, undefined, false), nested lists flattened. */
const present = (children) => children.flat(Infinity).filter((c) => c !== null && c !== undefined && c !== false);

const percent = (score) => `${Math.round(score * 100)}%`;

/** One row: number, band logo, band name, cover + album, confidence. `thumbs` maps ids to /media URLs. */
export function hitButton(candidate, thumbs, number, onOpen) {
  const logo = thumbs.band_logos?.[candidate.band.id] ?? null;
  const cover = candidate.release ? thumbs.references?.[candidate.reference_id] ?? null : null;
  const album = candidate.release
    ? `${candidate.release.title}${candidate.release.year ? ` (${candidate.release.year})` : ""}`
    : "band logo";
  return h("button", { type: "button", class: "hit", onclick: onOpen },
    number === null ? h("span", { class: "num", "aria-hidden": "true" }, "?")
      : h("span", { class: "num", "aria-label": `number ${number}` }, String(number)),
    logo ? h("img", { class: "thumb", src: logo, alt: `${candidate.band.name} logo`, loading: "lazy" })
      : h("span", { class: "thumb", "aria-hidden": "true" }),
    h("span", { class: "hit-text" },
      h("span", { class: "band-name" }, candidate.band.name),
      h("span", { class: "sub" },
        cover ? h("img", { src: cover, alt: `cover of ${candidate.release.title}`, loading: "lazy" }) : null,
        h("span", {}, album)),
      h("span", { class: "confidence" }, `${percent(candidate.score)} sure`)));
}

export function renderResult(result, hitsList, unknownList, onOpen) {
  const thumbs = result.media || {};
  hitsList.replaceChildren(...result.objects.map((object, i) =>
    h("li", {}, hitButton(object, thumbs, i + 1, () => onOpen(object, object)))));
  unknownList.replaceChildren(...result.unknown.map((region) =>
    h("li", {}, `Dashed outline: ${unknownLabel(region.kind)}.`)));
  if (!result.objects.length) {
    hitsList.replaceChildren(h("li", { class: "empty" }, "No known band found in this photo."));
  }
}

function facts(band) {
  const rows = [
    ["Country", band.country], ["Location", band.location], ["Formed", band.formed],
    ["Years active", band.years_active], ["Status", band.status],
    ["Genres", (band.genres || []).join(", ")], ["Themes", (band.themes || []).join(", ")],
    ["Label", band.label],
  ].filter(([, value]) => value !== null && value !== undefined && value !== "");
  return h("dl", { class: "facts" }, rows.map(([term, value]) => [h("dt", {}, term), h("dd", {}, String(value))]));
}

function sourceLinks(sources) {
  if (!sources?.length) return null;
  return [h("h2", {}, "Sources"), h("ul", { class: "sources" }, sources.filter((s) => s.url).map((s) =>
    h("li", {}, h("a", { href: s.url, target: "_blank", rel: "noopener noreferrer" }, s.name || s.url))))];
}

/**
 * The band page. `object` is the photo region that led here (or null): its other candidates
 * make the "Not this one?" list, and `shown` is the candidate currently displayed.
 */
export function renderBand(container, band, object, shown, thumbs, onCandidate) {
  const logo = band.logos?.[0]?.thumbnail;
  // Runner-ups that would read "0% sure" are noise to a person, not alternatives.
  const others = object ? object.candidates.filter((c) => c.reference_id !== shown.reference_id && c.score >= 0.005) : [];
  container.replaceChildren(...present([
    h("h1", { id: "band-name", tabindex: "-1" }, band.name),
    logo ? h("img", { class: "detail-logo", src: logo, alt: `${band.name} logo` }) : null,
    shown?.release ? h("p", {}, `This looks like the cover of “${shown.release.title}” (${percent(shown.score)} sure).`)
      : shown ? h("p", {}, `This looks like the band's logo (${percent(shown.score)} sure).`) : null,
    facts(band),
    others.length ? h("details", {},
      h("summary", {}, "Not this one?"),
      h("p", {}, "Other bands and albums it could be:"),
      h("ol", { class: "hits" }, others.map((c) =>
        h("li", {}, hitButton(c, thumbs, null, () => onCandidate(object, c)))))) : null,
    h("h2", {}, "Discography"),
    band.releases?.length ? h("ul", { class: "discography" }, band.releases.map((r) => h("li", {},
      r.cover ? h("img", { src: r.cover, alt: `cover of ${r.title}`, loading: "lazy" })
        : h("span", { class: "nocover", "aria-hidden": "true" }),
      h("span", {}, h("strong", {}, r.title), h("br"),
        [r.year, r.type].filter(Boolean).join(" · "))))) : h("p", {}, "No releases in the catalogue."),
    sourceLinks(band.sources),
  ]));
}
