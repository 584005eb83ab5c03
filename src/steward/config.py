"""Steward's settings: one typed object from the environment (`STEWARD_` prefix) or `.env`.

Settings are built by `load_settings()` in `create_app()` and the CLI callback, never at
import time.
"""

from __future__ import annotations

import os
import secrets
from datetime import date
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

SECRET_KEY_FILE = "secret_key"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="STEWARD_", env_file=".env", extra="ignore")

    data_dir: Path = Field(
        default=Path("steward-data"),
        description="Store directory: metadata database, dataset files, secret key.",
    )
    database_url: str | None = Field(
        default=None,
        description="SQLAlchemy URL of the metadata database; default SQLite in the data dir.",
    )
    host: str = Field(default="127.0.0.1", description="Interface the web server binds to.")
    port: int = Field(default=8000, ge=1, le=65535, description="Port the web server listens on.")
    secret_key: str | None = Field(
        default=None,
        description="Key signing sessions and tokens; generated into the data dir if unset.",
    )
    query_default_limit: int = Field(
        default=1000, ge=1, description="Rows a SODA query returns when it gives no $limit."
    )
    query_max_limit: int = Field(
        default=50_000, ge=1, description="Largest $limit a query may ask for."
    )
    query_timeout_s: float = Field(
        default=10.0, gt=0, description="Seconds a query may run before it is stopped."
    )
    query_memory_limit: str = Field(
        default="1GB", description="DuckDB memory limit for each query connection."
    )
    query_threads: int = Field(default=2, ge=1, description="DuckDB threads per query connection.")
    rate_limit_anonymous: int = Field(
        default=600,
        ge=1,
        description="Requests per minute per client address without an X-App-Token.",
    )
    rate_limit_app_token: int = Field(
        default=6000, ge=1, description="Requests per minute per X-App-Token."
    )

    session_hours: float = Field(
        default=12.0, gt=0, le=24 * 30, description="Hours a sign-in session lasts."
    )
    upload_max_bytes: int = Field(
        default=2 * 1024**3,
        ge=1,
        description="Largest file accepted by a web or API upload of a dataset version, in bytes.",
    )

    # data requests (#11): the clocks, the holidays they skip, and the mail they send
    request_foi_url: str = Field(
        default="https://portal.ct.gov/foi",
        description="The state's Freedom of Information process, linked from the request form.",
    )
    request_ack_days: int = Field(
        default=5, ge=1, le=60, description="Business days an agency has to acknowledge a request."
    )
    request_response_days: int = Field(
        default=20, ge=1, le=250, description="Business days an agency has to answer a request."
    )
    request_reminder_days: int = Field(
        default=2,
        ge=0,
        le=30,
        description="`steward request remind` writes to the ADO this many business days before "
        "a due date (and every day once it is overdue).",
    )
    request_timezone: str = Field(
        default="America/New_York",
        description="Time zone whose calendar dates start the request clocks.",
    )
    request_holidays_file: Path | None = Field(
        default=None,
        description="TOML of holiday rules (the shape of profiles/ct/holidays.toml); default "
        "Connecticut's.",
    )
    request_extra_holidays: Annotated[list[date], NoDecode] = Field(
        default_factory=list,
        description="More days offices are closed, comma-separated YYYY-MM-DD (e.g. a storm).",
    )
    site_url: str | None = Field(
        default=None,
        description="Public address of the site (https://data.ct.gov), for links in emails.",
    )
    smtp_host: str | None = Field(
        default=None,
        description="Mail server for the outbox; unset keeps messages in the local outbox.",
    )
    smtp_port: int = Field(default=587, ge=1, le=65535, description="Mail server port.")
    smtp_security: Literal["starttls", "ssl", "none"] = Field(
        default="starttls", description="`starttls`, `ssl` or `none` for the mail server."
    )
    smtp_username: str | None = Field(default=None, description="Mail server user name.")
    smtp_password: str | None = Field(default=None, description="Mail server password.")
    smtp_from: str = Field(
        default="steward@localhost", description="Sender address of Steward's emails."
    )
    # consent registry (#10): people are known only by an HMAC of their identifiers
    consent_key_file: Path | None = Field(
        default=None,
        description="File holding the consent registry's HMAC key; default `consent_key` in "
        "the data dir, generated on first use (mode 0600).",
    )

    @field_validator("request_extra_holidays", mode="before")
    @classmethod
    def _split_dates(cls, value: Any) -> Any:
        if isinstance(value, str):
            return [part.strip() for part in value.split(",") if part.strip()]
        return value

    @property
    def resolved_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'steward.db').resolve()}"

    @property
    def datasets_dir(self) -> Path:
        return self.data_dir / "datasets"

    def ensure_data_dir(self) -> None:
        """Create the data dir layout and the secret key if missing."""
        self.datasets_dir.mkdir(parents=True, exist_ok=True)
        if self.secret_key is None:
            self.secret_key = _read_or_create_secret(self.data_dir / SECRET_KEY_FILE)


def _read_or_create_secret(path: Path) -> str:
    if path.exists():
        return path.read_text().strip()
    key = secrets.token_urlsafe(48)
    tmp = path.with_suffix(".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(key)
    os.replace(tmp, path)
    return key


def load_settings(**overrides: object) -> Settings:
    """Build settings from the environment, with explicit overrides (e.g. CLI flags) on top."""
    given = {key: value for key, value in overrides.items() if value is not None}
    return Settings(**given)  # type: ignore[arg-type]
