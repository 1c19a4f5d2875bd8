"""One definition of every content file: the keys each holds, which are required, what each
value is, how long it may be and which names in braces each text may use.

The loader (campaign.py, brand.py) and `campaign-kit check` validate with it, so a file the
loader accepts is one `check` passes and the other way round; content/schema/*.json are made
from it (`json_schema`, scripts/make_schemas.py) so that an editor with a YAML extension
checks and completes a file as it is typed. Every problem names its file and line: an unknown
key at its own line with the nearest known key, a missing key at the line of the mapping that
lacks it, a wrong name in braces at the text that holds it. One mistake gives one message: a
misspelt required key is reported once (as misspelt, not also as missing), and nothing
inside a value of the wrong shape is reported.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from typing import Any

MISSING: Any = object()
ID_PATTERN = r"^[a-z0-9][a-z0-9-]{0,39}$"
COLOUR_PATTERN = r"^#[0-9a-fA-F]{6}$"
# A font family name as stylesheets and themes take it: letters, digits, spaces and hyphens,
# starting and ending with a letter or digit. Nothing else can reach CSS or a theme's XML.
FONT_PATTERN = r"^[A-Za-z0-9](?:[A-Za-z0-9 \-]{0,62}[A-Za-z0-9])?$"
NATIONS = ("England", "Wales", "Scotland", "Northern Ireland")
# The longest ask title a slide shows on one line at full size; the docs quote this number.
TITLE_MAX = 70
TALKING_POINTS_MAX = 4  # the deck's "national issue" slide shows every talking point
ASKS_PER_LETTER = 3


@dataclass(frozen=True)
class Problem:
    """One thing wrong in a content file: where, and what to do about it. `limit`: the text
    is valid but will not fit where it is printed (a release check: `check` fails, documents
    are still made)."""

    file: str
    line: int | None
    message: str
    warning: bool = False
    limit: bool = False

    def __str__(self) -> str:
        where = f"{self.file}, line {self.line}" if self.line else self.file
        return f"{where}: {self.message}" if where else self.message


# -- quoting and names in braces -----------------------------------------------------------------
def quote(text: str, limit: int = 60) -> str:
    """A text for a message: whole when short, else cut at a word and marked with '...'."""
    flat = " ".join(str(text).split())
    if len(flat) <= limit:
        return f'"{flat}"'
    cut = flat[:limit].rsplit(" ", 1)[0] if " " in flat[:limit] else flat[:limit]
    return f'"{cut.rstrip(",;:")} ..."'


BRACE = re.compile(r"\{([a-z_]+)\}")


def braces(text: str) -> tuple[list[str], str | None]:
    """The names a text holds in braces, in order, and what is wrong with its braces (an
    opening brace that does not close a name, a closing brace with nothing open), if anything."""
    names, at = [], 0
    while at < len(text):
        opening, closing = text.find("{", at), text.find("}", at)
        if opening < 0 and closing < 0:
            break
        if closing >= 0 and (opening < 0 or closing < opening):
            near = quote(text[max(0, closing - 25):closing + 1], 40)
            return names, f"a '}}' closes nothing, at {near}"
        match = BRACE.match(text, opening)
        if not match:
            return names, (f"a '{{' opens but does not close a name, at "
                           f"{quote(text[opening:opening + 30], 40)} (a name in braces is "
                           "lower-case letters and _, like {topic})")
        names.append(match.group(1))
        at = match.end()
    return names, None


def nearest(word: str, choices: Any) -> str | None:
    found = difflib.get_close_matches(str(word), [str(c) for c in choices], n=1, cutoff=0.6)
    return found[0] if found else None


# -- where a value is, and what its texts may name ----------------------------------------------
@dataclass
class At:
    """Where validation is: the file, the best line known, the dotted path for messages, and
    the names texts may use (scope name -> names; a scope of None is not checked)."""

    file: str
    line: int | None
    path: str
    scopes: dict[str, frozenset[str] | None]
    lines: list[str] = field(default_factory=list)  # the file's text, for hints
    out: list[Problem] = field(default_factory=list)

    def at(self, path: str, line: int | None) -> At:
        return At(self.file, line or self.line, path, self.scopes, self.lines, self.out)

    def problem(self, message: str, limit: bool = False, warning: bool = False) -> None:
        self.out.append(Problem(self.file, self.line, message, warning=warning, limit=limit))

    def to_line_with(self, token: str) -> At:
        """The same place, at the line of a long text (a folded block) that holds `token`."""
        start = (self.line or 1) - 1
        for n in range(start, min(start + 60, len(self.lines))):
            if token in self.lines[n]:
                return At(self.file, n + 1, self.path, self.scopes, self.lines, self.out)
        return self

    def source_line(self) -> str:
        return self.lines[self.line - 1] if self.line and self.line <= len(self.lines) else ""


def _what(path: str) -> str:
    """A value's place in its file, as a person would say it: "'title' in item 2",
    "item 5 of 'talking_points'", "'words.topic'"."""
    if not path:
        return "the file"
    found = re.search(r"^(.*)\[(\d+)\](.*)$", path)
    if not found:
        return f"'{path}'"
    head, n, rest = found.group(1), found.group(2), found.group(3).lstrip(".")
    where = f"item {n}" + (f" of '{head}'" if head else "")
    return f"'{rest}' in {where}" if rest else where


def _type_hint(value: Any, at: At) -> str:
    """Why a value that should be text is not, in the words the mistake needs."""
    raw = at.source_line()
    if value is None and re.search(r":\s+#", raw):
        return (": a value starting with # must be in quotes (\"#a3195b\"), or YAML reads the "
                "rest of the line as a comment")
    if value is None:
        return " (it is empty)"
    if isinstance(value, bool):
        return f": YAML reads {raw.split(':', 1)[-1].strip() or value} as yes/no; put it in quotes"
    if isinstance(value, int | float):
        return f": YAML reads {value} as a number; put it in quotes (\"{value}\")"
    if isinstance(value, list):
        return " (it is a list: - item)"
    if isinstance(value, dict):
        return " (it is a mapping of keys)"
    return f" (it is {type(value).__name__})"


class Node:
    description = ""

    def check(self, value: Any, at: At, inherited: Any = MISSING) -> bool:
        """Report what is wrong with value at `at`; True when it has the right shape (so a
        caller may look inside it)."""
        raise NotImplementedError

    def json(self) -> dict[str, Any]:
        raise NotImplementedError

    def _doc(self, schema: dict[str, Any]) -> dict[str, Any]:
        if self.description:
            schema["description"] = self.description
        return schema


@dataclass(frozen=True)
class Text(Node):
    """A text. `names`: the scope whose names it may hold in braces ('none': braces are
    printed as written, so any brace is a mistake; None: not checked, e.g. an id)."""

    description: str = ""
    names: str | None = "none"
    max_length: int | None = None
    pattern: str | None = None
    grammar: str = ""  # what `pattern` means, in words
    empty: bool = False

    def check(self, value: Any, at: At, inherited: Any = MISSING) -> bool:
        if not isinstance(value, str):
            at.problem(f"{_what(at.path)} should be {self.grammar or 'text'}"
                       f"{_type_hint(value, at)}")
            return False
        if not value.strip() and not self.empty:
            at.problem(f"{_what(at.path)} is empty; write {self.grammar or 'its text'}")
            return False
        if self.pattern and not re.match(self.pattern, value):
            at.problem(f"{_what(at.path)} is {quote(value, 40)}; it should be {self.grammar}")
            return False
        if self.names is not None:
            self._check_names(value, at)
        if self.max_length and len(" ".join(value.split())) > self.max_length:
            length = len(" ".join(value.split()))
            at.problem(f"{_what(at.path)} is {length} characters ({quote(value, 50)}); keep it "
                       f"to {self.max_length} so it fits", limit=True)
        return True

    def _check_names(self, value: str, at: At) -> None:
        names, wrong = braces(value)
        if wrong:
            token = re.search(r'at "([^"]{1,12})', wrong)
            at.to_line_with(token.group(1).rstrip(".").strip() if token else "{").problem(
                f"{_what(at.path)}: {wrong}")
            return
        allowed = at.scopes.get(self.names or "none", frozenset())
        if allowed is None:
            return
        for name in dict.fromkeys(names):
            if name in allowed:
                continue
            at = at.to_line_with("{" + name + "}")
            if not allowed:
                at.problem(f"{_what(at.path)} holds {{{name}}} in {quote(value)}, but this text "
                           "is printed as written: nothing in braces is filled in here")
                return
            near = nearest(name, allowed)
            hint = f"; did you mean {{{near}}}?" if near else ""
            at.problem(f"{_what(at.path)}: unknown name {{{name}}} in {quote(value)}{hint} "
                       f"(names here: {', '.join(sorted(allowed))})")
            return

    def json(self) -> dict[str, Any]:
        schema: dict[str, Any] = {"type": "string"}
        if not self.empty:
            schema["minLength"] = 1
        if self.max_length:
            schema["maxLength"] = self.max_length
        if self.pattern:
            schema["pattern"] = self.pattern
        return self._doc(schema)


@dataclass(frozen=True)
class Number(Node):
    description: str = ""
    minimum: float = 0
    maximum: float = 1e9
    integer: bool = True

    def check(self, value: Any, at: At, inherited: Any = MISSING) -> bool:
        kind = "a whole number" if self.integer else "a number"
        ok = isinstance(value, int) if self.integer else isinstance(value, int | float)
        if not ok or isinstance(value, bool) or not self.minimum <= value <= self.maximum:
            at.problem(f"{_what(at.path)} should be {kind} from {self.minimum:g} to "
                       f"{self.maximum:g}, not {quote(str(value), 30)}")
            return False
        return True

    def json(self) -> dict[str, Any]:
        return self._doc({"type": "integer" if self.integer else "number",
                          "minimum": self.minimum, "maximum": self.maximum})


@dataclass(frozen=True)
class Flag(Node):
    description: str = ""

    def check(self, value: Any, at: At, inherited: Any = MISSING) -> bool:
        if not isinstance(value, bool):
            at.problem(f"{_what(at.path)} should be true or false")
            return False
        return True

    def json(self) -> dict[str, Any]:
        return self._doc({"type": "boolean"})


@dataclass(frozen=True)
class Choice(Node):
    values: tuple[str, ...] = ()
    description: str = ""
    what: str = "one of"

    def check(self, value: Any, at: At, inherited: Any = MISSING) -> bool:
        if value in self.values:
            return True
        near = nearest(value, self.values) if isinstance(value, str) else None
        hint = f"; did you mean {near}?" if near else ""
        at.problem(f"{_what(at.path)}: {quote(str(value), 40)} is not {self.what} "
                   f"{', '.join(self.values)}{hint}")
        return False

    def json(self) -> dict[str, Any]:
        return self._doc({"enum": list(self.values)})


@dataclass(frozen=True)
class Items(Node):
    item: Node = field(default_factory=Text)
    description: str = ""
    min_items: int = 0
    max_items: int | None = None
    limit: bool = False  # max_items is a release check (it will not fit), not a hard rule

    def check(self, value: Any, at: At, inherited: Any = MISSING) -> bool:
        if not isinstance(value, list):
            at.problem(f"{_what(at.path)} should be a list (each item on its own line, "
                       f"starting '- '){_type_hint(value, at)}")
            return False
        if len(value) < self.min_items:
            at.problem(f"{_what(at.path)} needs at least {self.min_items} "
                       f"item{'s' if self.min_items > 1 else ''}")
            return False
        lines = getattr(value, "lines", [])
        for n, item in enumerate(value):
            line = lines[n] if n < len(lines) else at.line
            self.item.check(item, at.at(f"{at.path}[{n + 1}]", line), MISSING)
        if self.max_items is not None and len(value) > self.max_items:
            extra = lines[self.max_items] if len(lines) > self.max_items else at.line
            at.at(at.path, extra).problem(
                f"{_what(at.path)} has {len(value)} items; at most {self.max_items} are used",
                limit=self.limit)
        return True

    def json(self) -> dict[str, Any]:
        schema: dict[str, Any] = {"type": "array", "items": self.item.json()}
        if self.min_items:
            schema["minItems"] = self.min_items
        if self.max_items is not None:
            schema["maxItems"] = self.max_items
        return self._doc(schema)


@dataclass(frozen=True)
class Key:
    node: Node
    required: bool = False
    inherited: bool = False  # usually given by content/defaults.yaml (or the union's brand)


@dataclass(frozen=True)
class Keys(Node):
    """A mapping. `fields`: the keys it may hold; `other`: the value of any other key (a map
    keyed by measure or nation), with `other_keys` saying which keys those may be."""

    fields: dict[str, Key] = field(default_factory=dict)
    description: str = ""
    other: Node | None = None
    other_keys: Node | None = None
    name: str = "mapping"  # what it is, for messages: "ask", "chart"

    def check(self, value: Any, at: At, inherited: Any = MISSING) -> bool:
        if not isinstance(value, dict):
            at.problem(f"{_what(at.path)} should be a mapping of keys (key: value)"
                       f"{_type_hint(value, at)}")
            return False
        own_line = getattr(value, "line", None) or at.line
        key_lines = getattr(value, "lines", {})
        base = inherited if isinstance(inherited, dict) else {}
        missing = [k for k, spec in self.fields.items() if spec.required and k not in value
                   and (base.get(k) is None or not spec.inherited)]
        unknown = [k for k in value if k not in self.fields]
        explained: set[str] = set()
        for key in unknown:
            line = key_lines.get(key, own_line)
            if self.other is not None:
                if self.other_keys is None or self.other_keys.check(
                        key, at.at(self._path(at, key), line)):
                    self.other.check(value[key], at.at(self._path(at, key), line),
                                     base.get(key, MISSING))
                continue
            near = nearest(key, [k for k in missing if k not in explained]) or \
                nearest(key, self.fields)
            if near in missing:
                explained.add(near)
                at.at(at.path, line).problem(
                    f"'{key}' is not a key of {self._label(at)}; did you mean '{near}' (which "
                    "is required)?")
            else:
                hint = f"did you mean '{near}'?" if near else \
                    f"the keys are {', '.join(self.fields)}"
                at.at(at.path, line).problem(f"'{key}' is not a key of {self._label(at)}; "
                                             f"{hint}")
        for key in missing:
            if key not in explained:
                at.at(at.path, own_line).problem(f"{self._label(at)} has no '{key}' "
                                                 f"(required)")
        for key, spec in self.fields.items():
            if key in value:
                spec.node.check(value[key], at.at(self._path(at, key),
                                                  key_lines.get(key, own_line)),
                                base.get(key, MISSING))
        return True

    def _path(self, at: At, key: Any) -> str:
        return f"{at.path}.{key}" if at.path else str(key)

    def _label(self, at: At) -> str:
        found = re.search(r"^(.*)\[(\d+)\]$", at.path)
        if found:  # a mapping in a list: "ask 2", "chart 1 of 'charts'"
            head = found.group(1)
            return f"{self.name} {found.group(2)}" + (f" of '{head}'" if head else "")
        return _what(at.path) if at.path else f"this {self.name}"

    def json(self) -> dict[str, Any]:
        schema: dict[str, Any] = {"type": "object"}
        if self.fields:
            schema["properties"] = {k: v.node.json() for k, v in self.fields.items()}
        required = [k for k, v in self.fields.items() if v.required and not v.inherited]
        if required:
            schema["required"] = required
        schema["additionalProperties"] = self.other.json() if self.other else False
        if self.other_keys is not None:
            schema["propertyNames"] = self.other_keys.json()
        return self._doc(schema)


@dataclass(frozen=True)
class Claim(Node):
    """A statement of fact the campaign makes: a text, or {text:, source:} naming where it
    comes from (an id in `sources:` or one of the data sets). A plain text is accepted here;
    the loader lists it as unsourced."""

    text: Text = field(default_factory=Text)
    description: str = ""

    def check(self, value: Any, at: At, inherited: Any = MISSING) -> bool:
        if isinstance(value, str):
            return self.text.check(value, at)
        if isinstance(value, dict):
            return CLAIM_KEYS(self.text).check(value, at)
        self.text.check(value, at)
        return False

    def json(self) -> dict[str, Any]:
        return self._doc({"anyOf": [self.text.json(), CLAIM_KEYS(self.text).json()]})


@dataclass(frozen=True)
class SourceRef(Node):
    """Where a claim comes from: one id, or a list of ids."""

    description: str = "An id from this campaign's sources: list, or a data set id"

    def check(self, value: Any, at: At, inherited: Any = MISSING) -> bool:
        ids = value if isinstance(value, list) else [value]
        if not ids or not all(isinstance(i, str) and i.strip() for i in ids):
            at.problem(f"{_what(at.path)} should be a source id, or a list of them")
            return False
        known = at.scopes.get("sources")
        for ref in ids:
            if known is not None and ref not in known:
                near = nearest(ref, known)
                hint = f"did you mean {near}? " if near else ""
                at.problem(f"{_what(at.path)}: no source '{ref}'; {hint}sources: "
                           f"{', '.join(sorted(known))}")
                return False
        return True

    def json(self) -> dict[str, Any]:
        one = {"type": "string", "minLength": 1}
        return self._doc({"anyOf": [one, {"type": "array", "items": one, "minItems": 1}]})


def CLAIM_KEYS(text: Text) -> Keys:  # noqa: N802 (reads as the schema it builds)
    return Keys({"text": Key(text, required=True), "source": Key(SourceRef(), required=True)},
                name="claim", description="A statement and where it comes from")


# == the content files ===========================================================================
def _texts(description: str, names: str = "campaign", min_items: int = 1, **kw) -> Items:
    return Items(Text(names=names), description=description, min_items=min_items, **kw)


def measure_ids() -> tuple[str, ...]:
    from ..localdata.sources import MEASURES

    return tuple(MEASURES)


def data_set_ids() -> tuple[str, ...]:
    from ..localdata.sources import SOURCES

    return tuple(SOURCES)


def CText(description: str = "", **kw: Any) -> Text:  # noqa: N802 (a kind of Text)
    """A campaign text: what campaign.yaml holds is filled in with the nation's terms and the
    campaign's words before templates read it."""
    return Text(description, names="campaign", **kw)


