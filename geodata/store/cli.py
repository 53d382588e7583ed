"""``python -m geodata db init|import|export``: set up and fill a team's PostGIS event store from the shell."""

from __future__ import annotations

import argparse
import getpass
import os
import sys

from . import DATABASE_URL_ENV, Stamp, StoreError, database_url, open_store

#: Recorded as the author of the curated rows ``db init`` copies in.
SEED_AUTHOR = "geodata db init (curated dataset)"
SEED_FILE = "geodata/data/events.csv"


def _store(args: argparse.Namespace):
    # A process boundary like dashboard/settings.py: the one place in geodata that reads the environment.
    url = args.database_url or database_url(os.environ)
    if not url:
        raise StoreError(f"no database: set {DATABASE_URL_ENV}=postgresql://... or pass --database-url")
    return open_store(url)


def _who(args: argparse.Namespace) -> str:
    try:
        return args.who or getpass.getuser()
    except (KeyError, OSError):  # no login name (a container without a passwd entry)
        return "command line"


def _init(args: argparse.Namespace) -> int:
    from .files import FilesStore

    store = _store(args)
    applied = store.migrate()
    print(f"{store.label}: " + (f"applied {', '.join(applied)}" if applied else "schema already up to date"))
    if args.empty or store.revision() > 0:  # only a store with no history yet gets the curated rows
        return 0
    result = store.add(FilesStore().load(), Stamp(SEED_AUTHOR, source_file=SEED_FILE))
    print(f"added the {len(result.added)} curated events of {SEED_FILE}")
    return 0


def _import(args: argparse.Namespace) -> int:
    from ..importers import ImportFormatError
    from .transfer import import_file

    store = _store(args)
    try:
        outcome = import_file(store, args.file, Stamp(_who(args)))
    except FileNotFoundError:
        raise StoreError(f"no such file: {args.file}") from None
    except (IsADirectoryError, PermissionError) as exc:
        raise StoreError(f"cannot read {args.file}: {exc.strerror}") from None
    except ImportFormatError as exc:
        raise StoreError(str(exc)) from None
    for problem in outcome.report.problems:
        print(problem)
    result, report = outcome.result, outcome.report
    print(f"{args.file} ({outcome.kind}): {report.summary()}; added {len(result.added)} events to the {store.label}"
          + (f"; {len(result.already_present)} ids already there, not added: "
             + ", ".join(result.already_present[:10]) + (" ..." if len(result.already_present) > 10 else "")
             if result.already_present else ""))
    return 0 if report.ok else 1


def _export(args: argparse.Namespace) -> int:
    from .transfer import write_events

    store = _store(args)
    events = store.load()
    kind = write_events(events, args.out)
    print(f"wrote {len(events)} events from the {store.label} to {args.out} ({kind})")
    return 0


def _run(args: argparse.Namespace) -> int:
    try:
        return args.db_func(args)
    except StoreError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2


def add_db_parser(sub) -> None:
    """Add the ``db`` command (init, import, export) to the ``python -m geodata`` subparsers."""
    db = sub.add_parser("db", help="team event store on PostGIS: init, import FILE, export --out FILE")
    db.set_defaults(func=_run)
    commands = db.add_subparsers(dest="db_command", required=True)
    init = commands.add_parser("init", help="create or upgrade the schema; a new store gets the curated events")
    init.add_argument("--empty", action="store_true", help="do not copy the curated events into a new store")
    init.set_defaults(db_func=_init)
    load = commands.add_parser("import", help="validate a file and add its valid rows (bad rows are listed)")
    load.add_argument("file", help="CSV in our columns, ACLED or UCDP GED CSV, GeoJSON or GeoPackage points")
    load.add_argument("--who", help="name recorded with each row (default: your login name)")
    load.set_defaults(db_func=_import)
    dump = commands.add_parser("export", help="write the active events as CSV or GeoJSON")
    dump.add_argument("--out", required=True, help="output file: .csv or .geojson")
    dump.set_defaults(db_func=_export)
    for command in (init, load, dump):
        command.add_argument("--database-url", help=f"libpq URL (default: ${DATABASE_URL_ENV})")
