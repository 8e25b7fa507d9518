"""What the services that export a CSV (snapshots, plans, assessments) share: the file as
bytes for a download button, from their own streaming `write_csv`."""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any, BinaryIO

from staircase.csv.format import CsvVariant
from staircase.domain.model import Lang
from staircase.services.door import Actor


class CsvExport:
    """Mixin: `export_csv` from the class's `write_csv(out, unit_ids, variant, lang, actor=)`."""

    def write_csv(self, out: BinaryIO, *args: Any, **kwargs: Any) -> int:
        """The class's own: stream its CSV to `out`, return the rows written."""
        raise NotImplementedError

    def export_csv(
        self,
        unit_ids: Sequence[int] | None = None,
        variant: CsvVariant = CsvVariant.PLAIN,
        lang: Lang = "sv",
        *,
        actor: Actor | None = None,
    ) -> bytes:
        """The whole CSV of the units (all when None) as bytes (for a download button)."""
        out = io.BytesIO()
        self.write_csv(out, unit_ids, variant, lang, actor=actor)
        return out.getvalue()
