"""imageio.load_image on every kind of input a fan or a collector sends."""

from __future__ import annotations

import io
import struct
import zlib

import numpy as np
import pytest
from PIL import Image

from knowyourband.errors import ImageError
from knowyourband.imageio import load_image


def _jpeg_bytes(img: Image.Image, **kwargs) -> bytes:
    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=92, **kwargs)
    return buf.getvalue()


def _marked_image(width: int = 200, height: int = 100) -> Image.Image:
    """Grey image with a red block in its top-left corner, to see where rotation took it."""
    arr = np.full((height, width, 3), 128, np.uint8)
    arr[:30, :30] = (255, 0, 0)
    return Image.fromarray(arr)


def test_plain_jpeg_from_path_bytes_and_file(tmp_path):
    data = _jpeg_bytes(_marked_image())
    path = tmp_path / "p.jpg"
    path.write_bytes(data)
    for source in (path, str(path), data, io.BytesIO(data)):
        img = load_image(source)
        assert img.rgb.shape == (100, 200, 3) and img.rgb.dtype == np.uint8
        assert (img.width, img.height, img.scale, img.alpha) == (200, 100, 1.0, None)


def test_exif_rotated_jpeg_comes_out_upright():
    exif = Image.Exif()
    exif[0x0112] = 6  # stored pixels must be turned 90° clockwise to be upright
    img = load_image(_jpeg_bytes(_marked_image(), exif=exif.tobytes()))
    assert img.exif_orientation == 6
    assert (img.width, img.height) == (100, 200)
    assert img.rgb.shape == (200, 100, 3)
    # The red top-left block of the stored pixels is now top-right.
    assert img.rgb[5, 95, 0] > 200 and img.rgb[5, 95, 1] < 60
    assert img.rgb[5, 5, 0] < 200


def test_corrupt_jpeg_is_a_clear_error():
    data = _jpeg_bytes(_marked_image(800, 600))
    with pytest.raises(ImageError, match="corrupt or truncated"):
        load_image(data[: len(data) // 2])


@pytest.mark.parametrize("data", [b"", b"hello, this is text\n" * 10, b"\x89PNG\r\n\x1a\n garbage"])
def test_not_an_image(data):
    with pytest.raises(ImageError):
        load_image(data)


def _png_chunk(kind: bytes, payload: bytes) -> bytes:
    return struct.pack(">I", len(payload)) + kind + payload + struct.pack(">I", zlib.crc32(kind + payload))


@pytest.mark.parametrize("side", [9000, 20000])
def test_huge_png_is_refused_before_decoding_pixels(side):
    row = b"\x00" + b"\x00" * (side // 8)  # filter byte + one 1-bit row
    packer = zlib.compressobj(9)
    idat = b"".join(packer.compress(row) for _ in range(side)) + packer.flush()
    ihdr = struct.pack(">IIBBBBB", side, side, 1, 0, 0, 0, 0)
    png = b"\x89PNG\r\n\x1a\n" + _png_chunk(b"IHDR", ihdr) + _png_chunk(b"IDAT", idat) + _png_chunk(b"IEND", b"")
    with pytest.raises(ImageError, match="too large"):
        load_image(png)


def test_heic_photo(tmp_path):
    pillow_heif = pytest.importorskip("pillow_heif")
    pillow_heif.register_heif_opener()
    path = tmp_path / "iphone.heic"
    _marked_image(320, 240).save(path, format="HEIF", quality=90)
    img = load_image(path)
    assert img.rgb.shape == (240, 320, 3)
    assert img.rgb[10, 10, 0] > 180 and img.rgb[10, 10, 2] < 90


def test_cmyk_jpeg_becomes_rgb():
    img = load_image(_jpeg_bytes(_marked_image().convert("CMYK")))
    assert img.rgb.shape == (100, 200, 3)
    assert img.rgb[5, 5, 0] > 200 and img.rgb[5, 5, 1] < 80


def test_16_bit_png_is_scaled_not_clipped():
    ramp = (np.arange(256, dtype=np.uint16) * 257)[None, :].repeat(8, axis=0)  # 0..65535
    buf = io.BytesIO()
    Image.fromarray(ramp).save(buf, "PNG")
    img = load_image(buf.getvalue())
    assert img.rgb[0, 0, 0] == 0 and img.rgb[0, 255, 0] == 255
    assert 120 <= img.rgb[0, 128, 0] <= 135  # mid-grey stays mid-grey


@pytest.mark.parametrize("mode", ["RGBA", "P"])
def test_transparent_logo_png_keeps_its_alpha(mode):
    rgba = np.zeros((60, 120, 4), np.uint8)
    rgba[20:40, 10:110] = (255, 255, 255, 255)  # white ink on transparency
    img = Image.fromarray(rgba, "RGBA")
    if mode == "P":
        img = img.convert("P")
        img.info["transparency"] = 0
    buf = io.BytesIO()
    img.save(buf, "PNG", **({"transparency": 0} if mode == "P" else {}))
    loaded = load_image(buf.getvalue())
    assert loaded.alpha is not None
    assert loaded.alpha[30, 60] == 255 and loaded.alpha[5, 5] == 0


def test_max_side_decodes_smaller_and_reports_scale():
    img = load_image(_jpeg_bytes(_marked_image(4000, 3000)), max_side=1000)
    assert max(img.rgb.shape[:2]) == 1000
    assert (img.width, img.height) == (4000, 3000)
    assert img.scale == pytest.approx(0.25)


def _textured_image(width: int, height: int) -> Image.Image:
    rng = np.random.default_rng(3)
    return Image.fromarray(rng.integers(0, 256, (height // 8, width // 8, 3), dtype=np.uint8)).resize((width, height))


@pytest.mark.parametrize("fmt,width,kept", [("JPEG", 2000, True), ("PNG", 3000, True), ("JPEG", 3000, False)])
def test_the_detail_a_full_decode_had_anyway_is_kept(fmt, width, kept):
    # A closer look wants the photo at up to 2560 px; when the decode for 1280 px went through the full
    # pixels anyway, they are kept, exactly as a second decode would give them.
    buf = io.BytesIO()
    _textured_image(width, width * 3 // 4).save(buf, fmt)
    data = buf.getvalue()
    img = load_image(data, max_side=1280, detail_side=2560)
    assert max(img.rgb.shape[:2]) == 1280
    if kept:
        assert np.array_equal(img.detail, load_image(data, max_side=2560).rgb)
    else:  # a JPEG over twice the working side decodes reduced: the closer look decodes it again
        assert img.detail is None
    assert load_image(data, max_side=1280).detail is None  # only when asked for


def test_kept_detail_of_an_exif_rotated_jpeg_is_upright():
    exif = Image.Exif()
    exif[0x0112] = 6
    img = load_image(_jpeg_bytes(_marked_image(2000, 1000), exif=exif.tobytes()), max_side=1280, detail_side=2560)
    assert img.detail.shape == (2000, 1000, 3) and img.rgb.shape == (1280, 640, 3)
    assert img.detail[5, 995, 0] > 200 and img.detail[5, 995, 1] < 60  # the red block is top-right
