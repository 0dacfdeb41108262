"""Procedural strokes that make a metal logo: thorns, drips, branch tangles, wings, emblems, 3-D, warps.

All functions work on an ink mask, (H, W) uint8 with ink 255 and background 0.
"""

from __future__ import annotations

import cv2
import numpy as np


def ink_box(mask: np.ndarray, level: int = 127) -> tuple[int, int, int, int]:
    """(x0, y0, x1, y1) of the ink above `level`, x1/y1 exclusive; (0, 0, 0, 0) when empty."""
    x, y, w, h = cv2.boundingRect((mask > level).astype(np.uint8))
    return x, y, x + w, y + h


def edge_points(mask: np.ndarray, rng: np.random.Generator, count: int) -> tuple[np.ndarray, np.ndarray]:
    """Sample `count` points on the ink outline with their outward unit normals.

    Returns points (N, 2) float32 as (x, y) and normals (N, 2) float32.
    """
    contours, _ = cv2.findContours((mask > 127).astype(np.uint8), cv2.RETR_LIST, cv2.CHAIN_APPROX_NONE)
    if not contours:
        return np.zeros((0, 2), np.float32), np.zeros((0, 2), np.float32)
    pts = np.concatenate([c[:, 0, :] for c in contours]).astype(np.float32)
    pts = pts[rng.choice(len(pts), size=min(count, len(pts)), replace=False)]
    soft = cv2.blur(mask, (7, 7)).astype(np.float32)
    h, w = mask.shape
    xi = np.clip(pts[:, 0].astype(int), 2, w - 3)
    yi = np.clip(pts[:, 1].astype(int), 2, h - 3)
    # The outward normal points down the ink gradient; central differences at the sampled points only.
    normals = -np.stack([soft[yi, xi + 2] - soft[yi, xi - 2], soft[yi + 2, xi] - soft[yi - 2, xi]], axis=1)
    normals /= np.linalg.norm(normals, axis=1, keepdims=True) + 1e-6
    return pts, normals


def spike(mask: np.ndarray, base: np.ndarray, direction: np.ndarray, length: float, width: float,
          curl: float = 0.0) -> None:
    """One tapered, optionally curved spike from `base` along `direction`, in place."""
    direction = direction / (np.linalg.norm(direction) + 1e-6)
    side = np.array([-direction[1], direction[0]])
    t = np.linspace(0, 1, 9)[:, None]
    spine = base + direction * length * t + side * curl * length * t ** 2
    half = (width / 2) * (1 - t)
    poly = np.concatenate([spine + side * half, (spine - side * half)[::-1]])
    cv2.fillPoly(mask, [np.round(poly).astype(np.int32)], 255, lineType=cv2.LINE_AA)


def thorns(mask: np.ndarray, rng: np.random.Generator, count: int, length: float, width: float,
           vertical_bias: float = 0.0, curl: float = 0.0) -> None:
    """Grow thorns outward from the outline, in place; vertical_bias in [0, 1] keeps them pointing up/down."""
    pts, normals = edge_points(mask, rng, count * 3)
    if vertical_bias > 0:
        keep = np.abs(normals[:, 1]) >= vertical_bias
        pts, normals = pts[keep], normals[keep]
    for p, n in zip(pts[:count], normals[:count]):
        bend = n + rng.normal(0, 0.25) * np.array([-n[1], n[0]])
        spike(mask, p - n * width * 0.4, bend, length * rng.uniform(0.35, 1.0), width * rng.uniform(0.5, 1.0),
              curl * rng.normal())


def drips(mask: np.ndarray, rng: np.random.Generator, count: int, length: float, width: float) -> None:
    """Let ink run down from the bottoms of strokes as drips ending in drops, in place."""
    ink = mask > 127
    ys, xs = np.nonzero(ink[:-1] & ~ink[1:])
    if len(xs) == 0:
        return
    pick = rng.choice(len(xs), size=min(count, len(xs)), replace=False)
    for x, y in zip(xs[pick], ys[pick]):
        w = max(2, int(width * rng.uniform(0.4, 1.0)))
        end = int(y + length * rng.uniform(0.2, 1.0))
        cv2.line(mask, (int(x), int(y) - w), (int(x), end), 255, w, cv2.LINE_AA)
        cv2.circle(mask, (int(x), end), max(1, int(w * rng.uniform(0.7, 1.2))), 255, -1, cv2.LINE_AA)


