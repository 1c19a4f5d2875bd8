"""Documents say what they said unless a change means them to: the text of every file made
for 20 reference seats (England with one, two and three councils, Wales, Scotland, Northern
Ireland) and two council decks, against tests/golden/outputs.json.gz. A difference names the
file and where the texts part; when it is intended, run scripts/update_golden.py and say in
the commit what changed."""

from __future__ import annotations

import pytest

from . import golden


@pytest.mark.slow
def test_every_file_reads_as_it_did(engine):
    stored = golden.load()
    made = golden.make_texts(engine)
    assert golden.differences(stored, made) == []
    assert len(made) == len(stored) > 300


def test_a_changed_word_is_named_with_its_file():
    found = golden.differences({"a/letter/x.txt": "Dear Jo, the figures rose."},
                               {"a/letter/x.txt": "Dear Jo, the figures fell."})
    assert len(found) == 1 and found[0].startswith("a/letter/x.txt: was ")
    assert "rose" in found[0] and "fell" in found[0]
