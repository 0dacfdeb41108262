"""Recognition: `Recognizer.open(INDEX_DIR).recognize(photo) -> Result`."""

from knowyourband.recognize.recognizer import Recognizer, default_conf

__all__ = ["Recognizer", "default_conf"]
