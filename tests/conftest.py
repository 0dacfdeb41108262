"""Shared test fixtures."""

from __future__ import annotations

import os

# Nothing in the tests may reach the network (model hubs retry for ~46 s before failing).
os.environ.setdefault("HF_HUB_OFFLINE", "1")
