"""Where a run's engine comes from (templates, content, campaign): every worker loads the
same one, and a change to any of them makes a re-run redo everything."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .jobs import folder_fingerprint


@dataclass(frozen=True)
class Sources:
    templates_dir: Path | None
    content_dir: Path | None
    campaign_id: str

    def fingerprint(self, day: dt.date) -> str:
        """What every output depends on besides its own row: a change redoes them all."""
        from ..localdata.store import active_store
        from ..paths import DEFAULT_CONTENT, DEFAULT_TEMPLATES

        # the store that answers: an updated one (data update) redoes the outputs
        return folder_fingerprint([self.templates_dir, self.content_dir, DEFAULT_TEMPLATES,
                                   DEFAULT_CONTENT, active_store()]) + day.isoformat() \
            + self.campaign_id

    def settings(self, out_dir: Path, day: dt.date) -> dict[str, Any]:
        return {"out_dir": str(out_dir), "date": day.isoformat(),
                "templates_dir": self.templates_dir, "content_dir": self.content_dir,
                "campaign_id": self.campaign_id}


def load_engine(settings: dict[str, Any]):
    """A worker's engine (Task.setup for letters and kits)."""
    from ..engine.engine import Engine

    return Engine.load(settings.get("templates_dir"), settings.get("content_dir"),
                       settings.get("campaign_id"))
