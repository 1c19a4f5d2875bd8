"""What every document needs to be made: the loaded resources (places, templates, the
campaign and its brand), the member, charts drawn from the campaign's declared measures, and
writing every format of a set of documents safely.

Which documents a kind of output holds, and how their context is built, is declared in
kinds.py. Dependencies point one way: kinds -> kits -> templating, localdata, campaign.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..content.campaign import Campaign, load_campaign
from ..document import Chart, Document, Image, Meta
from ..errors import OutputProblem
from ..localdata.lookup import Places
from ..render.templating import Templates, parse_markdown
from ..runs.outputs import check_free, ensure_folder, target_path, write_together
from ..writers import Assets


@dataclass
class Engine:
    """Everything a render needs, loaded once per process and shared by every document."""

    places: Places
    templates: Templates
    campaign: Campaign

    @classmethod
    def load(cls, templates_dir: Path | None = None, content_dir: Path | None = None,
             campaign_id: str | None = None) -> Engine:
        campaign = load_campaign(campaign_id, content_dir)
        overrides = ([templates_dir] if templates_dir else []) + list(campaign.template_dirs)
        return cls(Places(), Templates(overrides), campaign)

    @property
    def assets(self) -> Assets:
        return Assets(self.templates.find_file, self.campaign.brand)

    def render(self, template: str, context: dict[str, Any], style: str, author: str,
               date: dt.date, charts: dict[str, Chart | Image] | None = None,
               deck: bool = False, branded: bool = True, max_pages: int = 0) -> Document:
        """One template, rendered and parsed into a Document. `style` is the page style the
        writers pick (letter, guide, briefing, form, deck)."""
        rendered = self.templates.render(template, context)
        title = str(rendered.exports.get("title") or template)
        info = context.get("campaign")  # the campaign in the document's nation's words
        keywords = tuple(info.get("keywords") or ()) if isinstance(info, dict) else ()
        meta = Meta(title=title, author=author, subject=str(rendered.exports.get("subject", "")),
                    keywords=keywords or self.campaign.keywords, kind=style,
                    date=date.isoformat(),
                    template=template, branded=branded, max_pages=max_pages)
        return Document(meta, parse_markdown(rendered.markdown, charts, deck, template))

def render_formats(engine: Engine, docs: list[tuple[Document, str]], formats: list[str],
                   out_dir: Path, force: bool, files: list[tuple[str, bytes]] = ()
                   ) -> tuple[list[Path], dict[str, float]]:
    """Every format of every document, rendered first and then written together, with
    `files` (other files of the kind, by name: a pack's calendar invitation).

    A stem may name subfolders of out_dir ('roundtable-x/guide'); no path may land outside
    out_dir, symlinks included. Nothing is written if any target exists (without force) or
    any render fails, and the files are renamed into place only once all were written (a
    full disk never leaves a PDF without its DOCX). Returns the paths and the seconds spent
    in each writer (where a batch's time goes).
    """
    import time

    from ..writers import write

    ensure_folder(out_dir)
    targets = [(doc, fmt, target_path(out_dir, f"{stem}.{fmt}"))
               for doc, stem in docs for fmt in formats]
    extra = [(target_path(out_dir, name), data) for name, data in files]
    check_free([path for _, _, path in targets] + [path for path, _ in extra], force)
    seconds: dict[str, float] = {}
    payloads = []
    assets = engine.assets
    for doc, fmt, path in targets:
        started = time.perf_counter()
        payloads.append((path, write(fmt, doc, assets)))
        seconds[fmt] = seconds.get(fmt, 0.0) + time.perf_counter() - started
    payloads += extra
    write_together(payloads)
    return [path for path, _ in payloads], seconds

def parse_formats(text: str, allowed: tuple[str, ...]) -> list[str]:
    formats = [f.strip().lower() for f in text.split(",") if f.strip()]
    bad = [f for f in formats if f not in allowed]
    if bad or not formats:
        raise OutputProblem(f"unknown format {', '.join(bad) or '(none)'}; choose from "
                            f"{', '.join(allowed)}")
    return list(dict.fromkeys(formats))
