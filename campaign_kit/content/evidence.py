"""content/evidence.yaml: which figures a member's story points to, and how a figure's
finding is headlined (a slide's title, the line above the briefing's chart).

Content, so the campaigns team can add a word or reword a headline without Python; the
ranking itself is engine/evidence.py, explained in docs/EVIDENCE.md.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import TemplateProblem
from . import schema
from .campaign import FIGURE_FIELDS, read_yaml, shared_file

# What a headline may name in braces: a figure's wording's names and the short forms.
HEADLINE_FIELDS = FIGURE_FIELDS + ("value_short", "england_short", "change_short",
                                   "england_change_short")


@dataclass(frozen=True)
class StoryTopic:
    """Words in a story (waiting, tribunals ...) and the figures they point to."""

    about: str
    words: tuple[str, ...]
    measures: tuple[str, ...]

    def pattern(self) -> re.Pattern[str]:
        parts = []
        for word in self.words:
            stem = word.rstrip("*")
            text = r"\s+".join(re.escape(w) for w in stem.split())
            parts.append(text + (r"[\w-]*" if word.endswith("*") else ""))
        return re.compile(r"(?<![\w-])(?:" + "|".join(parts) + r")(?![\w-])", re.IGNORECASE)


@dataclass(frozen=True)
class EvidenceContent:
    story: tuple[StoryTopic, ...] = ()
    headlines: dict[str, str] = field(default_factory=dict)
    path: str = ""

    def preferred(self, story: str | None) -> list[str]:
        """The measures a story points to, in the order its topics are listed."""
        if not story:
            return []
        found: list[str] = []
        for topic in self.story:
            if topic.pattern().search(story):
                found += [m for m in topic.measures if m not in found]
        return found


def load(override: Path | None = None) -> EvidenceContent:
    """evidence.yaml from the content folder given, else the bundled one, checked against
    its definition (content/schema.py: the first problem stops, with its file and line);
    none: no preferences and no headlines (slides keep their labels)."""
    path = shared_file("evidence.yaml", override)
    if path is None:
        return EvidenceContent()
    raw = read_yaml(path)
    problems = problems_in(path, raw)
    if problems:
        raise TemplateProblem(str(problems[0]))
    topics = tuple(StoryTopic(str(t["about"]), tuple(str(w) for w in t["words"]),
                              tuple(t["measures"])) for t in raw.get("story") or ())
    headlines = {str(m): " ".join(str(t).split())
                 for m, t in (raw.get("headlines") or {}).items()}
    return EvidenceContent(topics, headlines, str(path))


def problems_in(path: Path, raw: Any) -> list:
    """Every problem in evidence.yaml, each with its file and line (for `check` too)."""
    return schema.validate("evidence.yaml", raw, str(path),
                           {"none": frozenset(), "headline": frozenset(HEADLINE_FIELDS)},
                           path.read_text(encoding="utf-8"))
