"""Decode any uploaded or collected image safely into upright 8-bit RGB (+ alpha)."""

from __future__ import annotations

import io
import logging
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import numpy as np
from PIL import Image, ImageOps, UnidentifiedImageError

from knowyourband.errors import ImageError

log = logging.getLogger(__name__)

# A 48 MP phone photo must pass; a 20000×20000 PNG (400 MP, 1.2 GB of RGB) must not.
DEFAULT_MAX_PIXELS = 64_000_000
_HEIF_BRANDS = (b"heic", b"heix", b"hevc", b"hevx", b"mif1", b"msf1", b"avif")

ImageSource = str | Path | bytes | BinaryIO


@dataclass
class LoadedImage:
    """An upright photo: `rgb` (H, W, 3) uint8, `alpha` (H, W) uint8 or None.

    `width`/`height` are the upright size of the original file; when the pixels were
    decoded smaller (`max_side`), `scale` = pixel size / original size (≤ 1), so a box in
    pixel coordinates divides by `scale` to land in the original's coordinates.
    `detail` (H', W', 3) uint8 is the same photo at up to `detail_side` px, when it was asked for
    and the decode had those pixels anyway (see `load_image`); None otherwise.
    """

    rgb: np.ndarray
    alpha: np.ndarray | None
    width: int
    height: int
    scale: float = 1.0
    format: str | None = None
    exif_orientation: int = 1
    detail: np.ndarray | None = None


