"""A non-editable install carries every template and content file (pyproject data-files)."""

from __future__ import annotations

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_data_files_cover_every_template_and_content_file():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    data_files = config["tool"]["setuptools"]["data-files"]
    shipped = set()
    for target, patterns in data_files.items():
        assert target.startswith("share/campaign-kit/")
        for pattern in patterns:
            for path in ROOT.glob(pattern):
                relative = path.relative_to(ROOT).as_posix()
                # each file lands under share/campaign-kit/ at its own relative path
                assert f"share/campaign-kit/{Path(relative).parent.as_posix()}" == target
                shipped.add(relative)
    wanted = {p.relative_to(ROOT).as_posix() for top in ("templates", "content")
              for p in (ROOT / top).rglob("*") if p.is_file()}
    assert wanted == shipped, f"not shipped: {sorted(wanted - shipped)}"
