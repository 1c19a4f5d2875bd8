"""A campaign is a folder of content: content/<id>/ holds campaign.yaml, asks.yaml,
phrasing.yaml and optionally brand.yaml, a logo and templates/ overriding the defaults.

The campaigns team edits these files, never Python. `--content DIR` overrides them file by
file (DIR/<file> or DIR/<id>/<file>) and may hold new campaigns. Values a campaign leaves
out come from content/defaults.yaml; the brand from content/brand.yaml.

Loading checks everything a template relies on and says what is wrong with file and line;
`campaign-kit check` (campaign_kit/checks.py) reports every problem at once.
"""

from __future__ import annotations

import hashlib
import re
import string
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import TemplateProblem
from ..paths import DEFAULT_CONTENT
from .brand import Brand, load_brand
from .safeyaml import LineDict, line_of, read_yaml

ASK_FIELDS = ("id", "title", "case", "letter", "mp_action")
ID_RE = re.compile(r"^[a-z0-9][a-z0-9-]{0,39}$")
NATIONS = ("England", "Wales", "Scotland", "Northern Ireland")
PHRASES = ("openings", "figures_intro", "asks_intro", "reply")
CHART_TYPES = ("line", "bar")
# What a figure's wording may name in braces (content/figures.yaml explains each).
FIGURE_FIELDS = ("place", "place_s", "label", "value", "share", "period", "england", "earlier",
                 "since", "change", "england_change")
ALWAYS_KNOWN = {"place", "place_s", "label", "value", "share", "period"}
# Texts a campaign must give, because the shared templates print them (dotted: nested key).
REQUIRED_TEXT = ("name", "slogan", "issue", "issue_short", "devolved_note", "no_asks_note",
                 "words.topic", "words.topic_short", "words.minister",
                 "words.letter_subject", "words.event", "words.deck_title",
                 "words.practitioners", "words.stories_prompt")
REQUIRED_LISTS = ("how_to_help", "dos", "donts", "talking_points", "roundtable.invite",
                  "roundtable.etiquette", "roundtable.afterwards")


@dataclass(frozen=True)
class Problem:
    """One thing wrong in a campaign's files: where, and what to do about it."""

    file: str
    line: int | None
    message: str
    warning: bool = False

    def __str__(self) -> str:
        where = f"{self.file}, line {self.line}" if self.line else self.file
        return f"{where}: {self.message}"


@dataclass(frozen=True)
class Ask:
    id: str
    title: str
    case: str
    letter: str
    mp_action: str
    questions: tuple[str, ...]
    nations: tuple[str, ...] = ("England",)
    letter_variants: tuple[str, ...] = ()  # other wordings of `letter`; each letter picks one

    @property
    def letters(self) -> tuple[str, ...]:
        return (self.letter,) + self.letter_variants


@dataclass(frozen=True)
class ChartSpec:
    """A chart the campaign cites: one measure over time, for a council (and England)."""

    id: str
    measure: str
    type: str  # "line" or "bar"
    title: str
    y_title: str = ""
    x_title: str = ""
    periods: int = 6
    with_england: bool = False
    documents: tuple[str, ...] = ("deck",)  # where it is drawn: the deck, the briefing


CHART_DOCUMENTS = ("deck", "briefing")


@dataclass(frozen=True)
class Campaign:
    id: str
    folder: Path
    info: dict[str, Any]  # campaign.yaml over defaults.yaml: what templates read as `campaign`
    asks: tuple[Ask, ...]
    phrasing: dict[str, tuple[str, ...]]
    brand: Brand
    measures: tuple[str, ...] = ()  # measure ids the campaign cites, in order
    charts: tuple[ChartSpec, ...] = ()
    template_dirs: tuple[Path, ...] = ()  # the campaign's own template overrides, first wins
    files: dict[str, Path] = field(default_factory=dict)  # which file each part came from
    # how a letter words each measure's figure (content/figures.yaml, then campaign.yaml's
    # figure_wordings); "any" for a measure without its own
    figure_wordings: dict[str, tuple[str, ...]] = field(default_factory=dict)

    @property
    def ask_ids(self) -> list[str]:
        return [a.id for a in self.asks]

    @property
    def keywords(self) -> tuple[str, ...]:
        return tuple(self.info.get("keywords") or (self.info["words"]["topic_short"],))

    def choose_asks(self, ids: list[str] | None) -> list[Ask]:
        """The asks named (in the order given), or the campaign's defaults."""
        wanted = ids or list(self.info.get("default_asks") or self.ask_ids[:3])
        by_id = {a.id: a for a in self.asks}
        unknown = [i for i in wanted if i not in by_id]
        if unknown:
            where = "" if ids else f" (the default_asks in {self.files['campaign.yaml']})"
            raise TemplateProblem(f"unknown ask id {', '.join(unknown)}{where}; valid ids: "
                                  f"{', '.join(self.ask_ids)}")
        return [by_id[i] for i in dict.fromkeys(wanted)]

    def pick(self, kind: str, seed: str) -> str:
        """One wording of `kind`, the same every time for the same seed (sender + seat)."""
        options = self.phrasing.get(kind) or ("",)
        digest = hashlib.sha256(f"{kind}|{seed}".encode()).digest()
        return options[int.from_bytes(digest[:4], "big") % len(options)]


