"""What every document needs, loaded once per process: the places, the templates, the
campaign and its brand. Context builders (contexts.py, charts.py) read these; the Engine
(engine.py) adds making and writing whole kinds on top.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..content import datasets, evidence
from ..content.campaign import Campaign, load_campaign
from ..document import Chart, Document, Image, Meta
from ..localdata.lookup import Places
from ..render.templating import Templates, parse_markdown
from ..writers import Assets


@dataclass
class Resources:
    places: Places
    templates: Templates
    campaign: Campaign
    # which figures a story points to and how findings are headlined (content/evidence.yaml)
    evidence: evidence.EvidenceContent = field(default_factory=evidence.load)
    # each dataset's release cycle, by source id (content/datasets.yaml, same folder as above)
    cycles: dict[str, datasets.Cycle] = field(default_factory=datasets.cycles)

    @classmethod
    def load(cls, templates_dir: Path | None = None, content_dir: Path | None = None,
             campaign_id: str | None = None):
        campaign = load_campaign(campaign_id, content_dir)
        overrides = ([templates_dir] if templates_dir else []) + list(campaign.template_dirs)
        return cls(Places(), Templates(overrides), campaign, evidence.load(content_dir),
                   datasets.cycles(datasets.datasets_file(content_dir)))

    @property
    def assets(self) -> Assets:
        return Assets(self.templates.find_file, self.campaign.brand)

    def render(self, template: str, context: dict[str, Any], style: str, author: str,
               date: dt.date, charts: dict[str, Chart | Image] | None = None,
               deck: bool = False, branded: bool = True, max_pages: int = 0) -> Document:
        """One template, rendered and parsed into a Document. `style` is the page style the
        writers pick (letter, guide, briefing, form, deck, index)."""
        rendered = self.templates.render(template, context)
        title = str(rendered.exports.get("title") or template)
        info = context.get("campaign")  # the campaign in the document's nation's words
        keywords = tuple(info.get("keywords") or ()) if isinstance(info, dict) else ()
        meta = Meta(title=title, author=author, subject=str(rendered.exports.get("subject", "")),
                    keywords=keywords or self.campaign.keywords, kind=style,
                    date=date.isoformat(),
                    template=template, branded=branded, max_pages=max_pages)
        return Document(meta, parse_markdown(rendered.markdown, charts, deck, template))
