"""A campaign is a folder of content: content/<id>/ holds campaign.yaml, asks.yaml,
phrasing.yaml and optionally brand.yaml, a logo and templates/ overriding the defaults.

The campaigns team edits these files, never Python. A content folder of one's own (the
CAMPAIGN_KIT_CONTENT setting) overrides them file by file (DIR/<file> or DIR/<id>/<file>) and
may hold new campaigns. Values a campaign leaves out come from content/defaults.yaml; the
brand from the campaign's own brand.yaml over the union's content/brand.yaml.

Every file is validated against its one definition in schema.py, so loading and `check`
agree: loading refuses a campaign with any error and `check` lists them all, each with its
file and line. Claims (the issue, talking points, asks) may be written as {text:, source:};
templates read their text, and `claims` records where each comes from.
"""

from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import InputProblem, TemplateProblem
from ..paths import DEFAULT_CONTENT, DEFAULT_TEMPLATES
from . import schema
from .brand import Brand, read_brand
from .safeyaml import LineDict, LineList, read_content
from .schema import ASKS_PER_LETTER, NATIONS, Problem, quote

__all__ = ["Ask", "Campaign", "ChartSpec", "Claim", "Problem", "NATIONS", "load_campaign",
           "read_campaign", "list_campaigns", "default_campaign", "read_yaml",
           "line_of", "LineDict", "LineList"]

ID_RE = re.compile(schema.ID_PATTERN)
# What a figure's wording may name in braces (content/figures.yaml explains each).
FIGURE_FIELDS = ("place", "place_s", "label", "value", "share", "period", "england", "earlier",
                 "since", "change", "england_change")
ALWAYS_KNOWN = {"place", "place_s", "label", "value", "share", "period"}
CAMPAIGN_FILES = ("campaign.yaml", "asks.yaml", "phrasing.yaml")
WHAT_FILES_HOLD = {"asks.yaml": "its asks",
                   "phrasing.yaml": "the wordings of its letters: openings, figures_intro, "
                                    "asks_intro and reply"}


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
    sources: tuple[str, ...] = ()  # where the ask comes from (ids of sources or data sets)

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


@dataclass(frozen=True)
class Claim:
    """A statement the campaign makes (its issue, a talking point, an ask), and where it comes
    from: ids of its `sources:` or of the data sets. No sources: an unsourced claim."""

    file: str
    line: int | None
    what: str  # "talking point 2", "issue", "ask 'fair-pay'"
    text: str
    sources: tuple[str, ...]


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
    claims: tuple[Claim, ...] = ()

    @property
    def ask_ids(self) -> list[str]:
        return [a.id for a in self.asks]

    @property
    def keywords(self) -> tuple[str, ...]:
        return tuple(self.info.get("keywords") or (self.info["words"]["topic_short"],))

    def choose_asks(self, ids: list[str] | None) -> list[Ask]:
        """The asks named (in the order given), or the campaign's defaults."""
        wanted = ids or list(self.info.get("default_asks") or self.ask_ids[:ASKS_PER_LETTER])
        by_id = {a.id: a for a in self.asks}
        unknown = [i for i in wanted if i not in by_id]
        if unknown and ids:  # a person's mistake: say which ids there are
            raise InputProblem("unknown-ask", field="asks", asks=", ".join(unknown),
                               valid=", ".join(self.ask_ids))
        if unknown:
            raise TemplateProblem(f"default_asks names {', '.join(unknown)}, which the "
                                  f"campaign does not have; valid ids: "
                                  f"{', '.join(self.ask_ids)}",
                                  file=str(self.files["campaign.yaml"]))
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
        if root.is_dir():
            ids.update(p.name for p in root.iterdir()
                       if p.is_dir() and (p / "campaign.yaml").is_file())
    return sorted(ids)