ID = Text("lower-case letters, digits and hyphens", names=None, pattern=ID_PATTERN,
          grammar="an id of lower-case letters, digits and hyphens (e.g. fair-pay)")
WORDS = Keys({
    "topic": Key(Text("What the campaign is about, as it follows 'about'", names="terms"),
                 required=True),
    "topic_short": Key(Text("Two or three words for the topic", names="terms"), required=True),
    "letter_subject": Key(Text("The letter's subject line, before 'in <constituency>'",
                               names="terms"), required=True),
    "event": Key(Text("What a roundtable is called", names="terms"), required=True),
    "deck_title": Key(Text("The first words of the deck's title", names="terms"),
                      required=True),
    "practitioners": Key(Text("Who the MP will hear from at a roundtable", names="terms"),
                         required=True),
    "minister": Key(Text("Who the letter asks the MP to press", names="terms"), required=True),
    "stories_prompt": Key(Text("The question that opens the stories slide", names="terms"),
                          required=True),
}, "Words the shared templates use about the campaign", name="words")
SOURCE = Keys({
    "id": Key(ID, required=True),
    "title": Key(CText("The page's or report's title"), required=True),
    "publisher": Key(CText("Who published it"), required=True),
    "date": Key(CText("The date the page gives (quoted), only if it gives one")),
    "url": Key(Text("The address the page gives, only if known", names=None,
                    pattern=r"^https?://\S+$", grammar="an address starting https://")),
    "note": Key(CText("Anything a reader should know about the source")),
}, "A page or report the campaign's claims come from", name="source")
AGENDA_ITEM = Keys({
    "item": Key(CText(), required=True), "lead": Key(CText(), required=True),
    "minutes": Key(Number(minimum=1, maximum=120), required=True),
}, name="agenda item")
ROUNDTABLE = Keys({
    "minutes": Key(Number("How long the event lasts", minimum=30, maximum=240)),
    "agenda": Key(Keys({"opening": Key(Items(AGENDA_ITEM)), "closing": Key(Items(AGENDA_ITEM))},
                       "Fixed items around the discussion of the asks", name="agenda")),
    "preparation": Key(Items(Keys({
        "days_before": Key(Number(minimum=-14, maximum=180), required=True),
        "task": Key(CText(), required=True)}, name="preparation step"))),
    "invite": Key(_texts("Who to invite"), required=True, inherited=False),
    "etiquette": Key(_texts("How to behave at the roundtable"), required=True, inherited=True),
    "afterwards": Key(_texts("What to do after it"), required=True, inherited=True),
    "roles": Key(Items(Keys({"role": Key(CText(), required=True),
                             "does": Key(CText(), required=True)}, name="role"),
                       "Who does what at the roundtable (the guide's table)", min_items=1),
                 required=True, inherited=True),
}, "How the campaign runs a roundtable", name="roundtable")
CHART = Keys({
    "id": Key(ID, required=True),
    "measure": Key(Choice(measure_ids(), what="a measure:"), required=True),
    "type": Key(Choice(("line", "bar")), required=True),
    "title": Key(Text(), required=True),
    "y_title": Key(Text()), "x_title": Key(Text()),
    "periods": Key(Number("How many periods it draws", minimum=2, maximum=12)),
    "with_england": Key(Flag("Draw England beside the council")),
    "in": Key(Items(Choice(("deck", "briefing")), min_items=1)),
}, "A chart: one measure over time", name="chart")
FIGURE_WORDINGS = Keys(
    other=Items(Text(names="figure"), min_items=1),
    other_keys=Choice(measure_ids() + ("any",), what="a measure id or 'any':"),
    description="How a letter words each measure's figure; 'any' for the rest", name="wordings")
