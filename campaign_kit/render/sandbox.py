"""Bounded template rendering: a template override can be wrong, never endless or enormous.

Jinja2's sandbox stops a template reaching Python internals, but not from asking for
unbounded work: `{% for i in range(100000) %}{% for j in range(100000) %}` never ends and
`'a' * 4000000000` takes 8 GB. The campaigns team's templates (`--templates DIR`) run here,
so every render gets a budget, and what a template can build is capped:

- steps: 1,000,000 per render, counting every loop iteration, every call and every item of
  a `range()` (the bundled templates take about 2,000 for a whole roundtable pack). This is
  deterministic: the same template fails the same way on any machine;
- time: 10 s per render, checked at each step, as a backstop (a deck renders in ~30 ms);
- size: any string or list a template makes (`*`, `+`, `~`, `%`, `format`, `center`,
  `replace`, `join`, `indent` ...) is at most 1,000,000 characters or items, a single
  `range()` at most 100,000 items (Jinja's own cap), numbers at most 100,000 bits, a format
  width or precision at most 1,000;
- output: 2,000,000 characters produced per render (a letter is ~10,000, a deck ~30,000;
  text a macro builds is counted when built and again when printed);
- template files: 512 KiB each, UTF-8, read only from inside their template folder (a
  symlinked template pointing elsewhere is refused: it could bring in any file's text);
- `lipsum` and the `random` filter are removed (output must be the same every run).

Exceeding a limit is a TemplateProblem naming the template and line.
"""

from __future__ import annotations

import contextvars
import os
import posixpath
import re
import string
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from jinja2 import FileSystemLoader, TemplateNotFound, nodes
from jinja2.compiler import CodeGenerator, optimizeconst
from jinja2.exceptions import SecurityError
from jinja2.loaders import split_template_path
from jinja2.runtime import LoopContext
from jinja2.sandbox import ImmutableSandboxedEnvironment

from ..errors import TemplateProblem
from ..textfiles import read_text

MAX_STEPS = 1_000_000
MAX_SECONDS = 10.0
MAX_ITEMS = 1_000_000  # characters of a string, items of a list
MAX_RANGE = 100_000
MAX_BITS = 100_000
MAX_WIDTH = 1_000
MAX_OUTPUT = 2_000_000
MAX_TEMPLATE_BYTES = 512 * 1024
MAX_FILTER_INPUT = 100_000  # characters or items a filter is given


class LimitExceeded(SecurityError):
    """A template asked for more work or memory than a render may use."""


class Budget:
    """What one render may still spend."""

    def __init__(self) -> None:
        self.steps = 0
        self.output = 0
        self.deadline = time.monotonic() + MAX_SECONDS

    def spend(self, steps: int = 1) -> None:
        self.steps += steps
        if self.steps > MAX_STEPS:
            raise LimitExceeded(f"the template took more than {MAX_STEPS:,} steps (loop "
                                "iterations and calls): is a loop nested too deeply?")
        if self.steps & 0xFF == 0 and time.monotonic() > self.deadline:
            raise LimitExceeded(f"the template took more than {MAX_SECONDS:g} s to render")

    def emit(self, size: int) -> None:
        self.output += size
        if self.output > MAX_OUTPUT:
            raise LimitExceeded(f"the template produced more than {MAX_OUTPUT:,} characters")


_BUDGET: contextvars.ContextVar[Budget | None] = contextvars.ContextVar("budget", default=None)


def _current() -> Budget:
    return _BUDGET.get() or Budget()  # outside `budget()`: per-call limits still hold


@contextmanager
def budget() -> Iterator[Budget]:
    """A fresh budget for one render (Templates.render opens one per document)."""
    token = _BUDGET.set(Budget())
    try:
        yield _BUDGET.get()
    finally:
        _BUDGET.reset(token)


# -- sizes ------------------------------------------------------------------------------------
def _check_size(size: int, what: str = "a value") -> None:
    if size > MAX_ITEMS:
        raise LimitExceeded(f"{what} would be {size:,} characters or items; the limit is "
                            f"{MAX_ITEMS:,}")