# -- where campaigns live ----------------------------------------------------------------------
def content_roots(override: Path | None) -> list[Path]:
    return ([override] if override else []) + [DEFAULT_CONTENT]


def list_campaigns(override: Path | None = None) -> list[str]:
    """Ids of every campaign folder (one holding campaign.yaml) in the content roots."""
    ids: set[str] = set()
    for root in content_roots(override):
        if (root / "campaign.yaml").is_file() and override is not None and root == override:
            continue  # a folder of overrides for one campaign, not a campaign of its own
        if root.is_dir():
            ids.update(p.name for p in root.iterdir()
                       if p.is_dir() and (p / "campaign.yaml").is_file())
    return sorted(ids)


def default_campaign(override: Path | None = None) -> str:
    """The campaign used without --campaign: content/campaigns.yaml's `default`."""
    for root in content_roots(override):
        path = root / "campaigns.yaml"
        if path.is_file():
            data = read_yaml(path)
            if isinstance(data, dict) and isinstance(data.get("default"), str):
                return data["default"]
    ids = list_campaigns(override)
    if len(ids) == 1:
        return ids[0]
    raise TemplateProblem("no-default-campaign",
                          campaigns=", ".join(ids) or "no campaigns found")


def find_file(name: str, campaign_id: str, override: Path | None) -> Path | None:
    """A campaign's file, overridable file by file: DIR/name, DIR/id/name, content/id/name."""
    candidates = [override / name, override / campaign_id / name] if override else []
    candidates.append(DEFAULT_CONTENT / campaign_id / name)
    return next((p for p in candidates if p.is_file()), None)


def shared_file(name: str, override: Path | None) -> Path | None:
    """A file shared by every campaign (defaults.yaml, brand.yaml), override first."""
    return next((r / name for r in content_roots(override) if (r / name).is_file()), None)


# -- loading and checking ------------------------------------------------------------------------
def load_campaign(campaign_id: str | None = None, override: Path | None = None) -> Campaign:
    """The campaign, checked; the first error stops it (`check` lists them all)."""
    campaign, problems = read_campaign(campaign_id, override)
    errors = [p for p in problems if not p.warning]
    if len(errors) == 1:
        raise TemplateProblem(str(errors[0]))
    if errors:
        raise TemplateProblem("campaign-problems", first=str(errors[0]),
                              more=len(errors) - 1)
    assert campaign is not None
    return campaign