TERMS = Keys(
    {k: Key(Text(names="none"), required=True, inherited=True)
     for k in ("government", "legislature", "representative", "representative_full")},
    other=Text(names="none"),
    other_keys=Text(names=None, pattern=r"^[a-z_]+$", grammar="a name of lower-case letters "
                    "and _"),
    description="A nation's own terms, used in texts as {name}", name="terms")
NATIONS_TERMS = Keys(other=TERMS, other_keys=Choice(NATIONS, what="a nation:"),
                     description="Each nation's terms", name="nations")

_CAMPAIGN_TEXTS: dict[str, Key] = {
    "slogan": Key(CText("One line under the deck's title"), required=True),
    "keywords": Key(_texts("Keywords the documents carry")),
    "words": Key(WORDS, required=True),
    "issue": Key(Claim(Text(names="campaign")), required=True),
    "issue_short": Key(Claim(Text(names="campaign")), required=True),
    "how_to_help": Key(_texts("What a member can do"), required=True),
    "talking_points": Key(Items(Claim(Text(names="campaign")), "The case in a few sentences: "
                                f"the deck shows them all, so at most {TALKING_POINTS_MAX}",
                                min_items=1, max_items=TALKING_POINTS_MAX), required=True),
    "sources": Key(Items(SOURCE, "The pages and reports the claims come from")),
    "roundtable": Key(ROUNDTABLE, required=True),
    "questions": Key(_texts("Discussion questions for a roundtable without asks"),
                     required=True, inherited=True),
    "story_questions": Key(_texts("More questions on the deck's stories slide", min_items=0)),
}


