"""`check` as the campaigns team meets it: deliberate mistakes, each a small edit to a copy of
the bundled content (the `send` campaign, with a brand of its own), and for every one `check`
fails, names the file and the line of the mistake, and gives one message about its cause.

Also: the JSON Schema files agree with the one definition (content/schema.py) and with the
bundled files; brand values cannot inject CSS; links and missing files; check and preview
write nothing into the project.
"""

from __future__ import annotations

import json
import os
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

from campaign_kit.paths import DEFAULT_CONTENT, ROOT

# A campaign's own brand, partial: the rest comes from the union's content/brand.yaml.
OWN_BRAND = """colours:
  text: "#1a1a1a"
  accent: "#0b6e4f"
fonts:
  body: Carlito
"""


@pytest.fixture(scope="module")
def pristine(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("pristine") / "content"
    shutil.copytree(DEFAULT_CONTENT, root, ignore=shutil.ignore_patterns("schema"))
    (root / "send" / "brand.yaml").write_text(OWN_BRAND, encoding="utf-8")
    return root


def copy_of(pristine: Path, tmp_path: Path) -> Path:
    root = tmp_path / "content"
    shutil.copytree(pristine, root)
    return root


def run_check(content: Path, render: bool = False):
    from campaign_kit.authoring.check import check

    return check("send", content, None, render=render)


@dataclass(frozen=True)
class Mistake:
    what: str
    file: str  # inside the content folder
    old: str
    new: str
    message: str  # a regex the one error's message matches
    at: str | None = None  # a text on the line the error must name (default: new's first)


M = Mistake
_PHRASING_TEXT = (DEFAULT_CONTENT / "send" / "phrasing.yaml").read_text(encoding="utf-8")
REPLIES = _PHRASING_TEXT[_PHRASING_TEXT.index("reply:\n"):]  # the last bank, to the end
CAMPAIGN, ASKS, PHRASING = "send/campaign.yaml", "send/asks.yaml", "send/phrasing.yaml"
BRAND = "send/brand.yaml"
MISTAKES = [
    # misspelt keys, required and optional, at every level
    M("misspelt required key", CAMPAIGN, "slogan: Fund", "slogn: Fund",
      r"'slogn' is not a key of this campaign; did you mean 'slogan' \(which is required\)"),
    M("misspelt optional key", CAMPAIGN, "default_asks: [", "default_ask: [",
      r"'default_ask' is not a key of this campaign; did you mean 'default_asks'\?"),
    M("misspelt nested required key", CAMPAIGN, "  topic_short: SEND\n", "  topic_shrt: SEND\n",
      r"'topic_shrt' is not a key of 'words'; did you mean 'topic_short' \(which is "
      r"required\)"),
    M("misspelt inherited key", CAMPAIGN, "freshness:\n  years: 3", "freshnes:\n  years: 3",
      r"'freshnes' is not a key of this campaign; did you mean 'freshness'\?"),
    M("misspelt chart key", CAMPAIGN, "    with_england: true\n  # The briefing",
      "    with_englnd: true\n  # The briefing",
      r"'with_englnd' is not a key of chart 2 of 'charts'; did you mean 'with_england'\?"),
    M("misspelt optional ask key", ASKS, "  nations: [England]\n  source: [union-send, union-appg]"
      "\n- id: cancel-deficits", "  nation: [England]\n  source: [union-send, union-appg]\n"
      "- id: cancel-deficits", r"'nation' is not a key of ask 1; did you mean 'nations'\?"),
    M("misspelt letter_variants", ASKS, "  letter_variants:\n    - >-\n      high-needs funding "
      "that is", "  letter_variant:\n    - >-\n      high-needs funding that is",
      r"'letter_variant' is not a key of ask 1; did you mean 'letter_variants'\?"),
    M("misspelt required ask key", ASKS, "  case: >-\n    Councils that",
      "  cases: >-\n    Councils that",
      r"'cases' is not a key of ask 2; did you mean 'case' \(which is required\)"),
    M("misspelt phrasing bank", PHRASING, "openings:", "opening:",
      r"'opening' is not a key of this phrasing; did you mean 'openings' \(which is "
      r"required\)"),
    M("misspelt brand section", BRAND, "colours:", "colors:",
      r"'colors' is not a key of this brand; did you mean 'colours'\?"),
    # names in braces, in every kind of text
    M("misspelt name in a talking point", CAMPAIGN, "      capacity and let pupils reach",
      "      capacity and let {topc} reach",
      r"unknown name \{topc\} in \"Specialist support .*did you mean \{topic\}\?"),
    M("unclosed brace in the issue", CAMPAIGN, "    Every year more pupils in England",
      "    Every year more {topic. pupils in England",
      r"'issue.text': a '\{' opens but does not close a name, at \"\{topic. pupils"),
    M("name in the devolved block", CAMPAIGN, "  slogan: Support for every pupil with {needs}",
      "  slogan: Support for every pupil with {need}",
      r"'devolved.slogan': unknown name \{need\} .*did you mean \{needs\}\?"),
    M("campaign word in words", CAMPAIGN, "  letter_subject: Funding for children",
      "  letter_subject: Funding for {topic} and children",
      r"'words.letter_subject': unknown name \{topic\}"),
    M("misspelt name in devolved_note", CAMPAIGN, "Education is devolved in {nation}, so England",
      "Education is devolved in {nations}, so England",
      r"unknown name \{nations\} .*did you mean \{nation\}\?"),
    M("name in an ask's letter", ASKS, "    a long-term high-needs funding strategy, with",
      "    a long-term high-needs funding strategy in {nations}, with",
      r"'letter' in item 1 holds \{nations\} .*printed as written"),
    M("unclosed brace in an ask", ASKS, "    Press ministers to cancel councils'",
      "    Press ministers to cancel {topic. councils'",
      r"'mp_action' in item 2: a '\{' opens but does not close a name"),
    M("misspelt name in the third opening", PHRASING, "because {topic} matters to every pupil",
      "because {topc} matters to every pupil",
      r"unknown name \{topc\} .*did you mean \{topic\}\?"),
    M("a name an opening cannot use", PHRASING, "as a constituent and a school leader about "
      "{topic}.", "as a constituent and {role_a} about {topic}.",
      r"unknown name \{role_a\} .*names here: .*seat"),
    M("misspelt name in asks_intro", PHRASING, '"I am asking you to support the changes school '
      'leaders', '"I am asking you to support the {topic_shrt} changes school leaders',
      r"unknown name \{topic_shrt\} .*did you mean \{topic_short\}\?"),
    M("misspelt name in a shared bank", "defaults.yaml", "Will you raise {these} with {minister},",
      "Will you raise {thes} with {minister},", r"unknown name \{thes\} .*did you mean "
      r"\{these\}\?"),
    M("a name a shared bank cannot use", "defaults.yaml", '    - "I work at {school}."',
      '    - "I work at {school}, in {councils}."', r"unknown name \{councils\}"),
    M("a stray closing brace", PHRASING, "Here is what the official statistics",
      "Here is what} the official statistics", r"a '\}' closes nothing"),
    M("misspelt name in a figure wording", "figures.yaml", "In {place}, {value} children",
      "In {council}, {value} children", r"unknown name \{council\}"),
    # the shape of values, YAML mistakes and nesting
    M("a tab", CAMPAIGN, "  topic: support for", "\ttopic: support for",
      r"indented with a tab; YAML indents with spaces only"),
    M("one space too many", CAMPAIGN, "  topic_short: SEND\n", "   topic_short: SEND\n",
      r"this line is indented one space more than the line above"),
    M("one space too few", CAMPAIGN, "  event: roundtable on SEND\n",
      " event: roundtable on SEND\n", r"this line is indented one space less than the line "
      r"above"),
    M("a colon in an unquoted text", CAMPAIGN, "slogan: Fund SEND properly, for",
      "slogan: Fund SEND: properly, for", r"holds ': ', so YAML reads it as another key: put "
      r"the whole text in quotes"),
    M("a text starting with a brace", PHRASING, '  - "The official statistics for our area',
      "  - {topic} statistics for our area show: \"x\"\n  - \"The official statistics",
      r"a text starting with \{ or \[ must be in quotes"),
    M("an unclosed list", CAMPAIGN, "cancel-deficits, specialist-services]\n",
      "cancel-deficits, specialist-services\n", r"a list in \[ \] opened on this line is not "
      r"closed with \]", at="default_asks: ["),
    M("a list where a text belongs", CAMPAIGN, "slogan: Fund SEND properly, for every child "
      "who needs it", "slogan:\n  - Fund SEND properly", r"'slogan' should be text \(it is a "
      r"list", at="slogan:"),
    M("a number where a text belongs", CAMPAIGN, "    date: 15 September 2025",
      "    date: 2025", r"'date' in item 2 of 'sources' should be text: YAML reads 2025 as a "
      r"number; put it in quotes"),
    M("an unknown measure", CAMPAIGN, "measures: [ehcp_plans,", "measures: [ehcp_plan,",
      r"\"ehcp_plan\" is not a measure: .*did you mean ehcp_plans\?"),
    M("a chart type", CAMPAIGN, "    type: line\n    title: EHC plans in force",
      "    type: pie\n    title: EHC plans in force", r"'type' in item 1 of 'charts': \"pie\" "
      r"is not one of line, bar"),
    M("chart periods", CAMPAIGN, "    periods: 6\n  - id: timely", "    periods: 20\n  - id: "
      "timely", r"'periods' in item 1 of 'charts' should be a whole number from 2 to 12"),
    M("agenda minutes as a word", CAMPAIGN, "purpose\", lead: Chair, minutes: 10}\n      - {item:"
      " \"The local picture: what the published", "purpose\", lead: Chair, minutes: ten}\n     "
      " - {item: \"The local picture: what the published",
      r"'minutes' in item 1 of 'roundtable.agenda.opening' should be a whole number"),
    M("a role without its duty", CAMPAIGN, "    - {role: Data lead, does: \"Presents the "
      "published figures from the briefing, with their sources.\"}", "    - {role: Data lead}",
      r"role 3 of 'roundtable.roles' has no 'does' \(required\)"),
    M("an ask's nation misspelt", ASKS, "  nations: [England]\n  source: [union-send, union-appg,"
      " dsg_deficit]", "  nations: [Walse]\n  source: [union-send, union-appg, dsg_deficit]",
      r"\"Walse\" is not a nation: .*did you mean Wales\?"),
    M("an ask id in capitals", ASKS, "- id: fair-funding", "- id: Fair-Funding",
      r"'id' in item 3 is \"Fair-Funding\"; it should be an id of lower-case letters"),
    M("an empty bank", PHRASING, REPLIES, "reply: []\n", r"'reply' needs at least 1 item"),
    M("an explained measure misspelt", CAMPAIGN, "  dsg_deficit_pc: >-\n    A DSG deficit",
      "  dsg_deficit: >-\n    A DSG deficit", r"\"dsg_deficit\" is not a measure: .*did you mean "
      r"dsg_deficit_pc\?"),
    # sources
    M("an unsourced talking point", CAMPAIGN, "  - text: >-\n      Specialist support services "
      "outside school need long-term investment, to build their\n      capacity and let pupils "
      "reach them sooner.\n    source: union-send", "  - Specialist support services need "
      "long-term investment.", r"talking point 4 has no source \(\"Specialist support"),
    M("a source that does not exist", CAMPAIGN, "    source: sen2\n  - text: >-\n      In 2024",
      "    source: sen3\n  - text: >-\n      In 2024", r"no source 'sen3'; did you mean sen2\?"),
    M("a source without a title", CAMPAIGN, "    title: Special educational needs and "
      "disabilities (the union's campaign page)\n    publisher: NAHT\n    note",
      "    publisher: NAHT\n    note", r"source 1 of 'sources' has no 'title' \(required\)",
      at="  - id: union-send\n    publisher"),
    M("an unsourced ask", ASKS, "  source: union-send\n- id: funding-certainty",
      "- id: funding-certainty", r"ask 'pupil-progress' has no source",
      at="- id: pupil-progress"),
    # links between files, and limits
    M("a default ask that does not exist", CAMPAIGN, "default_asks: [long-term-funding, "
      "cancel-deficits, specialist-services]", "default_asks: [long-term-funding, "
      "cancel-deficits, specialist-service]", r"default_asks names specialist-service, which "
      r"asks.yaml does not have; did you mean specialist-services\?"),
    M("four default asks", CAMPAIGN, "cancel-deficits, specialist-services]",
      "cancel-deficits, specialist-services, fair-funding]", r"'default_asks' has 4 items; at "
      r"most 3 are used"),
    M("a chart of a measure not cited", CAMPAIGN, "measures: [ehcp_plans, ehcp_requests,",
      "measures: [ehcp_requests,", r"chart 'ehcp' draws 'ehcp_plans', which is not in "
      r"'measures'", at="  - id: ehcp\n"),
    M("a folder id that does not match", CAMPAIGN, "id: send\n", "id: sendd\n",
      r"id is 'sendd' but the folder is 'send'"),
    M("a term one nation lacks", CAMPAIGN, "    a_plan: an education, health and care (EHC) "
      "plan\n", "", r"unknown name \{a_plan\}", at="Where do pupils wait longest"),
    M("a fifth talking point", CAMPAIGN, "# The pages the campaign's claims", "  - text: One "
      "more point.\n    source: sen2\n# The pages the campaign's claims",
      r"'talking_points' has 5 items; at most 4 are used", at="  - text: One more point."),
    M("a 102-character ask title", ASKS, "title: Cancel councils' high-needs deficits",
      "title: Cancel councils' high-needs deficits now, all of them, in every part of the "
      "country, without any delay", r"'title' in item 2 is 102 characters .*keep it to 70"),
    M("a title with a full stop", ASKS, "title: Cancel councils' high-needs deficits",
      "title: Cancel councils' high-needs deficits.", r"the title ends with '\.'"),
    M("a letter text with a full stop", ASKS, "    cancelling councils' high-needs deficits, "
      "so that past debt no longer eats into money set\n    aside for children with SEND\n",
      "    cancelling councils' high-needs deficits, so that past debt no longer eats into money "
      "set\n    aside for children with SEND.\n", r"would print 'children with SEND\.\.'",
      at="  letter: >-\n    cancelling"),
    M("a duplicate ask id", ASKS, "- id: fair-funding", "- id: cancel-deficits",
      r"ask id 'cancel-deficits' is used twice \(first on line \d+\)",
      at="- id: cancel-deficits\n  title: Consistent"),
    # the campaign's own brand, in a copied content folder
    M("an unquoted colour", BRAND, '  accent: "#0b6e4f"', "  accent: #a3195b",
      r"a value starting with # must be in quotes"),
    M("low contrast in the campaign's brand", BRAND, '  text: "#1a1a1a"', '  text: "#aaaaaa"',
      r"colours.text #aaaaaa on the background #ffffff has a contrast of 2\.\d:1"),
    M("CSS in a font name", BRAND, "  body: Carlito", "  body: 'Carlito\"; } p::after { content: "
      "\"X\" }'", r"'fonts.body' is \"Carlito\"; } p::after .*it should be a font name of "
      r"letters, digits, spaces and hyphens"),
    M("a colour without its #", BRAND, '  accent: "#0b6e4f"', '  accent: "0b6e4f"',
      r"'colours.accent' is \"0b6e4f\"; it should be a colour like \"#1b4f72\""),
]


def _line_of(text: str, snippet: str) -> int:
    at = text.index(snippet)
    return text[:at].count("\n") + 1 + (len(snippet) - len(snippet.lstrip("\n")))


@pytest.mark.slow
@pytest.mark.parametrize("mistake", MISTAKES, ids=[m.what for m in MISTAKES])
def test_each_mistake_is_one_error_at_its_file_and_line(pristine, tmp_path, mistake):
    content = copy_of(pristine, tmp_path)
    path = content / mistake.file
    text = path.read_text(encoding="utf-8")
    assert text.count(mistake.old) >= 1, mistake.old
    edited = text.replace(mistake.old, mistake.new, 1)
    path.write_text(edited, encoding="utf-8")
    report = run_check(content)
    errors = report.errors
    assert len(errors) == 1, [str(e) for e in errors]  # one root cause, one message
    error = errors[0]
    assert Path(error.file) == path, str(error)
    snippet = mistake.at or next(x for x in mistake.new.splitlines() if x.strip()) \
        if mistake.new.strip() else mistake.at
    assert error.line == _line_of(edited, snippet), (str(error), snippet)
    assert re.search(mistake.message, error.message), str(error)
    cut = re.search(r'"([^"]*) \.\.\."', error.message)  # a quoted text is cut at a word
    if cut:
        assert " ".join(edited.split()).find(cut.group(1)) >= 0 or cut.group(1) in edited


def test_at_least_forty_mistakes_and_the_untouched_copy_passes(pristine, tmp_path):
    assert len(MISTAKES) >= 40
    assert len({m.what for m in MISTAKES}) == len(MISTAKES)
    report = run_check(copy_of(pristine, tmp_path))
    assert report.errors == [], [str(e) for e in report.errors]
    assert report.brand_files[0].endswith("send/brand.yaml")  # the campaign's own, first
    assert report.brand_files[1].endswith("content/brand.yaml")


# -- mistakes of the folder itself: named by path --------------------------------------------
def test_a_template_in_the_wrong_folder_names_where_it_goes(pristine, tmp_path):
    content = copy_of(pristine, tmp_path)
    misplaced = content / "send" / "templates" / "letter.md.j2"
    misplaced.parent.mkdir()
    misplaced.write_text((ROOT / "templates" / "letter" / "letter.md.j2").read_text())
    (content / "send" / "templates" / "letter").mkdir()
    (content / "send" / "templates" / "letter" / "letter.md.j2").write_text("x")
    report = run_check(content)
    assert [e.file for e in report.errors] == [str(misplaced)]
    assert re.search(r"no document reads templates/letter.md.j2: move it to .*send/templates/"
                     r"letter/letter.md.j2", report.errors[0].message)


@pytest.mark.parametrize("name", ["phrasing.yaml", "asks.yaml"])
def test_a_missing_campaign_file_is_named_in_its_own_folder(pristine, tmp_path, name):
    """A new campaign (a bundled one's files fill in for a copy, file by file)."""
    from campaign_kit.authoring.check import check

    content = copy_of(pristine, tmp_path)
    shutil.copytree(content / "send", content / "mine")
    campaign = content / "mine" / "campaign.yaml"
    campaign.write_text(campaign.read_text().replace("id: send\n", "id: mine\n"))
    (content / "mine" / name).unlink()
    report = check("mine", content, None, render=False)
    assert len(report.errors) == 1, [str(e) for e in report.errors]
    assert report.errors[0].file == str(content / "mine" / name)
    assert report.errors[0].message.startswith(f"missing: the campaign folder {content / 'mine'}"
                                               f" needs {name}")
    assert "defaults.yaml" not in str(report.errors[0])


@pytest.mark.parametrize("link", ["send/phrasing.yaml", "send/templates", "send", "brand.yaml"])
def test_a_link_out_of_the_content_folder_is_refused_with_its_path(pristine, tmp_path, link):
    content = copy_of(pristine, tmp_path)
    outside = tmp_path / "outside"
    outside.mkdir()
    path = content / link
    if link == "send/templates":
        (outside / "letter").mkdir()
    elif path.is_dir():
        shutil.copytree(path, outside / path.name)
        shutil.rmtree(path)
    else:
        shutil.copy(path, outside / path.name)
        path.unlink()
    target = outside / (path.name if link != "send/templates" else "")
    os.symlink(target, path)
    report = run_check(content)
    assert [e.file for e in report.errors] == [str(path)], [str(e) for e in report.errors]
    assert "is a link to" in report.errors[0].message and "outside the content folder" in \
        report.errors[0].message


def test_a_link_inside_the_content_folder_is_allowed(pristine, tmp_path):
    content = copy_of(pristine, tmp_path)
    shutil.move(content / "send" / "phrasing.yaml", content / "send-phrasing.yaml")
    os.symlink(content / "send-phrasing.yaml", content / "send" / "phrasing.yaml")
    assert run_check(content).errors == []


@pytest.mark.slow
def test_an_unsourced_talking_point_is_listed_and_bundled_campaigns_have_none(tmp_path):
    from campaign_kit.authoring.check import check

    for cid in ("send", "send-reform", "equality-leadership"):
        report = check(cid, None, None, render=False)
        assert report.errors == [] and report.warnings == [], [str(p) for p in report.problems]
        from campaign_kit.content.campaign import load_campaign

        claims = load_campaign(cid).claims
        assert claims and all(c.sources for c in claims)
        kinds = {c.what.split()[0] for c in claims}
        assert {"issue", "talking", "ask"} <= kinds


def test_loader_and_check_refuse_the_same_things(pristine, tmp_path):
    """One schema: the first error `check` lists is the one loading stops at, file and line
    as data."""
    from campaign_kit.content.campaign import load_campaign
    from campaign_kit.errors import TemplateProblem

    content = copy_of(pristine, tmp_path)
    path = content / ASKS
    path.write_text(path.read_text().replace("  nations: [England]\n", "  nation: [England]\n",
                                             1))
    error = run_check(content).errors[0]
    with pytest.raises(TemplateProblem) as raised:
        load_campaign("send", content)
    assert (raised.value.file, raised.value.line) == (error.file, error.line)
    assert raised.value.reason.startswith(error.message)


# -- the published JSON Schema files ------------------------------------------------------------
def test_json_schema_files_are_made_from_the_one_definition():
    from campaign_kit.content.schema import FILES, schema_text

    folder = ROOT / "content" / "schema"
    assert sorted(p.name for p in folder.glob("*.json")) == sorted(
        n.replace(".yaml", ".schema.json") for n in FILES)
    for name in FILES:
        on_disk = (folder / name.replace(".yaml", ".schema.json")).read_text(encoding="utf-8")
        assert on_disk == schema_text(name), f"run scripts/make_schemas.py ({name})"


@pytest.mark.slow
def test_bundled_files_validate_against_their_json_schema_and_mistakes_do_not():
    import jsonschema
    import yaml

    folder = ROOT / "content" / "schema"
    checked = 0
    for path in sorted(DEFAULT_CONTENT.rglob("*.yaml")):
        first = path.read_text(encoding="utf-8").splitlines()[0]
        schema_path = (path.parent / first.split("$schema=")[1]).resolve()
        assert schema_path.parent == folder.resolve(), path
        schema = json.loads(schema_path.read_text(encoding="utf-8"))
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        jsonschema.validate(data, schema)
        checked += 1
        if path.name == "asks.yaml":
            data[0]["nation"] = data[0].pop("nations", ["England"])
            with pytest.raises(jsonschema.ValidationError):
                jsonschema.validate(data, schema)
    assert checked >= 13


# -- brand values are data, never CSS ------------------------------------------------------------
def test_a_font_name_that_would_inject_css_is_refused_everywhere():
    from campaign_kit.content.brand import brand_value, font_name, font_stack

    bad = 'Carlito"; } p::after { content: "X" }'
    for call in (lambda: brand_value("font", bad), lambda: font_name(bad),
                 lambda: font_stack(bad), lambda: brand_value("colour", "#fff; x"),
                 lambda: brand_value("colour", "red")):
        with pytest.raises(ValueError):
            call()
    assert font_stack("Open Sans") == ('"Open Sans", "Carlito", "Liberation Sans", '
                                       '"DejaVu Sans", sans-serif')
    assert brand_value("colour", "#1B4F72") == "#1b4f72"


def test_every_stylesheet_goes_through_the_one_quoting_function():
    """No writer formats a brand value into CSS or a theme by itself."""
    for module in ("writers/pdf.py", "web/assets.py", "web/fonts.py", "authoring/preview.py"):
        text = (ROOT / "campaign_kit" / module).read_text(encoding="utf-8")
        assert not re.search(r"\{brand\.(text|background|primary|accent|muted|body_font|"
                             r"heading_font)\}", text), module
        assert "brand_value" in text or "font_stack" in text, module
    for module in ("writers/pptx.py", "writers/docx.py"):
        text = (ROOT / "campaign_kit" / module).read_text(encoding="utf-8")
        assert "font_name(" in text, module


# -- check and preview leave the project alone -------------------------------------------------
@pytest.mark.slow
def test_check_writes_nothing_and_preview_writes_to_a_temporary_folder(tmp_path, monkeypatch,
                                                                       runner, cli):
    before = {p for p in ROOT.rglob("*") if ".venv" not in p.parts and ".git" not in p.parts
              and "__pycache__" not in p.parts and ".pytest_cache" not in p.parts}
    monkeypatch.chdir(ROOT)
    result = runner.invoke(cli, ["check", "--campaign", "equality-leadership", "--quick"])
    assert result.exit_code == 0, result.output
    result = runner.invoke(cli, ["preview", "letter", "--place", "Aldershot", "--campaign",
                                 "equality-leadership"])
    assert result.exit_code == 0, result.output
    index = Path(result.output.strip())
    assert index.is_file() and not index.is_relative_to(ROOT)
    shutil.rmtree(index.parent.parent)
    after = {p for p in ROOT.rglob("*") if ".venv" not in p.parts and ".git" not in p.parts
             and "__pycache__" not in p.parts and ".pytest_cache" not in p.parts}
    assert after == before, sorted(map(str, after ^ before))[:5]
