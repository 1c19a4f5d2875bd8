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


def _line(mark) -> str:
    return f", line {mark.line + 1}" if mark is not None else ""


def load_yaml(path: Path, what: str, loader: type = yaml.SafeLoader) -> Any:
    """The YAML in `path` (`what` says what it is, e.g. 'content file'), or TemplateProblem
    naming the file, the line and what is wrong, in one line. `loader` is SafeLoader or a
    subclass of it (campaign.py's keeps line numbers), bounded here either way."""
    text = read_text(path, what, MAX_BYTES)
    try:
        return yaml.load(text, Loader=_bounded(loader))  # noqa: S506 (a SafeLoader subclass)
    except _Refused as exc:
        raise TemplateProblem(f"{path}{_line(exc.mark)}: {what} refused: {exc.reason}") \
            from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        words = " ".join(str(exc.problem or "not valid YAML").split())
        if exc.context:
            started = exc.context_mark
            words += f" ({exc.context}" + (f" that starts on line {started.line + 1}"
                                            if started is not None and started != mark else "")
            words += ")"
        raise TemplateProblem(f"{path}{_line(mark)}: not valid YAML: {words}") from None
    except yaml.YAMLError as exc:
        raise TemplateProblem(f"{path}: not valid YAML: {exc}") from None
    except RecursionError:
        raise TemplateProblem(f"{path}: not valid YAML: nested too deeply") from None
    except (ValueError, TypeError, OverflowError) as exc:  # e.g. a date like 2025-13-45
        raise TemplateProblem(f"{path}: a value cannot be read: {exc}") from None


# -- YAML with line numbers ----------------------------------------------------------------------
class LineDict(dict):
    """A YAML mapping that remembers its lines (its own and each key's), for messages."""

    line: int = 0
    lines: dict[Any, int]


def line_of(mapping: Any, dotted: str = "") -> int | None:
    """The line of a (dotted) key in a mapping read by read_yaml, or the mapping's own."""
    line = getattr(mapping, "line", None)
    for part in dotted.split(".") if dotted else ():
        if not isinstance(mapping, LineDict):
            break
        line = mapping.lines.get(part, line)
        mapping = mapping.get(part)
    return line


class _Loader(yaml.SafeLoader):
    pass


def _construct_mapping(loader: _Loader, node: yaml.MappingNode) -> LineDict:
    mapping = LineDict()
    mapping.line = node.start_mark.line + 1
    mapping.lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if key in mapping:
            raise yaml.constructor.ConstructorError(
                None, None, f"the key '{key}' appears twice in one mapping",
                key_node.start_mark)
        mapping[key] = loader.construct_object(value_node, deep=True)
        mapping.lines[key] = key_node.start_mark.line + 1
    return mapping


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def read_yaml(path: Path) -> Any:
    """Parse a content file; a mistake is one line naming the file, the line and why."""
    return load_yaml(path, "content file", _Loader)  # bounded: see load_yaml
