"""A campaign's words, loaded from content/<campaign>/: asks, talking points, sources, phrasing.

The campaigns team edits these YAML files; `--content DIR` overrides them file by file.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from .errors import TemplateProblem
from .templating import DEFAULT_CONTENT

CAMPAIGN_FILES = ("campaign.yaml", "asks.yaml", "phrasing.yaml")


@dataclass(frozen=True)
class Ask:
    id: str
    title: str
    case: str
    letter: str
    mp_action: str
    questions: tuple[str, ...]


@dataclass(frozen=True)
class Campaign:
    id: str
    info: dict[str, Any]
    asks: tuple[Ask, ...]
    phrasing: dict[str, tuple[str, ...]]

    @property
    def ask_ids(self) -> list[str]:
        return [a.id for a in self.asks]

    def choose_asks(self, ids: list[str] | None) -> list[Ask]:
        """The asks named (in the order given), or the campaign's defaults; 1 to 3 for a letter."""
        wanted = ids or list(self.info.get("default_asks") or self.ask_ids[:3])
        by_id = {a.id: a for a in self.asks}
        unknown = [i for i in wanted if i not in by_id]
        if unknown:
            raise TemplateProblem(f"unknown ask id {', '.join(unknown)}; valid ids: "
                                  f"{', '.join(self.ask_ids)}")
        return [by_id[i] for i in dict.fromkeys(wanted)]

    def pick(self, kind: str, seed: str) -> str:
        """One wording of `kind`, the same every time for the same seed (sender + seat)."""
        options = self.phrasing.get(kind) or ("",)
        digest = hashlib.sha256(f"{kind}|{seed}".encode()).digest()
        return options[int.from_bytes(digest[:4], "big") % len(options)]


def _read_yaml(name: str, campaign_id: str, override: Path | None) -> Any:
    candidates = [override / name, override / campaign_id / name] if override else []
    candidates.append(DEFAULT_CONTENT / campaign_id / name)
    path = next((p for p in candidates if p.is_file()), None)
    if path is None:
        raise TemplateProblem(f"content file {name} not found for campaign '{campaign_id}'")
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise TemplateProblem(f"cannot read {path}: {exc}") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f", line {mark.line + 1}" if mark else ""
        raise TemplateProblem(f"{path}{where}: not valid YAML") from None


def load_campaign(campaign_id: str = "send", override: Path | None = None) -> Campaign:
    info = _read_yaml("campaign.yaml", campaign_id, override)
    raw_asks = _read_yaml("asks.yaml", campaign_id, override)
    phrasing = _read_yaml("phrasing.yaml", campaign_id, override)
    asks = []
    for n, raw in enumerate(raw_asks or [], 1):
        missing = [k for k in ("id", "title", "case", "letter", "mp_action") if not raw.get(k)]
        if missing:
            raise TemplateProblem(f"asks.yaml: ask {n} is missing {', '.join(missing)}")
        asks.append(Ask(raw["id"], raw["title"], raw["case"], raw["letter"], raw["mp_action"],
                        tuple(raw.get("questions") or ())))
    if not asks:
        raise TemplateProblem("asks.yaml: the campaign has no asks")
    return Campaign(campaign_id, info, tuple(asks),
                    {k: tuple(v) for k, v in (phrasing or {}).items()})
