"""Every test process (and the servers it starts) keeps its disk cache of event files in a temporary directory,
never in the user's own cache directory."""

from __future__ import annotations

import os
import shutil
import tempfile

from dashboard.settings import CACHE_DIR_ENV

_CACHE_DIR = tempfile.mkdtemp(prefix="bd-test-cache-")


def pytest_configure(config):
    os.environ[CACHE_DIR_ENV] = _CACHE_DIR


def pytest_unconfigure(config):
    shutil.rmtree(_CACHE_DIR, ignore_errors=True)
