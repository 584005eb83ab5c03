"""What the console's forms share: reading a form, the choices its selects offer, turning
validation errors into one sentence, and running a write in its own transaction.

A page that fails to save shows the error on the page itself. The write runs in a transaction of
its own (`attempt`), rolled back whole on error, and the page is then drawn from a fresh one, so
nothing half-written is ever committed by drawing the error.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any, TypeVar

from fastapi import Depends, Request
from fastapi.responses import Response
from pydantic import ValidationError
from sqlalchemy.orm import Session

from steward.catalog.schemas import DatasetPublic
from steward.catalog.service import CLEARABLE
from steward.db import Database
from steward.errors import Conflict, Invalid
from steward.metadata.completeness import CATEGORIES
from steward.metadata.licenses import KNOWN
from steward.web.pages.render import render

T = TypeVar("T")
NO_STORE = {"Cache-Control": "no-store"}
UserError = Invalid | Conflict
METADATA = (
    "title",
    "description",
    "category",
    "keywords",
    "license",
    "access_level",
    "update_frequency",
    "contact_name",
    "contact_email",
    "temporal_coverage",
    "spatial_coverage",
    "source_system",
    "landing_page",
)
FREQUENCIES = (
    ("R/P1D", "daily"),
    ("R/P1W", "weekly"),
    ("R/P1M", "monthly"),
    ("R/P3M", "quarterly"),
    ("R/P1Y", "yearly"),
    ("irregular", "irregularly"),
)
CHOICES: dict[str, Any] = {  # (value, text) pairs for the selects
    "categories": [(category, category) for category in CATEGORIES],
    "licenses": ["Public Domain", *(known.title for known in KNOWN)],
    "access_levels": [(level, level) for level in ("public", "restricted public", "non-public")],
    "frequencies": FREQUENCIES,
    "levels": [(level, level) for level in ("public", "protected", "personal", "private")],
}


def get_database(request: Request) -> Database:
    database: Database = request.app.state.database
    return database


async def form_values(request: Request) -> dict[str, str]:
    """The submitted form's text fields (the form is parsed once and cached by Starlette)."""
    form = await request.form()
    return {key: value for key, value in form.multi_items() if isinstance(value, str)}


DatabaseDep = Annotated[Database, Depends(get_database)]
FormDep = Annotated[dict[str, str], Depends(form_values)]


def attempt(database: Database, write: Callable[[Session], T]) -> T | UserError:
    """Run `write` in its own transaction; a user error comes back (rolled back) as a value.
    Permission errors and missing objects are raised, for the site's error page."""
    try:
        with database.session() as session:
            return write(session)
    except ValidationError as exc:
        return Invalid(validation_message(exc))
    except (Invalid, Conflict) as exc:
        return exc


def validation_message(exc: ValidationError) -> str:
    """The first problem, named by its input: `contact_email: value is not an email address`."""
    error = exc.errors()[0]
    where = ".".join(str(part) for part in error["loc"])
    message = str(error["msg"]).removeprefix("Value error, ")
    return f"{where}: {message}" if where else message


def metadata_values(values: dict[str, str]) -> tuple[dict[str, Any], list[str]]:
    """A metadata form as (values given, optional items emptied). Keywords are comma separated;
    an emptied optional item is to be cleared, an emptied required one left as it is."""
    given: dict[str, Any] = {}
    cleared: list[str] = []
    for key in METADATA:
        if key not in values:
            continue
        text = values[key].strip()
        if key == "keywords":
            given[key] = [word for word in text.split(",") if word.strip()]
        elif text or key == "description":
            given[key] = text
        elif key in CLEARABLE:
            cleared.append(key)
    return given, cleared


def dataset_values(dataset: DatasetPublic) -> dict[str, str]:
    """A dataset's metadata as the form's inputs show it."""
    shown = {key: getattr(dataset, key) or "" for key in METADATA}
    shown["keywords"] = ", ".join(dataset.keywords)
    return shown


def field_values(values: dict[str, str]) -> dict[str, dict[str, str | None]]:
    """The dictionary form's inputs, named `<what>.<field>`, grouped by field. An emptied
    format or standard is cleared (None); an emptied label is refused by the schema."""
    grouped: dict[str, dict[str, str | None]] = {}
    for key, value in values.items():
        what, _, name = key.partition(".")
        if name and what in {"label", "description", "format", "standard", "classification"}:
            text = value.strip()
            cleared = what in {"format", "standard"} and not text
            grouped.setdefault(name, {})[what] = None if cleared else text
    return grouped


def page(request: Request, template: str, context: dict[str, Any], status: int = 200) -> Response:
    """A console page: staff-only content, never kept by a shared cache."""
    response = render(request, template, context, status_code=status)
    response.headers.update(NO_STORE)
    return response
