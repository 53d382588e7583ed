"""How the PostGIS backend names a database and says why a connection failed: no password, user or socket path."""

from __future__ import annotations

try:
    import psycopg
    from psycopg import conninfo
except ImportError:  # pragma: no cover - the optional extra is missing
    psycopg = None


def describe_url(url: str) -> str:
    """A database URL as "dbname on host:port": never the password or user, never a local socket path."""
    try:
        info = conninfo.conninfo_to_dict(url) if psycopg else {}
    except Exception:  # an unparsable URL is reported when connecting; the label stays generic
        info = {}
    host = str(info.get("host") or "")
    where = "a local socket" if not host or host.startswith("/") else f"{host}:{info.get('port') or 5432}"
    return f"'{info.get('dbname') or 'default'}' on {where}" if info else "the configured database"


def reason(exc: Exception, timeout: float) -> str:
    """Why a connection failed, in a sentence without addresses of internal files."""
    state = getattr(exc, "sqlstate", None)
    text = str(exc).lower()
    if state in ("28P01", "28000") or "password authentication failed" in text:
        return "the server refused the login (check the user and password in BORDER_DASHBOARD_DATABASE_URL)"
    if state == "3D000" or ("database" in text and "does not exist" in text):
        return "the database does not exist on that server"
    if "refused" in text or "no such file" in text:
        return "nothing answers at that address (is the server running?)"
    if "timeout" in text or "timed out" in text:
        return f"no answer within {timeout:g} s"
    if "terminat" in text or "closed" in text or "shutdown" in text or state in ("57P01", "57P02", "57P03"):
        return "the server closed the connection (stopped or restarting?)"
    if "could not translate host name" in text or "name or service not known" in text:
        return "the host name is unknown"
    return "the connection failed"
