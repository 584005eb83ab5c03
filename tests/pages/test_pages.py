"""Every page type renders for the demo data; parameters round-trip; bad input gets the 400 page."""

from __future__ import annotations

import csv
import io
import re

import pytest
from fastapi.testclient import TestClient

COVID = "28fr-iqnx"


@pytest.mark.parametrize(
    "path, text",
    [
        ("/", "Browse by category"),
        ("/browse", "Find data"),
        ("/browse?q=covid", "COVID-19 Tests, Cases, and Deaths (By Town)"),
        (f"/d/{COVID}", "Data dictionary"),
        ("/d/rybz-nyjw", "rows are not served publicly"),
        ("/agencies", "Office of Policy and Management"),
        ("/agencies/dph", "Department of Public Health"),
        ("/about", "metadata standard"),
        ("/api-docs", "$select"),
    ],
)
def test_every_page_type_renders(portal: TestClient, path: str, text: str) -> None:
    response = portal.get(path)
    assert response.status_code == 200
    assert text in response.text
    assert re.search(r"<title>[^<]+</title>", response.text)
    assert '<meta name="description"' in response.text
    assert 'property="og:title"' in response.text


def test_pages_make_no_outside_requests(portal: TestClient) -> None:
    for path in ["/", "/browse", f"/d/{COVID}"]:
        html = portal.get(path).text
        sources = re.findall(r'(?:src|href)="(https?:)?//[^"]*"', html)
        assert not [s for s in re.findall(r'(?:src)="([^"]+)"', html) if "//" in s]
        stylesheets = re.findall(r'<link rel="stylesheet" href="([^"]+)"', html)
        assert all(sheet.startswith("/") for sheet in stylesheets), sources


def test_search_facets_filter_and_link_back(portal: TestClient) -> None:
    page = portal.get("/browse?category=Health+and+Human+Services").text
    assert "category: Health and Human Services" in page
    facet = portal.get("/browse?agency=opm").text
    assert "Municipal Grants" in facet and "COVID-19" not in facet
    town = portal.get("/browse?town=yes").text
    assert "Annual Population Estimates by Town" in town


def test_dataset_preview_filters_sorts_and_pages(portal: TestClient) -> None:
    page = portal.get(
        f"/d/{COVID}", params={"eq.town": "Hartford", "sort": "last_update_date", "desc": "1"}
    ).text
    assert "$where=town = &#39;Hartford&#39;" in page
    assert "$order=last_update_date DESC" in page
    assert page.index("2021-01-12") < page.index("2021-01-11")
    assert "Andover" not in page.split('id="data"')[1].split('id="downloads"')[0]
    second = portal.get(f"/d/{COVID}", params={"eq.town": "Hartford", "page": "2"})
    assert second.status_code == 200 and "Previous rows" in second.text


def test_filtered_csv_download_has_exactly_the_matching_rows(portal: TestClient) -> None:
    response = portal.get(
        f"/d/{COVID}/download.csv", params={"eq.town": "Andover", "min.total_cases": "10"}
    )
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert rows and all(row["town"] == "Andover" for row in rows)
    assert all(float(row["total_cases"]) >= 10 for row in rows)


@pytest.mark.parametrize("fmt", ["json", "parquet", "xlsx"])
def test_other_download_formats(portal: TestClient, fmt: str) -> None:
    response = portal.get(f"/d/5w85-2euh/download.{fmt}", params={"eq.town_name": "Andover"})
    assert response.status_code == 200 and len(response.content) > 100


@pytest.mark.parametrize(
    "path",
    [
        f"/d/{COVID}?min.total_cases=abc",
        f"/d/{COVID}?sort=no_such_field",
        f"/d/{COVID}?page=0",
        f"/d/{COVID}?has.total_cases=5",
        "/browse?sort=sideways",
        "/browse?page=-1",
        f"/d/{COVID}/download.exe",
    ],
)
def test_bad_parameters_give_the_400_page(portal: TestClient, path: str) -> None:
    response = portal.get(path)
    assert response.status_code == 400
    assert "text/html" in response.headers["content-type"]
    assert "could not be read" in response.text


def test_unknown_pages_are_404_in_the_layout(portal: TestClient) -> None:
    for path in ["/d/zzzz-0000", "/agencies/nope", "/no/such/page"]:
        response = portal.get(path)
        assert response.status_code == 404
        assert "Skip to main content" in response.text


def test_non_public_dataset_page_lists_metadata_but_no_rows(portal: TestClient) -> None:
    page = portal.get("/d/rybz-nyjw").text
    assert "Accidental Drug Related Deaths" in page
    assert 'id="soql"' not in page
    assert portal.get("/d/rybz-nyjw/download.csv").status_code == 403


def test_town_geojson_download_draws_town_outlines(portal: TestClient) -> None:
    response = portal.get(
        "/d/dphp-0pop/download.geojson", params={"eq.year": "2020", "eq.measure_type": "Number"}
    )
    features = response.json()["features"]
    assert len(features) == 170  # 169 towns and the state total
    drawn = [f for f in features if f["geometry"] is not None]
    assert len(drawn) == 169
    assert {f["properties"]["town"] for f in features if f["geometry"] is None} == {"Connecticut"}
    assert portal.get("/d/7rne-efic/download.geojson").status_code == 400


def test_chart_and_map_render_with_text_alternatives(portal: TestClient) -> None:
    page = portal.get(
        f"/d/{COVID}",
        params={
            "chart": "town",
            "measure": "sum:total_deaths",
            "map": "sum:total_cases",
            "level": "county",
        },
    ).text
    figures = re.findall(r'<figure role="group"[^>]*>\s*<svg', page)
    assert len(figures) == 2
    assert "Total of Total deaths by Town" in page
    assert "Hartford County" in page
    spec = portal.get(f"/d/{COVID}/chart.vl.json", params={"chart": "town", "measure": "count"})
    assert spec.json()["$schema"].startswith("https://vega.github.io/schema/vega-lite/")


def test_dataset_page_shows_completeness_and_embeds_json_ld(portal: TestClient) -> None:
    page = portal.get(f"/d/{COVID}").text
    assert "Metadata completeness" in page and "of 100" in page
    assert '<script type="application/ld+json">' in page
