"""Settings: read from the environment in one place, as one frozen value."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pytest

from dashboard import settings
from dashboard.settings import Settings

ROOT = Path(__file__).resolve().parents[2]


def test_from_env_reads_every_setting_stripped():
    env = {
        "BORDER_DASHBOARD_BASEMAP": " none ",
        "BORDER_DASHBOARD_TILES_URL": "https://tiles.example/{z}/{x}/{y}.png",
        "BORDER_DASHBOARD_TILES_ATTRIBUTION": "© Example",
        "BORDER_DASHBOARD_EVENTS": "/data/events.csv\n",
        "BORDER_DASHBOARD_HANDLING": "UNCLASSIFIED",
        "UNRELATED": "ignored",
    }
    assert Settings.from_env(env) == Settings(
        default_basemap="none", tiles_url="https://tiles.example/{z}/{x}/{y}.png", tiles_attribution="© Example",
        events_path="/data/events.csv", handling="UNCLASSIFIED", cache_dir=settings._cache_dir("", env),
    )


def test_nothing_set_gives_the_defaults():
    assert dataclasses.replace(Settings.from_env({}), cache_dir=None) == Settings()
    assert Settings.from_env({"BORDER_DASHBOARD_EVENTS": "   "}).events_path is None


def test_from_env_defaults_to_the_process_environment(monkeypatch):
    monkeypatch.setenv(settings.HANDLING_ENV, "OFFICIAL")
    monkeypatch.delenv(settings.EVENTS_ENV, raising=False)
    found = Settings.from_env()
    assert found.handling == "OFFICIAL" and found.events_path is None


def test_settings_are_frozen_and_hashable():
    value = Settings(handling="X")
    with pytest.raises(dataclasses.FrozenInstanceError):
        value.handling = "Y"
    assert hash(value) == hash(Settings(handling="X"))


#: The app's settings, and the `python -m geodata db` command line (a process of its own: its database URL).
_ENVIRONMENT_READERS = (ROOT / "dashboard" / "settings.py", ROOT / "geodata" / "store" / "cli.py")


def test_only_settings_reads_the_environment():
    pattern = re.compile(r"os\.environ|getenv|from os import")
    readers = [
        str(path.relative_to(ROOT))
        for package in ("dashboard", "geodata")
        for path in sorted((ROOT / package).rglob("*.py"))
        if path not in _ENVIRONMENT_READERS and pattern.search(path.read_text(encoding="utf-8"))
    ]
    assert readers == []


@pytest.mark.parametrize("value, expected", [
    ("", str(Path("~/.cache/pak-iran-border-dashboard").expanduser())),
    (" /srv/cache ", "/srv/cache"),
    ("off", None), ("OFF", None),
])
def test_the_disk_cache_directory(value, expected):
    assert Settings.from_env({settings.CACHE_DIR_ENV: value}).cache_dir == expected


def test_the_disk_cache_follows_xdg_cache_home():
    found = Settings.from_env({"XDG_CACHE_HOME": "/var/cache/me"}).cache_dir
    assert found == "/var/cache/me/pak-iran-border-dashboard"


@pytest.mark.parametrize("value, megabytes", [("", 2048), ("512", 512), ("0.5", 0), ("lots", 2048), ("-3", 0)])
def test_the_disk_cache_budget(value, megabytes):
    assert Settings.from_env({settings.CACHE_BUDGET_ENV: value}).cache_budget_bytes == megabytes << 20


@pytest.mark.parametrize("value, seconds", [("", 30), ("5", 5), ("0", 0), ("-1", 0), ("off", 0), ("soon", 30), ("nan", 0),
                                            ("0.2", 1), ("1e9", 86_400)])
def test_the_team_refresh_interval(value, seconds):
    assert Settings.from_env({settings.TEAM_REFRESH_ENV: value}).team_refresh_seconds == seconds
