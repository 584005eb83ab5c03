"""Consent registry shapes in and out. Identifiers come in (to be hashed at once) and never go
out: a record shows only the first characters of its hashes."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

Decision = Literal["opt_in", "opt_out", "revoked"]
Model = Literal["opt_out", "opt_in"]
Key = Annotated[
    str, StringConstraints(strip_whitespace=True, pattern=r"^[a-z0-9][a-z0-9_-]{0,63}$")
]
Text200 = Annotated[str, StringConstraints(strip_whitespace=True, max_length=200)]
Text300 = Annotated[str, StringConstraints(strip_whitespace=True, max_length=300)]
Text4000 = Annotated[str, StringConstraints(strip_whitespace=True, max_length=4000)]
Short = Annotated[str, StringConstraints(strip_whitespace=True, max_length=100)]


class ProgramCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    key: Key = Field(description="Short id, e.g. snap-eval")
    name: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
    agency: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=64)]
    model: Model = Field(
        default="opt_out",
        description="opt_out: included unless opted out; opt_in: included only with an opt-in",
    )
    description: Text4000 = ""


class ProgramPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    key: str
    name: str
    agency: str
    model: str
    description: str


class Identifiers(BaseModel):
    """Who: last name + first name + date of birth, and/or SSN. Hashed, never stored."""

    model_config = ConfigDict(extra="forbid")

    last_name: Short = ""
    first_name: Short = ""
    dob: Short = Field(default="", description="Date of birth, YYYY-MM-DD or MM/DD/YYYY")
    ssn: Short = ""


class ConsentElements(BaseModel):
    """The decision and the elements of a written consent (42 CFR 2.31)."""

    model_config = ConfigDict(extra="forbid")

    purpose: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
    decision: Decision
    scope: Text4000 = Field(default="", description="How much and what kind of information")
    effective_on: date | None = Field(default=None, description="Default: today")
    expires_on: date | None = None
    expiry_event: Text300 = Field(default="", description="Or an event that ends the consent")
    discloser: Text300 = Field(default="", description="Who may disclose")
    recipient: Text300 = Field(default="", description="To whom")
    revocation_noted: bool = Field(default=False, description="The right to revoke was stated")
    signature_present: bool = False
    signed_on: date | None = None
    note: Text4000 = ""

    @model_validator(mode="after")
    def _dates(self) -> ConsentElements:
        if self.expires_on and self.effective_on and self.expires_on < self.effective_on:
            raise ValueError("expires_on is before effective_on")
        return self


class ConsentCreate(ConsentElements):
    program: Key
    person: Identifiers


class ConsentRevoke(BaseModel):
    model_config = ConfigDict(extra="forbid")

    program: Key
    person: Identifiers
    purpose: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
    effective_on: date | None = None
    note: Text4000 = ""


class ConsentLookup(BaseModel):
    model_config = ConfigDict(extra="forbid")

    program: Key
    person: Identifiers
    purpose: Text200 = ""
    on: date | None = None


class ConsentPublic(BaseModel):
    id: int
    program: str
    person: str = Field(description="First 12 characters of the person's keyed hash")
    purpose: str
    scope: str
    decision: str
    effective_on: date
    expires_on: date | None
    expiry_event: str
    discloser: str
    recipient: str
    revocation_noted: bool
    signature_present: bool
    signed_on: date | None
    note: str
    recorded_at: datetime
    recorded_by: str


class ConsentStatus(BaseModel):
    """A person's standing in a program for a purpose on a day, with their history."""

    program: str
    purpose: str
    on: date
    released: bool
    in_force: str | None
    history: list[ConsentPublic]


class ImportResult(BaseModel):
    recorded: int
    rejected: list[str]
