// The outlines over the photo: each identified object's quad, numbered and named; unknown regions dashed.

const SVG = "http://www.w3.org/2000/svg";

function el(name, attrs, text) {
  const node = document.createElementNS(SVG, name);
  for (const [key, value] of Object.entries(attrs)) node.setAttribute(key, String(value));
  if (text !== undefined) node.textContent = text;
  return node;
}

export function unknownLabel(kind) {
  return kind === "album" ? "an album we don't know" : "a logo we don't know";
}

/** Draw `result` (the recognition contract) into `svg`, in the photo's own pixel coordinates. */
export function drawOverlay(svg, result) {
  const { width, height } = result.image;
  svg.replaceChildren();
  svg.setAttribute("viewBox", `0 0 ${width} ${height}`);
  svg.setAttribute("preserveAspectRatio", "none");
  const size = Math.max(width, height) / 26; // labels stay readable whatever the photo's size

  result.objects.forEach((object, i) => {
    const group = el("g", { class: "object", "data-index": i });
    const points = object.quad.map(([x, y]) => `${x.toFixed(1)},${y.toFixed(1)}`).join(" ");
    group.append(el("polygon", { class: "known", points, "vector-effect": "non-scaling-stroke" }));
    const [x0, y0] = topLeft(object.quad, width, height, size);
    group.append(el("circle", { class: "badge", cx: x0, cy: y0, r: size * 0.62 }));
    group.append(el("text", { class: "badge-text", x: x0, y: y0, "font-size": size * 0.8 }, i + 1));
    const label = el("text", { x: x0 + size * 0.9, y: y0 + size * 0.35, "font-size": size }, object.band.name);
    group.append(label);
    svg.append(group);
    keepInside(label, width, size);
  });

  for (const region of result.unknown) {
    const [x0, y0, x1, y1] = region.box;
    svg.append(el("rect", {
      class: "unknown", x: x0, y: y0, width: x1 - x0, height: y1 - y0, "vector-effect": "non-scaling-stroke",
    }));
    const y = y0 > size * 1.2 ? y0 - size * 0.3 : y1 + size;
    svg.append(el("text", { x: x0, y, "font-size": size * 0.8 }, unknownLabel(region.kind)));
  }
}

/** Slide a label left when it would run off the photo's right edge (needs the SVG on screen). */
function keepInside(label, width, size) {
  const length = label.getComputedTextLength();
  const x = Number(label.getAttribute("x"));
  if (length && x + length > width - size * 0.2) {
    label.setAttribute("x", Math.max(size * 0.2, width - size * 0.2 - length));
    label.setAttribute("y", Number(label.getAttribute("y")) + size * 1.1); // below the badge, not over it
  }
}

/** The quad's upper-left corner, pulled inside the photo so its badge is never cut off. */
function topLeft(quad, width, height, size) {
  const x = Math.min(...quad.map((p) => p[0]));
  const y = Math.min(...quad.map((p) => p[1]));
  const clamp = (v, max) => Math.min(Math.max(v, size * 0.7), max - size * 0.7);
  return [clamp(x, width), clamp(y, height)];
}
