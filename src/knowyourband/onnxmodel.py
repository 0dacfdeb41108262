"""ONNX model files of kyb's learned models: opened for inference, written with their metadata."""

from __future__ import annotations

from pathlib import Path

from knowyourband.errors import KybError

OPSET = 17  # ONNX opset the training commands export at (onnxruntime 1.20+ runs it)


def open_session(path: Path, threads: int, error: type[KybError], missing: str) -> tuple[object, dict[str, str]]:
    """An onnxruntime CPU session for the model at `path` and its custom metadata.

    `threads` is the intra-op thread count (1 keeps a server worker on its core). A missing file
    raises `error` with `missing` appended; an unreadable one raises `error` too.
    """
    import onnxruntime as ort

    if not path.is_file():
        raise error(f"{path}: {missing}")
    options = ort.SessionOptions()
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    options.log_severity_level = 3
    try:
        session = ort.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])
    except Exception as exc:  # onnxruntime raises its own untyped errors for bad files
        raise error(f"{path}: not a readable ONNX model ({exc}); re-export it") from exc
    return session, dict(session.get_modelmeta().custom_metadata_map)


def save_model(model_bytes: bytes, path: Path, meta: dict[str, str]) -> Path:
    """Write an exported ONNX model with `meta` as its metadata (what `open_session` reads back).

    Written to a temporary file and renamed: a half-written model never stands where a server or
    recognizer might load it. Needs the `onnx` package (the train extra).
    """
    import onnx

    model = onnx.load_from_string(model_bytes)
    for key, value in meta.items():
        entry = model.metadata_props.add()
        entry.key, entry.value = key, value
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(path.suffix + ".tmp")
    tmp.write_bytes(model.SerializeToString())
    tmp.replace(path)
    return path
