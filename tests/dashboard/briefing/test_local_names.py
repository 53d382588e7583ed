"""Urdu and Persian names in the briefing figure: shaped for matplotlib, drawn with fonts that cover them."""

from __future__ import annotations

import datetime as dt
import os
import warnings

import arabic_reshaper
import matplotlib
import numpy as np
import pytest
from fontTools.ttLib import TTFont
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

import geodata
from dashboard import local_script
from dashboard.briefing import render_briefing
from dashboard.briefing.drawing import town_labels
from geodata.towns import load_towns

SARAVAN = "سراوان"
AROUND_SARAVAN = (60.5, 25.5, 64.5, 28.5)
STAMP = dt.datetime(2026, 1, 1)


def test_shaping_gives_joined_presentation_forms_in_visual_order():
    shaped = local_script.shaped(SARAVAN)
    assert shaped == arabic_reshaper.reshape(SARAVAN)[::-1]  # one right-to-left word: reversed for drawing
    assert all("\ufb50" <= ch <= "\ufeff" for ch in shaped) and shaped != SARAVAN[::-1]
    assert local_script.shaped("Saravan") == "Saravan"
    # A name in Urdu with mixed directions (a comma) keeps every letter.
    assert len(local_script.shaped("حیدرآباد، سندھ")) >= len("حیدرآباد، سندھ") - 2


def test_every_gazetteer_name_has_glyphs_in_the_figure_fonts():
    cmaps = [TTFont(os.path.join(matplotlib.get_data_path(), "fonts/ttf/DejaVuSans.ttf")).getBestCmap(),
             TTFont(local_script.font_path()).getBestCmap()]
    shaped = {ch for name in load_towns()["name_local"] if name for ch in local_script.shaped(name)}
    assert not [hex(ord(ch)) for ch in shaped if not any(ord(ch) in cmap for cmap in cmaps)]
    assert any(ord(ch) not in cmaps[0] for ch in shaped)  # DejaVu alone would miss Urdu's ہ: the fallback is needed


def test_the_figure_draws_the_shaped_name_as_text_with_no_missing_glyph():
    events = geodata.load_events()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        svg = render_briefing(events, extent=AROUND_SARAVAN, fmt="svg", generated=STAMP, local_names=True).decode()
    assert not [w for w in caught if "missing from" in str(w.message)]
    assert local_script.shaped(SARAVAN) in svg and SARAVAN not in svg
    english = render_briefing(events, extent=AROUND_SARAVAN, fmt="svg", generated=STAMP).decode()
    assert "Sarāvān" in english and local_script.shaped(SARAVAN) not in english


def test_town_labels_follow_the_map_zoom_for_the_figure_scale():
    wide = town_labels((56.0, 23.0, 71.0, 32.0), 11.0)
    close = town_labels(AROUND_SARAVAN, 11.0)
    assert 0 < len(wide) <= 30 and wide[0][0] == "Karachi"
    assert any(name.startswith("Sarāvān") for name, _, _ in close)
    assert all(AROUND_SARAVAN[0] < lon < AROUND_SARAVAN[2] for _, lon, _ in close)
    local = town_labels(AROUND_SARAVAN, 11.0, local_names=True)
    assert any(name == "Sarāvān\n" + local_script.shaped(SARAVAN) for name, _, _ in local)


def _pixels(text: str, family) -> np.ndarray:
    fig = Figure(figsize=(2, 0.6), dpi=100)
    canvas = FigureCanvasAgg(fig)
    fig.text(0.5, 0.5, text, fontsize=20, ha="center", va="center", fontfamily=family)
    canvas.draw()
    return np.asarray(canvas.buffer_rgba())[..., 0] < 128


@pytest.mark.parametrize("name", [SARAVAN, "کوئٹہ"])
def test_shaped_text_renders_differently_from_the_raw_letters(name):
    family = ["DejaVu Sans", local_script.register_font()]
    shaped, raw = _pixels(local_script.shaped(name), family), _pixels(name, family)
    assert shaped.any() and (shaped != raw).sum() > 20
