"""Procedural strokes that make a metal logo: thorns, drips, branch tangles, bars, 3-D extrusion, warps."""

from __future__ import annotations

import cv2
import numpy as np


def edge_points(mask: np.ndarray, rng: np.random.Generator, count: int) -> tuple[np.ndarray, np.ndarray]:
    """Sample `count` points on the ink outline with their outward unit normals.

    mask: (H, W) uint8 ink in 0..255. Returns points (N, 2) float32 as (x, y) and normals (N, 2).
    """
    contours, _ = cv2.findContours((mask > 127).astype(np.uint8), cv2.RETR_LIST, cv2.CHAIN_APPROX_NONE)
    if not contours:
        return np.zeros((0, 2), np.float32), np.zeros((0, 2), np.float32)
    pts = np.concatenate([c[:, 0, :] for c in contours]).astype(np.float32)
    pts = pts[rng.choice(len(pts), size=min(count, len(pts)), replace=False)]
    soft = cv2.GaussianBlur(mask.astype(np.float32), (0, 0), 3.0)
    gy, gx = np.gradient(soft)
    xi = pts[:, 0].astype(int)
    yi = pts[:, 1].astype(int)
    normals = -np.stack([gx[yi, xi], gy[yi, xi]], axis=1)
    normals /= np.linalg.norm(normals, axis=1, keepdims=True) + 1e-6
    return pts, normals


def thorns(mask: np.ndarray, rng: np.random.Generator, count: int, length: float, width: float,
           vertical_bias: float = 0.0) -> None:
    """Grow sharp triangular thorns outward from the outline, in place.

    length, width: thorn size in pixels; vertical_bias in [0, 1] keeps thorns pointing up or down.
    """
    pts, normals = edge_points(mask, rng, count * 3)
    if vertical_bias > 0:
        keep = np.abs(normals[:, 1]) >= vertical_bias
        pts, normals = pts[keep], normals[keep]
    for p, n in zip(pts[:count], normals[:count]):
        bend = rng.normal(0, 0.25)
        direction = n + bend * np.array([-n[1], n[0]])
        direction /= np.linalg.norm(direction) + 1e-6
        side = np.array([-direction[1], direction[0]])
        size = length * rng.uniform(0.35, 1.0)
        half = width * rng.uniform(0.5, 1.0) / 2
        base = p - direction * half
        poly = np.array([base + side * half, p + direction * size, base - side * half])
        cv2.fillPoly(mask, [np.round(poly).astype(np.int32)], 255, lineType=cv2.LINE_AA)


def drips(mask: np.ndarray, rng: np.random.Generator, count: int, length: float, width: float) -> None:
    """Let ink run down from the bottoms of strokes as drips ending in drops, in place."""
    ink = mask > 127
    bottoms = ink[:-1] & ~ink[1:]
    ys, xs = np.nonzero(bottoms)
    if len(xs) == 0:
        return
    pick = rng.choice(len(xs), size=min(count, len(xs)), replace=False)
    for x, y in zip(xs[pick], ys[pick]):
        w = max(2, int(width * rng.uniform(0.4, 1.0)))
        end = int(y + length * rng.uniform(0.2, 1.0))
        cv2.line(mask, (int(x), int(y) - w), (int(x), end), 255, w, cv2.LINE_AA)
        cv2.circle(mask, (int(x), end), int(w * rng.uniform(0.7, 1.2)), 255, -1, cv2.LINE_AA)


def branches(mask: np.ndarray, rng: np.random.Generator, seeds: int, steps: int, width: float,
             spread: float = 0.35) -> None:
    """Grow thin, forking, tapering branches from the outline outward (black-metal tangles), in place."""
    pts, normals = edge_points(mask, rng, seeds)
    stack = [(p, n, width, steps) for p, n in zip(pts, normals)]
    step_len = max(3.0, width * 1.5)
    while stack:
        p, d, w, left = stack.pop()
        for _ in range(left):
            d = d + rng.normal(0, spread, 2)
            d /= np.linalg.norm(d) + 1e-6
            q = p + d * step_len
            cv2.line(mask, tuple(np.round(p).astype(int)), tuple(np.round(q).astype(int)), 255,
                     max(1, int(round(w))), cv2.LINE_AA)
            p, w, left = q, w * 0.93, left - 1
            if left > 4 and rng.random() < 0.12:
                turn = np.array([-d[1], d[0]]) * rng.choice([-1, 1])
                stack.append((p.copy(), d + turn * 0.9, w * 0.8, left // 2))
                break_off = rng.random() < 0.3
                if break_off:
                    break


def bar(mask: np.ndarray, y: int, x0: int, x1: int, thickness: int) -> None:
    """A horizontal bar with pointed ends (the classic underline of thrash and death logos), in place."""
    mid = (x0 + x1) / 2
    poly = np.array([[x0, y], [mid, y - thickness], [x1, y], [mid, y + thickness]])
    cv2.fillPoly(mask, [np.round(poly).astype(np.int32)], 255, lineType=cv2.LINE_AA)


def extrude(mask: np.ndarray, dx: float, dy: float, depth: int, outline: int) -> np.ndarray:
    """A 3-D block look: the letters' faces hollow with an outline, over a solid extrusion.

    Returns a new (H, W) uint8 mask.
    """
    solid = mask.copy()
    for k in range(1, depth + 1):
        shift = np.float32([[1, 0, dx * k], [0, 1, dy * k]])
        solid = np.maximum(solid, cv2.warpAffine(mask, shift, mask.shape[::-1]))
    face = cv2.erode(mask, np.ones((outline, outline), np.uint8))
    return np.where(face > 127, 0, solid).astype(np.uint8)


def outline(mask: np.ndarray, width: int) -> np.ndarray:
    """The letters as rings of `width` pixels (hollow letters). Returns a new (H, W) uint8 mask."""
    kernel = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (2 * width + 1, 2 * width + 1))
    return cv2.subtract(cv2.dilate(mask, kernel), cv2.erode(mask, np.ones((3, 3), np.uint8)))


def warp(mask: np.ndarray, rng: np.random.Generator, arch: float, wobble: float) -> np.ndarray:
    """Bend the lettering: a vertical arch of `arch`×height plus a smooth random wobble of `wobble`×height."""
    h, w = mask.shape
    xs, ys = np.meshgrid(np.arange(w, dtype=np.float32), np.arange(h, dtype=np.float32))
    u = (xs / w - 0.5) * 2
    dy = arch * h * (u ** 2 - 0.33)
    field = rng.normal(0, 1, (2, 4, 8)).astype(np.float32)
    fx = cv2.resize(field[0], (w, h), interpolation=cv2.INTER_CUBIC) * wobble * h
    fy = cv2.resize(field[1], (w, h), interpolation=cv2.INTER_CUBIC) * wobble * h
    return cv2.remap(mask, xs + fx, ys + dy + fy, cv2.INTER_LINEAR, borderValue=0)


def mirror(mask: np.ndarray) -> np.ndarray:
    """Left-right symmetric version (the union of the mask and its mirror image)."""
    return np.maximum(mask, mask[:, ::-1])
