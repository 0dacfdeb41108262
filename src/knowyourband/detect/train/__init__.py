"""Training the detector on a KYB-Synth benchmark folder; needs the `train` extra (torch, onnx)."""