def branches(mask: np.ndarray, layer: np.ndarray, rng: np.random.Generator, seeds: int, steps: int,
             width: float, spread: float = 0.35) -> None:
    """Grow thin, forking, tapering branches from the outline of `mask` outward into `layer`, in place."""
    pts, normals = edge_points(mask, rng, seeds)
    stack = [(p, n, width, steps) for p, n in zip(pts, normals)]
    step_len = max(3.0, width * 1.6)
    while stack:
        p, d, w, left = stack.pop()
        for _ in range(left):
            d = d + rng.normal(0, spread, 2)
            d /= np.linalg.norm(d) + 1e-6
            q = p + d * step_len
            cv2.line(layer, tuple(np.round(p).astype(int)), tuple(np.round(q).astype(int)), 255,
                     max(1, int(round(w))), cv2.LINE_AA)
            p, w, left = q, w * 0.93, left - 1
            if left > 4 and rng.random() < 0.12:
                turn = np.array([-d[1], d[0]]) * rng.choice([-1, 1])
                stack.append((p.copy(), d + turn * 0.9, w * 0.8, left // 2))


def wings(layer: np.ndarray, rng: np.random.Generator, box: tuple[int, int, int, int], size: float) -> None:
    """Fans of long curved spikes sweeping out from the left end of `box` (mirror it for the right), in place."""
    x0, y0, x1, y1 = box
    for _ in range(int(rng.integers(3, 8))):
        base = np.array([x0 + rng.uniform(0.0, 0.25) * (x1 - x0) / 2, rng.uniform(y0, y1)])
        angle = rng.uniform(0.6, 1.0) * np.pi + rng.normal(0, 0.35)
        spike(layer, base, np.array([np.cos(angle), -np.sin(angle)]), size * rng.uniform(0.6, 1.6),
              size * rng.uniform(0.08, 0.2), rng.normal(0, 0.3))


def bar(mask: np.ndarray, y: int, x0: int, x1: int, thickness: int) -> None:
    """A horizontal bar with pointed ends (the classic underline of thrash and death logos), in place."""
    mid = (x0 + x1) / 2
    poly = np.array([[x0, y], [mid, y - thickness], [x1, y], [mid, y + thickness]])
    cv2.fillPoly(mask, [np.round(poly).astype(np.int32)], 255, lineType=cv2.LINE_AA)


def emblem(mask: np.ndarray, rng: np.random.Generator, centre: tuple[float, float], radius: float) -> None:
    """A symbol between the words or over the name: star, inverted cross, rune ring or blade, in place."""
    cx, cy = centre
    w = max(2, int(radius * 0.12))
    kind = int(rng.integers(4))
    if kind == 0:
        n = int(rng.choice([5, 7, 8]))
        ang = np.pi / 2 + np.arange(n) * 2 * np.pi / n + rng.uniform(0, 0.3)
        pts = np.stack([cx + radius * np.cos(ang), cy + radius * np.sin(ang)], 1)
        order = (np.arange(n) * (n // 2)) % n
        cv2.polylines(mask, [np.round(pts[order]).astype(np.int32)], True, 255, w, cv2.LINE_AA)
        cv2.circle(mask, (int(cx), int(cy)), int(radius * 1.1), 255, w, cv2.LINE_AA)
    elif kind == 1:
        cv2.line(mask, (int(cx), int(cy - radius)), (int(cx), int(cy + radius * 1.3)), 255, w * 2, cv2.LINE_AA)
        yb = int(cy + radius * rng.uniform(0.2, 0.6))
        cv2.line(mask, (int(cx - radius * 0.55), yb), (int(cx + radius * 0.55), yb), 255, w * 2, cv2.LINE_AA)
    elif kind == 2:
        cv2.circle(mask, (int(cx), int(cy)), int(radius), 255, w, cv2.LINE_AA)
        for a in rng.uniform(0, 2 * np.pi, int(rng.integers(3, 8))):
            p = np.array([cx, cy]) + radius * np.array([np.cos(a), np.sin(a)])
            spike(mask, p, p - np.array([cx, cy]), radius * rng.uniform(0.3, 0.8), w * 2.5)
    else:
        spike(mask, np.array([cx, cy - radius * 1.2]), np.array([0.0, 1.0]), radius * 2.6, radius * 0.35)
        cv2.line(mask, (int(cx - radius * 0.6), int(cy - radius * 0.7)), (int(cx + radius * 0.6), int(cy - radius * 0.7)),
                 255, w * 2, cv2.LINE_AA)


def extrude(mask: np.ndarray, dx: float, dy: float, depth: int, rim: int) -> np.ndarray:
    """A 3-D block look: hollow letter faces with an outline over a solid extrusion. Returns a new mask."""
    solid = mask.copy()
    for k in range(1, depth + 1):
        shift = np.float32([[1, 0, dx * k], [0, 1, dy * k]])
        solid = np.maximum(solid, cv2.warpAffine(mask, shift, mask.shape[::-1]))
    face = cv2.erode(mask, np.ones((rim, rim), np.uint8))
    return np.where(face > 127, 0, solid).astype(np.uint8)


def outline(mask: np.ndarray, width: int) -> np.ndarray:
    """The letters as rings of `width` pixels (hollow letters). Returns a new mask."""
    kernel = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (2 * width + 1, 2 * width + 1))
    return cv2.subtract(cv2.dilate(mask, kernel), cv2.erode(mask, np.ones((3, 3), np.uint8)))


def warp(mask: np.ndarray, rng: np.random.Generator, arch: float, wobble: float) -> np.ndarray:
    """Bend the lettering: a vertical arch of `arch`×height plus a smooth random wobble of `wobble`×height."""
    h, w = mask.shape
    xs = np.arange(w, dtype=np.float32)[None, :].repeat(h, 0)
    ys = np.arange(h, dtype=np.float32)[:, None].repeat(w, 1)
    u = (np.arange(w, dtype=np.float32) / w - 0.5) * 2
    field = rng.normal(0, 1, (2, 4, 8)).astype(np.float32) * wobble * h
    # A smooth field needs no more than a coarse grid; linear upsampling of it is cheap.
    fx = cv2.resize(cv2.resize(field[0], (64, 16), interpolation=cv2.INTER_CUBIC), (w, h))
    fy = cv2.resize(cv2.resize(field[1], (64, 16), interpolation=cv2.INTER_CUBIC), (w, h))
    fy += (arch * h * (u ** 2 - 0.33))[None, :]
    return cv2.remap(mask, xs + fx, ys + fy, cv2.INTER_LINEAR, borderValue=0)


def mirror(mask: np.ndarray) -> np.ndarray:
    """Left-right symmetric version (the union of the mask and its mirror image)."""
    return np.maximum(mask, mask[:, ::-1])
