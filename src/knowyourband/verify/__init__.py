"""Matching and geometric verification: votes, Hough pose groups, RANSAC, outlines."""
