"""Keep freed memory in the process instead of handing it back to the kernel after every image.

SIFT builds a Gaussian pyramid of large float buffers for each image. glibc serves such buffers
with fresh mmap() calls (or trims them off the heap) and returns them on free, so the next image
page-faults the same memory in again: on the 2-core machine that was a third of the CPU time of
an index build (70 ms of system time per reference) and a fifth of a recognition (docs/engine.md).
Raising the mmap and trim thresholds keeps the pages mapped; the cost is that a process stays at
its peak working memory (a few hundred MB at most) instead of shrinking between images.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import logging

log = logging.getLogger(__name__)

_M_TRIM_THRESHOLD = -1  # mallopt parameters from glibc's <malloc.h>
_M_MMAP_THRESHOLD = -3
_MMAP_THRESHOLD = 256 * 1024 * 1024  # allocations below this come from the reusable heap
_TRIM_THRESHOLD = 512 * 1024 * 1024  # free heap top kept before trimming

_done = False


def keep_freed_memory() -> bool:
    """Set glibc's thresholds once per process; False where the C library is not glibc."""
    global _done
    if _done:
        return True
    name = ctypes.util.find_library("c")
    try:
        libc = ctypes.CDLL(name) if name else None
        mallopt = libc.mallopt if libc is not None else None
    except (OSError, AttributeError):
        mallopt = None
    if mallopt is None:
        log.debug("no glibc mallopt: freed image buffers go back to the system")
        return False
    _done = bool(mallopt(_M_MMAP_THRESHOLD, _MMAP_THRESHOLD)) and bool(mallopt(_M_TRIM_THRESHOLD, _TRIM_THRESHOLD))
    return _done
