"""Training the logo embedder (needs the `train` extra: torch and onnx)."""
