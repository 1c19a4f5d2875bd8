"""Loading the campaigns team's YAML safely: bounded in size, depth and expansion.

`yaml.safe_load` already refuses Python objects, but not work without end: an alias bomb (a
few lines whose anchors refer to anchors, "billion laughs") loads as a small graph of
shared lists that grows to gigabytes as soon as anything walks it, and a recursive anchor
(`&a [*a]`) loads as a list that contains itself. So every file is checked before anything
is built from it, and refused with one line naming the file, the line and the reason.

Limits chosen: 1 MiB a file (the bundled files are 2-4 KB; a campaign of 50 asks with long
texts fits in 200 KB); 100,000 nodes once every alias is expanded (the bundled files have
about 300); nesting 64 deep (they use 3). The text must be UTF-8.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from ..errors import TemplateProblem
from ..textfiles import read_text

MAX_BYTES = 1024 * 1024
MAX_NODES = 100_000
MAX_DEPTH = 64


class _Refused(Exception):
    def __init__(self, reason: str, mark=None):
        super().__init__(reason)
        self.reason, self.mark = reason, mark


class _Bounded:
    """Mixed into a SafeLoader: measures the composed node graph before constructing any
    Python value from it."""

    def compose_document(self):
        node = super().compose_document()
        if node is not None:
            _measure(node, {}, set(), 0)
        return node


_LOADERS: dict[type, type] = {}


def _bounded(loader: type) -> type:
    if loader not in _LOADERS:
        _LOADERS[loader] = type(f"Bounded{loader.__name__}", (_Bounded, loader), {})
    return _LOADERS[loader]


def _measure(node, sizes: dict[int, int], active: set[int], depth: int) -> int:
    """Nodes in `node` with every alias expanded (shared nodes counted each time used)."""
    key = id(node)
    if key in sizes:
        return sizes[key]
    if key in active:
        raise _Refused("an alias refers to the list or mapping that contains it", node.start_mark)
    if depth > MAX_DEPTH:
        raise _Refused(f"nested more than {MAX_DEPTH} levels deep", node.start_mark)
    active.add(key)
    size = 1
    if isinstance(node, yaml.SequenceNode):
        for child in node.value:
            size += _measure(child, sizes, active, depth + 1)
            if size > MAX_NODES:
                break
    elif isinstance(node, yaml.MappingNode):
        for k, v in node.value:
            size += _measure(k, sizes, active, depth + 1) + _measure(v, sizes, active, depth + 1)
            if size > MAX_NODES:
                break
    active.discard(key)
    if size > MAX_NODES:
        raise _Refused(f"it expands to more than {MAX_NODES:,} values (aliases that repeat "
                       "aliases, an 'alias bomb')", node.start_mark)
    sizes[key] = size
    return size


def load_yaml(path: Path, what: str, loader: type = yaml.SafeLoader) -> Any:
    """The YAML in `path` (`what` says what it is, e.g. 'content file'), or TemplateProblem
    naming the file, the line and what is wrong in plain words, with the likely fix (as data
    too: the error's `file` and `line`). `loader` is SafeLoader or a subclass of it (LineLoader
    keeps line numbers), bounded here either way."""
    text = read_text(path, what, MAX_BYTES)
    try:
        return yaml.load(text, Loader=_bounded(loader))  # noqa: S506 (a SafeLoader subclass)
    except _Refused as exc:
        line = exc.mark.line + 1 if exc.mark is not None else None
        raise TemplateProblem(f"{what} refused: {exc.reason}", file=str(path), line=line) \
            from None
    except yaml.MarkedYAMLError as exc:
        line, words = explain(exc, text)
        raise TemplateProblem(words, file=str(path), line=line) from None
    except yaml.YAMLError as exc:
        raise TemplateProblem(f"not valid YAML: {exc}", file=str(path)) from None
    except RecursionError:
        raise TemplateProblem("not valid YAML: nested too deeply", file=str(path)) from None
    except (ValueError, TypeError, OverflowError) as exc:  # e.g. a date like 2025-13-45
        raise TemplateProblem(f"a value cannot be read ({exc}); put it in quotes to keep it "
                              "as text", file=str(path)) from None


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _above(lines: list[str], n: int) -> tuple[int, str]:
    """The nearest line above line n (1-based) that holds something, and its number."""
    for k in range(n - 1, 0, -1):
        if lines[k - 1].strip() and not lines[k - 1].lstrip().startswith("#"):
            return k, lines[k - 1]
    return 0, ""


def _spaces(n: int) -> str:
    return "one space" if n == 1 else f"{n} spaces"


def explain(exc: yaml.MarkedYAMLError, text: str) -> tuple[int | None, str]:
    """A parser error as the line it is on and what to do, in the campaigns team's words."""
    mark = exc.problem_mark or exc.context_mark
    lines = text.splitlines()
    n = mark.line + 1 if mark is not None else None
    problem = " ".join(str(exc.problem or "").split())
    here = lines[n - 1] if n and n <= len(lines) else ""
    started = exc.context_mark.line + 1 if exc.context_mark is not None else n
    value = here.split(":", 1)[1].strip() if ":" in here else here.strip().lstrip("- ")
    if "'\\t'" in problem or "\t" in here[:_indent(here) + 1]:
        return n, ("this line is indented with a tab; YAML indents with spaces only: replace "
                   "the tab with spaces")
    if "cannot start any token" in problem:
        char = problem.split("'")[1] if "'" in problem else "that character"
        return n, f"a text starting with {char} must be in quotes"
    if problem.startswith("found undefined alias"):
        return n, ("a text starting with * must be in quotes (YAML reads *name as a "
                   "reference to an anchor)")
    if "end of stream" in problem and "quoted" in str(exc.context or ""):
        return started, "a quote opened on this line is never closed"
    inside = "\n".join(lines[(started or 1) - 1:n or len(lines)])
    comment = ("; a # after a space starts a comment, so a colour starting with # must be in "
               "quotes" if re.search(r"\s#", inside) else "")
    if "flow sequence" in str(exc.context or ""):
        return started, f"a list in [ ] opened on this line is not closed with ]{comment}"
    if "flow mapping" in str(exc.context or ""):
        return started, f"a mapping in {{ }} opened on this line is not closed with }}{comment}"
    k, previous = _above(lines, n or 0)
    if problem == "mapping values are not allowed here" and n:
        if previous and _indent(here) > _indent(previous) and not previous.rstrip().endswith(":"):
            return n, (f"this line is indented {_spaces(_indent(here) - _indent(previous))} "
                       f"more than the line above; line it up with line {k}")
        if previous and ":" not in previous and _indent(here) == _indent(previous):
            return k, "this line has no ':' after its key (key: value)"
        return n, ("this text holds ': ', so YAML reads it as another key: put the whole text "
                   "in quotes")
    if problem.startswith("expected <block end>") and n:
        if value.startswith(("{", "[")) or here.lstrip("- ").startswith(("{", "[")):
            return n, "a text starting with { or [ must be in quotes"
        if value.startswith("'") or value.startswith('"'):
            return n, ("a text in quotes goes on after its closing quote; an apostrophe inside "
                       "'single quotes' is written twice ('It''s'), or use \"double quotes\"")
        if previous and previous.lstrip().startswith("- ") and not here.lstrip().startswith("-"):
            return n, ("this line is inside a list (items start with '- ') but is not an item; "
                       "start it with '- ' or indent it under an item")
        if previous and _indent(here) != _indent(previous):
            more = _indent(here) - _indent(previous)
            return n, (f"this line is indented {_spaces(abs(more))} "
                       f"{'more' if more > 0 else 'less'} than the line above; keys of one "
                       "mapping line up")
    words = problem or "not valid YAML"
    return n, f"not valid YAML: {words}" + (f" ({exc.context})" if exc.context else "")


