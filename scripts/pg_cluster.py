"""A throwaway PostgreSQL cluster for tests and benchmarks: a temp dir, a free local port, trust auth, no durability.

Uses the server binaries of the Debian ``postgresql`` package (``/usr/lib/postgresql/<version>/bin``). initdb
refuses to run as root, so under root (CI) the server runs as the ``postgres`` user via ``runuser``, with the
data directory handed to that user.

    with throwaway_cluster() as cluster:
        url = cluster.create_database("scratch", extensions=("postgis",))
"""

from __future__ import annotations

import contextlib
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path


class ClusterUnavailable(RuntimeError):
    """No local PostgreSQL server can be started here; the message says why."""


def server_bin() -> Path | None:
    """The newest installed PostgreSQL server's bin folder (with initdb and pg_ctl), or None."""
    candidates = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"),
                        key=lambda p: int(p.parent.parent.name) if p.parent.parent.name.isdigit() else 0)
    if candidates:
        return candidates[-1].parent
    found = shutil.which("initdb")
    return Path(found).parent if found else None


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class Cluster:
    bin: Path
    root: Path
    port: int
    prefix: list[str]

    @property
    def data(self) -> Path:
        return self.root / "data"

    def url(self, dbname: str = "postgres") -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/{dbname}"

    def _pg_ctl(self, *args: str) -> None:
        command = [*self.prefix, str(self.bin / "pg_ctl"), "-D", str(self.data), *args]
        done = subprocess.run(command, capture_output=True, text=True, timeout=120)
        if done.returncode != 0:
            log_file = self.root / "server.log"
            log = log_file.read_text(errors="replace")[-2000:] if log_file.exists() else ""
            raise ClusterUnavailable(f"pg_ctl {args[-1]} failed: {done.stderr.strip() or done.stdout.strip()}\n{log}")

    def start(self) -> None:
        # fsync and synchronous commit off: a throwaway cluster trades durability for speed.
        options = (f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 -c fsync=off "
                   "-c synchronous_commit=off -c full_page_writes=off")
        self._pg_ctl("-l", str(self.root / "server.log"), "-w", "-o", options, "start")

    def stop(self) -> None:
        self._pg_ctl("-m", "fast", "-w", "stop")

    def create_database(self, name: str, *, template: str | None = None, extensions: tuple[str, ...] = ()) -> str:
        """Create database ``name`` (optionally from ``template``), add ``extensions``, return its URL."""
        import psycopg

        with psycopg.connect(self.url(), autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else ""))
        with psycopg.connect(self.url(name), autocommit=True) as conn:
            for extension in extensions:
                conn.execute(f"CREATE EXTENSION IF NOT EXISTS {extension}")
        return self.url(name)


def start_cluster() -> Cluster:
    """initdb and start a cluster in a new temp dir; raises ClusterUnavailable with the reason if it cannot."""
    binaries = server_bin()
    if binaries is None or not (binaries / "pg_ctl").exists():
        raise ClusterUnavailable("no PostgreSQL server binaries (initdb, pg_ctl): apt-get install postgresql postgis")
    root = Path(tempfile.mkdtemp(prefix="bd-pg-"))
    prefix: list[str] = []
    if os.geteuid() == 0:  # initdb refuses root: run the server as the postgres user
        try:
            user = pwd.getpwnam("postgres")
        except KeyError:
            shutil.rmtree(root, ignore_errors=True)
            raise ClusterUnavailable("running as root and there is no 'postgres' user to run the server") from None
        if shutil.which("runuser") is None:
            shutil.rmtree(root, ignore_errors=True)
            raise ClusterUnavailable("running as root and 'runuser' is missing")
        os.chown(root, user.pw_uid, user.pw_gid)
        prefix = ["runuser", "-u", "postgres", "--"]
    cluster = Cluster(binaries, root, _free_port(), prefix)
    init = subprocess.run(
        [*prefix, str(binaries / "initdb"), "-D", str(cluster.data), "-U", "postgres", "--auth=trust",
         "-E", "UTF8", "--no-locale", "--no-sync"],
        capture_output=True, text=True, timeout=300,
    )
    if init.returncode != 0:
        shutil.rmtree(root, ignore_errors=True)
        raise ClusterUnavailable(f"initdb failed: {init.stderr.strip()[-500:]}")
    try:
        cluster.start()
    except ClusterUnavailable:
        shutil.rmtree(root, ignore_errors=True)
        raise
    return cluster


def remove_cluster(cluster: Cluster) -> None:
    """Stop the server (if running) and delete its files."""
    with contextlib.suppress(ClusterUnavailable, subprocess.TimeoutExpired):
        cluster.stop()
    shutil.rmtree(cluster.root, ignore_errors=True)


@contextlib.contextmanager
def throwaway_cluster():
    """A started cluster, stopped and deleted on exit (also on errors)."""
    cluster = start_cluster()
    try:
        yield cluster
    finally:
        remove_cluster(cluster)
