"""The throwaway-cluster harness says why it cannot start a server (the postgis tests skip with that reason)."""

import pytest

from scripts import pg_cluster


def test_no_server_binaries_is_a_reason_not_a_crash(monkeypatch):
    monkeypatch.setattr(pg_cluster, "server_bin", lambda: None)
    with pytest.raises(pg_cluster.ClusterUnavailable, match="apt-get install postgresql postgis"):
        pg_cluster.start_cluster()


def test_cluster_urls_point_at_the_local_port(tmp_path):
    cluster = pg_cluster.Cluster(bin=tmp_path, root=tmp_path, port=54321, prefix=[])
    assert cluster.url("team") == "postgresql://postgres@127.0.0.1:54321/team"
    assert cluster.data == tmp_path / "data"