def _size(value: Any) -> int:
    return len(value) if isinstance(value, str | bytes | list | tuple) else 0


def _check_bits(bits: int) -> None:
    if bits > MAX_BITS:
        raise LimitExceeded(f"a number would have {bits:,} bits; the limit is {MAX_BITS:,}")


_PRINTF = re.compile(r"%(?:\([^)]*\))?[-#0 +]*(\*|\d+)?(?:\.(\*|\d+))?")
_NUMBER = re.compile(r"\d+")


def _check_widths(numbers: list[str], starred: bool) -> None:
    if starred:
        raise LimitExceeded("a format width or precision taken from an argument ('*') is "
                            "not allowed in templates")
    if any(int(n) > MAX_WIDTH for n in numbers if n):
        raise LimitExceeded(f"a format width or precision over {MAX_WIDTH:,}")


def _check_printf(fmt: str) -> None:
    for match in _PRINTF.finditer(fmt):
        width, precision = match.group(1) or "", match.group(2) or ""
        _check_widths([w for w in (width, precision) if w != "*"], "*" in (width, precision))


def _check_format(fmt: str) -> None:
    for _, _, spec, _ in string.Formatter().parse(fmt):
        if spec and "{" in spec:
            raise LimitExceeded("nested format fields are not allowed in templates")
        if spec:
            _check_widths(_NUMBER.findall(spec), False)


def _check_binop(op: str, left: Any, right: Any) -> None:
    if op == "*":
        for seq, count in ((left, right), (right, left)):
            if _size(seq) and isinstance(count, int):
                _check_size(len(seq) * max(count, 0))
        if isinstance(left, int) and isinstance(right, int):
            _check_bits(abs(left).bit_length() + abs(right).bit_length())
    elif op == "**":
        if isinstance(left, int) and isinstance(right, int) and right > 0:
            _check_bits(right * max(abs(left).bit_length(), 1))
    elif op == "+":
        if _size(left) and _size(right):
            _check_size(len(left) + len(right))
    elif op == "%" and isinstance(left, str):
        _check_printf(left)


_STR_METHODS = {"center", "ljust", "rjust", "zfill", "expandtabs", "replace", "join"}


def _check_method(obj: Any, args: tuple, kwargs: dict) -> None:
    """str methods whose result can be far larger than their inputs."""
    owner = getattr(obj, "__self__", None)
    name = getattr(obj, "__name__", "")
    if not isinstance(owner, str) or name not in _STR_METHODS:
        return
    if name in ("center", "ljust", "rjust", "zfill"):
        width = args[0] if args else kwargs.get("width", 0)
        if isinstance(width, int):
            _check_size(width)
    elif name == "expandtabs":
        size = args[0] if args else kwargs.get("tabsize", 8)
        if isinstance(size, int):
            _check_size(len(owner) * max(size, 1))
    elif name == "replace" and len(args) >= 2 and isinstance(args[0], str) \
            and isinstance(args[1], str):
        count = owner.count(args[0]) if args[0] else len(owner) + 1
        if len(args) > 2 and isinstance(args[2], int) and args[2] >= 0:
            count = min(count, args[2])
        _check_size(len(owner) + count * max(len(args[1]) - len(args[0]), 0))
    elif name == "join" and args:
        items = list(args[0])
        _check_size(sum(len(str(i)) for i in items) + len(owner) * len(items))


def bounded_range(*args: int) -> range:
    numbers = range(*args)
    if len(numbers) > MAX_RANGE:
        raise LimitExceeded(f"range() of {len(numbers):,} items; the limit is {MAX_RANGE:,}")
    _current().spend(len(numbers))
    return numbers


def _counted(iterable: Any) -> Iterator[Any]:
    spend = _current().spend
    for item in iterable:
        spend()
        yield item


# -- filters that could build something huge ------------------------------------------------
def _lines(value: Any) -> int:
    return str(value).count("\n") + 1


