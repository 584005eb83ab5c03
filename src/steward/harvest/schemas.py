"""What a harvest reports: per record what happened, per publisher name which agency it became."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field, computed_field

Action = Literal["created", "updated", "unchanged", "existing", "skipped", "failed"]
# How a publisher name was resolved: matched ("slug", "exact", "abbreviation", "fuzzy"), a new
# agency ("created"), not matched ("unmatched": given to --agency-default, or skipped), or no
# publisher given at all ("blank").
Method = Literal["slug", "exact", "abbreviation", "fuzzy", "created", "unmatched", "blank"]


class HarvestItem(BaseModel):
    source_id: str
    title: str
    action: Action
    dataset_id: str | None = Field(description="Steward's id (None for a planned new id)")
    agency: str | None = Field(description="Agency slug the dataset belongs to")
    message: str = ""


class AgencyOutcome(BaseModel):
    name: str = Field(description="The publisher as the source writes it ('' when blank)")
    datasets: int
    agency: str | None = Field(description="The agency slug it became, if any")
    method: Method
    score: float | None = None


class NewAgency(BaseModel):
    slug: str
    name: str


class HarvestReport(BaseModel):
    source: str
    format: str
    dry_run: bool
    records: int
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    existing: int = 0
    skipped: int = 0
    failed: int = 0
    agencies: list[AgencyOutcome] = Field(default_factory=list)
    created_agencies: list[NewAgency] = Field(default_factory=list)
    not_datasets: list[str] = Field(
        default_factory=list, description="Source entries that are not datasets, and why"
    )
    items: list[HarvestItem] = Field(default_factory=list)

    @computed_field  # type: ignore[prop-decorator]
    @property
    def unmatched(self) -> list[AgencyOutcome]:
        """Publisher names that matched no agency (and were not made into one)."""
        return [outcome for outcome in self.agencies if outcome.method == "unmatched"]
