"""The settings: read from the environment (once per process), with their defaults; the
upload limit that Streamlit, the settings and the importer must agree on; the clock that
follows the organisation's time zone."""

from __future__ import annotations

import tomllib
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import text

from staircase import settings
from staircase.csv import checks as csvchecks
from staircase.domain.moments import now
from staircase.services import Lartrappan

ENVIRONMENT = (
    "STAIRCASE_DB_URL",
    "STAIRCASE_TIMEZONE",
    "STAIRCASE_BUSY_TIMEOUT_S",
    "STAIRCASE_ZIP_DOWNLOADS_OVER_MB",
)


@pytest.fixture
def clean_environment(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    for name in ENVIRONMENT:
        monkeypatch.delenv(name, raising=False)
    settings.current.cache_clear()
    return monkeypatch


def test_the_upload_limit_is_the_same_for_streamlit_the_settings_and_the_importer() -> None:
    assert settings.STREAMLIT_CONFIG == settings.ROOT / ".streamlit" / "config.toml"
    config = tomllib.loads(settings.STREAMLIT_CONFIG.read_text(encoding="utf-8"))
    assert config["server"]["maxUploadSize"] == settings.MAX_UPLOAD_MB
    assert settings.MAX_UPLOAD_BYTES == settings.MAX_UPLOAD_MB * 1024 * 1024
    assert csvchecks.MAX_IMPORT_BYTES == settings.MAX_UPLOAD_BYTES


def test_the_defaults(clean_environment: pytest.MonkeyPatch) -> None:
    assert settings.current() == settings.Settings(
        database_url=f"sqlite:///{settings.DEFAULT_DB_PATH}",
        timezone="Europe/Stockholm",
        busy_timeout_s=30.0,
        zip_downloads_over_mb=50.0,
    )
    assert settings.current().zip_downloads_over_mb == settings.MAX_UPLOAD_MB
    assert settings.DEFAULT_DB_PATH == settings.ROOT / "data" / "staircase.db"


def test_an_empty_variable_means_the_default(clean_environment: pytest.MonkeyPatch) -> None:
    for name in ENVIRONMENT:
        clean_environment.setenv(name, "")
    assert settings.from_environment() == settings.Settings(
        f"sqlite:///{settings.DEFAULT_DB_PATH}", "Europe/Stockholm", 30.0
    )


def test_settings_are_read_from_the_environment_once(
    clean_environment: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    url = f"sqlite:///{tmp_path / 'elsewhere.db'}"
    clean_environment.setenv("STAIRCASE_DB_URL", url)
    clean_environment.setenv("STAIRCASE_TIMEZONE", "America/New_York")
    clean_environment.setenv("STAIRCASE_BUSY_TIMEOUT_S", "2.5")
    expected = settings.Settings(url, "America/New_York", 2.5)
    assert settings.from_environment() == expected
    assert settings.current() == expected

    clean_environment.setenv("STAIRCASE_TIMEZONE", "Asia/Tokyo")
    assert settings.current() == expected  # read once per process ...
    assert settings.from_environment().timezone == "Asia/Tokyo"  # ... the environment anew
    settings.current.cache_clear()
    assert settings.current().timezone == "Asia/Tokyo"


@pytest.mark.parametrize(("value", "expected"), [("0", 0.0), ("12.5", 12.5), ("200", 200.0)])
def test_downloads_are_zipped_over_the_configured_size(
    clean_environment: pytest.MonkeyPatch, value: str, expected: float
) -> None:
    clean_environment.setenv("STAIRCASE_ZIP_DOWNLOADS_OVER_MB", value)
    assert settings.current().zip_downloads_over_mb == expected


def test_the_core_opens_the_configured_database_with_its_busy_timeout(
    clean_environment: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    db = tmp_path / "configured.db"
    clean_environment.setenv("STAIRCASE_DB_URL", f"sqlite:///{db}")
    clean_environment.setenv("STAIRCASE_BUSY_TIMEOUT_S", "2.5")
    core = Lartrappan()
    try:
        assert core.url == f"sqlite:///{db}"
        assert db.is_file()
        with core.db.engine.connect() as conn:
            assert conn.execute(text("PRAGMA busy_timeout")).scalar_one() == 2500
    finally:
        core.close()


@pytest.mark.parametrize("zone", ["Europe/Stockholm", "Pacific/Kiritimati", "Pacific/Pago_Pago"])
def test_now_is_the_local_time_of_the_configured_zone(
    clean_environment: pytest.MonkeyPatch, zone: str
) -> None:
    clean_environment.setenv("STAIRCASE_TIMEZONE", zone)
    before = datetime.now(ZoneInfo(zone)).replace(tzinfo=None, microsecond=0)
    moment = now()
    after = datetime.now(ZoneInfo(zone)).replace(tzinfo=None)
    assert moment.tzinfo is None and moment.microsecond == 0
    assert before <= moment <= after


def test_now_differs_by_the_zones_offset(clean_environment: pytest.MonkeyPatch) -> None:
    """Kiritimati is UTC+14, Pago Pago UTC−11: a day and an hour apart, at any moment."""
    clean_environment.setenv("STAIRCASE_TIMEZONE", "Pacific/Kiritimati")
    settings.current.cache_clear()
    east = now()
    clean_environment.setenv("STAIRCASE_TIMEZONE", "Pacific/Pago_Pago")
    settings.current.cache_clear()
    west = now()
    assert timedelta(hours=25, seconds=-5) <= east - west <= timedelta(hours=25)  # no DST there
