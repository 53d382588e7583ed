"""Fixtures for the event store: a throwaway PostGIS cluster per test session, a fresh database per test."""

import itertools

import pytest

from scripts.pg_cluster import ClusterUnavailable, remove_cluster, start_cluster

_names = itertools.count()
_TEMPLATE = "store_template"


@pytest.fixture(scope="session")
def pg_cluster():
    """A started local cluster with PostGIS available; the tests that need it skip (with the reason) otherwise."""
    try:
        cluster = start_cluster()
    except ClusterUnavailable as exc:
        pytest.skip(f"no local PostgreSQL server can be started: {exc}")
    try:
        try:
            cluster.create_database("probe", extensions=("postgis",))
        except Exception as exc:  # the server runs but has no PostGIS: say so instead of failing every test
            pytest.skip(f"the local PostgreSQL server has no PostGIS extension: {exc}")
        yield cluster
    finally:
        remove_cluster(cluster)


@pytest.fixture(scope="session")
def migrated_template(pg_cluster):
    """A database migrated from empty, used as the template of each test's database (copying is fast)."""
    from geodata.store.postgis import PostgisStore

    PostgisStore(pg_cluster.create_database(_TEMPLATE)).migrate()
    return _TEMPLATE


@pytest.fixture
def empty_url(pg_cluster):
    """URL of a new, empty database (no extensions, no tables)."""
    return pg_cluster.create_database(f"empty_{next(_names)}")


@pytest.fixture
def store_url(pg_cluster, migrated_template):
    """URL of a new database with the schema and no events."""
    return pg_cluster.create_database(f"store_{next(_names)}", template=migrated_template)


@pytest.fixture
def store(store_url):
    from geodata.store.postgis import PostgisStore

    return PostgisStore(store_url, connect_timeout=2)