def optional(node: Node) -> Node:
    """The same shape with no key of any mapping required (a block that overlays another);
    items of a list keep their own required keys."""
    import dataclasses

    if isinstance(node, Keys):
        return dataclasses.replace(node, fields={k: Key(optional(v.node)) for k, v in
                                                 node.fields.items()})
    return node


DEVOLVED = Keys({k: Key(optional(v.node)) for k, v in _CAMPAIGN_TEXTS.items()},
                "What the documents say for a seat in Wales, Scotland or Northern Ireland: "
                "these replace the England texts", name="devolved block")
CAMPAIGN = Keys({
    "id": Key(ID),
    "name": Key(Text("The campaign's name"), required=True),
    **_CAMPAIGN_TEXTS,
    "default_asks": Key(Items(ID, "The asks a letter makes unless the member chooses: at most "
                              f"{ASKS_PER_LETTER}", min_items=1, max_items=ASKS_PER_LETTER)),
    "devolved_note": Key(Text("What a member in Wales, Scotland or Northern Ireland is told",
                              names="terms"), required=True),
    "no_asks_note": Key(Text("What the member is told when no ask applies in their nation",
                             names="terms"), required=True, inherited=True),
    "devolved": Key(DEVOLVED),
    "freshness": Key(Keys({"years": Key(Number("How old a figure a letter may quote",
                                               minimum=0.5, maximum=50, integer=False),
                                        required=True)}, name="freshness"),
                     required=True, inherited=True),
    "measures": Key(Items(Choice(measure_ids(), what="a measure:"), "The published figures the "
                          "campaign cites")),
    "explain": Key(Keys(other=Text(names="campaign"), other_keys=Choice(measure_ids(),
                        what="a measure:"), name="explain",
                        description="Speaker notes that explain a measure")),
    "charts": Key(Items(CHART)),
    "figure_wordings": Key(FIGURE_WORDINGS),
    "dos": Key(_texts("Do's for letter writers"), required=True, inherited=True),
    "donts": Key(_texts("Don'ts for letter writers"), required=True, inherited=True),
    "nations": Key(NATIONS_TERMS, required=True, inherited=True),
}, "A campaign (content/<id>/campaign.yaml)", name="campaign")
ASK = Keys({
    "id": Key(ID, required=True),
    "title": Key(Text("A slide's line: no full stop", max_length=TITLE_MAX), required=True),
    "case": Key(Text("The case for it, in a sentence or three", max_length=600), required=True),
    "letter": Key(Text("Continues 'I am asking you to support ...': lower case, no full stop",
                       max_length=320), required=True),
    "letter_variants": Key(Items(Text(max_length=320), "Other wordings of letter")),
    "mp_action": Key(Text("What the MP can do", max_length=400), required=True),
    "questions": Key(Items(Text(), "Roundtable discussion questions")),
    "nations": Key(Items(Choice(NATIONS, what="a nation:"), "Where the ask applies "
                         "(England if left out)", min_items=1)),
    "source": Key(SourceRef()),
}, "An ask", name="ask")
ASKS = Items(ASK, "The campaign's asks (content/<id>/asks.yaml)", min_items=1)