def default_campaign(override: Path | None = None) -> str:
    """The campaign used when none is named: campaigns.yaml's `default`."""
    for root in content_roots(override):
        path = root / "campaigns.yaml"
        if path.is_file():
            data = read_yaml(path)
            found = schema.validate("campaigns.yaml", data, str(path), {})
            if found:
                raise TemplateProblem(found[0].message, file=str(path), line=found[0].line)
            return data["default"]
    ids = list_campaigns(override)
    if len(ids) == 1:
        return ids[0]
    raise TemplateProblem("no default campaign: campaigns.yaml should name one (default: ID); "
                          f"campaigns: {', '.join(ids) or 'none found'}")


def find_file(name: str, campaign_id: str, override: Path | None) -> Path | None:
    """A campaign's file, overridable file by file: DIR/name, DIR/id/name, content/id/name."""
    candidates = [override / name, override / campaign_id / name] if override else []
    candidates.append(DEFAULT_CONTENT / campaign_id / name)
    return next((p for p in candidates if p.is_file()), None)


def shared_file(name: str, override: Path | None) -> Path | None:
    """A file shared by every campaign (defaults.yaml, brand.yaml), override first."""
    return next((r / name for r in content_roots(override) if (r / name).is_file()), None)


def read_yaml(path: Path) -> Any:
    """Parse a content file with line numbers; a mistake is one TemplateProblem naming the
    file, the line and the likely fix."""
    return read_content(path)  # bounded: see safeyaml.py


def line_of(mapping: Any, dotted: str = "") -> int | None:
    """The line of a (dotted) key in a mapping read by read_yaml, or the mapping's own."""
    line = getattr(mapping, "line", None)
    for part in dotted.split(".") if dotted else ():
        if not isinstance(mapping, LineDict):
            break
        line = mapping.lines.get(part, line)
        mapping = mapping.get(part)
    return line


# -- loading and checking ------------------------------------------------------------------------
def load_campaign(campaign_id: str | None = None, override: Path | None = None) -> Campaign:
    """The campaign, checked; the first error stops it (`check` lists them all)."""
    campaign, problems = read_campaign(campaign_id, override)
    errors = [p for p in problems if not p.warning and not p.limit]
    if errors:
        more = f" (and {len(errors) - 1} more in the campaign's files)" if len(errors) > 1 \
            else ""
        raise TemplateProblem(f"{errors[0].message}{more}", file=errors[0].file,
                              line=errors[0].line)
    assert campaign is not None
    return campaign


@dataclass
class _Files:
    """What a campaign is read from: each file's path and parsed value (None: unreadable)."""

    paths: dict[str, Path] = field(default_factory=dict)
    values: dict[str, Any] = field(default_factory=dict)
    texts: dict[str, str] = field(default_factory=dict)
    unreadable: set[str] = field(default_factory=set)  # not YAML: its problem is reported

    def read(self, name: str, path: Path | None, problems: list[Problem]) -> None:
        if path is None:
            return
        self.paths[name] = path
        try:
            self.values[name] = read_yaml(path)
            self.texts[name] = path.read_text(encoding="utf-8-sig")
        except TemplateProblem as exc:
            problems.append(Problem(exc.file or str(path), exc.line, exc.reason))
            self.values[name] = None
            self.unreadable.add(name)


