"""The on-disk index: build, grow, load."""

from knowyourband.index.build import BuildReport, add, build
from knowyourband.index.index import Index

__all__ = ["BuildReport", "Index", "add", "build"]
