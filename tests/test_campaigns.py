"""Campaigns as folders of content: a new campaign, a second real one, brand, check, preview.

The made-up campaign below is on another topic (school buildings) and cites no figures: if
anything campaign-specific were left in Python, content/defaults.yaml or the shared
templates, a SEND word (or ALN, ASN, a budget) would show up in its letters, packs or decks
in one of the four nations.
"""

from __future__ import annotations

import io
import json
import re
import textwrap
from pathlib import Path

import pytest
from docx import Document as open_docx
from pptx import Presentation

from .extract import docx_text, pdf_text, pptx_text

SEND_WORDS = re.compile(r"(?-i:\bSEND\b|\bSENC?O?\b|\bALN\b|\bASN\b|\bIDPs?\b|\bCSPs?\b)|"
                        r"special educational|additional learning|additional support|EHC|"
                        r"SENCO|high[ -]needs|\bDSG\b|tribunal|disabilit|budget|"
                        r"published figures|local picture|data lead", re.IGNORECASE)

BUILDINGS = {
    "campaign.yaml": """
        id: buildings
        name: Safe school buildings
        slogan: Every pupil deserves a safe, warm and dry school
        keywords: [school buildings]
        words:
          topic: the state of school buildings
          topic_short: school buildings
          letter_subject: Repairs to school buildings
          event: roundtable on school buildings
          deck_title: School buildings
          practitioners: head teachers, business managers, governors and parents
          minister: the Secretary of State for Education
          stories_prompt: Which repair has your school been waiting longest for?
        issue:
          text: Roofs leak, boilers fail and classrooms close while repairs wait.
          source: survey
        issue_short:
          text: Repairs have not kept up with buildings that are wearing out.
          source: survey
        devolved_note: >-
          School buildings are a matter for the government in {nation}; the MP's details
          are still correct
        how_to_help: [Write to your MP about your school's repairs.]
        talking_points:
          - {text: Repair backlogs are growing., source: survey}
          - {text: Closures cost pupils learning time., source: survey}
        sources:
          - {id: survey, title: Buildings survey, publisher: Example Heads Union, date: "2026"}
        default_asks: [repair-fund]
        measures: []
        charts: []
        roundtable:
          invite: [Members who lead schools in the seat., Governors and parents.]
        """,
    "asks.yaml": """
        - id: repair-fund
          title: A repair fund that clears the backlog
          case: Schools wait years for urgent repairs.
          letter: a repair fund large enough to clear the backlog of urgent work
          mp_action: Ask ministers how and when the backlog will be cleared.
          questions: ["Which repairs are most urgent here?"]
          source: survey
        - id: safe-rooms
          title: No pupil taught in an unsafe room
          case: Some classrooms stay in use while they wait for repairs.
          letter: a guarantee that no pupil is taught in a room that is unsafe
          mp_action: Ask how quickly unsafe rooms will be put right.
          questions: ["How many rooms here are out of use?"]
          source: survey
        """,
    "phrasing.yaml": """
        openings: ["I am writing as a school leader about the state of our buildings."]
        figures_intro: ["The figures show:"]
        asks_intro: ["I am asking for:"]
        reply: ["I look forward to your reply."]
        """,
    "brand.yaml": """
        organisation: {name: Example Heads Union, email: hello@example.org,
                       website: example.org}
        colours: {text: "#222222", background: "#ffffff", primary: "#7a1f5c",
                  accent: "#1f5c7a", muted: "#555555",
                  chart: ["#7a1f5c", "#1f5c7a", "#2e6b30"]}
        fonts: {body: Carlito, headings: Carlito}
        logo: logo.png
        logo_alt: Example Heads Union logo
        """,
}


def write_campaign(root: Path, files: dict[str, str] = BUILDINGS, cid: str = "buildings") -> Path:
    from PIL import Image

    folder = root / cid
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (folder / name).write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")
    Image.new("RGB", (200, 60), (0x7A, 0x1F, 0x5C)).save(folder / "logo.png")
    return root


@pytest.fixture(scope="module")
def buildings(tmp_path_factory):
    return write_campaign(tmp_path_factory.mktemp("content"))


def run(runner, cli, *args):
    result = runner.invoke(cli, [str(a) for a in args])
    return result