def _filter_checks() -> dict[str, Any]:
    """filter name -> check(value, *args, **kwargs), run before the filter itself."""

    def center(value, width=80, *_, **__):
        if isinstance(width, int):
            _check_size(width)

    def indent(value, width=4, *_, **__):
        each = width if isinstance(width, int) else len(str(width))
        _check_size(each * _lines(value) + len(str(value)))

    def format_(value, *_, **__):
        _check_printf(str(value))

    def replace(value, old="", new="", count=None, *_, **__):
        extra = (count,) if isinstance(count, int) else ()
        _check_method(str(value).replace, (str(old), str(new)) + extra, {})

    def join(items, d="", *_, **__):
        _check_size(sum(len(str(i)) for i in items) + len(str(d)) * len(items))

    def slices(value, count=1, *_, **__):
        if isinstance(count, int):
            _check_size(count)

    def wordwrap(value, width=79, *_, **__):
        if isinstance(width, int) and width < 1:
            raise LimitExceeded("wordwrap width must be at least 1")

    def sum_(items, attribute=None, start=0, *_, **__):
        if _size(start) or isinstance(start, list | tuple | str):  # sums of lists: quadratic
            values = [getattr(i, str(attribute), i) if attribute else i for i in items]
            total = sum(_size(v) for v in values) + _size(start)
            _check_size(total)
            if total * len(values) > 100 * MAX_ITEMS:
                raise LimitExceeded(f"summing {len(values):,} lists or strings of "
                                    f"{total:,} items in all is too much work; use join")

    return {"sum": sum_, "center": center, "indent": indent, "format": format_, "replace": replace,
            "join": join, "slice": slices, "batch": slices, "wordwrap": wordwrap}


def _guard(original, check):
    """original, with check run first on its arguments (after the context Jinja passes)."""
    passes = hasattr(original, "jinja_pass_arg")

    def guarded(*args: Any, **kwargs: Any) -> Any:
        skip = 1 if passes else 0
        if check.__name__ in ("join", "sum_") and len(args) > skip:  # a generator can be read once
            args = args[:skip] + (list(args[skip]),) + args[skip + 1:]
        check(*args[skip:], **kwargs)
        return original(*args, **kwargs)

    if passes:
        guarded.jinja_pass_arg = original.jinja_pass_arg
    return guarded


def _input_check(value: Any, *_: Any, **__: Any) -> None:
    """Every filter's input: a filter runs in one step (some in C, like `wordwrap`'s regular
    expressions), so the step and time limits cannot stop it half-way; its input is capped
    instead, far above any real document's (a story is at most 5,000 characters)."""
    if _size(value) > MAX_FILTER_INPUT:
        raise LimitExceeded(f"a filter was given {_size(value):,} characters or items; the "
                            f"limit is {MAX_FILTER_INPUT:,}")


def _wrap_filters(filters: dict[str, Any]) -> None:
    checks = _filter_checks()
    for name in list(filters):
        own = checks.get(name)

        def check(*args: Any, _own=own, **kwargs: Any) -> None:
            _input_check(*args[:1])
            if _own is not None:
                _own(*args, **kwargs)

        check.__name__ = own.__name__ if own else name
        filters[name] = _guard(filters[name], check)
    filters.pop("random", None)


# -- compiled templates count their loops and their output -------------------------------------
class _BoundedCodeGenerator(CodeGenerator):
    """Emits the same code as Jinja's, plus: every `for` loop iterates through a counter,
    every piece of output is counted, and `~` checks its result size before joining."""

    def visit_For(self, node: nodes.For, frame) -> None:
        counter = nodes.EnvironmentAttribute("counted_iter", lineno=node.lineno)
        node.iter = nodes.Call(counter, [node.iter], [], None, None, lineno=node.lineno)
        node.iter.set_environment(self.environment)
        super().visit_For(node, frame)

    def _output_child_to_const(self, node, frame, finalize):
        """A constant `none` is left to run time, where finalize refuses it: folded at
        compile time it was escaped before finalize saw it, and printed 'None'."""
        if isinstance(node, nodes.Const) and node.value is None:
            raise nodes.Impossible()
        return super()._output_child_to_const(node, frame, finalize)

    def _output_const_repr(self, group) -> str:
        return f"environment.counted_output({super()._output_const_repr(group)})"

    def _output_child_pre(self, node, frame, finalize) -> None:
        self.write("environment.counted_output(")
        super()._output_child_pre(node, frame, finalize)

    def _output_child_post(self, node, frame, finalize) -> None:
        super()._output_child_post(node, frame, finalize)
        self.write(")")

    @optimizeconst
    def visit_Concat(self, node: nodes.Concat, frame) -> None:
        if frame.eval_ctx.volatile:
            func_name = "(markup_join if context.eval_ctx.volatile else str_join)"
        elif frame.eval_ctx.autoescape:
            func_name = "markup_join"
        else:
            func_name = "str_join"
        self.write(f"environment.bounded_join({func_name}, (")
        for arg in node.nodes:
            self.visit(arg, frame)
            self.write(", ")
        self.write("))")


