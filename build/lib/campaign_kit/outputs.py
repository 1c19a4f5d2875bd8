"""Writing output files: safe names, never outside the output folder, never half-written."""

from __future__ import annotations

import os
import re
import tempfile
import unicodedata
from pathlib import Path

from .errors import OutputProblem

WINDOWS_RESERVED = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(10)),
                    *(f"lpt{i}" for i in range(10))}


def safe_name(text: str, fallback: str = "untitled", limit: int = 60) -> str:
    """A file-name part safe on Windows, macOS and Linux: 'Siân Ó Briain' -> 'sian-o-briain'."""
    folded = unicodedata.normalize("NFKD", text)
    folded = "".join(c for c in folded if not unicodedata.combining(c))
    slug = re.sub(r"[^a-z0-9]+", "-", folded.lower()).strip("-")[:limit].strip("-")
    if not slug:
        slug = fallback
    if slug in WINDOWS_RESERVED:
        slug += "-"
    return slug


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
    """out_dir/relative, refused if it would land outside out_dir."""
    root = out_dir.resolve()
    path = (root / relative).resolve()
    if not path.is_relative_to(root) or path == root:
        raise OutputProblem(f"refusing to write {relative}: outside the output folder {out_dir}")
    return path


def check_free(paths: list[Path], force: bool) -> None:
    existing = [p for p in paths if p.exists()]
    if existing and not force:
        names = ", ".join(p.name for p in existing[:3])
        raise OutputProblem(f"{names} already exist{'s' if len(existing) == 1 else ''} in "
                            f"{existing[0].parent}; use --force to overwrite")


def write_atomic(path: Path, data: bytes) -> None:
    """Write to a temporary file beside path, then rename: a crash leaves the old file or none."""
    ensure_folder(path.parent)
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    except OSError as exc:
        raise OutputProblem(f"cannot write in {path.parent}: {exc.strerror or exc}") from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