@pytest.mark.slow
def test_campaigns_lists_every_folder_id_first(runner, cli, buildings):
    result = run(runner, cli, "campaigns", "--content", buildings)
    assert result.exit_code == 0, result.output
    ids = [line.split()[0] for line in result.output.splitlines()]
    assert ids == ["buildings", "equality-leadership", "send", "send-reform"]
    assert "(default)" in next(x for x in result.output.splitlines() if x.startswith("send "))
    data = json.loads(run(runner, cli, "campaigns", "--json").output)
    assert [c["id"] for c in data] == ["equality-leadership", "send", "send-reform"]
    assert data[2]["asks"][:3] == ["secure-funding", "end-deficits", "early-help"]
    assert all(not c["errors"] for c in data)


@pytest.fixture(scope="module")
def made_up(buildings, tmp_path_factory):
    """Every kind in every format for the made-up campaign, at a seat in each nation and one
    that spans councils."""
    from click.testing import CliRunner

    from campaign_kit.cli import cli

    out = tmp_path_factory.mktemp("buildings-out")
    runner = CliRunner()
    for seat in SEATS:
        common = ["--campaign", "buildings", "--content", str(buildings), "--out", str(out)]
        for args in (["letter", "--constituency", seat, "--name", "Jo Bloggs", "--format",
                      "pdf,docx,txt"],
                     ["roundtable", "--constituency", seat, "--host-name", "Sam Patel"],
                     ["deck", "--constituency", seat]):
            result = runner.invoke(cli, args + common)
            assert result.exit_code == 0, (args, result.output)
    result = runner.invoke(cli, ["deck", "--council", "Kent"] + common)
    assert result.exit_code == 0, result.output
    return out


SEATS = ("Aldershot", "Rutland and Stamford", "Ynys Môn", "Angus and Perthshire Glens",
         "Belfast South and Mid Down")


def text_of(path: Path) -> str:
    return {".pdf": pdf_text, ".docx": docx_text, ".pptx": pptx_text,
            ".txt": lambda p: p.read_text(encoding="utf-8")}[path.suffix](path)


@pytest.mark.slow
def test_made_up_campaign_has_no_send_word_anywhere(made_up):
    files = [p for p in made_up.rglob("*") if p.suffix in (".pdf", ".docx", ".pptx", ".txt")]
    assert len(files) == len(SEATS) * (3 + 10 + 2) + 2
    for path in files:
        text = text_of(path)
        assert not SEND_WORDS.search(text), (path.name, SEND_WORDS.search(text).group())
    notes = " ".join(s.notes_slide.notes_text_frame.text for s in
                     Presentation(str(made_up / "deck-kent.pptx")).slides)
    assert not SEND_WORDS.search(notes)


def test_shared_text_names_no_campaign_topic():
    """content/defaults.yaml and every shared template speak of no campaign's topic: SEND,
    its nations' terms and budgets belong in the SEND campaigns' own files."""
    from campaign_kit.paths import DEFAULT_CONTENT, DEFAULT_TEMPLATES

    topic = re.compile(r"(?-i:\bSEND\b|\bALN\b|\bASN\b|\bSENCO)|special educational|"
                       r"additional learning|additional support|\bEHC|budget|\.needs\b|"
                       r"\.plan\b|\.framework\b", re.IGNORECASE)
    files = [DEFAULT_CONTENT / "defaults.yaml", *DEFAULT_TEMPLATES.rglob("*.j2")]
    assert len(files) > 10
    for path in files:
        found = topic.search(path.read_text(encoding="utf-8"))
        assert not found, (path.name, found.group())