# What each phrasing bank's wordings may name in braces, beyond the nation's terms and the
# campaign's words: what the letter knows when it picks that bank.
BANK_NAMES: dict[str, tuple[str, ...]] = {
    "openings": ("seat",), "figures_intro": ("seat",), "asks_intro": ("seat",),
    "reply": ("seat",), "introductions": ("role_a", "school", "seat"),
    "introductions_school": ("school", "seat"), "introductions_role": ("role_a", "seat"),
    "all_councils": ("seat", "councils"), "other_councils": ("seat", "others"),
    "raise": ("seat", "these"), "visit": ("seat",), "devolved": ("seat",),
    "devolved_mp": ("seat",), "devolved_offer": ("seat",),
}
OWN_BANKS = ("openings", "figures_intro", "asks_intro", "reply")
PHRASING = Keys({bank: Key(Items(Text(names=f"bank:{bank}"), min_items=1), required=True,
                           inherited=bank not in OWN_BANKS) for bank in BANK_NAMES},
                "Wordings of each part of the letter (content/<id>/phrasing.yaml)",
                name="phrasing")
DEFAULTS = Keys({**{k: Key(optional(v.node)) for k, v in CAMPAIGN.fields.items()},
                 "phrasing": Key(optional(PHRASING))},
                "What every campaign starts from (content/defaults.yaml)", name="defaults")
