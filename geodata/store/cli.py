"""``python -m geodata db init|import|export``: set up and fill a team's PostGIS event store from the shell."""

from __future__ import annotations

import argparse
import getpass
import os
import sys

from ..events import read_table
from ..status import PlaceStatusError
from . import DATABASE_URL_ENV, Stamp, StoreError, database_url, open_store

#: Recorded as the author of the curated rows ``db init`` copies in.
SEED_AUTHOR = "geodata db init (curated dataset)"
SEED_FILE = "geodata/data/events.csv"
STATUS_FILE = "geodata/data/place_status.csv"


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
    try:
        store.apply_roles()
        print("roles border_viewer (read), border_editor (add, edit, retire) and border_owner (migrations) granted")
    except StoreError as exc:  # no CREATEROLE: the schema is fine, an administrator adds the roles
        print(f"roles not set up: {exc}")
    if refreshed := store.refresh_actor_ids():  # rows from before migration 0005, or an edited actors.csv
        print(f"derived the actor ids of {refreshed} events again")
    if args.empty:
        return 0
    if store.revision() == 0:  # only a store with no history yet gets the curated rows
        result = store.add(FilesStore().load(), Stamp(SEED_AUTHOR, source_file=SEED_FILE))
        print(f"added the {len(result.added)} curated events of {SEED_FILE}")
    if store.place_status().empty:  # a new store, or one made before the app read status from the database
        try:
            added = store.replace_place_status(read_table(_shipped_status()))
        except PlaceStatusError as exc:  # the store lacks some of the shipped crossings: its team decides
            print(f"the status periods of {STATUS_FILE} were not added: {exc.report.summary()} "
                  "(add a file of your own with `python -m geodata db import-status FILE`)")
            return 0
        print(f"added the {added} status periods of {STATUS_FILE}")
    return 0


def _shipped_status():
    from importlib import resources

    return resources.files("geodata") / "data" / "place_status.csv"


def _import_status(args: argparse.Namespace) -> int:
    store = _store(args)
    source = args.file or _shipped_status()
    name = args.file or STATUS_FILE
    try:
        table = read_table(source)
    except FileNotFoundError:
        raise StoreError(f"no such file: {name}") from None
    except (IsADirectoryError, PermissionError) as exc:
        raise StoreError(f"cannot read {name}: {exc.strerror}") from None
    except (UnicodeDecodeError, ValueError):
        raise StoreError(f"cannot read {name} as a CSV of status periods") from None
    try:
        added = store.replace_place_status(table)
    except PlaceStatusError as exc:
        for problem in exc.report.problems:
            print(problem)
        print(f"{name}: {exc.report.summary()}; nothing was changed in the {store.label}")
        return 1
    print(f"{name}: {added} status periods now in the {store.label} (they replace the ones before)")
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
    problems: list = []
    kind = write_events(events, args.out, problems=problems)
    for problem in problems:
        print(problem)
    print(f"wrote {len(events)} events from the {store.label} to {args.out} ({kind})"
          + (f"; {len(problems)} cell(s) break the write rule (listed above): those rows will not import again"
             if problems else ""))
    return 0


def _roles_sql(args: argparse.Namespace) -> int:
    from .roles import roles_sql

    print(roles_sql(), end="")
    return 0


def _run(args: argparse.Namespace) -> int:
    try:
        return args.db_func(args)
    except StoreError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2


def add_db_parser(sub) -> None:
    """Add the ``db`` command (init, import, export) to the ``python -m geodata`` subparsers."""
    db = sub.add_parser("db", help="team event store on PostGIS: init, import FILE, export --out FILE, "
                                   "import-status [FILE], roles-sql")
    db.set_defaults(func=_run)
    commands = db.add_subparsers(dest="db_command", required=True)
    init = commands.add_parser("init", help="create or upgrade the schema; a new store gets the curated events "
                                             "and their status periods")
    init.add_argument("--empty", action="store_true", help="do not copy the curated events into a new store")
    init.set_defaults(db_func=_init)
    load = commands.add_parser("import", help="validate a file and add its valid rows (bad rows are listed)")
    load.add_argument("file", help="CSV in our columns, ACLED or UCDP GED CSV, GeoJSON or GeoPackage points")
    load.add_argument("--who", help="name recorded with each row (default: your login name)")
    load.set_defaults(db_func=_import)
    dump = commands.add_parser("export", help="write the active events as CSV or GeoJSON")
    dump.add_argument("--out", required=True, help="output file: .csv or .geojson")
    dump.set_defaults(db_func=_export)
    status = commands.add_parser("import-status", help="replace the place-status periods with a file's "
                                                       f"(default: {STATUS_FILE}); bad rows change nothing")
    status.add_argument("file", nargs="?", help="CSV in the columns of place_status.csv")
    status.set_defaults(db_func=_import_status)
    roles = commands.add_parser("roles-sql", help="print the SQL that creates the viewer, editor and owner roles "
                                                  "(for an administrator; db init runs it when it may)")
    roles.set_defaults(db_func=_roles_sql)
    for command in (init, load, dump, status):
        command.add_argument("--database-url", help=f"libpq URL (default: ${DATABASE_URL_ENV})")
