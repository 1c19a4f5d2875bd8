"""The deck: PPTX with native charts, notes and text that fits; the PDF from the same slides."""

from __future__ import annotations

import json
import zipfile

import pytest
from pptx import Presentation
from pptx.util import Emu

from campaign_kit.document import Document, ListBlock, Meta, Paragraph, Slide, Span
from campaign_kit.writers import slidefit

from .extract import libreoffice_to_pdf, pdf_info, pdf_objects, pdf_text, pptx_text, squash

# Hampshire's figures slides: its strongest charted finding, then where it is worse than
# England (every one of its figures is; a council with others has a slide "the rest")
ORDER = ["SEND funding", "The national issue", "EHC plans in Hampshire up 96% since January "
         "2020; England up 64%", "Where Hampshire is worse than England",
         "What it means in our schools", "What we are asking for", "Our MP",
         "What we are asking the MP to do", "How you can help", "Do's and don'ts", "Sources"]


@pytest.fixture(scope="module")
def decks(tmp_path_factory):
    from click.testing import CliRunner

    from campaign_kit.cli import cli

    out = tmp_path_factory.mktemp("deck")
    for args in (["--council", "Hampshire"], ["--constituency", "Ynys Môn"]):
        result = CliRunner().invoke(cli, ["deck", *args, "--date", "2026-11-24",
                                          "--out", str(out)])
        assert result.exit_code == 0, result.output
    return out


@pytest.mark.slow
def test_slides_in_order_with_notes(decks):
    prs = Presentation(str(decks / "deck-hampshire.pptx"))
    assert (prs.slide_width, prs.slide_height) == (Emu(12192000), Emu(6858000))  # 16:9
    titles = [s.shapes.title.text_frame.text for s in prs.slides]
    positions = [next(i for i, t in enumerate(titles) if want in t) for want in ORDER]
    assert positions == sorted(positions), titles
    for slide in prs.slides:
        assert slide.has_notes_slide and len(slide.notes_slide.notes_text_frame.text) > 20


@pytest.mark.slow
def test_native_charts_match_lookup_and_have_alt_text(decks, runner, cli):
    data = json.loads(runner.invoke(cli, ["lookup", "Aldershot", "--json"]).output)
    hants = data["councils"][0]
    prs = Presentation(str(decks / "deck-hampshire.pptx"))
    charts = [sh for s in prs.slides for sh in s.shapes if sh.has_chart]
    assert len(charts) == 2
    plans = next(c for c in charts if "EHC plans in force" in c.chart.chart_title.text_frame.text)
    values = list(plans.chart.plots[0].series[0].values)
    assert values == [p["value"] for p in hants["history"]["ehcp_plans"]]
    assert values[-1] == hants["figures"]["ehcp_plans"]["latest"]["value"] == 17784
    # the strongest first: plans rising faster than England's, then the share of pupils
    # with a plan, above England's and rising faster (its timeliness argues more weakly)
    assert charts[0] is plans
    share = next(c for c in charts if "share of all pupils" in c.chart.chart_title.text_frame.text)
    council, england = share.chart.plots[0].series
    assert list(council.values)[-1] == hants["figures"]["ehcp_pupils_pc"]["latest"]["value"]
    assert list(england.values)[-1] == hants["figures"]["ehcp_pupils_pc"]["england"]["value"]
    for chart in charts:
        descr = chart._element.nvGraphicFramePr.cNvPr.get("descr")
        assert descr and "Source: Department for Education, " in descr


@pytest.mark.slow
def test_every_text_box_fits(decks):
    """Re-measure every text frame of the generated deck against its shape."""
    for name in ("deck-hampshire.pptx", "deck-ynys-mon.pptx"):
        for slide in Presentation(str(decks / name)).slides:
            for shape in slide.shapes:
                if not shape.has_text_frame or not shape.text_frame.text.strip():
                    continue
                _assert_fits(shape)


def _assert_fits(shape):
    width, height = shape.width.pt, shape.height.pt
    used = 0.0
    for n, p in enumerate(shape.text_frame.paragraphs):
        size = max((r.font.size.pt for r in p.runs if r.font.size), default=18)
        assert size >= slidefit.MIN_SIZE or shape.is_placeholder is False
        level = 0 if p._p.pPr is not None and p._p.pPr.get("marL") == "0" else 1
        lines = slidefit.line_count(p.text, width - 2 * slidefit.INSET_X
                                    - slidefit.BULLET_INDENT * level, size,
                                    any(r.font.bold for r in p.runs))
        used += lines * size * slidefit.LINE_SPACING + (slidefit.PARA_SPACE * size if n else 0)
    assert used + 2 * slidefit.INSET_Y <= height + 0.5, f"{shape.text_frame.text[:40]} overflows"


