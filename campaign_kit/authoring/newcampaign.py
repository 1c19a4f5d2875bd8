"""`new-campaign`: a campaign folder to start from, copied from another campaign."""

from __future__ import annotations

import os
import re
from pathlib import Path

from ..content.campaign import (
    CAMPAIGN_FILES,
    ID_RE,
    default_campaign,
    list_campaigns,
    load_campaign,
)
from ..errors import TemplateProblem
from ..paths import DEFAULT_CONTENT
from ..runs.outputs import write_atomic


def copy_campaign(new_id: str, source: str | None, override: Path | None) -> Path:
    """A new campaign folder (in the content folder of one's own, else the bundled one)
    holding a copy of another campaign's campaign.yaml, asks.yaml and phrasing.yaml, with the
    new id; each file's first line points an editor at its schema (content/schema/)."""
    if not ID_RE.match(new_id):
        raise TemplateProblem(f"'{new_id}' cannot be a campaign id: use lower-case letters, "
                              "digits and hyphens (e.g. pay-2027)")
    if new_id in list_campaigns(override):
        raise TemplateProblem(f"a campaign '{new_id}' already exists")
    source = source or default_campaign(override)
    origin = load_campaign(source, override)
    folder = (override or DEFAULT_CONTENT) / new_id
    for name in CAMPAIGN_FILES:
        text = origin.files[name].read_text(encoding="utf-8")
        if name == "campaign.yaml":
            text = re.sub(r"(?m)^id: .*$", f"id: {new_id}", text, count=1)
        write_atomic(folder / name, with_schema_line(text, name, folder).encode("utf-8"))
    own_templates = origin.folder / "templates"
    if own_templates.is_dir():  # the campaign's own wording of shared templates comes too
        import shutil

        shutil.copytree(own_templates, folder / "templates", symlinks=True)
    return folder


SCHEMA_LINE = re.compile(r"^# yaml-language-server: \$schema=.*\n", re.M)


def with_schema_line(text: str, name: str, folder: Path) -> str:
    """The file's text starting with the line that tells an editor's YAML extension which
    schema it follows (a path relative to the file when it can be, else absolute)."""
    target = DEFAULT_CONTENT / "schema" / name.replace(".yaml", ".schema.json")
    try:
        where = os.path.relpath(target, folder.resolve())
    except ValueError:  # another drive
        where = str(target)
    return f"# yaml-language-server: $schema={where}\n" + SCHEMA_LINE.sub("", text, count=1)
