"""Every setting of the app and the CLI, in one place, read from the environment once.

- STAIRCASE_DB_URL: the database, any SQLAlchemy URL (PostgreSQL:
  postgresql+psycopg://…); default SQLite at data/staircase.db.
- STAIRCASE_TIMEZONE: the organisation's local time, in which dates are stored and
  shown; default Europe/Stockholm.
- STAIRCASE_BUSY_TIMEOUT_S: how long a write waits for another one before it is refused
  with "busy, try again"; default 30.
- STAIRCASE_AUDIT_KEEP_DAYS: how many days of the audit trail `python -m staircase audit
  prune` keeps; default (unset or empty): keep everything.
- STAIRCASE_ZIP_DOWNLOADS_OVER_MB: an in-app download whose CSV would be larger than this
  (MiB) comes as a zip file; default 50, the upload limit. Streamlit holds a download's bytes
  in the server's memory while it is offered, so this bounds that memory (0: always zip).

The upload limit is `MAX_UPLOAD_MB`: it must equal `server.maxUploadSize` in
`.streamlit/config.toml` (a test checks it), so Streamlit's uploader and the importer refuse
the same files.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = ROOT / "data"
DEFAULT_DB_PATH = DATA_DIR / "staircase.db"
CATALOGUE_PATH = DATA_DIR / "catalogue.yaml"
DEMO_PATH = DATA_DIR / "demo.yaml"
STREAMLIT_CONFIG = ROOT / ".streamlit" / "config.toml"

MAX_UPLOAD_MB = 50
"""The largest file the importer takes, in MiB (= server.maxUploadSize)."""
MAX_UPLOAD_BYTES = MAX_UPLOAD_MB * 1024 * 1024


@dataclass(frozen=True)
class Settings:
    database_url: str
    timezone: str
    busy_timeout_s: float
    zip_downloads_over_mb: float = MAX_UPLOAD_MB
    audit_keep_days: int | None = None
    """None: keep the audit trail for ever (`audit prune` removes nothing)."""


def from_environment() -> Settings:
    """The settings as the environment gives them now (tests may change it and call again)."""
    return Settings(
        database_url=os.environ.get("STAIRCASE_DB_URL") or f"sqlite:///{DEFAULT_DB_PATH}",
        timezone=os.environ.get("STAIRCASE_TIMEZONE") or "Europe/Stockholm",
        busy_timeout_s=float(os.environ.get("STAIRCASE_BUSY_TIMEOUT_S") or 30),
        audit_keep_days=int(keep)
        if (keep := os.environ.get("STAIRCASE_AUDIT_KEEP_DAYS"))
        else None,
        zip_downloads_over_mb=float(
            os.environ.get("STAIRCASE_ZIP_DOWNLOADS_OVER_MB") or MAX_UPLOAD_MB
        ),
    )


@cache
def current() -> Settings:
    """The settings of this process, read once."""
    return from_environment()