@pytest.mark.slow
def test_made_up_campaign_speaks_in_its_own_words_and_brand(made_up):
    letter = (made_up / "letter-aldershot-jo-bloggs.txt").read_text(encoding="utf-8")
    assert "Subject: Repairs to school buildings in Aldershot" in letter
    # the ask is a list item in some letters and a sentence in others (issue 11)
    assert "a repair fund large enough to clear the backlog of urgent work." in \
        " ".join(letter.split()).lower()
    guide = " ".join(pdf_text(made_up / "roundtable-aldershot" / "guide.pdf").split())
    assert "Example Heads Union" in guide and "hello@example.org" in guide
    assert "Governors and parents." in guide
    briefing = " ".join(pdf_text(made_up / "roundtable-aldershot" / "briefing.pdf").split())
    assert "School buildings in Aldershot: a briefing for" in briefing
    assert "This briefing sets out what school leaders are asking for" in briefing
    welsh = (made_up / "letter-ynys-mon-jo-bloggs.txt").read_text(encoding="utf-8")
    assert "a matter for the government in Wales" not in welsh  # a note for the user only
    deck = Presentation(str(made_up / "deck-kent.pptx"))
    assert not [sh for s in deck.slides for sh in s.shapes if sh.has_chart]  # it cites none
    theme = deck.slide_master.part.part_related_by(
        "http://schemas.openxmlformats.org/officeDocument/2006/relationships/theme").blob
    assert b'<a:accent1><a:srgbClr val="7A1F5C"/>' in theme


@pytest.mark.slow
def test_brand_reaches_docx_and_pptx(tmp_path, runner, cli):
    result = run(runner, cli, "roundtable", "--constituency", "Aldershot", "--format", "docx",
                 "--out", tmp_path)
    assert result.exit_code == 0, result.output
    doc = open_docx(str(tmp_path / "roundtable-aldershot" / "briefing.docx"))
    header = doc.sections[0].header
    assert "NAHT, the union for school leaders" in " ".join(p.text for p in header.paragraphs)
    assert 'descr="NAHT logo"' in header._element.xml
    heading = doc.styles["Heading 1"].font.color.rgb
    assert str(heading) == "1B4F72"
    letter = run(runner, cli, "letter", "--constituency", "Aldershot", "--name", "Jo",
                 "--format", "docx", "--out", tmp_path)
    assert letter.exit_code == 0
    plain = open_docx(str(tmp_path / "letter-aldershot-jo.docx"))
    assert not "".join(p.text for p in plain.sections[0].header.paragraphs).strip()
    deck = run(runner, cli, "deck", "--council", "Rutland", "--format", "pptx", "--out",
               tmp_path)
    assert deck.exit_code == 0, deck.output
    prs = Presentation(str(tmp_path / "deck-rutland.pptx"))
    pics = [sh for sh in prs.slide_master.shapes if sh.shape_type == 13]
    assert len(pics) == 1 and pics[0]._element.nvPicPr.cNvPr.get("descr") == "NAHT logo"
    assert pics[0].left + pics[0].width <= prs.slide_width


def bad_brand(tmp_path: Path, **changes) -> Path:
    files = dict(BUILDINGS)
    brand = files["brand.yaml"]
    for old, new in changes.items():
        brand = brand.replace(old, new)
    files["brand.yaml"] = brand
    return write_campaign(tmp_path, files)


@pytest.mark.parametrize("change, message", [
    ({'primary: "#7a1f5c"': 'primary: "#9fc3e6"'},
     r"colours.primary #9fc3e6 on the background #ffffff has a contrast of 1\.\d:1; text "
     r"needs at least 4.5:1"),
    ({'"#2e6b30"]': '"#eeeeee"]'}, r"chart colour 3 #eeeeee .* at least 3.0:1"),
    ({"logo: logo.png": "logo: notes.png"}, r"brand.yaml, line 7: the logo notes.png cannot "
                                             r"be read as an image"),
    ({"logo: logo.png": "logo: notes.txt"}, r"'logo' is \"notes.txt\"; it should be the name "
                                             r"of a PNG or JPEG file"),
    ({"logo: logo.png": "logo: missing.png"}, r"cannot read the logo missing.png"),
    ({"{body: Carlito,": "{body: 'Carlito\"; } p::after { content: \"X\" }',"},
     r"brand.yaml, line \d+: 'fonts.body' is \"Carlito\"; } p::after .* it should be a font "
     r"name of letters, digits, spaces and hyphens"),
    ({'accent: "#1f5c7a"': "accent: #1f5c7a"}, r"brand.yaml, line 3: a mapping in \{ \} "
     r"opened on this line is not closed with \}; a # after a space starts a comment, so a "
     r"colour starting with # must be in quotes"),
])
def test_unreadable_brand_is_refused_in_one_line(tmp_path, runner, cli, change, message):
    content = bad_brand(tmp_path, **change)
    (content / "buildings" / "notes.png").write_text("not an image", encoding="utf-8")
    result = run(runner, cli, "letter", "--campaign", "buildings", "--content", content,
                 "--constituency", "Aldershot", "--name", "Jo", "--out", tmp_path / "o")
    assert result.exit_code == 3
    line = result.output.strip()
    assert "\n" not in line and "Traceback" not in line
    assert re.search(message, line), line