def read_campaign(campaign_id: str | None,
                  override: Path | None) -> tuple[Campaign | None, list[Problem]]:
    """Read and check a campaign's files; returns the campaign (None when any file has an
    error) and every problem found."""
    cid = campaign_id or default_campaign(override)
    first = find_file("campaign.yaml", cid, override) if ID_RE.match(cid) else None
    if first is None and campaign_id:  # a person chose it: their value, not the content's
        raise InputProblem("unknown-campaign", field="campaign", value=cid,
                           campaigns=", ".join(list_campaigns(override)) or "none")
    if not ID_RE.match(cid):
        raise TemplateProblem(f"'{cid}' is not a campaign id (lower-case letters, digits and "
                              "hyphens)")
    if first is None:
        known = ", ".join(list_campaigns(override)) or "none"
        raise TemplateProblem(f"no campaign '{cid}' (no folder with its campaign.yaml); "
                              f"campaigns: {known}")
    folder = first.parent
    problems: list[Problem] = linked_files(cid, override)
    files = _Files()
    for name in CAMPAIGN_FILES:
        path = find_file(name, cid, override)
        if path is None:
            problems.append(Problem(str(folder / name), None, f"missing: the campaign folder "
                                    f"{folder} needs {name} ({WHAT_FILES_HOLD[name]})"))
        files.read(name, path, problems)
    for name in ("defaults.yaml", "figures.yaml"):
        files.read(name, shared_file(name, override), problems)
    defaults = files.values.get("defaults.yaml") if isinstance(
        files.values.get("defaults.yaml"), dict) else {}
    raw = files.values.get("campaign.yaml")
    scopes = _scopes(defaults, raw if isinstance(raw, dict) else {})
    if not isinstance(raw, dict) or "defaults.yaml" in files.unreadable:
        # what texts may name depends on files that could not be read: that one mistake is
        # reported, and no name in braces or source id is called unknown because of it
        scopes = {k: (v if k in ("none", "figure") else None) for k, v in scopes.items()}
    _validate(files, defaults, scopes, problems)

    template_dirs = tuple(d for d in (override / cid / "templates" if override else None,
                                      override / "templates" if override else None,
                                      DEFAULT_CONTENT / cid / "templates")
                          if d is not None and d.is_dir())
    for folder_ in template_dirs:
        problems += misplaced_templates(folder_)
    own = [p for p in (override / cid / "brand.yaml" if override else None,
                       DEFAULT_CONTENT / cid / "brand.yaml") if p is not None and p.is_file()]
    brand, brand_problems = read_brand(own[0] if own else None,
                                       shared_file("brand.yaml", override))
    problems += brand_problems
    if any(not p.warning and not p.limit for p in problems) or brand is None:
        return None, problems
    campaign = _build(cid, folder, files, defaults, brand, template_dirs, problems)
    if any(not p.warning and not p.limit for p in problems):
        return None, problems
    return campaign, problems


def _validate(files: _Files, defaults: dict, scopes: dict, problems: list[Problem]) -> None:
    """Each readable file against its definition in schema.py (defaults.yaml with nothing
    required, the campaign's files inheriting what defaults.yaml gives)."""
    shared_phrasing = defaults.get("phrasing") if isinstance(defaults.get("phrasing"),
                                                             dict) else {}
    plan = (("defaults.yaml", schema.EVERYTHING), ("campaign.yaml", defaults),
            ("asks.yaml", schema.MISSING), ("phrasing.yaml", shared_phrasing),
            ("figures.yaml", schema.MISSING))
    for name, inherited in plan:
        if name in files.paths and name not in files.unreadable:
            problems += schema.validate(name, files.values[name], str(files.paths[name]),
                                        scopes, files.texts.get(name, ""), inherited)


def _scopes(defaults: dict, raw: dict) -> dict[str, frozenset[str] | None]:
    """The names each kind of text may hold in braces, for this campaign: the nation's terms
    (every nation's, from defaults.yaml and the campaign's `nations`), its words, a letter's
    details for each phrasing bank, and the ids a claim's `source:` may name."""
    nations = deep_merge(defaults.get("nations") if isinstance(defaults.get("nations"), dict)
                          else {}, raw.get("nations") if isinstance(raw.get("nations"), dict)
                          else {})
    sets = [set(nations.get(n) or {}) if isinstance(nations.get(n), dict) else set()
            for n in NATIONS]
    terms = frozenset(set.intersection(*sets) | {"nation", "campaign"})
    words = frozenset(schema.WORDS.fields)
    ids = {s.get("id") for block in (raw, raw.get("devolved") if isinstance(
        raw.get("devolved"), dict) else {}) for s in (block.get("sources") or [])
        if isinstance(block.get("sources"), list) and isinstance(s, dict)}
    scopes: dict[str, frozenset[str] | None] = {
        "none": frozenset(), "terms": terms, "campaign": terms | words,
        "figure": frozenset(FIGURE_FIELDS),
        "sources": frozenset(i for i in ids if isinstance(i, str)) | frozenset(
            schema.data_set_ids())}
    for bank, extra in schema.BANK_NAMES.items():
        scopes[f"bank:{bank}"] = terms | words | frozenset(extra)
    return scopes


