"""What the map reported, taken into the page's state in one place: its view, the playback frame the user stopped
on, and the event the user opened or closed (dashboard/static/shared.js sends them; dashboard/map_component.py
returns them). No layout here: app.py asks :func:`handle` whether the link changed and runs the page again.
"""

from __future__ import annotations

import numpy as np

from dashboard import report_tokens, url_view


def handle(report: dict, dataset_key: str, ids: np.ndarray) -> bool:
    """Adopt ``report`` (the map component's value); True when the selection or the playback frame changed, so
    the link must be written and the page run again.

    ``dataset_key`` names the dataset the map drew this run and ``ids`` its rows' event ids: a click is taken by
    its row in that dataset (never from display text), and only once (by its token). A row of None is the user
    closing the popup: no selection.
    """
    if report.get("center") and report.get("zoom"):
        url_view.set_view((report["center"]["lat"], report["center"]["lng"]), report["zoom"])
        url_view.set_bounds(report.get("bounds"))
    if report_tokens.take_play_report(report.get("bd_play")):
        return True
    click = report.get("bd_click") if isinstance(report.get("bd_click"), dict) else {}
    row = click.get("row")
    if (click.get("dataset") == dataset_key and (row is None or isinstance(row, int) and 0 <= row < len(ids))
            and report_tokens.new_click(click.get("token"))):
        url_view.select(None if row is None else str(ids[row]), from_map=True)
        return True
    return False