def test_a_4_3_reference_pptx_is_refused(tmp_path, runner, cli):
    from campaign_kit.paths import DEFAULT_TEMPLATES

    prs = Presentation(str(DEFAULT_TEMPLATES / "reference.pptx"))
    prs.slide_width, prs.slide_height = 9144000, 6858000
    prs.save(str(tmp_path / "reference.pptx"))
    result = run(runner, cli, "deck", "--council", "Rutland", "--templates", tmp_path,
                 "--out", tmp_path / "o")
    assert result.exit_code == 3
    assert "needs a 16:9 reference.pptx" in result.output and "1.33:1" in result.output
    assert not (tmp_path / "o" / "deck-rutland.pdf").exists()  # nothing half-written


# -- the second real campaign --------------------------------------------------------------------
@pytest.mark.slow
def test_second_campaign_is_content_only(tmp_path, runner, cli):
    from campaign_kit.paths import DEFAULT_CONTENT

    folder = DEFAULT_CONTENT / "send-reform"
    assert sorted(p.name for p in folder.iterdir()) == ["asks.yaml", "campaign.yaml",
                                                        "phrasing.yaml"]
    out = tmp_path
    common = ["--campaign", "send-reform", "--out", out]
    assert run(runner, cli, "letter", "--constituency", "Sheffield Central", "--name", "Jo",
               "--format", "txt", *common).exit_code == 0
    letter = (out / "letter-sheffield-central-jo.txt").read_text(encoding="utf-8")
    assert "Subject: Reforming support for children with special educational needs" in letter
    assert "dedicated, protected SEND funding stream" in " ".join(letter.split())
    result = run(runner, cli, "deck", "--council", "Sheffield", *common)
    assert result.exit_code == 0, result.output
    prs = Presentation(str(out / "deck-sheffield.pptx"))
    titles = [sh.chart.chart_title.text_frame.text for s in prs.slides for sh in s.shapes
              if sh.has_chart]
    # the strongest first: Sheffield's appeal rate (4.6% against England's 3.2%)
    assert titles == ["SEND Tribunal appeal rate",
                      "New requests for an EHC needs assessment each year, Sheffield"]
    assert "SEND reform: the picture in Sheffield" in pptx_text(out / "deck-sheffield.pptx")


# -- fenced blocks --------------------------------------------------------------------------------
def deck_with(body: str):
    from campaign_kit.render.templating import parse_markdown

    return parse_markdown(body, deck=True, source="deck/test.md.j2")


def test_multi_paragraph_notes_stay_off_the_slide(tmp_path):
    from campaign_kit.document import Document, Meta
    from campaign_kit.engine.engine import Engine
    from campaign_kit.writers.pptx import write_pptx

    blocks = deck_with("# Title\n\nOn the slide.\n\n::: notes\nFirst note.\n\n- a point\n\n"
                       "Second note.\n:::\n\n# Next\n\n::: aside\nKept: an unknown kind.\n:::\n")
    assert blocks[0].notes == "First note.\n\na point\n\nSecond note."
    doc = Document(Meta("t", "a", kind="deck", template="deck/test.md.j2"), blocks)
    prs = Presentation(io.BytesIO(write_pptx(doc, Engine.load().assets)))
    first, second = prs.slides
    assert "note" not in " ".join(sh.text_frame.text for sh in first.shapes
                                  if sh.has_text_frame)
    assert first.notes_slide.notes_text_frame.text.startswith("First note.")
    assert "Kept: an unknown kind." in " ".join(sh.text_frame.text for sh in second.shapes
                                                if sh.has_text_frame)