def deep_merge(base: dict, over: dict) -> dict:
    """`over` on `base`, mapping by mapping (lists and texts replace)."""
    merged = dict(base)
    for key, value in over.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = deep_merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def _build(cid: str, folder: Path, files: _Files, defaults: dict, brand: Brand,
           template_dirs: tuple[Path, ...], problems: list[Problem]) -> Campaign:
    """The Campaign from files that passed their schema, with the checks that span files."""
    raw, paths = files.values["campaign.yaml"], files.paths
    where = str(paths["campaign.yaml"])
    info = deep_merge({k: v for k, v in defaults.items() if k != "phrasing"}, raw)
    if info.get("id", cid) != cid:
        problems.append(Problem(where, line_of(raw, "id"), f"id is '{info.get('id')}' but the "
                                f"folder is '{cid}'"))
    info["id"] = cid
    claims = _claims(info, raw, where)
    if isinstance(info.get("devolved"), dict):
        claims += _claims(info["devolved"], raw.get("devolved"), where, "devolved ")
    asks = _read_asks(files.values["asks.yaml"], str(paths["asks.yaml"]), problems)
    claims += [Claim(str(paths["asks.yaml"]), line, f"ask '{a.id}'", a.title, a.sources)
               for a, line in asks]
    for claim in claims:
        if not claim.sources:
            problems.append(Problem(claim.file, claim.line, f"{claim.what} has no source "
                                    f"({quote(claim.text, 50)}): give it source: with an id "
                                    "from sources: or a data set"))
    _check_default_asks(info, raw, files.values["asks.yaml"], where, problems)
    shared = defaults.get("phrasing") if isinstance(defaults.get("phrasing"), dict) else {}
    phrasing = {k: tuple(" ".join(v.split()) for v in texts) for k, texts in
                {**shared, **files.values["phrasing.yaml"]}.items()}
    measures = tuple(info.get("measures") or ())
    charts = _charts(info, raw, where, measures, problems)
    wordings = _wordings(files, info, raw, where, problems)
    info.pop("figure_wordings", None)
    return Campaign(cid, folder, info, tuple(a for a, _ in asks), phrasing, brand, measures,
                    charts, template_dirs, dict(paths) | {"brand.yaml": Path(brand.source)},
                    wordings, tuple(claims))


def _claim_text(value: Any) -> tuple[str, tuple[str, ...]]:
    if isinstance(value, dict):
        source = value.get("source")
        return " ".join(str(value.get("text", "")).split()), tuple(
            source if isinstance(source, list) else [source])
    return str(value), ()


def _claims(info: dict, raw: Any, where: str, prefix: str = "") -> list[Claim]:
    """The claims in a campaign (or its devolved block), turned into plain texts in `info` for
    the templates, and recorded with their sources and lines."""
    raw = raw if isinstance(raw, dict) else {}
    found = []
    for key in ("issue", "issue_short"):
        if key in info:
            info[key], sources = _claim_text(info[key])
            if key in raw:
                found.append(Claim(where, line_of(raw, key), f"{prefix}{key}", info[key],
                                   sources))
    if isinstance(info.get("talking_points"), list):
        points = []
        items = raw.get("talking_points")
        lines = getattr(items, "lines", [])
        for n, value in enumerate(info["talking_points"]):
            text, sources = _claim_text(value)
            points.append(text)
            if "talking_points" in raw:
                found.append(Claim(where, lines[n] if n < len(lines) else None,
                                   f"{prefix}talking point {n + 1}", text, sources))
        info["talking_points"] = points
    return found


