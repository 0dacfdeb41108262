"""Know Your Band: recognise heavy-metal band logos and album covers in photos."""

import os

# FAISS's OpenMP threads spin while they wait by default: on a busy 2-core machine that made a small
# k-means 170x slower (8.5 s vs 0.05 s) with two threads than with one. OpenMP reads this once, when
# it loads, so it is set before anything imports FAISS; a value the user set wins.
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

__version__ = "0.1.0"
