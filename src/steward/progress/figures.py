"""The figures of the State Data Plan's five goals, for one agency or the whole state, from a
`metrics.Measurement` (pure: no database). Each figure links to the page listing its records.
"""

from __future__ import annotations

from statistics import mean
from urllib.parse import parse_qs, urlencode, urlsplit

from steward.progress.metrics import Measurement
from steward.progress.schemas import DatasetRecord, Figure, Figures, Goal, UsageMonth
from steward.requests.schemas import AgencyMetrics

GOALS: tuple[Goal, ...] = (
    Goal(
        id="manage",
        title="Know and manage the state's data",
        description="Agencies inventory their high-value data every year and assess the "
        "maturity of their data governance.",
    ),
    Goal(
        id="publish",
        title="Open the state's public data",
        description="Agencies release what their Open Data Access Plans commit to, on time, "
        "and make public data available through the API.",
    ),
    Goal(
        id="quality",
        title="Trustworthy, well-described data",
        description="Public datasets meet the metadata standard, are updated on schedule and "
        "pass their quality checks.",
    ),
    Goal(
        id="respond",
        title="Answer requests for data promptly",
        description="Agency Data Officers acknowledge and answer data requests within the "
        "business days allowed.",
    ),
    Goal(
        id="use",
        title="Measure and grow the use of data",
        description="Views, downloads and API calls of the agencies' datasets, month by month.",
    ),
)
GOAL_IDS = tuple(goal.id for goal in GOALS)
DASHBOARD = "/console/dashboard"
QUEUE = "/console/requests"  # the data officers' queue: who asked, and the clocks
PUBLIC_REQUESTS = "/requests"  # anyone's list of requests, without personal details


def link(path: str, **params: str | None) -> str:
    """A URL with its non-empty parameters.

    >>> link("/browse", agency="dph", access="public", q=None)
    '/browse?agency=dph&access=public'
    """
    kept = {key: value for key, value in params.items() if value}
    return f"{path}?{urlencode(kept)}" if kept else path


def public_link(url: str | None) -> str | None:
    """The page anyone may open in place of a link to the request queue (the other links are
    left as they are: every reader of a report may open them).

    >>> public_link("/console/requests?agency=dph&status=all&overdue=1")
    '/requests?agency=dph&status=open'
    >>> public_link("/console/requests?status=all"), public_link("/browse?agency=dph")
    ('/requests', '/browse?agency=dph')
    """
    if url is None or urlsplit(url).path != QUEUE:
        return url
    query = parse_qs(urlsplit(url).query)
    agency = query.get("agency", [None])[0]
    overdue = query.get("overdue", [""])[0] == "1"
    return link(PUBLIC_REQUESTS, agency=agency, status="open" if overdue else None)


def for_reader(figures: Figures, may_open_queue: bool) -> Figures:
    """The figures with links the reader can follow: a reader who may not open the request
    queue (an agency's analysts and stewards) is sent to the public list of requests."""
    if may_open_queue:
        return figures
    kept = [item.model_copy(update={"link": public_link(item.link)}) for item in figures.figures]
    return figures.model_copy(update={"figures": kept})


def percent(part: int, whole: int) -> tuple[float | None, str]:
    """A share as (value 0-100, text).

    >>> percent(3, 4), percent(0, 0)
    ((75.0, '75% (3 of 4)'), (None, 'none to measure'))
    """
    if not whole:
        return None, "none to measure"
    value = round(100 * part / whole, 1)
    return value, f"{value:g}% ({part} of {whole})"


def agency_figures(measured: Measurement, slug: str) -> Figures:
    name = next(a.name for a in measured.agencies if a.slug == slug)
    return _figures(measured, slug, name)


def state_figures(measured: Measurement) -> Figures:
    return _figures(measured, None, "All agencies")


def _figures(measured: Measurement, slug: str | None, name: str) -> Figures:
    datasets = measured.datasets_of(slug)
    usage = measured.usage.get(slug, []) if slug else _sum_usage(measured)
    return Figures(
        scope=slug or "state",
        name=name,
        as_of=measured.as_of,
        measured_at=measured.measured_at,
        inventory_year=measured.inventory_year,
        figures=[
            *_manage(measured, slug),
            *_publish(measured, slug, datasets),
            *_quality(slug, datasets),
            *_respond(_requests_of(measured, slug), slug),
            *_use(usage, slug),
        ],
        usage=usage,
    )