def _read_asks(raw: list, path: str, problems: list[Problem]) -> list[tuple[Ask, int | None]]:
    """The asks (the schema has checked each one's keys), each with its line."""
    asks: list[tuple[Ask, int | None]] = []
    seen: dict[str, int] = {}
    for n, item in enumerate(raw, 1):
        line = getattr(item, "line", None)
        ask_id = item["id"]
        if ask_id in seen:
            problems.append(Problem(path, line, f"ask id '{ask_id}' is used twice (first on "
                                    f"line {seen[ask_id]}); each ask needs its own id"))
            continue
        seen[ask_id] = line or n
        problems += _punctuation(item, path)
        source = item.get("source") or []
        asks.append((Ask(ask_id, item["title"].strip(), " ".join(item["case"].split()),
                         " ".join(item["letter"].split()), " ".join(item["mp_action"].split()),
                         tuple(" ".join(q.split()) for q in item.get("questions") or []),
                         tuple(item.get("nations") or ["England"]),
                         tuple(" ".join(v.split()) for v in item.get("letter_variants") or []),
                         tuple(source if isinstance(source, list) else [source])), line))
    return asks


ENDINGS = (".", "!", "?", ";", ":", ",")


def _punctuation(item: Any, path: str) -> list[Problem]:
    """Ask texts that would print badly: templates add their own punctuation after a title
    and a letter's text, and the letter's text continues a sentence."""
    found = []
    title, letter = " ".join(item["title"].split()), " ".join(item["letter"].split())
    lines = getattr(item, "lines", {})
    if title.endswith(ENDINGS):
        found.append(Problem(path, lines.get("title"), f"ask '{item['id']}': the title ends "
                             f"with '{title[-1]}'; templates add their own punctuation",
                             limit=True))
    for text in [letter, *(" ".join(v.split()) for v in item.get("letter_variants") or [])]:
        if text.endswith(ENDINGS):
            found.append(Problem(path, lines.get("letter"), f"ask '{item['id']}': its letter "
                                 f"text ends with '{text[-1]}', and the letter adds a full stop: "
                                 f"it would print '{' '.join(text.split()[-3:])}.'", limit=True))
    if letter[:1].isupper() and not letter.split()[0].isupper():
        found.append(Problem(path, lines.get("letter"), f"ask '{item['id']}': `letter` "
                             "continues a sentence, so start it in lower case", warning=True))
    return found


def _check_default_asks(info: dict, raw: Any, asks_raw: Any, where: str,
                        problems: list[Problem]) -> None:
    """Every default ask exists: ids are read from every ask with one, so a mistake inside
    an ask is reported there and not again here."""
    defaults = info.get("default_asks")
    if not isinstance(defaults, list) or not isinstance(asks_raw, list):
        return
    ids = {a.get("id") for a in asks_raw if isinstance(a, dict)}
    unknown = [d for d in defaults if d not in ids]
    if unknown:
        near = schema.nearest(unknown[0], [i for i in ids if isinstance(i, str)])
        hint = f"; did you mean {near}?" if near else ""
        problems.append(Problem(where, line_of(raw, "default_asks") or line_of(raw),
                                f"default_asks names {', '.join(map(str, unknown))}, which "
                                f"asks.yaml does not have{hint} (ids: "
                                f"{', '.join(sorted(i for i in ids if isinstance(i, str)))})"))


def _charts(info: dict, raw: Any, where: str, measures: tuple[str, ...],
            problems: list[Problem]) -> tuple[ChartSpec, ...]:
    charts = []
    specs = info.get("charts") or []
    for spec in specs:
        line = getattr(spec, "line", None) or line_of(raw, "charts")
        if spec["measure"] not in measures:
            problems.append(Problem(where, line, f"chart '{spec['id']}' draws "
                                    f"'{spec['measure']}', which is not in 'measures'"))
            continue
        charts.append(ChartSpec(spec["id"], spec["measure"], spec["type"], spec["title"],
                                str(spec.get("y_title", "")), str(spec.get("x_title", "")),
                                spec.get("periods", 6), bool(spec.get("with_england", False)),
                                tuple(spec.get("in", ["deck"]))))
    return tuple(charts)