_HOOKS = ("_output_const_repr", "_output_child_pre", "_output_child_post", "visit_Concat",
          "visit_For", "_output_child_to_const")
if not all(callable(getattr(CodeGenerator, h, None)) for h in _HOOKS):  # pragma: no cover
    raise ImportError("this Jinja2 compiles templates differently from 3.1: the render limits "
                      "in campaign_kit/sandbox.py need updating (install from constraints.txt)")


class BoundedEnvironment(ImmutableSandboxedEnvironment):
    """Jinja2's immutable sandbox (no list.append, dict.update ...) with the limits above."""

    code_generator_class = _BoundedCodeGenerator
    intercepted_binops = frozenset(["*", "**", "+", "%"])

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.globals["range"] = bounded_range
        self.globals.pop("lipsum", None)
        _wrap_filters(self.filters)

    def call_binop(self, context, operator: str, left: Any, right: Any) -> Any:
        _check_binop(operator, left, right)
        return super().call_binop(context, operator, left, right)

    def call(__self, __context, __obj, *args: Any, **kwargs: Any) -> Any:  # noqa: N805
        _current().spend()
        _check_method(__obj, args, kwargs)
        if isinstance(__obj, LoopContext) and args:  # a recursive loop's next level
            args = (_counted(args[0]),) + args[1:]
        return super().call(__context, __obj, *args, **kwargs)

    def wrap_str_format(self, value: Any):
        wrapper = super().wrap_str_format(value)
        if wrapper is None:
            return None

        def checked(*args: Any, **kwargs: Any) -> str:
            _check_format(value.__self__)
            return wrapper(*args, **kwargs)

        return checked

    @staticmethod
    def counted_iter(iterable: Any) -> Iterator[Any]:
        return _counted(iterable)

    @staticmethod
    def counted_output(text: Any) -> Any:
        budget = _current()
        budget.emit(len(text))
        budget.spend()
        return text

    @staticmethod
    def bounded_join(join, parts: tuple) -> str:
        _check_size(sum(len(p) if isinstance(p, str) else len(str(p)) for p in parts))
        return join(parts)


# -- template files -----------------------------------------------------------------------------
class FolderLoader(FileSystemLoader):
    """Templates from one folder, read only if the file really lies inside it (symlinks are
    resolved), is at most 512 KiB and is UTF-8 text."""

    def get_source(self, environment, template: str):
        pieces = split_template_path(template)
        for searchpath in self.searchpath:
            filename = posixpath.join(searchpath, *pieces)
            if os.path.isfile(filename):
                break
        else:
            raise TemplateNotFound(template)
        path = Path(filename)
        inside(Path(searchpath), path, "template")
        contents = read_text(path, "template", MAX_TEMPLATE_BYTES)
        mtime = os.path.getmtime(filename)

        def uptodate() -> bool:
            try:
                return os.path.getmtime(filename) == mtime
            except OSError:
                return False

        return contents, os.path.normpath(filename), uptodate


def inside(root: Path, path: Path, what: str) -> Path:
    """path, if it resolves (symlinks followed) to somewhere inside root; else refused."""
    real_root, real = root.resolve(), path.resolve()
    if not real.is_relative_to(real_root):
        raise TemplateProblem(f"refusing the {what} {path}: it is a link to {real}, outside "
                              f"the template folder {root}")
    return path