def read_campaign(campaign_id: str | None,
                  override: Path | None) -> tuple[Campaign | None, list[Problem]]:
    """Read and check a campaign's files; returns what could be read and every problem."""
    cid = campaign_id or default_campaign(override)
    if not ID_RE.match(cid):
        raise TemplateProblem(f"'{cid}' is not a campaign id (lower-case letters, digits and "
                              "hyphens)")
    files: dict[str, Path] = {}
    for name in ("campaign.yaml", "asks.yaml", "phrasing.yaml"):
        path = find_file(name, cid, override)
        if path is None and name != "phrasing.yaml":
            known = ", ".join(list_campaigns(override)) or "none"
            raise TemplateProblem(f"no campaign '{cid}' ({name} not found); campaigns: {known}")
        if path is not None:
            files[name] = path
    problems: list[Problem] = []
    defaults_path = shared_file("defaults.yaml", override)
    defaults = read_yaml(defaults_path) if defaults_path else {}
    raw_info = read_yaml(files["campaign.yaml"])
    raw_asks = read_yaml(files["asks.yaml"])
    raw_phrasing = read_yaml(files["phrasing.yaml"]) if "phrasing.yaml" in files else None
    shared_phrasing = defaults.get("phrasing") if isinstance(defaults, dict) else None
    if isinstance(shared_phrasing, dict):  # the campaign's banks over the shared ones
        raw_phrasing = _over(shared_phrasing, raw_phrasing)

    info = _merge(defaults if isinstance(defaults, dict) else {}, raw_info, files, problems)
    info.pop("phrasing", None)
    if info.get("id", cid) != cid:
        problems.append(Problem(str(files["campaign.yaml"]), line_of(raw_info, "id"),
                                f"id is '{info.get('id')}' but the folder is '{cid}'"))
    info["id"] = cid
    _check_texts(info, raw_info, files["campaign.yaml"], problems)
    asks = _read_asks(raw_asks, files["asks.yaml"], problems)
    phrasing = _read_phrasing(raw_phrasing, files.get("phrasing.yaml") or defaults_path,
                              problems)
    measures, charts = _read_measures(info, raw_info, files["campaign.yaml"], problems)
    figures_path = shared_file("figures.yaml", override)
    wordings = _read_wordings(read_yaml(figures_path) if figures_path else None,
                              str(figures_path or "figures.yaml"), problems)
    own = info.pop("figure_wordings", None)
    if own is not None:  # the campaign's lists replace the shared ones, measure by measure
        wordings.update(_read_wordings(own, str(files["campaign.yaml"]), problems,
                                       needs_any=False))
    _check_defaults(info, raw_info, asks, files["campaign.yaml"], problems)
    _check_nations(info, raw_info, files["campaign.yaml"], problems)

    brand_path = find_file("brand.yaml", cid, override) or shared_file("brand.yaml", override)
    if brand_path is None:
        raise TemplateProblem("no brand.yaml: put one in content/ or in the campaign's folder")
    files["brand.yaml"] = brand_path
    brand = load_brand(brand_path)
    folder = files["campaign.yaml"].parent
    template_dirs = tuple(d for d in (override / cid / "templates" if override else None,
                                      override / "templates" if override else None,
                                      DEFAULT_CONTENT / cid / "templates")
                          if d is not None and d.is_dir())
    if any(not p.warning for p in problems):
        return None, problems
    return Campaign(cid, folder, info, tuple(asks), phrasing, brand, measures, charts,
                    template_dirs, files, wordings), problems


def _merge(defaults: dict, raw: Any, files: dict[str, Path], problems: list[Problem]) -> dict:
    if not isinstance(raw, dict):
        problems.append(Problem(str(files["campaign.yaml"]), None,
                                "should be a mapping of keys to values (name: ..., issue: ...)"))
        return dict(defaults)
    merged = dict(defaults)
    for key, value in raw.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = {**merged[key], **value}  # words:, roundtable: fill in key by key
        else:
            merged[key] = value
    return merged


def _get(info: dict, dotted: str) -> Any:
    value: Any = info
    for part in dotted.split("."):
        value = value.get(part) if isinstance(value, dict) else None
    return value


def _check_texts(info: dict, raw: Any, path: Path, problems: list[Problem]) -> None:
    for key in REQUIRED_TEXT:
        value = _get(info, key)
        if not isinstance(value, str) or not value.strip():
            problems.append(Problem(str(path), line_of(raw, key),
                                    f"'{key}' is missing or not text"))
    for key in REQUIRED_LISTS:
        value = _get(info, key)
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip()
                                                  for v in value):
            problems.append(Problem(str(path), line_of(raw, key),
                                    f"'{key}' should be a list of texts"))
    sources = info.get("sources") or []
    if not isinstance(sources, list) or not all(
            isinstance(s, dict) and all(isinstance(s.get(k), str) for k in
                                        ("title", "publisher", "date")) for s in sources):
        problems.append(Problem(str(path), line_of(raw, "sources"), "'sources' should be a "
                                "list, each with title, publisher and date (in quotes)"))


