"""The README's commands: CI runs the test command verbatim, and both commands make a virtual environment."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def fenced(section: str) -> list[str]:
    """The fenced code blocks of one '## ' section of the README."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    body = text.split(f"## {section}\n", 1)[1].split("\n## ", 1)[0]
    return [block.strip() for block in re.findall(r"```[a-z]*\n(.*?)```", body, flags=re.S)]


def test_ci_runs_the_readme_test_command_verbatim():
    (command,) = fenced("Test it")
    lines = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    assert command in lines


def test_the_commands_install_into_a_virtual_environment():
    (test,) = fenced("Test it")
    assert "python3 -m venv .venv && . .venv/bin/activate && pip install -e '.[test]'" in test
    assert re.search(r"apt-get install -y [^&]*\bpython3-venv\b", test)  # Debian 12's venv module
    assert re.search(r"apt-get install -y [^&]*\bchromium\b", test)
    unix, windows = fenced("Run it")
    assert unix.startswith("python3 -m venv .venv && . .venv/bin/activate && pip install -e . && ")
    assert windows.startswith("py -m venv .venv && .venv\\Scripts\\activate && pip install -e . && ")
    assert unix.endswith("streamlit run dashboard/app.py") and windows.endswith("streamlit run dashboard/app.py")