# -- keeping line numbers -----------------------------------------------------------------------
class LineDict(dict):
    """A YAML mapping that remembers its lines (its own and each key's), for messages."""

    line: int = 0
    lines: dict[Any, int]


class LineList(list):
    """A YAML list that remembers its line and each item's."""

    line: int = 0
    lines: list[int]


class LineLoader(yaml.SafeLoader):
    pass


def _construct_mapping(loader: LineLoader, node: yaml.MappingNode) -> LineDict:
    mapping = LineDict()
    mapping.line = node.start_mark.line + 1
    mapping.lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        try:
            hash(key)
        except TypeError:
            raise yaml.constructor.ConstructorError(
                None, None, "a key must be a word, not a list or mapping",
                key_node.start_mark) from None
        if key in mapping:
            raise yaml.constructor.ConstructorError(
                None, None, f"the key '{key}' appears twice in one mapping",
                key_node.start_mark)
        mapping[key] = loader.construct_object(value_node, deep=True)
        mapping.lines[key] = key_node.start_mark.line + 1
    return mapping


def _construct_list(loader: LineLoader, node: yaml.SequenceNode) -> LineList:
    items = LineList(loader.construct_object(child, deep=True) for child in node.value)
    items.line = node.start_mark.line + 1
    items.lines = [child.start_mark.line + 1 for child in node.value]
    return items


LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_list)


def read_content(path: Path) -> Any:
    """A content file parsed with its line numbers; a mistake is one TemplateProblem naming
    the file, the line and the fix."""
    return load_yaml(path, "content file", LineLoader)