def test_longest_text_is_shrunk_or_carried_over():
    long_item = "Specialist support services are stretched and children wait. " * 3
    slide = Slide((Span("A slide with far too much to say"),),
                  (Paragraph((Span("Introduction " * 10),)),
                   ListBlock(tuple((Span(f"{n}. {long_item}"),) for n in range(14)))),
                  notes="Notes.")
    fitted = slidefit.fit_deck(Document(Meta("t", "a", kind="deck"), (slide,))).blocks
    assert len(fitted) > 1, "carried over to continuation slides"
    assert all("(continued)" in "".join(s.text for s in f.title) for f in fitted[1:])
    total = sum(len(b.items) for f in fitted for b in f.blocks if isinstance(b, ListBlock))
    assert total == 14, "no item lost"
    for f in fitted:
        assert slidefit.MIN_SIZE <= f.text_size <= slidefit.MAX_SIZE
        width, box = slidefit.body_box(f)
        assert slidefit.height(slidefit.text_units(f.blocks), width, f.text_size) <= box


@pytest.mark.slow
def test_long_content_deck_fits_when_written(tmp_path, runner, cli):
    """The campaigns team's longest asks go through the real writer and still fit."""
    import shutil

    from campaign_kit.paths import DEFAULT_CONTENT

    content = tmp_path / "content"
    shutil.copytree(DEFAULT_CONTENT / "send", content)
    asks = (content / "asks.yaml").read_text(encoding="utf-8")
    (content / "asks.yaml").write_text(asks.replace(
        "title: Invest in specialist support services",
        "title: Invest for the long term in specialist support services, from speech and "
        "language therapy to educational psychology and children's mental health services"),
        encoding="utf-8")
    result = runner.invoke(cli, ["deck", "--council", "Kent", "--content", str(content),
                                 "--asks", ",".join(["long-term-funding", "cancel-deficits",
                                                     "fair-funding", "specialist-services",
                                                     "ehcp-partners"]),
                                 "--format", "pptx", "--out", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    for slide in Presentation(str(tmp_path / "out" / "deck-kent.pptx")).slides:
        for shape in slide.shapes:
            if shape.has_text_frame and shape.text_frame.text.strip():
                _assert_fits(shape)


@pytest.mark.slow
def test_pdf_deck_is_16_9_tagged_with_same_slides(decks):
    pdf = decks / "deck-hampshire.pdf"
    info = pdf_info(pdf)
    assert info["Page size"].startswith("960 x 540") and info["Tagged"] == "yes"
    assert int(info["Pages"]) == len(Presentation(str(decks / "deck-hampshire.pptx")).slides)
    text = squash(pdf_text(pdf))
    assert "17,784" in text and "EHC plans in Hampshire up 96%" in text
    assert b"/Lang (en-GB)" in pdf_objects(pdf)


@pytest.mark.slow
def test_welsh_deck_has_no_english_statistics(decks):
    text = pptx_text(decks / "deck-ynys-mon.pptx")
    assert "Education is devolved in Wales" in text and "Llinos Medi" in text
    assert "EHC plans in force" not in text
    prs = Presentation(str(decks / "deck-ynys-mon.pptx"))
    assert not any(sh.has_chart for s in prs.slides for sh in s.shapes)


@pytest.mark.slow
def test_libreoffice_opens_and_converts_the_pptx(decks, tmp_path):
    converted = libreoffice_to_pdf(decks / "deck-hampshire.pptx", tmp_path)
    assert "EHC plans in Hampshire up 96%" in squash(pdf_text(converted))


@pytest.mark.slow
def test_same_inputs_identical_pptx_and_pdf(runner, cli, tmp_path):
    for run in ("a", "b"):
        result = runner.invoke(cli, ["deck", "--constituency", "Aldershot", "--date",
                                     "2026-11-24", "--out", str(tmp_path / run)])
        assert result.exit_code == 0, result.output
    for fmt in ("pptx", "pdf"):
        a = (tmp_path / "a" / f"deck-aldershot.{fmt}").read_bytes()
        assert a == (tmp_path / "b" / f"deck-aldershot.{fmt}").read_bytes(), fmt
    with zipfile.ZipFile(tmp_path / "a" / "deck-aldershot.pptx") as z:
        core = z.read("docProps/core.xml")
        assert b"python-pptx" not in core and b"Steve Canny" not in core
        assert b"en-GB" in core


@pytest.mark.slow
def test_council_spanning_seats_lists_each_mp(decks):
    text = pptx_text(decks / "deck-hampshire.pptx")
    for mp in ("Alex Baker MP", "Rt Hon Sir Desmond Swayne MP", "Dr Danny Chambers MP"):
        assert mp in text


@pytest.mark.parametrize("args, message", [
    (["--council", "Hampshre"], "did you mean Hampshire"),
    (["--constituency", "Nowhere Town"], "no constituency called"),
    ([], "give one of --constituency, --postcode or --council"),
    (["--council", "Kent", "--constituency", "Aldershot"], "give one of"),
])
def test_bad_places(runner, cli, tmp_path, args, message):
    result = runner.invoke(cli, ["deck", *args, "--out", str(tmp_path / "o")])
    assert result.exit_code != 0 and message in result.output
    assert not (tmp_path / "o").exists() or not any((tmp_path / "o").iterdir())
