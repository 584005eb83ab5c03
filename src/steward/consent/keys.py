"""The consent registry's HMAC key: a file beside the store's secret key (or the file named by
STEWARD_CONSENT_KEY_FILE), generated on first use with mode 0600, never in the database.

The web app and the CLI call `configure(settings)`; functions that only get a database session
(`service.filter_opted_out`, called by the sharing extracts) find the key of that database with
`key_for(session)`. A SQLite store in its default place is found by its data dir. Nothing is
ever matched without the key: a missing one is an error, never an empty match.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from sqlalchemy.engine import URL, make_url
from sqlalchemy.orm import Session

from steward.config import SECRET_KEY_FILE, Settings, load_settings
from steward.errors import Conflict

KEY_FILE = "consent_key"
_keys: dict[tuple[str, str | None, int | None, str | None], bytes] = {}


def _identity(url: URL | str) -> tuple[str, str | None, int | None, str | None]:
    parsed = make_url(url) if isinstance(url, str) else url
    database = parsed.database
    if parsed.get_backend_name() == "sqlite" and database:
        database = str(Path(database).resolve())
    return parsed.get_backend_name(), parsed.host, parsed.port, database


def key_path(settings: Settings) -> Path:
    return settings.consent_key_file or settings.data_dir / KEY_FILE


def load_key(path: Path) -> bytes:
    """The key in `path`, generated there (mode 0600, written then renamed) when missing."""
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(path.name + f".{os.getpid()}.tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_hex(32))
        try:  # a hard link creates the key only if no other process made one first
            os.link(tmp, path)
        except FileExistsError:
            pass
        finally:
            tmp.unlink()
    text = path.read_text().strip()
    if len(text) < 32:
        raise Conflict(f"the consent key in {path} is too short (at least 32 characters)")
    return text.encode()


def configure(settings: Settings) -> bytes:
    """Load (or create) the key of this store and remember it for its database."""
    key = load_key(key_path(settings))
    _keys[_identity(settings.resolved_database_url)] = key
    return key


def key_for(session: Session) -> bytes:
    """The key of the database this session talks to."""
    url = session.get_bind().engine.url
    identity = _identity(url)
    if identity in _keys:
        return _keys[identity]
    if identity[0] == "sqlite" and identity[3]:
        data_dir = Path(identity[3]).parent
        if (data_dir / SECRET_KEY_FILE).exists():
            return configure(load_settings(data_dir=data_dir, database_url=str(url)))
    raise Conflict("the consent registry key is not configured for this database")
