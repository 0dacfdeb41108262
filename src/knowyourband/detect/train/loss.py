"""Detector losses: penalty-reduced focal loss on the heatmap, GIoU on the regressed boxes."""

from __future__ import annotations

import torch

REG_WEIGHT = 5.0  # GIoU weight relative to the heatmap loss (TTFNet's setting)


def focal_loss(logits: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
    """CenterNet's focal loss. logits, target: (N, C, G, G); target is 1 at centres."""
    p = torch.sigmoid(logits).clamp(1e-4, 1 - 1e-4)
    pos = target.eq(1).float()
    pos_loss = -torch.log(p) * (1 - p) ** 2 * pos
    neg_loss = -torch.log(1 - p) * p**2 * (1 - target) ** 4 * (1 - pos)
    return (pos_loss.sum() + neg_loss.sum()) / pos.sum().clamp(min=1.0)


def cell_boxes(ltrb: torch.Tensor, stride: int) -> torch.Tensor:
    """(N, 4, G, G) edge distances → (N, 4, G, G) boxes [x0, y0, x1, y1] in input pixels."""
    g = ltrb.shape[-1]
    centres = (torch.arange(g, dtype=ltrb.dtype, device=ltrb.device) + 0.5) * stride
    cx, cy = centres.view(1, 1, g), centres.view(1, g, 1)
    return torch.stack(
        [cx - ltrb[:, 0], cy - ltrb[:, 1], cx + ltrb[:, 2], cy + ltrb[:, 3]], dim=1
    )


def giou_loss(pred: torch.Tensor, target: torch.Tensor, weight: torch.Tensor) -> torch.Tensor:
    """Weighted mean of 1 − GIoU. pred, target: (N, 4, G, G) boxes; weight: (N, G, G)."""
    mask = weight > 0
    if not mask.any():
        return pred.sum() * 0.0
    p = pred.permute(0, 2, 3, 1)[mask]
    t = target.permute(0, 2, 3, 1)[mask]
    w = weight[mask]
    area_p = (p[:, 2] - p[:, 0]) * (p[:, 3] - p[:, 1])
    area_t = (t[:, 2] - t[:, 0]) * (t[:, 3] - t[:, 1])
    inter_w = (torch.min(p[:, 2], t[:, 2]) - torch.max(p[:, 0], t[:, 0])).clamp(min=0)
    inter_h = (torch.min(p[:, 3], t[:, 3]) - torch.max(p[:, 1], t[:, 1])).clamp(min=0)
    inter = inter_w * inter_h
    union = area_p + area_t - inter
    iou = inter / union.clamp(min=1e-6)
    hull = (torch.max(p[:, 2], t[:, 2]) - torch.min(p[:, 0], t[:, 0])) * (
        torch.max(p[:, 3], t[:, 3]) - torch.min(p[:, 1], t[:, 1])
    )
    giou = iou - (hull - union) / hull.clamp(min=1e-6)
    return ((1 - giou) * w).sum() / w.sum().clamp(min=1e-6)


def detection_loss(
    heat_logits: torch.Tensor, ltrb: torch.Tensor, targets: dict[str, torch.Tensor], stride: int
) -> dict[str, torch.Tensor]:
    """Total loss and its parts for one batch; `targets` holds batched `encode` outputs."""
    heat = focal_loss(heat_logits, targets["heat"])
    box = giou_loss(cell_boxes(ltrb, stride), targets["box"], targets["weight"])
    return {"loss": heat + REG_WEIGHT * box, "heat": heat, "box": box}