def load_image(
    source: ImageSource,
    *,
    max_pixels: int = DEFAULT_MAX_PIXELS,
    max_side: int | None = None,
    detail_side: int | None = None,
) -> LoadedImage:
    """Decode `source` (a path, bytes or a binary file) into an upright 8-bit image.

    Refuses images over `max_pixels` before decoding their pixels. With `max_side`, the
    decoded pixels are reduced so the long side is at most `max_side` (JPEGs decode
    reduced directly, which is much faster than decoding full size and resizing).
    With `detail_side` as well, the pixels decoded at full size on the way are also kept,
    reduced to at most `detail_side`, as `detail`: exactly what decoding again with
    `max_side=detail_side` would give, without the second decode. When the decode itself was
    reduced (a JPEG over twice `max_side`), `detail` is None.
    Raises `ImageError` with a message a person understands for anything unreadable.
    """
    _register_heif()
    stream = _open_stream(source)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            img = Image.open(stream)
            return _decode(img, max_pixels=max_pixels, max_side=max_side, detail_side=detail_side)
    except ImageError:
        raise
    except (UnidentifiedImageError, Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise _unidentified(stream, exc) from exc
    except (OSError, SyntaxError, ValueError, EOFError) as exc:
        raise ImageError(f"the image file is corrupt or truncated ({exc})") from exc


def _open_stream(source: ImageSource) -> BinaryIO:
    if isinstance(source, (str, Path)):
        path = Path(source)
        if not path.is_file():
            raise ImageError(f"{path}: no such image file")
        return io.BytesIO(path.read_bytes())
    if isinstance(source, (bytes, bytearray, memoryview)):
        if not len(source):
            raise ImageError("the image is empty (0 bytes)")
        return io.BytesIO(bytes(source))
    return source


def _decode(img: Image.Image, *, max_pixels: int, max_side: int | None, detail_side: int | None) -> LoadedImage:
    width, height = img.size
    if width * height > max_pixels:
        raise ImageError(
            f"the image is too large: {width}×{height} pixels ({width * height / 1e6:.0f} MP) is over the "
            f"limit of {max_pixels / 1e6:.0f} MP; resize it and try again"
        )
    orientation = _exif_orientation(img)
    fmt = img.format
    if max_side and max(width, height) > max_side and fmt == "JPEG":
        # JPEG decodes at 1/2, 1/4 or 1/8 scale for free; draft keeps both sides ≥ the request.
        factor = max_side / max(width, height)
        img.draft("RGB", (int(width * factor) + 1, int(height * factor) + 1))
    img.load()
    full_size = img.size == (width, height)
    img = ImageOps.exif_transpose(img)
    upright_w, upright_h = (height, width) if orientation in (5, 6, 7, 8) else (width, height)
    rgb, alpha = _to_rgb8(img)
    detail = None
    if max_side and max(rgb.shape[:2]) > max_side:
        if detail_side and full_size:
            detail = rgb if max(rgb.shape[:2]) <= detail_side else _shrink(rgb, None, detail_side)[0]
        rgb, alpha = _shrink(rgb, alpha, max_side)
    return LoadedImage(
        rgb=rgb,
        alpha=alpha,
        width=upright_w,
        height=upright_h,
        scale=rgb.shape[1] / upright_w,
        format=fmt,
        exif_orientation=orientation,
        detail=detail,
    )


def _exif_orientation(img: Image.Image) -> int:
    try:
        value = int(img.getexif().get(0x0112, 1))
    except Exception:  # a malformed EXIF block must not make a good photo unreadable
        return 1
    return value if 1 <= value <= 8 else 1


def _to_rgb8(img: Image.Image) -> tuple[np.ndarray, np.ndarray | None]:
    """Any Pillow mode → (H, W, 3) uint8 RGB and an optional (H, W) uint8 alpha."""
    if img.mode in ("I;16", "I;16B", "I;16L", "I", "F"):
        gray = _high_depth_to_uint8(np.asarray(img))
        return np.ascontiguousarray(np.repeat(gray[:, :, None], 3, axis=2)), None
    has_alpha = img.mode in ("RGBA", "LA", "PA", "La", "RGBa") or (
        img.mode == "P" and "transparency" in img.info
    )
    if has_alpha:
        rgba = np.asarray(img.convert("RGBA"))
        return np.ascontiguousarray(rgba[:, :, :3]), np.ascontiguousarray(rgba[:, :, 3])
    return np.ascontiguousarray(np.asarray(img.convert("RGB"))), None


def _high_depth_to_uint8(values: np.ndarray) -> np.ndarray:
    """16-bit or float grey → 8-bit, scaled by the format's range rather than clipped."""
    values = values.astype(np.float64)
    top = 65535.0 if values.max(initial=0) > 255 else 255.0
    if values.dtype.kind == "f" and values.max(initial=0) <= 1.0:
        top = 1.0
    return np.clip(values * (255.0 / top), 0, 255).astype(np.uint8)


def _shrink(rgb: np.ndarray, alpha: np.ndarray | None, max_side: int) -> tuple[np.ndarray, np.ndarray | None]:
    import cv2

    h, w = rgb.shape[:2]
    factor = max_side / max(h, w)
    size = (max(1, round(w * factor)), max(1, round(h * factor)))
    rgb = cv2.resize(rgb, size, interpolation=cv2.INTER_AREA)
    if alpha is not None:
        alpha = cv2.resize(alpha, size, interpolation=cv2.INTER_AREA)
    return rgb, alpha


def _unidentified(stream: BinaryIO, exc: Exception) -> ImageError:
    if isinstance(exc, (Image.DecompressionBombError, Image.DecompressionBombWarning)):
        # Pillow's own guard fires while reading the header of truly enormous images.
        return ImageError(f"the image is too large to decode safely ({exc}); resize it and try again")
    stream.seek(0)
    head = stream.read(32)
    if head[4:8] == b"ftyp" and head[8:12] in _HEIF_BRANDS and not _HEIF_REGISTERED:
        return ImageError(
            "this is a HEIC/HEIF photo and HEIC support is not installed: "
            "pip install 'knowyourband[heic]', or export the photo as JPEG"
        )
    return ImageError("the file is not an image this service can read (JPEG, PNG, WebP, HEIC, GIF, BMP, TIFF)")


_HEIF_REGISTERED = False


def _register_heif() -> None:
    """Teach Pillow HEIC/HEIF when the optional pillow-heif is installed (once)."""
    global _HEIF_REGISTERED
    if _HEIF_REGISTERED:
        return
    try:
        import pillow_heif
    except ImportError:
        return
    pillow_heif.register_heif_opener()
    _HEIF_REGISTERED = True