def _sum_usage(measured: Measurement) -> list[UsageMonth]:
    rows = list(measured.usage.values())
    if not rows:
        return []
    return [
        UsageMonth(
            month=months[0].month,
            views=sum(m.views for m in months),
            downloads=sum(m.downloads for m in months),
            api_calls=sum(m.api_calls for m in months),
        )
        for months in zip(*rows, strict=True)
    ]


# goal 1: know and manage -------------------------------------------------------------------


def _manage(measured: Measurement, slug: str | None) -> list[Figure]:
    year = measured.inventory_year
    where = "/console/inventory" if year is None else f"/console/inventory/{year}"
    if slug is not None and year is not None:
        where += f"/{slug}"
    return [*_inventory(measured, slug, where), _maturity(measured, slug)]


def _inventory(measured: Measurement, slug: str | None, where: str) -> list[Figure]:
    year = measured.inventory_year
    cycle = "no inventory cycle yet" if year is None else f"the {year} inventory"
    states = [measured.inventory[slug]] if slug in measured.inventory else []
    if slug is None:
        states = list(measured.inventory.values())
    whole = len(measured.agencies) if slug is None else 1
    submitted = sum(s.status in ("submitted", "accepted") for s in states)
    accepted = sum(s.status == "accepted" for s in states)
    status = states[0].status if slug is not None and states else "not started"
    shown = [
        ("inventory_submitted", "High-value inventory submitted", submitted),
        ("inventory_accepted", "High-value inventory accepted by the CDO", accepted),
    ]
    found = []
    for key, label, count in shown:
        value, text = percent(count, whole) if year is not None else (None, cycle)
        if slug is not None and year is not None:
            value, text = float(count), ("yes" if count else "no") + f" ({status})"
        found.append(
            Figure(
                key=key,
                goal="manage",
                label=label,
                value=value,
                display=text,
                detail=cycle,
                link=where,
            )
        )
    high_value = sum(s.high_value for s in states)
    found.append(
        Figure(
            key="high_value_assets",
            goal="manage",
            label="High-value data assets inventoried",
            value=float(high_value) if year is not None else None,
            display=f"{high_value:,}" if year is not None else cycle,
            detail=f"of {sum(s.assets for s in states):,} assets in {cycle}" if year else cycle,
            link=where,
        )
    )
    return found


def _maturity(measured: Measurement, slug: str | None) -> Figure:
    if slug is None:
        rated = [m.overall for m in measured.maturity.values() if m.overall is not None]
        value = round(mean(rated), 2) if rated else None
        text = f"{value:g} of 5" if value is not None else "no completed assessment"
        detail = f"mean over {len(rated)} of {len(measured.agencies)} agencies"
        where = "/console/assessments"
    else:
        state = measured.maturity.get(slug)
        value = state.overall if state else None
        text = f"{value:g} of 5 ({state.level})" if state and value else "no completed assessment"
        detail = f"self-assessment {state.number}" if state else ""
        where = f"/agencies/{slug}/maturity"
    return Figure(
        key="maturity",
        goal="manage",
        label="Governance maturity level",
        value=value,
        display=text,
        detail=detail,
        link=where,
    )


# goal 2: publish ---------------------------------------------------------------------------


def _publish(
    measured: Measurement, slug: str | None, datasets: list[DatasetRecord]
) -> list[Figure]:
    plans = [measured.plans[slug]] if slug in measured.plans else []
    if slug is None:
        plans = list(measured.plans.values())
    counts = {key: sum(p.counts.get(key, 0) for p in plans) for key in ("on_time", "late")}
    pending = sum(p.counts.get("pending", 0) + p.counts.get("overdue", 0) for p in plans)
    overdue = sum(p.counts.get("overdue", 0) for p in plans)
    due = counts["on_time"] + counts["late"] + overdue
    value, text = percent(counts["on_time"], due)
    if not plans:
        text = "no published plan" if slug else "no agency has published a plan"
    api = sum(1 for d in datasets if d.rows_public)
    return [
        Figure(
            key="odap_on_time",
            goal="publish",
            label="Open Data Access Plan releases made on time",
            value=value,
            display=text,
            detail=f"on time {counts['on_time']} · late {counts['late']} · "
            f"not yet released {pending} (overdue {overdue})",
            link=f"/agencies/{slug}/plan" if slug else "/plans",
        ),
        Figure(
            key="api_datasets",
            goal="publish",
            label="Datasets available through the API",
            value=float(api),
            display=f"{api:,}",
            detail=f"of {len(datasets):,} published datasets",
            link=link("/browse", agency=slug, access="public"),
        ),
    ]


