"""Learned logo embedding: ONNX inference here, training (torch) in `embed.train`."""

from knowyourband.embed.embedder import Embedder, EmbedderError
from knowyourband.embed.glyph import photo_glyph, reference_glyph

__all__ = ["Embedder", "EmbedderError", "photo_glyph", "reference_glyph"]