def _read_asks(raw: Any, path: Path, problems: list[Problem]) -> list[Ask]:
    if not isinstance(raw, list) or not raw:
        problems.append(Problem(str(path), None, "should be a list of asks (- id: ...)"))
        return []
    asks: list[Ask] = []
    seen: dict[str, int] = {}
    for n, item in enumerate(raw, 1):
        line = getattr(item, "line", None)
        if not isinstance(item, dict):
            problems.append(Problem(str(path), line, f"ask {n} is not a mapping (id: ...)"))
            continue
        missing = [k for k in ASK_FIELDS if not isinstance(item.get(k), str)
                   or not item[k].strip()]
        if missing:
            problems.append(Problem(str(path), line, f"ask {n} ({item.get('id', 'no id')}) is "
                                    f"missing {', '.join(missing)}"))
            continue
        ask_id = item["id"]
        if not ID_RE.match(ask_id):
            problems.append(Problem(str(path), line, f"ask id '{ask_id}' should be lower-case "
                                    "letters, digits and hyphens"))
        if ask_id in seen:
            problems.append(Problem(str(path), line, f"ask id '{ask_id}' is used twice (first "
                                    f"on line {seen[ask_id]}); each ask needs its own id"))
            continue
        seen[ask_id] = line or n
        questions = item.get("questions") or []
        nations = item.get("nations") or ["England"]
        if not isinstance(questions, list) or not all(isinstance(q, str) for q in questions):
            problems.append(Problem(str(path), line, f"ask '{ask_id}': questions should be a "
                                    "list of texts"))
            questions = []
        if not isinstance(nations, list) or any(x not in NATIONS for x in nations):
            problems.append(Problem(str(path), line, f"ask '{ask_id}': nations should be a "
                                    f"list of {', '.join(NATIONS)}"))
            nations = ["England"]
        variants = item.get("letter_variants") or []
        if not isinstance(variants, list) or not all(isinstance(v, str) and v.strip()
                                                     for v in variants):
            problems.append(Problem(str(path), line, f"ask '{ask_id}': letter_variants "
                                    "should be a list of texts"))
            variants = []
        asks.append(Ask(ask_id, item["title"].strip(), " ".join(item["case"].split()),
                        " ".join(item["letter"].split()), " ".join(item["mp_action"].split()),
                        tuple(" ".join(q.split()) for q in questions), tuple(nations),
                        tuple(" ".join(v.split()) for v in variants)))
    return asks


def _read_wordings(raw: Any, where: str, problems: list[Problem],
                   needs_any: bool = True) -> dict[str, tuple[str, ...]]:
    """Each measure's list of wordings, every name in braces checked against FIGURE_FIELDS;
    `any` must have a wording that needs nothing a figure may lack (England, a trend)."""
    if not isinstance(raw, dict):
        problems.append(Problem(where, None, "figure wordings should map each measure (and "
                                "'any') to a list of wordings"))
        return {}
    wordings: dict[str, tuple[str, ...]] = {}
    for measure, value in raw.items():
        line = line_of(raw, str(measure))
        if not isinstance(value, list) or not value or not all(
                isinstance(v, str) and v.strip() for v in value):
            problems.append(Problem(where, line, f"'{measure}' should be a list of one or "
                                    "more wordings"))
            continue
        texts = tuple(" ".join(v.split()) for v in value)
        for text in texts:
            try:
                names = {n for _, n, _, _ in string.Formatter().parse(text) if n is not None}
            except ValueError as exc:
                problems.append(Problem(where, line, f"'{measure}': {exc} in \"{text[:60]}\" "
                                        "(a brace must open and close a name, as {place})"))
                continue
            unknown = sorted(n for n in names if n not in FIGURE_FIELDS)
            if unknown:
                problems.append(Problem(where, line, f"'{measure}': unknown name "
                                        f"{', '.join('{' + n + '}' for n in unknown)} in "
                                        f"\"{text[:60]}\"; names: "
                                        f"{', '.join(FIGURE_FIELDS)}"))
        wordings[str(measure)] = texts
    if needs_any and not any(_names(t) <= ALWAYS_KNOWN for t in wordings.get("any", ())):
        problems.append(Problem(where, line_of(raw, "any"), "'any' needs a wording that uses "
                                "only " + ", ".join(sorted(ALWAYS_KNOWN))))
    return wordings


def _names(text: str) -> set[str]:
    try:
        return {n for _, n, _, _ in string.Formatter().parse(text) if n is not None}
    except ValueError:
        return {"?"}


def _read_phrasing(raw: Any, path: Path | None, problems: list[Problem]
                   ) -> dict[str, tuple[str, ...]]:
    where = str(path or "phrasing.yaml")
    if not isinstance(raw, dict):
        problems.append(Problem(where, None, "should map each of " + ", ".join(PHRASES)
                                + " to a list of wordings"))
        return {}
    phrasing: dict[str, tuple[str, ...]] = {}
    for key in PHRASES:
        value = raw.get(key)
        if not isinstance(value, list) or not value or not all(
                isinstance(v, str) and v.strip() for v in value):
            problems.append(Problem(where, getattr(raw, "line", None),
                                    f"'{key}' should be a list of one or more wordings"))
            continue
        phrasing[key] = tuple(" ".join(v.split()) for v in value)
    for key, value in raw.items():
        if key not in PHRASES and isinstance(value, list):
            phrasing[key] = tuple(" ".join(str(v).split()) for v in value)
    return phrasing


