"""Local features: RootSIFT keypoints and descriptors, polarity-inverted descriptors."""

from knowyourband.features.rootsift import (
    FeatureConfig,
    Features,
    extract,
    invert_polarity,
    reference_gray,
    rootsift,
    stretch,
)

__all__ = ["FeatureConfig", "Features", "extract", "invert_polarity", "reference_gray", "rootsift", "stretch"]