BRAND = Keys({
    "organisation": Key(Keys({
        "name": Key(Text("As printed: NAHT"), required=True),
        "full_name": Key(Text()), "website": Key(Text()), "email": Key(Text()),
        "phone": Key(Text(names=None)),
    }, "Who the documents come from: a campaign's own replaces the union's whole",
       name="organisation"), required=True, inherited=True),
    "colours": Key(Keys({
        **{k: Key(Text(names=None, pattern=COLOUR_PATTERN, grammar='a colour like "#1b4f72" '
                       "(in quotes)"), required=True, inherited=True)
           for k in ("text", "background", "primary", "accent", "muted")},
        "chart": Key(Items(Text(names=None, pattern=COLOUR_PATTERN,
                                grammar='a colour like "#1b4f72" (in quotes)'),
                           "One colour per chart series", min_items=2),
                     required=True, inherited=True),
    }, name="colours"), required=True, inherited=True),
    "fonts": Key(Keys({"body": Key(Text(names=None, pattern=FONT_PATTERN,
                                        grammar="a font name of letters, digits, spaces and "
                                        "hyphens")),
                       "headings": Key(Text(names=None, pattern=FONT_PATTERN,
                                            grammar="a font name of letters, digits, spaces "
                                            "and hyphens"))}, name="fonts")),
    "logo": Key(Text("A PNG or JPEG file in the same folder", names=None,
                     pattern=r"^[^/\\]+\.(png|PNG|jpe?g|JPE?G)$",
                     grammar="the name of a PNG or JPEG file in the same folder")),
    "logo_alt": Key(Text("The logo's text for screen readers")),
}, "The organisation's look (content/brand.yaml, or a campaign's own, which may give only "
   "what differs)", name="brand")
