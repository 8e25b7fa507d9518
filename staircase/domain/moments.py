"""Time as the organisation sees it: local time to the second, and how moments are written."""

from __future__ import annotations

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from staircase import settings

MINUTE_FORMAT = "%Y-%m-%d %H:%M"
"""How a moment is shown to people: '2026-11-30 14:02'."""
FILE_FORMAT = "%Y-%m-%dT%H:%M:%S"
"""How a moment is written in files (ISO 8601, local time, no offset)."""
BACKDATED_TIME = time(12, 0)
"""The time of a snapshot back-dated to an earlier day without a time."""


def now() -> datetime:
    """The current local time of the organisation (naive), to the second."""
    zone = ZoneInfo(settings.current().timezone)
    return datetime.now(zone).replace(tzinfo=None, microsecond=0)


def format_moment(moment: datetime | None) -> str:
    """'2026-11-30 14:02', or '–' when there is no moment."""
    return moment.strftime(MINUTE_FORMAT) if moment is not None else "–"


def snapshot_moment(day: date, at: time | None, today: date) -> datetime | None:
    """When a snapshot entered as a date and an optional time was taken.

    None (meaning: now) for today without a time; 12:00 on an earlier day without a time.
    """
    if at is None:
        if day == today:
            return None
        at = BACKDATED_TIME
    return datetime.combine(day, at)
