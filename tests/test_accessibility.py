"""Every kind of PDF we make passes an independent PDF/UA-1 checker (the `pdfua` package).

It covers a machine-checkable subset of PDF/UA-1 (structure tree, marked flag, language,
figure alt text, table headers, link descriptions, title, XMP identification): not a claim of
full conformance, which only a complete validator such as veraPDF can make.
"""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

import pytest

from campaign_kit.engine.engine import Engine
from campaign_kit.engine.requests import Event
from campaign_kit.engine.rules import member as make_member
from campaign_kit.writers.pdf import write_pdf

from .documents import deck_doc, letter_doc, pack_docs
from .extract import merge_to
from .test_ua_stylesheet import every_block

TODAY = dt.date(2026, 11, 24)


def pdfua(path: Path) -> dict:
    done = subprocess.run([sys.executable, "-m", "pdfua", "check", "--format", "json", str(path)],
                          capture_output=True, text=True)
    assert done.stdout, done.stderr
    return json.loads(done.stdout)


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory):
    engine = Engine.load()
    seat = engine.places.find("Sheffield Central")
    member = make_member("Jo Bloggs", "1 High St\nSheffield", "Headteacher", "Park School",
                         "We see it every week. https://example.org/our-story")
    docs = {"letter": letter_doc(engine, seat, member, TODAY),
            "deck": deck_doc(engine, seat, TODAY), "every-block": every_block()}
    event = Event(dt.date(2026, 12, 10), dt.time(16, 0), "Park School", "Jo Bloggs", "Head")
    docs.update({stem: doc for doc, stem in pack_docs(engine, seat, event, TODAY)})
    folder = tmp_path_factory.mktemp("a11y")
    paths = {}
    for stem, doc in docs.items():
        paths[stem] = folder / f"{stem}.pdf"
        paths[stem].write_bytes(write_pdf(doc, engine.assets))
    paths["print"] = folder / "print.pdf"
    merge_to([paths["letter"], paths["every-block"], paths["letter"]], paths["print"],
                      "Letters for printing")
    return paths


@pytest.mark.slow
def test_every_pdf_passes_the_pdfua_checker(pdfs):
    assert len(pdfs) == 9  # letter, deck, every block, five pack documents, print file
    for stem, path in pdfs.items():
        report = pdfua(path)
        findings = [f"{f.get('rule_id')}: {f.get('message', f)}" for f in report["findings"]]
        assert report["summary"]["findings"] == 0, f"{stem}: {findings}"
        assert report["summary"]["rules_run"] >= 10, f"{stem}: {report['skipped']}"