CAMPAIGNS = Keys({"default": Key(ID, required=True)},
                 "Which campaign commands use by default (content/campaigns.yaml)",
                 name="campaigns file")

CODE_ERROR = Keys({
    "name": Key(Text("The council's name as the publisher's row gives it", names=None),
                required=True),
    "code": Key(Text("The code on that row (another council's)", names=None), required=True),
    "council": Key(Text("The code of the council the figures belong to, or none",
                        names=None), required=True),
}, name="known code error")
DATASET = Keys({
    "name": Key(Text("The dataset, as its publisher names it", names=None), required=True),
    "publisher": Key(Text(names=None), required=True),
    "page": Key(Text("The publisher's page, by name", names=None)),
    "url": Key(Text(names=None)),
    "download": Key(Text("Which file to download from that page", names=None)),
    "lead": Key(Text("The measure whose latest period names the kit's edition", names=None)),
    "release": Key(Keys({
        "month": Key(Number("The month a release comes out", minimum=1, maximum=12),
                     required=True),
        "years_after": Key(Number("Years after the start of the period it covers",
                                  minimum=0, maximum=5)),
    }, name="release")),
    "checked": Key(Text("Where the release cycle was found", names=None)),
    "known_code_errors": Key(Items(CODE_ERROR, "Rows whose code is another council's, "
                                   "confirmed by name")),
}, name="dataset")
DATASETS = Keys({"datasets": Key(Keys(other=DATASET, other_keys=Text(names=None),
                                      name="datasets"), required=True)},
                "The data sets in the kit and when their publishers release them "
                "(content/datasets.yaml)", name="datasets file")