@pytest.mark.parametrize("body, message", [
    ("Before the first slide.\n\n# Title\n", "a deck starts with a level-1 heading"),
    ("# Title\n\n| a | b |\n|---|---|\n| 1 | 2 |\n", "holds a Table, which a slide cannot"),
    ("# Title\n\n::: notes\nnever closed\n", "'::: notes' is never closed"),
    ("# Title\n\n::: notes\na {% endif %}:::\n\n# Next\n\n::: notes\nb\n:::\n",
     "opens inside another one"),
])
def test_deck_blocks_a_writer_cannot_draw_name_the_template(body, message):
    from campaign_kit.document import Document, Meta
    from campaign_kit.errors import TemplateProblem
    from campaign_kit.writers.slidefit import fit_deck

    with pytest.raises(TemplateProblem, match=re.escape(message)) as err:
        fit_deck(Document(Meta("t", "a", kind="deck", template="deck/test.md.j2"),
                          deck_with(body)))
    assert "deck/test.md.j2" in str(err.value)


def test_unknown_kinds_render_their_contents_in_every_format():
    from campaign_kit.document import Div, Document, Meta
    from campaign_kit.engine.engine import Engine
    from campaign_kit.render.templating import parse_markdown
    from campaign_kit.writers import write

    blocks = parse_markdown("::: callout\nOne **strong** point.\n\n- and a list\n:::\n")
    assert isinstance(blocks[0], Div) and blocks[0].kind == "callout"
    doc = Document(Meta("t", "a"), blocks)
    engine = Engine.load()
    for fmt, extract in (("pdf", pdf_text), ("docx", docx_text)):
        path = Path(f"/tmp/ck-div-test.{fmt}")
        path.write_bytes(write(fmt, doc, engine.assets))
        text = " ".join(extract(path).split())
        assert "One strong point." in text and "and a list" in text
    assert "One strong point." in write("txt", doc, engine.assets).decode()


def test_the_figures_are_worded_in_content(tmp_path, runner, cli):
    """A comms editor rewords how letters give the figures in figures.yaml, no Python."""
    (tmp_path / "figures.yaml").write_text(
        "any:\n  - 'Our own words: {label} in {place} stood at {value} in {period}.'\n",
        encoding="utf-8")
    result = run(runner, cli, "letter", "--constituency", "Aldershot", "--name", "Jo Head",
                 "--format", "txt", "--content", tmp_path, "--out", tmp_path / "out")
    assert result.exit_code == 0, result.output
    text = " ".join(next((tmp_path / "out").glob("*.txt")).read_text().split())
    assert "Our own words: " in text and "stood at" in text


# -- check -------------------------------------------------------------------------------------
def check(runner, cli, content: Path, *extra):
    return run(runner, cli, "check", "--campaign", "buildings", "--content", content, *extra)


def edited(tmp_path: Path, name: str, old: str, new: str) -> Path:
    files = dict(BUILDINGS)
    assert old in files[name]
    files[name] = files[name].replace(old, new)
    return write_campaign(tmp_path, files)


@pytest.mark.parametrize("name, old, new, message", [
    ("asks.yaml", "  title: A repair fund", "  title: [A repair fund",
     r"asks.yaml, line 2: a list in \[ \] opened on this line is not closed with \]"),
    ("asks.yaml", "id: safe-rooms", "id: repair-fund",
     r"asks.yaml, line 8: ask id 'repair-fund' is used twice \(first on line 1\)"),
    ("campaign.yaml", "default_asks: [repair-fund]", "default_asks: [repair-fund, gone]",
     r"campaign.yaml, line \d+: default_asks names gone, which asks.yaml does not have"),
    ("asks.yaml", "case: Schools wait years", "cases: Schools wait years",
     r"asks.yaml, line 3: 'cases' is not a key of ask 1; did you mean 'case' \(which is "
     r"required\)\?"),
    ("asks.yaml", "title: No pupil taught in an unsafe room",
     "title: No pupil taught in an unsafe room.", r"the title ends with '\.'"),
    ("asks.yaml", "letter: a guarantee that no pupil is taught in a room that is unsafe",
     "letter: a guarantee that no pupil is taught in a room that is unsafe.",
     r"would print 'that is unsafe\.\.'"),
    ("asks.yaml", "title: A repair fund that clears the backlog",
     "title: " + "A repair fund that clears the backlog of every school in every town " * 3,
     r"asks.yaml, line 2: 'title' in item 1 is \d+ characters .*keep it to 70"),
    ("campaign.yaml", "topic_short: school buildings", "topic_shrt: school buildings",
     r"campaign.yaml, line 7: 'topic_shrt' is not a key of 'words'; did you mean "
     r"'topic_short'"),
    ("campaign.yaml", "measures: []", "measures: [ehcp_plan]",
     r'"ehcp_plan" is not a measure: .*; did you mean ehcp_plans\?'),
    ("campaign.yaml", "measures: []\n        charts: []", "measures: [ehcp_plans]\n        "
     "charts: [{id: plans, measure: ehcp_plans, type: line, title: Plans, in: [poster]}]",
     r'"poster" is not one of deck, briefing'),
    ("campaign.yaml", "measures: []", "measures: []\n        figure_wordings: {ehcp_plans: "
     "['In {council}, {value} plans.']}",
     r"campaign.yaml, line \d+: .*unknown name \{council\} in \"In \{council\}, \{value\} "
     r"plans.\".*names here: change, earlier"),
    ("campaign.yaml", "measures: []", "measures: []\n        figure_wordings: {ehcp_plans: "
     "['In {place, {value} plans.']}", r"a '\{' opens but does not close a name"),
])
def test_check_names_file_line_and_reason(tmp_path, runner, cli, name, old, new, message):
    content = edited(tmp_path, name, old, new)
    result = check(runner, cli, content, "--files-only")
    assert result.exit_code == 3, result.output
    assert re.search(message, result.output), result.output
    assert "Traceback" not in result.output


