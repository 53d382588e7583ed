"""Running the briefing CLI inside the test process."""

import contextlib
import io

from dashboard import briefing


def run_main(argv: list[str]) -> tuple[int, str, str]:
    """Run the CLI in this process: (exit status, stdout, stderr). An uncaught exception fails the test."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = briefing.main(argv)
        except SystemExit as stop:
            code = stop.code
    return code, out.getvalue(), err.getvalue()