# content/evidence.yaml (issue 20): which figures a member's story points to, and each
# figure's finding as a headline (campaign_kit/content/evidence.py reads it).
STORY_TOPIC = Keys({
    "about": Key(Text("What the story speaks of, for people reading the file"), required=True),
    "words": Key(Items(Text("A word of a story (any case); ending in * for any ending; two "
                            "or more words for a phrase"), min_items=1), required=True),
    "measures": Key(Items(Choice(measure_ids(), what="a measure:"), "The figures the words "
                          "point to, preferred in that order", min_items=1), required=True),
}, "Words in a member's story and the figures they point to", name="story topic")
EVIDENCE = Keys({
    "story": Key(Items(STORY_TOPIC, "Topics a story may speak of")),
    "headlines": Key(Keys(other=Text("A figure's finding in a few words", names="headline"),
                          other_keys=Choice(measure_ids(), what="a measure id:"),
                          name="headlines")),
}, "How documents choose and headline the figures that argue the case "
   "(content/evidence.yaml)", name="evidence file")

FILES: dict[str, Node] = {"campaign.yaml": CAMPAIGN, "asks.yaml": ASKS,
                          "phrasing.yaml": PHRASING, "brand.yaml": BRAND,
                          "figures.yaml": FIGURE_WORDINGS, "campaigns.yaml": CAMPAIGNS,
                          "defaults.yaml": DEFAULTS, "datasets.yaml": DATASETS,
                          "evidence.yaml": EVIDENCE}


class _Everything(dict):
    """What a file validated without its required keys (defaults.yaml) inherits: all."""

    def get(self, key, default=None):
        return self


EVERYTHING = _Everything()


def validate(name: str, value: Any, file: str, scopes: dict[str, frozenset[str] | None],
             text: str = "", inherited: Any = MISSING) -> list[Problem]:
    """Every problem in one content file's parsed value (read with line numbers)."""
    at = At(file, getattr(value, "line", None) or 1, "", scopes, text.splitlines())
    FILES[name].check(value, at, inherited)
    return at.out


def json_schema(name: str) -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of one content file, for editors."""
    schema = FILES[name].json()
    return {"$schema": "https://json-schema.org/draft/2020-12/schema",
            "$id": f"https://campaign-kit.invalid/schema/{name.replace('.yaml', '.schema.json')}",
            "title": f"campaign-kit {name}", **schema}


def schema_text(name: str) -> str:
    """The JSON Schema file's text, exactly as content/schema/ holds it."""
    import json

    return json.dumps(json_schema(name), indent=2, ensure_ascii=False) + "\n"