# goal 3: quality ---------------------------------------------------------------------------


def _quality(slug: str | None, datasets: list[DatasetRecord]) -> list[Figure]:
    records = link(DASHBOARD + "/datasets", agency=slug)
    public = [d for d in datasets if d.rows_public]
    meta_value, meta_text = percent(sum(d.meets_standard for d in public), len(public))
    scheduled = [d for d in datasets if d.freshness in ("on_schedule", "due", "overdue")]
    on_time = sum(d.freshness != "overdue" for d in scheduled)
    fresh_value, fresh_text = percent(on_time, len(scheduled))
    scores = [d.quality_score for d in datasets if d.quality_score is not None]
    quality = round(mean(scores), 1) if scores else None
    return [
        Figure(
            key="metadata_standard",
            goal="quality",
            label="Public datasets meeting the metadata standard",
            value=meta_value,
            display=meta_text,
            detail="public datasets only",
            link=records,
        ),
        Figure(
            key="on_schedule",
            goal="quality",
            label="Datasets updated on schedule",
            value=fresh_value,
            display=fresh_text,
            detail=f"{len(scheduled) - on_time} overdue; datasets with a regular schedule",
            link=link(DASHBOARD + "/datasets", agency=slug, freshness="scheduled"),
        ),
        Figure(
            key="quality_score",
            goal="quality",
            label="Mean quality score (0-100)",
            value=quality,
            display="no checked dataset" if quality is None else f"{quality:g}",
            detail=f"over {len(scores)} checked datasets",
            link=records,
        ),
    ]


# goal 4: respond ---------------------------------------------------------------------------


def _requests_of(measured: Measurement, slug: str | None) -> AgencyMetrics | None:
    return measured.requests_state if slug is None else measured.requests.get(slug)


def _days(value: float | None) -> str:
    return "none yet" if value is None else f"{value:g} business days"


def _share(value: float | None) -> tuple[float | None, str]:
    if value is None:
        return None, "nothing due yet"
    return round(100 * value, 1), f"{round(100 * value, 1):g}%"


def _respond(metrics: AgencyMetrics | None, slug: str | None) -> list[Figure]:
    where = link(QUEUE, agency=slug, status="all")
    received = metrics.received if metrics else 0
    detail = f"{received} requests received"
    on_time_value, on_time_text = _share(metrics.responded_on_time if metrics else None)
    overdue = metrics.overdue if metrics else 0
    ack = metrics.median_days_to_acknowledge if metrics else None
    answer = metrics.median_days_to_respond if metrics else None
    return [
        Figure(
            key="request_acknowledge_days",
            goal="respond",
            label="Median days to acknowledge a request",
            value=ack,
            display=_days(ack),
            detail=detail,
            link=where,
        ),
        Figure(
            key="request_respond_days",
            goal="respond",
            label="Median days to answer a request",
            value=answer,
            display=_days(answer),
            detail=detail,
            link=where,
        ),
        Figure(
            key="request_on_time",
            goal="respond",
            label="Requests answered on time",
            value=on_time_value,
            display=on_time_text,
            detail=detail,
            link=where,
        ),
        Figure(
            key="request_overdue",
            goal="respond",
            label="Requests overdue now",
            value=float(overdue),
            display=f"{overdue:,}",
            detail=detail,
            link=link(QUEUE, agency=slug, status="all", overdue="1"),
        ),
    ]


# goal 5: use -------------------------------------------------------------------------------


def _use(usage: list[UsageMonth], slug: str | None) -> list[Figure]:
    where = link("/browse", agency=slug, sort="views")
    span = f"{usage[0].month} to {usage[-1].month}" if usage else "no months"
    last = usage[-1] if usage else None
    found = []
    for key, label in (
        ("views", "Dataset page views"),
        ("downloads", "Downloads"),
        ("api_calls", "API calls"),
    ):
        total = sum(getattr(month, key) for month in usage)
        this_month = getattr(last, key) if last else 0
        found.append(
            Figure(
                key=f"usage_{key}",
                goal="use",
                label=f"{label}, last 12 months",
                value=float(total),
                display=f"{total:,}",
                detail=f"{span}; {this_month:,} this month",
                link=where,
            )
        )
    return found