def _wordings(files: _Files, info: dict, raw: Any, where: str,
              problems: list[Problem]) -> dict[str, tuple[str, ...]]:
    """Each measure's wordings: figures.yaml's, with the campaign's own lists in place of
    any it gives; `any` needs a wording that uses only what every figure has."""
    shared = files.values.get("figures.yaml")
    if "figures.yaml" not in files.paths:
        problems.append(Problem("figures.yaml", None, "missing: the content folder needs "
                                "figures.yaml (how letters word each figure)"))
        return {}
    wordings = {str(k): tuple(" ".join(t.split()) for t in v) for k, v in shared.items()}
    if not any(_names(t) <= ALWAYS_KNOWN for t in wordings.get("any", ())):
        problems.append(Problem(str(files.paths["figures.yaml"]), line_of(shared, "any"),
                                "'any' needs a wording that uses only "
                                + ", ".join(sorted(ALWAYS_KNOWN))))
    for measure, texts in (info.get("figure_wordings") or {}).items():
        wordings[str(measure)] = tuple(" ".join(t.split()) for t in texts)
    return wordings


def _names(text: str) -> set[str]:
    names, wrong = schema.braces(text)
    return {"?"} if wrong else set(names)


# -- the folder itself: links and templates in the wrong place ----------------------------------
def linked_files(campaign_id: str, override: Path | None) -> list[Problem]:
    """A link anywhere in a campaign's folders (files or folders), or a shared file that is a
    link, unless it resolves inside the same content root: content is read from where it is,
    never from wherever a link points."""
    found = []
    for root in content_roots(override):
        if not root.is_dir():
            continue
        real_root = root.resolve()
        paths = [root / name for name in ("defaults.yaml", "figures.yaml", "brand.yaml",
                                          "campaigns.yaml", *CAMPAIGN_FILES, "templates")]
        folder = root / campaign_id
        if folder.is_symlink() or folder.is_dir():
            paths.append(folder)
        if folder.is_dir() and not folder.is_symlink():
            for here, dirs, names in os.walk(folder):
                paths += [Path(here) / n for n in dirs + names]
        if (root / "templates").is_dir() and not (root / "templates").is_symlink():
            for here, dirs, names in os.walk(root / "templates"):
                paths += [Path(here) / n for n in dirs + names]
        for path in paths:
            if path.is_symlink() and not _inside(path, real_root):
                found.append(Problem(str(path), None, f"is a link to {os.readlink(path)}, "
                                     "outside the content folder: copy the file here instead"))
    return found


def _inside(path: Path, root: Path) -> bool:
    try:
        return path.resolve().is_relative_to(root)
    except (OSError, RuntimeError):  # a loop of links
        return False


def known_templates() -> set[str]:
    """Every file a kind reads from a templates folder, as a path inside it."""
    return {str(p.relative_to(DEFAULT_TEMPLATES)) for p in DEFAULT_TEMPLATES.rglob("*")
            if p.is_file() and not p.name.startswith(".")}


INCLUDED = re.compile(r"""{%-?\s*(?:include|import|from|extends)\s+["']([^"']+)["']""")


def misplaced_templates(folder: Path) -> list[Problem]:
    """Files in a templates folder that no document reads (a template in the wrong place is
    silently unused otherwise), each with where it should go."""
    known = known_templates()
    files = [p for p in sorted(folder.rglob("*")) if p.is_file() and not p.name.startswith(".")]
    for path in files:  # a template's own includes are read too
        if path.suffix == ".j2":
            try:
                known |= set(INCLUDED.findall(path.read_text(encoding="utf-8", errors="replace")))
            except OSError:
                continue
    found = []
    for path in files:
        inner = str(path.relative_to(folder))
        if inner in known:
            continue
        same = sorted(k for k in known if Path(k).name == path.name)
        if same:
            fix = f"move it to {folder / same[0]}"
        else:
            folders = sorted({str(Path(k).parent) for k in known if "/" in k})
            fix = f"templates are read from {', '.join(folders)} and reference.docx/.pptx"
        found.append(Problem(str(path), None, f"no document reads templates/{inner}: {fix}"))
    return found
