"""Write content/schema/*.schema.json from the one definition in campaign_kit/content/schema.py.

Run after changing a content file's definition; tests/test_content_schema.py fails until the
files on disk agree with it. Editors read them (docs/CAMPAIGNS.md, "Check as you type").
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from campaign_kit.content.schema import FILES, schema_text  # noqa: E402


def main() -> None:
    folder = ROOT / "content" / "schema"
    folder.mkdir(exist_ok=True)
    for name in FILES:
        path = folder / name.replace(".yaml", ".schema.json")
        path.write_text(schema_text(name), encoding="utf-8")
        print(path.relative_to(ROOT))


if __name__ == "__main__":
    main()
