"""Scoring recognizers on annotated photos: metrics, the benchmark runner, reports and comparisons."""