@pytest.mark.slow
def test_check_finds_a_typo_that_only_a_welsh_member_would_hit(tmp_path, runner, cli):
    content = write_campaign(tmp_path)
    override = content / "buildings" / "templates" / "letter"
    override.mkdir(parents=True)
    from campaign_kit.paths import DEFAULT_TEMPLATES

    text = (DEFAULT_TEMPLATES / "letter" / "letter.md.j2").read_text(encoding="utf-8")
    text = text.replace("{{ phrase.reply }}", '{% if seat.nation == "Wales" %}\n'
                        "{{ seat.nmae }}\n{% endif %}\n{{ phrase.reply }}")
    (override / "letter.md.j2").write_text(text, encoding="utf-8")
    english = run(runner, cli, "letter", "--campaign", "buildings", "--content", content,
                  "--constituency", "Aldershot", "--name", "Jo", "--out", tmp_path / "o")
    assert english.exit_code == 0  # it passes for Aldershot...
    result = check(runner, cli, content, "--quick")
    assert result.exit_code == 3
    line = next(x for x in result.output.splitlines() if "nmae" in x)
    assert re.search(r"letter\.md\.j2, line \d+: '[^']+' has no attribute 'nmae'; "
                     r"valid names nearby: name", line), line
    assert "(Wales" in line  # ...and the check says which place reached it


