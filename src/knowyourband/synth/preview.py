"""A contact sheet of benchmark photos with their ground-truth quads, for people to look at."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFont, ImageOps

from knowyourband.errors import KybError

log = logging.getLogger(__name__)

TILE = 420  # longer side of each thumbnail, pixels
CAPTION = 34  # caption strip under each thumbnail
COLUMNS = 4
KIND_COLORS = {"album": (0, 230, 255), "logo": (255, 60, 200)}
BACKGROUND = (24, 24, 24)


def _font(size: int) -> ImageFont.ImageFont | ImageFont.FreeTypeFont:
    # Pillow's built-in scalable face: needs no installed font.
    return ImageFont.load_default(size)


def _pick(n_images: int, count: int) -> list[int]:
    """`count` image indices spread evenly over the benchmark, so every part of the mix shows."""
    if n_images <= count:
        return list(range(n_images))
    return sorted({int(i) for i in np.linspace(0, n_images - 1, count)})


def contact_sheet(bench_dir: Path, out_path: Path, count: int = 24, columns: int = COLUMNS) -> Path:
    """Draw `count` photos of `bench_dir` (EXIF-upright) with their quads, labels and captions.

    Each quad is outlined in its kind's colour (album cyan, logo magenta) with a dot on the
    reference's top-left corner, labelled with kind and reference id; the caption names the file,
    scene, difficulty, EXIF orientation and object count. Writes a PNG and returns its path.
    """
    bench_dir = Path(bench_dir)
    try:
        data = json.loads((bench_dir / "annotations.json").read_text())
    except (OSError, ValueError) as exc:
        raise KybError(f"cannot read {bench_dir / 'annotations.json'}: {exc}; generate it with `kyb synth photos`") from exc
    by_image: dict[int, list[dict]] = {}
    for ann in data["annotations"]:
        by_image.setdefault(ann["image_id"], []).append(ann)
    chosen = [data["images"][i] for i in _pick(len(data["images"]), count)]
    if not chosen:
        raise KybError(f"{bench_dir} holds no photos")
    rows = (len(chosen) + columns - 1) // columns
    sheet = Image.new("RGB", (columns * TILE, rows * (TILE + CAPTION)), BACKGROUND)
    label_font, caption_font = _font(13), _font(14)
    for n, image in enumerate(chosen):
        try:
            with Image.open(bench_dir / image["file_name"]) as im:
                photo = ImageOps.exif_transpose(im).convert("RGB")
        except OSError as exc:
            raise KybError(f"cannot open {bench_dir / image['file_name']}: {exc}; regenerate the benchmark") from exc
        if photo.size != (image["width"], image["height"]):
            log.warning("%s is %s upright, annotations say %dx%d", image["file_name"], photo.size,
                        image["width"], image["height"])
        scale = TILE / max(photo.size)
        photo = photo.resize((max(1, round(photo.width * scale)), max(1, round(photo.height * scale))), Image.Resampling.LANCZOS)
        draw = ImageDraw.Draw(photo)
        objects = by_image.get(image["id"], [])
        for ann in objects:
            color = KIND_COLORS.get(ann["kind"], (255, 255, 0))
            pts = [(x * scale, y * scale) for x, y in ann["quad"]]
            draw.line(pts + [pts[0]], fill=color, width=2)
            x, y = pts[0]
            draw.ellipse((x - 3, y - 3, x + 3, y + 3), fill=color)
            text = f"{ann['kind'][0].upper()} {ann['reference_id']}"
            if ann.get("occluded", 0) >= 0.05:
                text += f" occ {ann['occluded']:.2f}"
            bx, by = min(max(pts[0][0], 0), photo.width - 10), min(max(pts[0][1] - 15, 0), photo.height - 15)
            box = draw.textbbox((bx, by), text, font=label_font)
            draw.rectangle(box, fill=(0, 0, 0))
            draw.text((bx, by), text, fill=color, font=label_font)
        col, row = n % columns, n // columns
        x0, y0 = col * TILE + (TILE - photo.width) // 2, row * (TILE + CAPTION) + (TILE - photo.height) // 2
        sheet.paste(photo, (x0, y0))
        caption = (f"{image['file_name']}  {image['scene']} / {image['difficulty']}  "
                   f"exif {image['exif_orientation']}  {len(objects)} obj")
        ImageDraw.Draw(sheet).text((col * TILE + 6, row * (TILE + CAPTION) + TILE + 8), caption,
                                   fill=(230, 230, 230), font=caption_font)
    out_path = Path(out_path)
    out_path.parent.mkdir(parents=True, exist_ok=True)
    sheet.save(out_path, "PNG")
    log.info("contact sheet of %d photos: %s", len(chosen), out_path)
    return out_path
