"""content/evidence.yaml: which figures a member's story points to, and how a figure's
finding is headlined (a slide's title, the line above the briefing's chart).

Content, so the campaigns team can add a word or reword a headline without Python; the
ranking itself is engine/evidence.py, explained in docs/EVIDENCE.md.
"""

from __future__ import annotations

import re
import string
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import TemplateProblem
from ..localdata.sources import MEASURES
from .campaign import FIGURE_FIELDS, shared_file
from .safeyaml import line_of, read_yaml

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


def _problem(path: Path, raw: Any, key: str, message: str) -> TemplateProblem:
    line = line_of(raw, key)
    return TemplateProblem(f"{path}{f', line {line}' if line else ''}: {message}")


def _topics(path: Path, raw: Any) -> tuple[StoryTopic, ...]:
    items = raw.get("story") or []
    if not isinstance(items, list):
        raise _problem(path, raw, "story", "'story' should be a list of topics, each with "
                       "about, words and measures")
    topics = []
    for item in items:
        if not isinstance(item, dict) or not {"about", "words", "measures"} <= set(item):
            raise _problem(path, raw, "story", "each story topic needs about, words and "
                           "measures")
        words, measures = item["words"], item["measures"]
        if not isinstance(words, list) or not all(isinstance(w, str) and w.strip("* ")
                                                  for w in words):
            raise TemplateProblem(f"{path}, line {line_of(item)}: 'words' should be a list "
                                  "of words")
        bad = [m for m in measures if m not in MEASURES] if isinstance(measures, list) \
            else [str(measures)]
        if bad:
            raise TemplateProblem(f"{path}, line {line_of(item)}: unknown measure "
                                  f"{', '.join(map(str, bad))}; measures: {', '.join(MEASURES)}")
        topics.append(StoryTopic(str(item["about"]), tuple(str(w) for w in words),
                                 tuple(measures)))
    return tuple(topics)


def _headlines(path: Path, raw: Any) -> dict[str, str]:
    heads = raw.get("headlines") or {}
    if not isinstance(heads, dict):
        raise _problem(path, raw, "headlines", "'headlines' should map measures to a wording")
    out = {}
    for measure, text in heads.items():
        line = line_of(heads, str(measure))
        if measure not in MEASURES or not isinstance(text, str):
            raise TemplateProblem(f"{path}, line {line}: '{measure}' should be a measure "
                                  "with one wording")
        try:
            names = {n for _, n, _, _ in string.Formatter().parse(text) if n is not None}
        except ValueError as exc:
            raise TemplateProblem(f"{path}, line {line}: {exc} in \"{text[:60]}\"") from None
        unknown = sorted(names - set(HEADLINE_FIELDS))
        if unknown:
            raise TemplateProblem(f"{path}, line {line}: unknown name "
                                  f"{', '.join('{' + n + '}' for n in unknown)}; names: "
                                  f"{', '.join(HEADLINE_FIELDS)}")
        out[str(measure)] = " ".join(text.split())
    return out


def load(override: Path | None = None) -> EvidenceContent:
    """evidence.yaml from the content folder given, else the bundled one; none: no
    preferences and no headlines (slides keep their labels)."""
    path = shared_file("evidence.yaml", override)
    if path is None:
        return EvidenceContent()
    raw = read_yaml(path)
    if not isinstance(raw, dict):
        raise TemplateProblem(f"{path}: should map 'story' and 'headlines'")
    return EvidenceContent(_topics(path, raw), _headlines(path, raw), str(path))
