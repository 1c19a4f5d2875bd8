"""Write tests/golden/outputs.json.gz: the text of every file made for the reference seats
(tests/golden.py says which). Run it when a change is meant to alter documents, and say in
the commit which differences were intended:

    .venv/bin/python scripts/update_golden.py [--diff]

--diff prints what differs from the stored texts instead of writing them.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests import golden  # noqa: E402


def main() -> None:
    from campaign_kit.engine.engine import Engine

    texts = golden.make_texts(Engine.load())
    if "--diff" in sys.argv:
        for line in golden.differences(golden.load(), texts):
            print(line)
        return
    golden.save(texts)
    print(f"wrote {len(texts)} files' text to {golden.GOLDEN}")


if __name__ == "__main__":
    main()