@pytest.mark.slow
def test_check_passes_a_good_campaign_and_reports_json(runner, cli, buildings):
    result = check(runner, cli, buildings, "--quick", "--json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["problems"] == [] and report["rendered"] >= 15
    assert any("Wales" in p for p in report["places"])
    assert any("Northern Ireland" in p for p in report["places"])


@pytest.mark.slow
def test_preview_makes_a_contact_sheet(tmp_path, runner, cli):
    result = run(runner, cli, "preview", "roundtable", "--place", "Hexham", "--out", tmp_path)
    assert result.exit_code == 0, result.output
    index = Path(result.output.strip())
    assert index.name == "index.html" and index.is_file()
    html = index.read_text(encoding="utf-8")
    images = re.findall(r'<img src="(pages/[^"]+)"', html)
    assert len(images) == 5  # the first page of each of the five documents
    for image in images:
        assert (index.parent / image).stat().st_size > 1000
    assert "guide.pdf" in html and "sign-in-and-notes.docx" in html


@pytest.mark.slow
def test_bundled_campaign_files_are_clean(runner, cli):
    for cid in ("send", "send-reform", "equality-leadership"):
        result = run(runner, cli, "check", "--campaign", cid, "--files-only")
        assert result.exit_code == 0, result.output


def apply_guide_edit(lang: str, body: str, content: Path) -> str | None:
    """Make one YAML or JSON step of docs/CAMPAIGNS.md as a person would; the step's name, or
    None for a block that is not an edit (an example to read)."""
    import shutil

    import jsonschema
    import yaml

    from campaign_kit.paths import ROOT

    folder = content / "my-campaign"
    if lang == "json":  # the editor settings: every schema exists, every glob matches
        for schema_path, globs in json.loads(body)["yaml.schemas"].items():
            schema = json.loads((ROOT / schema_path).read_text(encoding="utf-8"))
            matched = [p for g in globs for p in ROOT.glob(g)]
            assert matched, globs
            for path in matched:
                jsonschema.validate(yaml.safe_load(path.read_text(encoding="utf-8")), schema)
        return "settings"
    if lang == "yaml" and body.startswith("sources:"):  # step 3: list the page
        path = folder / "campaign.yaml"
        text = path.read_text(encoding="utf-8")
        assert "\nsources:\n" in text
        path.write_text(text.replace("\nsources:\n", "\n" + body, 1), encoding="utf-8")
        return "source"
    if lang == "yaml" and body.startswith("- id:"):  # step 4: an ask to add
        asks = folder / "asks.yaml"
        asks.write_text(asks.read_text(encoding="utf-8") + body, encoding="utf-8")
        return "ask"
    if lang == "yaml" and body.startswith("colours:"):  # step 5: the campaign's own brand
        (folder / "brand.yaml").write_text(body, encoding="utf-8")
        shutil.copy(ROOT / "content" / "logo.png", folder / "campaign-logo.png")
        return "brand"
    if lang == "yaml" and body.startswith("default:"):  # step 8: make it the default
        (content / "campaigns.yaml").write_text(body, encoding="utf-8")
        return "default"
    return None


@pytest.mark.slow
def test_campaigns_guide_steps_work_as_written(tmp_path, runner, cli, monkeypatch):
    """Follow docs/CAMPAIGNS.md: every `campaign-kit` line in its sh blocks, in order, with its
    YAML edits made as the steps say (the source, the example ask, a campaign brand, the
    default), in a content folder of one's own; and the editor step: each file names its
    schema on its first line, the settings block maps every content file to one, and the
    files as edited validate against them."""
    import shlex
    import shutil

    import jsonschema
    import yaml

    from campaign_kit.paths import ROOT

    guide = (ROOT / "docs" / "CAMPAIGNS.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```(sh|yaml|json)\n(.*?)```", guide, re.S)
    content = tmp_path / "content"
    content.mkdir()
    monkeypatch.setenv("CAMPAIGN_KIT_CONTENT", str(content))
    monkeypatch.chdir(tmp_path)
    ran, edits = [], []
    folder = content / "my-campaign"
    for lang, body in blocks:
        if lang != "sh":
            edits += [e for e in [apply_guide_edit(lang, body, content)] if e]
            continue
        for line in body.splitlines():
            if not line.startswith("campaign-kit "):
                continue
            result = runner.invoke(cli, shlex.split(line)[1:])
            assert result.exit_code == 0, (line, result.output)
            ran.append(line)
            if line.startswith("campaign-kit preview"):
                index = Path(result.output.strip())
                assert index.is_file() and not index.is_relative_to(tmp_path)  # a temp folder
                shutil.rmtree(index.parents[1])  # the user keeps it; the test does not
            if line.startswith("campaign-kit check"):
                assert f"Brand: {folder / 'brand.yaml'} (over " in result.output
    assert len(ran) == 5 and edits == ["settings", "source", "ask", "brand", "default"]
    for name in ("campaign.yaml", "asks.yaml", "phrasing.yaml"):  # the first line's schema
        text = (folder / name).read_text(encoding="utf-8")
        first = re.match(r"# yaml-language-server: \$schema=(\S+)\n", text)
        assert first, name
        schema = json.loads((folder / first.group(1)).read_text(encoding="utf-8"))
        jsonschema.validate(yaml.safe_load(text), schema)
    listed = runner.invoke(cli, ["campaigns"]).output
    assert "my-campaign (default)" in listed and "7 asks" in listed
    letter = runner.invoke(cli, ["letter", "--constituency", "Aldershot", "--name", "Jo",
                                 "--asks", "fair-pay", "--format", "txt", "--out", "o"])
    assert letter.exit_code == 0, letter.output
    text = (tmp_path / "o" / "letter-aldershot-jo.txt").read_text(encoding="utf-8")
    assert "Pay for school leaders that keeps pace with the cost of living." in text
