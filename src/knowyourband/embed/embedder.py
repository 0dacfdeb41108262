"""The logo embedder at inference time: an ONNX model run by onnxruntime."""

from __future__ import annotations

import hashlib
from pathlib import Path

import numpy as np

from knowyourband.embed.glyph import HEIGHT, WIDTH
from knowyourband.errors import KybError
from knowyourband.onnxmodel import open_session

FORMAT = "logo-embedder-v1"
BATCH = 64  # glyphs per onnxruntime call when embedding a catalogue


class EmbedderError(KybError):
    """A logo embedder model file is missing or not one this version of kyb can run."""


def default_model_path() -> Path:
    """The model shipped inside the package."""
    return Path(__file__).resolve().parent.parent / "models" / "logo_embedder.onnx"


def model_id(path: Path) -> str:
    """What an index records about the model its embeddings came from: vectors of another model
    cannot be compared with this one's."""
    return hashlib.sha256(path.read_bytes()).hexdigest()[:16]


class Embedder:
    """Maps a logo glyph (`embed.glyph`) to a unit vector: the same band's logo, printed or drawn,
    lands near its reference; other logos land elsewhere (cosine similarity)."""

    def __init__(self, session: object, dim: int, model: str) -> None:
        self._session = session
        self._input = session.get_inputs()[0].name  # type: ignore[attr-defined]
        self.dim = dim
        self.model_id = model

    @classmethod
    def open(cls, model_path: str | Path | None = None, *, threads: int = 1) -> "Embedder":
        path = Path(model_path) if model_path else default_model_path()
        session, meta = open_session(path, threads, EmbedderError,
                                     "no logo embedder there; train one with `kyb train embedder`")
        if meta.get("kyb_format") != FORMAT or (int(meta["height"]), int(meta["width"])) != (HEIGHT, WIDTH):
            raise EmbedderError(f"{path}: not a {FORMAT} model for {HEIGHT}x{WIDTH} glyphs "
                                f"(metadata {dict(meta)}); export it with `kyb train embedder`")
        return cls(session, int(meta["dim"]), model_id(path))

    def embed(self, glyphs: np.ndarray) -> np.ndarray:
        """(N, HEIGHT, WIDTH) uint8 glyphs -> (N, dim) float32 unit vectors."""
        out = np.zeros((len(glyphs), self.dim), np.float32)
        for start in range(0, len(glyphs), BATCH):
            x = glyphs[start:start + BATCH, None].astype(np.float32)
            out[start:start + len(x)] = self._session.run(None, {self._input: x})[0]  # type: ignore[attr-defined]
        return out