def _read_measures(info: dict, raw: Any, path: Path, problems: list[Problem]
                   ) -> tuple[tuple[str, ...], tuple[ChartSpec, ...]]:
    from ..localdata.sources import MEASURES

    line = line_of(raw, "measures")
    measures = info.get("measures") or []
    if not isinstance(measures, list) or any(m not in MEASURES for m in measures):
        bad = [m for m in measures if m not in MEASURES] if isinstance(measures, list) else []
        problems.append(Problem(str(path), line, f"unknown measure {', '.join(map(str, bad))}"
                                f" in 'measures'; the data has: {', '.join(MEASURES)}"))
        measures = [m for m in measures if m in MEASURES] if isinstance(measures, list) else []
    charts = []
    for n, spec in enumerate(info.get("charts") or [], 1):
        cline = getattr(spec, "line", line)
        if not isinstance(spec, dict) or not all(isinstance(spec.get(k), str)
                                                 for k in ("id", "measure", "type", "title")):
            problems.append(Problem(str(path), cline, f"chart {n} needs id, measure, type "
                                    "and title"))
            continue
        if spec["measure"] not in measures:
            problems.append(Problem(str(path), cline, f"chart '{spec['id']}' draws "
                                    f"'{spec['measure']}', which is not in 'measures'"))
            continue
        if spec["type"] not in CHART_TYPES:
            problems.append(Problem(str(path), cline, f"chart '{spec['id']}': type should be "
                                    f"{' or '.join(CHART_TYPES)}"))
            continue
        periods = spec.get("periods", 6)
        if not isinstance(periods, int) or not 2 <= periods <= 12:
            problems.append(Problem(str(path), cline, f"chart '{spec['id']}': periods should "
                                    "be a whole number from 2 to 12"))
            continue
        documents = spec.get("in", ["deck"])
        if not isinstance(documents, list) or not documents or any(
                d not in CHART_DOCUMENTS for d in documents):
            problems.append(Problem(str(path), cline, f"chart '{spec['id']}': 'in' lists "
                                    f"where it is drawn, from {', '.join(CHART_DOCUMENTS)}"))
            continue
        charts.append(ChartSpec(spec["id"], spec["measure"], spec["type"], spec["title"],
                                str(spec.get("y_title", "")), str(spec.get("x_title", "")),
                                periods, bool(spec.get("with_england", False)),
                                tuple(documents)))
    return tuple(measures), tuple(charts)


def _check_defaults(info: dict, raw: Any, asks: list[Ask], path: Path,
                    problems: list[Problem]) -> None:
    defaults = info.get("default_asks")
    if defaults is None:
        return
    ids = {a.id for a in asks}
    if not isinstance(defaults, list) or not defaults:
        problems.append(Problem(str(path), line_of(raw, "default_asks"),
                                "'default_asks' should be a list of ask ids"))
        return
    unknown = [d for d in defaults if d not in ids]
    if unknown:
        problems.append(Problem(str(path), line_of(raw, "default_asks"),
                                f"default_asks names {', '.join(map(str, unknown))}, which "
                                f"asks.yaml does not have; valid ids: {', '.join(sorted(ids))}"))


def _over(shared: dict, own: Any) -> Any:
    """A campaign's phrasing over the shared banks, keeping its own lines for messages."""
    if own is None:
        return shared
    if not isinstance(own, dict):
        return own
    merged = LineDict({**shared, **own})
    merged.line, merged.lines = getattr(own, "line", 0), getattr(own, "lines", {})
    return merged


NATION_TERMS = ("needs", "needs_short", "plan", "plans", "framework", "government",
                "legislature", "representative", "representative_full")


def _check_nations(info: dict, raw: Any, path: Path, problems: list[Problem]) -> None:
    """Each nation's terms (defaults.yaml `nations`), the freshness rule and the shape of the
    `devolved` texts."""
    nations = info.get("nations")
    for nation in NATIONS:
        entry = nations.get(nation) if isinstance(nations, dict) else None
        missing = [k for k in NATION_TERMS if not isinstance((entry or {}).get(k), str)]
        if missing:
            problems.append(Problem(str(path), line_of(raw, "nations"),
                                    f"'nations' needs {nation} with {', '.join(missing)} "
                                    "(content/defaults.yaml has them for every nation)"))
    years = (info.get("freshness") or {}).get("years") \
        if isinstance(info.get("freshness"), dict) else None
    if not isinstance(years, int | float) or isinstance(years, bool) or not 0 < years <= 50:
        problems.append(Problem(str(path), line_of(raw, "freshness"),
                                "'freshness' should be a mapping with years: a number of "
                                "years (a letter leaves out figures older than that)"))
    if "devolved" in info and not isinstance(info["devolved"], dict):
        problems.append(Problem(str(path), line_of(raw, "devolved"),
                                "'devolved' should be a mapping of the texts that replace "
                                "England's for a seat in Wales, Scotland or Northern Ireland"))
