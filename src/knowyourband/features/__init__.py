"""Local features: RootSIFT keypoints and descriptors, polarity-inverted descriptors."""

from knowyourband.allocator import keep_freed_memory
from knowyourband.features.cover import cover_thumbnail
from knowyourband.features.rootsift import (
    FeatureConfig,
    Features,
    extract,
    invert_polarity,
    reference_gray,
    rootsift,
    spread_levels,
    stretch,
    stretch_range,
)

# Every process that extracts features (build workers, recognizers, the server) reuses its image
# buffers instead of page-faulting them in again for each image (knowyourband.allocator).
keep_freed_memory()

__all__ = ["FeatureConfig", "Features", "cover_thumbnail", "extract", "invert_polarity", "reference_gray", "rootsift",
           "spread_levels", "stretch", "stretch_range"]
