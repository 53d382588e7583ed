"""``python -m dashboard.briefing``: see :mod:`dashboard.briefing.cli`."""

import sys

from .cli import main

sys.exit(main())
