"""Reports render from any metrics dict, including empty runs and the optional detector row."""

from __future__ import annotations

from knowyourband.evaluate import plots
from knowyourband.evaluate.report import html, markdown
from knowyourband.evaluate.score import Prediction, score


def test_reports_of_an_empty_run_render(make):
    metrics = {"config": {"method": "kyb"}, **score([make.photo(1, scene="none")], {1: Prediction(None, error="x")})}
    md = markdown(metrics)
    assert "| objects + unknown regions | — | — | — |" in md and "Photos that failed (1)" in md
    page = html(metrics)
    assert page.count("<svg") == 4 and "none annotated" in page and "<script" not in page


def test_detector_row_appears_only_when_scored(make):
    metrics = {"config": {"method": "kyb"}, **score([make.photo(1, ("logo", [0, 0, 10, 10], "b00001"))], {})}
    assert "learned detector alone" not in markdown(metrics)
    metrics["detector"] = {"ap_album": 0.91, "ap_logo": 0.86, "map50": 0.885, "recall": 0.9, "precision": 0.8}
    assert "| learned detector alone | 0.910 | 0.860 | 0.885 | 0.900 | 0.800 |" in markdown(metrics)


def test_plots_escape_text_and_skip_missing_values():
    svg = plots.bar_chart("By <scene>", {"a&b": {"top-1": None, "recall": 0.5}})
    assert "By &lt;scene&gt;" in svg and "a&amp;b" in svg and svg.count("<rect") == 1 + 1 + 2  # frame, bar, legends
    assert "no timings" in plots.histogram("Latency", [], [], "ms")


def test_histogram_gridlines_fall_on_round_counts():
    assert [plots._nice_top(v) for v in (0, 3, 6, 11, 85, 101)] == [5, 5, 10, 25, 100, 250]
