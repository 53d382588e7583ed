"""The README's commands: CI runs the test command verbatim, and both commands make a virtual environment and install
the locked versions (requirements/*.lock)."""

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
    install = "pip install --require-hashes -r requirements/{}.lock && pip install --no-deps -e ."
    assert f"python3 -m venv .venv && . .venv/bin/activate && {install.format('test')} && " in test
    assert re.search(r"apt-get install -y [^&]*\bpython3-venv\b", test)  # Debian 12's venv module
    assert re.search(r"apt-get install -y [^&]*\bchromium\b", test)
    unix, windows = fenced("Run it")
    assert unix.startswith(f"python3 -m venv .venv && . .venv/bin/activate && {install.format('app')} && ")
    assert windows.startswith(f"py -m venv .venv && .venv\\Scripts\\activate && {install.format('app')} && ")
    assert unix.endswith("streamlit run dashboard/app.py") and windows.endswith("streamlit run dashboard/app.py")


def test_the_team_set_up_is_one_command_to_initialise_and_one_to_run():
    (block,) = fenced("Team data (a shared PostGIS store)")
    url, init, run = block.splitlines()
    assert url.startswith("export BORDER_DASHBOARD_DATABASE_URL=postgresql://")
    assert init == ("python3 -m venv .venv && . .venv/bin/activate && pip install -e '.[postgis]' && "
                    "python -m geodata db init")
    assert run == "streamlit run dashboard/app.py"
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert re.search(r"^postgis = \[.*psycopg", pyproject, flags=re.M)  # the extra the command installs


def test_the_db_commands_the_readme_names_exist(capsys):
    import pytest

    from geodata.__main__ import main

    for command in ("init", "import", "export", "import-status"):
        with pytest.raises(SystemExit) as done:
            main(["db", command, "--help"])
        assert done.value.code == 0 and f"python -m geodata db {command}" in capsys.readouterr().out
