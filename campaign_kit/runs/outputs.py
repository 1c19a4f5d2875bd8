"""Writing output files: safe names, never outside the output folder, never half-written.

Every write goes through `target_path`, which resolves symlinks and refuses any path that
lands outside the output root the user chose (`--out`): a symlinked `OUT/roundtable-<seat>`
or seat folder pointing elsewhere is refused, not followed. The documents of one letter or
pack are written together (`write_together`): every format goes to a temporary file first
and the set is renamed into place only when all of them were written, so a full disk never
leaves a letter's PDF without its DOCX. One run at a time may write into an output folder
(`output_lock`).
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from ..errors import OutputProblem

LOCK_FILE = ".campaign-kit.lock"


def ensure_folder(folder: Path) -> Path:
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputProblem(f"cannot create the output folder {folder}: "
                            f"{exc.strerror or exc}") from None
    if not os.access(folder, os.W_OK):
        raise OutputProblem(f"the output folder {folder} is not writable")
    return folder


def target_path(out_dir: Path, relative: str) -> Path:
    """out_dir/relative (which may name subfolders), refused if it would land outside out_dir.

    Symlinks are resolved first: a subfolder or file inside out_dir that is a link to
    somewhere else is refused rather than followed.
    """
    root = out_dir.resolve()
    path = (root / relative).resolve()
    if not path.is_relative_to(root) or path == root:
        raise OutputProblem(f"refusing to write {relative}: it would land outside the output "
                            f"folder {out_dir} (through a symbolic link or '..')")
    return path


def check_free(paths: list[Path], force: bool) -> None:
    existing = [p for p in paths if p.exists()]
    if existing and not force:
        raise OutputProblem("exists", names=", ".join(p.name for p in existing[:3]),
                            s="s" if len(existing) == 1 else "", folder=str(existing[0].parent))


def _reason(exc: OSError) -> str:
    return exc.strerror or str(exc)


def _temp_beside(path: Path, data: bytes) -> Path:
    """data in a hidden temporary file in path's folder; removed again if writing fails."""
    ensure_folder(path.parent)
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name[:100]}.", suffix=".part",
                                   dir=path.parent)
    except OSError as exc:
        raise OutputProblem(f"cannot write in {path.parent}: {_reason(exc)}") from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.chmod(tmp, 0o644)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise OutputProblem(f"cannot write {path.name} in {path.parent}: {_reason(exc)}") \
            from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return Path(tmp)


def write_atomic(path: Path, data: bytes) -> None:
    """Write to a temporary file beside path, then rename: a crash leaves the old file or none."""
    write_together([(path, data)])


def write_files(out_dir: Path, files: list[tuple[str, bytes]], force: bool) -> list[Path]:
    """Every (name, bytes) under out_dir (a name may hold subfolders: 'roundtable-x/guide.pdf'),
    written together: nothing if any target exists (without force) or lands outside out_dir,
    and all renamed into place only once all were written."""
    ensure_folder(out_dir)
    targets = [(target_path(out_dir, name), data) for name, data in files]
    check_free([path for path, _ in targets], force)
    write_together(targets)
    return [path for path, _ in targets]


def write_product(product, out_dir: Path, force: bool, under: str = "") -> list[Path]:
    """An Engine.produce result's files in out_dir (below `under`, a seat's folder in a kit
    run: the folder rides on the names, so a symlinked seat folder is refused, not followed)."""
    prefix = f"{under}/" if under else ""
    return write_files(out_dir, [(prefix + f.name, f.data) for f in product.files], force)


def write_together(items: list[tuple[Path, bytes]]) -> None:
    """Write every (path, data) or none of them: all go to temporary files first, then each is
    renamed into place. A failure (a full disk, Ctrl-C) before the renames leaves no new file;
    one during them (very rare: a rename in the same folder needs no space) removes the files
    already renamed, so the formats of one document never go out of step."""
    temps: list[tuple[Path, Path]] = []
    try:
        for path, data in items:
            temps.append((_temp_beside(path, data), path))
    except BaseException:
        for tmp, _ in temps:
            tmp.unlink(missing_ok=True)
        raise
    done: list[Path] = []
    try:
        for tmp, path in temps:
            os.replace(tmp, path)
            done.append(path)
    except BaseException as exc:
        for tmp, _ in temps:
            tmp.unlink(missing_ok=True)
        for path in done:
            path.unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise OutputProblem(f"cannot write {temps[len(done)][1].name}: {_reason(exc)}") \
                from None
        raise


# -- one run per output folder ------------------------------------------------------------------
_HELD: dict[Path, list] = {}  # lock path -> [open file, depth]: re-entrant within a process


@contextmanager
def output_lock(out_dir: Path) -> Iterator[None]:
    """Hold the output folder for this run; a second run on the same folder stops at once with
    a clear message instead of interleaving its manifest and errors.csv with ours.

    An advisory lock (flock) on OUT/.campaign-kit.lock: the kernel releases it when the
    process ends, even after SIGKILL, so a crashed run never leaves the folder locked.
    Re-entrant within one process (the batch and its print merge share one hold).
    """
    ensure_folder(out_dir)
    path = (out_dir / LOCK_FILE).resolve()
    held = _HELD.get(path)
    if held is not None:
        held[1] += 1
        try:
            yield
        finally:
            held[1] -= 1
        return
    try:
        handle = open(path, "a+")  # noqa: SIM115 (held for the whole run)
    except OSError as exc:
        raise OutputProblem(f"cannot lock the output folder {out_dir}: {_reason(exc)}") \
            from None
    try:
        if not _try_lock(handle):
            handle.seek(0)
            owner = handle.read(40).strip()
            raise OutputProblem("locked", pid=owner if owner.isdigit() else "?",
                                folder=str(out_dir))
        try:  # the owner's process id, written unbuffered: a full disk fails here, clearly
            os.ftruncate(handle.fileno(), 0)
            os.pwrite(handle.fileno(), str(os.getpid()).encode(), 0)
        except OSError as exc:
            raise OutputProblem(f"cannot write in the output folder {out_dir}: "
                                f"{_reason(exc)}") from None
        _HELD[path] = [handle, 1]
        try:
            yield
        finally:
            del _HELD[path]
    finally:
        try:
            handle.close()  # closing the file releases the lock
        except OSError:
            pass  # nothing buffered is ours to lose: the lock goes with the descriptor


def _try_lock(handle) -> bool:
    try:
        import fcntl
    except ImportError:  # Windows
        import msvcrt

        try:
            handle.seek(0)
            msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)
            return True
        except OSError:
            return False
    try:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        return True
    except OSError:
        return False


# -- CSV files people open in a spreadsheet -----------------------------------------------------
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")


def csv_cell(value: object) -> str:
    """A cell that a spreadsheet shows as text, never runs: one starting like a formula
    (=, +, -, @, tab, return; OWASP's list) gets a leading apostrophe, which Excel and
    LibreOffice treat as 'this is text' and do not display."""
    text = str(value)
    if text.lstrip(" ").startswith(FORMULA_STARTS):
        return "'" + text
    return text
