"""Model-based browser testing of the dashboard (issue 19): seeded random sequences of user actions in a real
Chromium against a real ``streamlit run``, with invariants checked after every action.

Shared by ``tests/e2e/test_model.py`` (CI: a few seeds × 25 actions) and ``benchmarks/soak_browser.py`` (any
number of actions). ``app`` drives and reads the page, ``wire`` tells when the app is done, ``actions`` are what a
user does, ``invariants`` what must hold after each, ``run`` the seeded loop that replays exactly.
"""
