"""Arbitrary and hostile strings in every SODA parameter: a result or a SODA 400, never a 500."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

PARAMETERS = [
    "$select",
    "$where",
    "$order",
    "$group",
    "$having",
    "$limit",
    "$offset",
    "$q",
    "$query",
    "town",
    "total_cases",
    "last_update_date",
    "nonexistent",
]
HOSTILE = [
    "1=1) UNION SELECT * FROM read_csv('/etc/passwd'",
    "read_parquet('/etc/passwd')",
    "'; ATTACH '/tmp/x.db' AS x; --",
    "COPY dataset TO '/tmp/out.csv'",
    "glob('/*')",
    "town = 'x' OR 1=1 --",
    "`town`) FROM dataset; DROP TABLE dataset; --",
    "PRAGMA enable_external_access",
    ":id, :created_at, :*",
    "count(*) > 0",
    "\x00",
    "😀' || town || '",
]
values = st.one_of(st.sampled_from(HOSTILE), st.text(max_size=200))


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(params=st.dictionaries(st.sampled_from(PARAMETERS), values, min_size=1, max_size=3))
def test_any_parameters_give_a_result_or_a_soda_400(
    demo_client: TestClient, params: dict[str, str]
) -> None:
    response = demo_client.get("/resource/28fr-iqnx.json", params=params)
    assert response.status_code in {200, 400}, (params, response.text)
    body = response.json()
    if response.status_code == 400:
        assert body["error"] is True and isinstance(body["message"], str)
    else:
        assert isinstance(body, list)
        assert "root:" not in response.text  # no /etc/passwd line ever comes back


@pytest.mark.parametrize("path", ["/etc/passwd", "../../etc/passwd", "..%2F..%2Fetc%2Fpasswd"])
def test_path_like_resource_names_are_404(demo_client: TestClient, path: str) -> None:
    response = demo_client.get(f"/resource/{path}.json")
    assert response.status_code == 404
