"""Issue 11, "say the right thing": words a head would sign, figures framed by which way is
worse, nothing stale passed off as current, each nation in its own terms, nothing internal in
what an MP reads, letters that are not copies."""

from __future__ import annotations

import datetime as dt
import importlib.util
import re
import statistics
from pathlib import Path

import pytest

from campaign_kit.engine.requests import Area, Event, Request
from campaign_kit.engine.rules import member as make_member
from campaign_kit.render import words
from campaign_kit.writers.text import render_text

from .extract import docx_text, pdf_info, pdf_text, pptx_text, squash

DATE = dt.date(2026, 11, 24)
MEMBER = make_member("Jo Bloggs", "1 High Street, Town, AB1 2CD", "headteacher",
                            "Park School")
EVENT = Event(dt.date(2027, 2, 10), dt.time(16, 0), "Park School", "Sam Patel",
              "Regional official")


def doc_text(doc) -> str:
    """Everything a reader of any format could see: the text of every block (slides with
    their notes, charts by their alt text) and the document's properties."""
    m = doc.meta
    return squash(" ".join([render_text(doc), m.title, m.subject, " ".join(m.keywords)]))


def context(engine, seat, member=MEMBER, date=DATE, council=None):
    """The letter's context and notes, as kinds.make builds them."""
    from campaign_kit.engine.contexts import letter_context

    built, _, notes = letter_context(engine, Request(date, seat=seat, member=member,
                                                  council=council))
    return built, notes


def letter(engine, seat, member=MEMBER, date=DATE, council=None):
    return engine.make("letter", Request(date, seat=seat, member=member, council=council))


def every_document(engine, seat, date=DATE):
    yield from letter(engine, seat).documents
    yield from engine.make("roundtable", Request(EVENT.date, seat=seat, event=EVENT,
                                               today=date)).documents
    yield from engine.make("deck", Request(date, area=Area.of_seat(seat))).documents


# -- words a head would sign --------------------------------------------------------------------
@pytest.mark.parametrize("noun, expected", [
    ("headteacher", "a headteacher"), ("SENCO", "a SENCO"), ("SENCo", "a SENCo"),
    ("assistant head", "an assistant head"), ("MP", "an MP"), ("SEN coordinator",
    "an SEN coordinator"), ("union rep", "a union rep"), ("hour", "an hour"),
    ("[Your role]", "a [Your role]"), ("executive headteacher", "an executive headteacher"),
    ("ALNCo", "an ALNCo"), ("NQT", "an NQT"), ("university lecturer", "a university lecturer")])
def test_article(noun, expected):
    assert words.article(noun) == expected


def test_plural_lists_possessives_and_party_labels():
    assert words.plural(1, "week") == "1 week" and words.plural(2, "week") == "2 weeks"
    assert words.plural(1, "child", "children") == "1 child"
    assert words.join_list(["A"]) == "A" and words.join_list(["A", "B"]) == "A and B"
    assert words.join_list(["A", "B", "C"]) == "A, B and C"
    assert words.join_list(["a", "b", "c"], "and", "; ") == "a; b; and c"
    assert words.possessive("Bristol") == "Bristol's"
    assert words.party("Labour (Co-op)") == "Labour and Co-operative"
    assert "(" not in words.party("Labour (Co-op)")


def test_preparation_says_1_week_not_1_weeks(engine):
    from campaign_kit.engine.roundtable import plan_from, preparation

    rows = dict((task, when) for when, task in
                preparation(Event(None, None, "", "", ""), plan_from(engine.campaign)))
    whens = set(rows.values())
    assert "1 week before" in whens and "1 weeks before" not in whens
    assert not any(re.match(r"1 (weeks|days) ", w) for w in whens)


@pytest.mark.parametrize("seat, changed, said", [
    ("Makerfield", False, "still held by Labour and Co-operative"),  # a new MP, same party
    ("Arbroath and Broughty Ferry", False, "still held by Scottish National Party"),
    ("Runcorn and Helsby", True, "now held by Reform UK"),  # a by-election gain
    ("Aberdeen South", True, "now held by Conservative"),
    ("Aldershot", False, ""),  # nothing changed
])
def test_changed_hands_only_when_the_party_changed(places, seat, changed, said):
    from campaign_kit.localdata.pictures import seat_picture

    picture = seat_picture(places, places.find(seat))
    text = words.since_2024(picture)
    assert text == words.since_2024(picture.as_json())  # lookup's JSON reads the same
    assert ("changed hands" in text) == changed
    assert said in text


def test_same_mp_under_a_new_label_is_not_changed_hands(places):
    from campaign_kit.localdata.pictures import seat_picture

    rows = places.db.execute(
        "SELECT s.code FROM seats s JOIN results_2024 r ON r.seat = s.code WHERE "
        "s.member_id = r.winner_id AND s.party = 'Independent' AND r.party = 'Labour'")
    codes = [c for (c,) in rows]
    assert codes, "the data has MPs elected for Labour who now sit as Independents"
    for code in codes:
        text = words.since_2024(seat_picture(places, places.constituency(code)))
        assert "won the seat in 2024 for Labour and now sits as an Independent MP" in text
        assert "changed hands" not in text


def test_guide_profile_has_no_nested_brackets(engine):
    seat = next(s for s in engine.places.all_constituencies() if s.mp.party == "Labour (Co-op)")
    for doc, _ in engine.make("roundtable", Request(EVENT.date, seat=seat, event=EVENT,
                                                  today=DATE)).documents:
        text = doc_text(doc)
        assert "(Labour (Co-op))" not in text and "Co-op))" not in text


def test_role_takes_the_right_article_in_the_letter(engine):
    member = make_member("Jo Bloggs", "1 High St", "SENCO", "")
    text = doc_text(letter(engine, engine.places.find("Aldershot"), member).documents[0][0])
    assert "a SENCO" in text and "an SENCO" not in text


# -- honest framing -----------------------------------------------------------------------------
def english_councils(engine):
    return [engine.places.council(c) for (c,) in engine.places.db.execute(
        "SELECT code FROM councils WHERE nation = 'England' ORDER BY code")]


def council_statements(engine, council, date=DATE):
    from campaign_kit.engine.evidence import for_council

    return for_council(engine, council, date).statements


def test_every_comparison_knows_which_way_is_worse(engine):
    """Over all 153 councils: better than England on timeliness is never pressure; a higher
    tribunal rate is worse; England is compared for the same period only."""
    better = worse = 0
    england = engine.places.england()
    for council in english_councils(engine):
        for s in council_statements(engine, council):
            if s.england is not None and s.measure in england.series:
                same = next(p for p in england.series[s.measure].points if p.period == s.period)
                assert same.value == s.england, (council.name, s.measure)
            if s.measure == "timely_20wk_pc" and s.england is not None:
                if s.value > s.england:
                    better += 1
                    assert s.compared == "better" and not s.argues and not s.usable
                    assert "better than England" in s.comparison
                elif s.value < s.england:
                    worse += 1
                    assert s.compared == "worse" and (s.argues or s.doubt)
            if s.measure == "tribunal_rate_pc" and s.england is not None \
                    and s.value > s.england:
                assert s.compared == "worse"
            assert s.measure != "high_needs_block"  # shown per EHC plan, never as a total
    assert better > 50 and worse > 50  # the audit: 84 of 153 beat England on timeliness


def test_a_letter_cites_only_figures_that_show_pressure(engine):
    for query in ("Rutland and Stamford", "Sheffield Central", "Aldershot", "Windsor"):
        seat = engine.places.find(query)
        built, _ = context(engine, seat)
        pool = [s for c in built["seat"].councils for s in c.statements]
        for text in built["letter"]["figures"]:
            said = [s for s in pool
                    if text in [s.sentence(engine.campaign.figure_wordings, v) for v in range(6)]]
            assert said and all(s.argues and s.usable and not s.stale for s in said), text
        assert len(built["letter"]["figures"]) <= 3


def test_small_bases_print_as_counts(engine):
    london = engine.places.council("City of London")
    timely = next(s for s in council_statements(engine, london) if s.measure == "timely_20wk_pc")
    assert timely.count == (4, 5) and timely.value_text == "4 of 5"
    said = " ".join(timely.sentence(engine.campaign.figure_wordings, v) for v in range(3))
    assert "4 of 5 new EHC plans" in said
    assert "80%" not in timely.value_text
    big = next(s for s in council_statements(engine, engine.places.council("Hampshire"))
               if s.measure == "timely_20wk_pc")
    assert big.count is None and big.value_text == "41.0%"
    appeals = next(s for s in council_statements(engine, london) if s.measure == "tribunal_rate_pc")
    assert appeals.count == (0, 26) and appeals.value_text == "0 of 26"
    assert appeals.label == "Appealable decisions appealed to the SEND Tribunal"
    wordings = engine.campaign.figure_wordings
    assert all("0 of 26 appealable decisions" in appeals.sentence(wordings, v)
               for v in range(4))


@pytest.mark.slow
def test_stale_figures_stay_out_of_letters_and_are_marked_latest_published(engine):
    seat = engine.places.find("Sheffield Central")
    old = [s for s in council_statements(engine, seat.councils[0], dt.date(2027, 6, 1))
           if s.measure == "dsg_deficit_pc"][0]
    # DfE has released later outturn since (due each December): not "latest published"
    assert old.stale and not old.latest_published
    assert old.period_text == "2021-22, the latest figures in this kit (published December 2022)"
    fresh = [s for s in council_statements(engine, seat.councils[0], dt.date(2024, 6, 1))
             if s.measure == "dsg_deficit_pc"][0]
    assert not fresh.stale
    # a council whose 2021-22 deficit was worse than England's: a letter dated 2024 may
    # cite it, one dated 2027 never
    from campaign_kit.engine.evidence import for_council, for_letter

    leics = engine.places.council("Leicestershire")
    figures = {day: for_council(engine, leics, day) for day in (dt.date(2024, 6, 1),
                                                                 dt.date(2027, 6, 1))}
    then, now = (next(s for s in f.statements if s.measure == "dsg_deficit_pc")
                 for f in figures.values())
    assert then.compared == "worse" and not then.stale and then.usable
    assert now.stale and not now.usable and now.argues  # still worse, in a briefing
    chosen = {day: [s.measure for s in for_letter([f], "x", None, engine.evidence, limit=8)]
              for day, f in figures.items()}
    assert "dsg_deficit_pc" in chosen[dt.date(2024, 6, 1)]
    assert "dsg_deficit_pc" not in chosen[dt.date(2027, 6, 1)]
    for n in range(20):
        member = make_member(f"Member {n}", "1 High St", "headteacher", "A School")
        text = doc_text(letter(engine, engine.places.find("Rutland and Stamford"), member,
                               dt.date(2027, 6, 1)).documents[0][0])
        assert "2021-22" not in text and "Dedicated Schools Grant" not in text
    briefing = dict((stem, d) for d, stem in engine.make("roundtable", Request(
        dt.date(2027, 6, 1), seat=seat, event=EVENT, today=DATE)).documents)["briefing"]
    said = " ".join(doc_text(briefing).split())
    assert "2021-22, the latest figures in this kit (published December 2022)" in said
    assert "latest published" not in said


def test_a_period_is_the_latest_in_the_kit_once_a_newer_release_is_due(engine):
    """SEN2 January 2025 figures (published June 2025): the period alone until June 2026, when
    the next release is due; then 'the latest figures in this kit'. 'Latest published' is
    for an old figure whose next release is not due yet."""
    leeds = engine.places.council("Leeds")
    said = {day: next(s for s in council_statements(engine, leeds, day)
                      if s.measure == "ehcp_plans").period_text
            for day in (dt.date(2026, 3, 1), dt.date(2026, 12, 1))}
    assert said == {dt.date(2026, 3, 1): "January 2025", dt.date(2026, 12, 1):
                    "January 2025, the latest figures in this kit (published June 2025)"}
    from campaign_kit.content.datasets import period_words

    assert period_words("2021-22", True, None) == "latest published: 2021-22"


def test_every_letter_figure_prints_its_period(engine):
    for n in range(10):
        member = make_member(f"Member {n}", "1 High St", "headteacher", "A School")
        built, _ = context(engine, engine.places.find("Hackney South and Shoreditch"), member)
        for text in built["letter"]["figures"]:
            assert re.search(r"\b20\d\d\b", text), text


def test_briefing_groups_figures_by_direction(engine):
    seat = engine.places.find("Sheffield Central")
    docs = dict((stem, d) for d, stem in engine.make("roundtable", Request(
        EVENT.date, seat=seat, event=EVENT, today=DATE)).documents)
    text = doc_text(docs["briefing"])
    worse_at = text.index("Where Sheffield is worse than England")
    better_at = text.index("Sheffield: better than England")
    assert worse_at < text.index("Sheffield: need, demand and funding") < better_at
    worse, better = text[worse_at:better_at], text[better_at:]
    assert "SEND Tribunal appeal rate" in worse and "within 20 weeks" not in worse
    assert "within 20 weeks" in better.split("Sources")[0]


def test_dsg_and_high_needs_block_in_the_sources_terms(engine):
    text = doc_text(dict((s, d) for d, s in engine.make("roundtable", Request(
        EVENT.date, seat=engine.places.find("Bristol Central"), event=EVENT,
        today=DATE)).documents)["briefing"])
    assert "schools budget" not in text
    assert "Dedicated Schools Grant (DSG) cumulative balance" in text
    # the block per EHC plan, never a council's total beside England's
    assert "High needs block per EHC plan in force (provisional allocation)" in text
    assert "billion" not in text and "million" not in text


# -- one council, one page -----------------------------------------------------------------------
def test_member_chooses_their_council(engine, runner, cli, tmp_path):
    seat = engine.places.find("Rutland and Stamford")
    built, notes = context(engine, seat, council="rutland")
    figures = " ".join(built["letter"]["figures"])
    assert "Rutland" in figures and "Leicestershire" not in figures \
        and "Lincolnshire" not in figures
    # the other councils with the share of the seat each covers (its postcodes)
    assert "Lincolnshire (about 42% of the seat) and Leicestershire (about 15%)" in \
        built["letter"]["after"]
    assert not any(n.code == "seat-spans-councils" for n in notes)
    # without a choice the member is told, and each figure names its council
    built, notes = context(engine, seat)
    assert any(n.code == "seat-spans-councils" and
               n.fields["councils"] == "Rutland, Lincolnshire and Leicestershire" for n in notes)
    assert "Rutland (about 43% of the seat), Lincolnshire (about 42%) and Leicestershire " \
        "(about 15%)" in built["letter"]["lead_in"]
    result = runner.invoke(cli, ["letter", "--constituency", "Rutland and Stamford", "--name",
                                 "Jo", "--council", "Kent", "--out", str(tmp_path)])
    assert result.exit_code == 1
    assert "--council 'Kent' is not one of the councils Rutland and Stamford spans: choose " \
        "Rutland, Lincolnshire or Leicestershire" in result.output


@pytest.mark.slow
def test_multi_council_letters_fit_one_page(engine, tmp_path):
    from campaign_kit.runs.outputs import write_product

    three = [r for (r,) in engine.places.db.execute(
        "SELECT seat FROM seat_councils GROUP BY seat HAVING count(*) = 3 ORDER BY seat")]
    assert len(three) == 11
    for n, code in enumerate(three):
        seat = engine.places.constituency(code)
        member = make_member(f"Member {n}", "1 The Long Road, Somewhere, AB1 2CD",
                                    "assistant headteacher", "St Mary's Church of England "
                                    "Primary School")
        for council in (None, seat.councils[n % 3].name):
            made = engine.produce("letter", Request(DATE, seat=seat, member=member,
                                                 council=council), ["pdf"])
            path = write_product(made, tmp_path / f"{n}-{bool(council)}", False)[0]
            assert pdf_info(path)["Pages"] == "1", (seat.name, council)


@pytest.mark.slow
def test_batch_council_column(runner, cli, tmp_path):
    csv = tmp_path / "members.csv"
    csv.write_text("name,constituency,council\nJo Bloggs,Rutland and Stamford,Lincolnshire\n"
                   "Sam Patel,Rutland and Stamford,Nowhere\n", encoding="utf-8")
    result = runner.invoke(cli, ["letters", str(csv), "--format", "txt", "--jobs", "1",
                                 "--out", str(tmp_path / "out")])
    assert result.exit_code == 1  # the second row fails, the first is written
    text = squash((tmp_path / "out" / "letter-rutland-and-stamford-jo-bloggs.txt").read_text())
    assert "Lincolnshire" in text
    assert "Rutland (about 43% of the seat) and Leicestershire (about 15%)" in text
    errors = (tmp_path / "out" / "errors.csv").read_text(encoding="utf-8-sig")
    assert "Nowhere" in errors and "Sam Patel" in errors


@pytest.mark.slow
def test_kit_template_letter_marks_the_space_for_a_story(runner, cli, tmp_path):
    result = runner.invoke(cli, ["kit", "--constituency", "Aldershot", "--jobs", "1",
                                 "--date", "2027-11-24", "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    letter_txt = next(tmp_path.rglob("letter-*-template.txt")).read_text(encoding="utf-8")
    assert "[Your story goes here:" in letter_txt and "Then delete this note.]" in letter_txt
    docx = docx_text(next(tmp_path.rglob("letter-*-template.docx")))
    assert "[Your story goes here:" in docx


# -- each nation in its own terms --------------------------------------------------------------
ENGLISH_ONLY = [r"\bEHC\b", r"EHCP", r"education, health and care", r"high[- ]needs",
                r"\bDfE\b", r"Department for Education", r"Secretary of State for Education",
                r"\bSEN2\b", r"\bDSG\b", r"Dedicated Schools Grant", r"\bSEND\b",
                r"\bEngland\b", r"20-week", r"\bSENCOs?\b", r"parent carer forum",
                r"\bESFA\b", r"Education and Skills Funding Agency", r"Ofsted",
                r"\bMoJ\b", r"SEND Tribunal"]
NATION_TERMS = {"Wales": ("additional learning needs (ALN)", "Member of the Senedd (MS)",
                          "the Welsh Government", "the Senedd",
                          "individual development plan (IDP)"),
                "Scotland": ("additional support needs (ASN)", "the Scottish Government",
                             "Member of the Scottish Parliament (MSP)",
                             "additional support for learning", "coordinated support plan"),
                "Northern Ireland": ("special educational needs (SEN)",
                                     "Member of the Legislative Assembly (MLA)",
                                     "Department of Education (Northern Ireland)",
                                     "statement of special educational needs")}


def english_terms(text: str) -> list[str]:
    return [p for p in ENGLISH_ONLY if re.search(p, text)]


@pytest.mark.slow
def test_every_devolved_seat_every_kind_in_its_own_terms(engine):
    """All 107 seats in Wales, Scotland and Northern Ireland, every document of every kind,
    as text (the Documents every format is written from), with their properties."""
    seats = [s for s in engine.places.all_constituencies() if not s.in_england]
    assert len(seats) == 107
    # the check finds England's terms where they belong
    assert english_terms(doc_text(letter(engine, engine.places.find("Aldershot")).documents[0][0]))
    for seat in seats:
        seen = ""
        for doc, stem in every_document(engine, seat):
            text = doc_text(doc)
            assert not english_terms(text), (seat.name, stem, english_terms(text))
            seen += text
        for term in NATION_TERMS[seat.nation]:
            assert term in seen, (seat.name, term)
        ask = engine.campaign.asks[0]
        assert ask.title not in seen and ask.letter[:30] not in seen


@pytest.mark.slow
def test_devolved_files_in_every_format(engine, tmp_path):
    """A seat from each nation written in every format of every kind, read back as a person
    would (pdftotext, python-docx, python-pptx)."""
    from campaign_kit.engine.kinds import KINDS
    from campaign_kit.runs.outputs import write_product

    for query in ("Ynys Môn", "Angus and Perthshire Glens", "Belfast South and Mid Down"):
        seat = engine.places.find(query)
        requests = {"letter": Request(DATE, seat=seat, member=MEMBER),
                    "roundtable": Request(EVENT.date, seat=seat, event=EVENT, today=DATE),
                    "deck": Request(DATE, area=Area.of_seat(seat))}
        for kind_id, request in requests.items():
            made = engine.produce(kind_id, request, KINDS[kind_id].formats)
            paths = write_product(made, tmp_path / query, True)
            for path in paths:
                reader = {"pdf": pdf_text, "docx": docx_text, "pptx": pptx_text,
                          "txt": lambda p: p.read_text(encoding="utf-8"),
                          "ics": lambda p: p.read_text(encoding="utf-8")}[path.suffix[1:]]
                text = squash(reader(path))
                assert not english_terms(text), (path.name, english_terms(text))


@pytest.mark.slow
def test_devolved_letter_command_says_so_and_points_to_the_representative(runner, cli,
                                                                           tmp_path):
    for seat, rep in (("Ynys Môn", "Member of the Senedd (MS)"),
                      ("Angus and Perthshire Glens", "Member of the Scottish Parliament (MSP)"),
                      ("Belfast South and Mid Down", "Member of the Legislative Assembly (MLA)")):
        result = runner.invoke(cli, ["letter", "--constituency", seat, "--name", "Jo",
                                     "--format", "txt", "--out", str(tmp_path), "--force"])
        assert result.exit_code == 0, result.output
        out = squash(result.output)
        assert "has no asks for" in out and "The letter makes no asks" in out and rep in out
        assert "roundtable pack and a slide deck" in out


# -- what an MP reads ----------------------------------------------------------------------------
MP_FACING = ("letter", "briefing", "invitation", "follow-up")


@pytest.mark.slow
def test_mp_facing_documents_show_nothing_internal(engine):
    from campaign_kit.localdata.sources import MEASURES, SOURCES

    # the organisers' guide still has the majority: the check below would see it
    guide = next(d for d, stem in every_document(engine, engine.places.find("Sheffield Central"))
                 if stem == "guide")
    assert "majority of 8,286" in doc_text(guide)

    ids = sorted(set(SOURCES) | set(MEASURES) | {"ge2024", "mp_gender", "onspd"})
    for query in ("Sheffield Central", "Rutland and Stamford", "Cities of London and "
                  "Westminster", "Ynys Môn", "Belfast South and Mid Down", "Chorley"):
        seat = engine.places.find(query)
        for doc, stem in every_document(engine, seat):
            if not any(stem.startswith(k) for k in MP_FACING):
                continue
            text = doc_text(doc)
            assert not re.search(r"\b[ENSWK]\d{8}\b", text), (query, stem)  # ONS codes
            for c in seat.councils:  # DfE three-digit council codes
                if c.code.isdigit():
                    assert not re.search(rf"(?<![\d,.£]){c.code}(?![\d,%])", text), (query, stem)
            for i in ids:
                assert not re.search(rf"\b{re.escape(i)}\b", text), (query, stem, i)
            assert "campaign-kit" not in text.lower() and "campaign_kit" not in text
            if seat.election and seat.election.majority:
                majority = f"{seat.election.majority:,}"
                assert not re.search(rf"(?<![\d,]){majority}(?![\d,])", text), (query, stem)
                assert "majority" not in text.lower(), (query, stem)


def test_deck_notes_never_name_the_tool(engine):
    for query in ("Sheffield Central", "Ynys Môn"):
        text = doc_text(engine.make("deck", Request(DATE, area=Area.of_seat(
            engine.places.find(query)))).documents[0][0])
        assert "campaign-kit" not in text.lower()


# -- letters that are not copies ---------------------------------------------------------------
def variation():
    path = Path(__file__).resolve().parent.parent / "bench" / "letter_variation.py"
    spec = importlib.util.spec_from_file_location("letter_variation", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("query", ["Sheffield Central", "Ynys Môn"])
@pytest.mark.parametrize("same_role", [False, True])
def test_twenty_letters_from_one_seat_share_few_sentences(engine, query, same_role):
    shares = variation().measure(engine, engine.places.find(query), 20, same_role=same_role)
    assert len(shares) == 190
    assert statistics.median(shares) <= 0.40, statistics.median(shares)


def test_letters_are_the_same_for_the_same_member_and_seat(engine):
    seat = engine.places.find("Sheffield Central")
    a, b = (doc_text(letter(engine, seat).documents[0][0]) for _ in range(2))
    assert a == b


def test_no_percentage_chart_on_a_small_base(engine):
    """City of London issued 5 new plans in 2024: no bar of '80%' in its deck (the text
    gives '4 of 5'); Hampshire's chart is drawn."""
    from campaign_kit.engine.charts import points
    from campaign_kit.engine.evidence import for_council
    from campaign_kit.localdata.pictures import council_picture

    timely = next(s for s in engine.campaign.charts if s.measure == "timely_20wk_pc")
    london = council_picture(engine.places, engine.places.council("City of London"))
    assert points(london, timely) == ()
    assert len(points(council_picture(engine.places, engine.places.council("Hampshire")),
                      timely)) == 6
    assert not [c for c in for_council(engine, london.council, DATE).charts
                if c.startswith("timely")]


def test_a_content_folder_s_release_cycle_reaches_documents_and_data_status(tmp_path, runner, cli):
    """datasets.yaml is read from the content folder the documents come from (--content), not
    only from $CAMPAIGN_KIT_CONTENT: a corrected release month changes how periods are worded
    and what `data status` says is due."""
    from campaign_kit.engine.engine import Engine

    text = (Path(__file__).parents[1] / "content" / "datasets.yaml").read_text("utf-8")
    sen2 = "    lead: ehcp_plans\n    release: {month: 6, years_after: 0}\n"
    assert sen2 in text
    own = tmp_path / "own"
    own.mkdir()
    (own / "datasets.yaml").write_text(
        text.replace(sen2, sen2.replace("month: 6", "month: 12")), "utf-8")
    moved = Engine.load(content_dir=own)
    leeds = moved.places.council("Leeds")
    said = next(s for s in council_statements(moved, leeds, dt.date(2026, 12, 1))
                if s.measure == "ehcp_plans").period_text
    assert said == "January 2025, the latest figures in this kit (published December 2025)"
    status = runner.invoke(cli, ["data", "status", "--content", str(own)], env={})
    assert status.exit_code == 0, status.output
    assert f"({own / 'datasets.yaml'})" in status.output
    assert "published December 2025" in status.output
    bundled = runner.invoke(cli, ["data", "status"], env={"CAMPAIGN_KIT_CONTENT": None})
    assert "published June 2025" in bundled.output


def test_a_postcode_picks_the_members_council_in_a_seat_of_several(engine, runner, cli,
                                                                    tmp_path):
    """Queen's Park and Maida Vale spans Westminster and Brent: a member who gives a Brent
    postcode gets Brent's figures and is told why; one in Westminster gets Westminster's
    (none of which makes the case, so none is quoted, and the note says so rather than
    quoting Brent's); a council named outright wins over the postcode."""
    from campaign_kit.engine.contexts import letter_context

    seat = engine.places.find("Queen's Park and Maida Vale")
    built, _, notes = letter_context(engine, Request(DATE, seat=seat, member=MEMBER,
                                                     postcode="nw6 6rd"))
    assert built["letter"]["figures"] and all("Brent" in f for f in built["letter"]["figures"])
    assert "Westminster (about 51% of the seat)" in built["letter"]["after"]
    assert [n.fields for n in notes if n.code == "council-from-postcode"] == [
        {"field": "council", "postcode": "NW6 6RD", "council": "Brent",
         "seat": "Queen's Park and Maida Vale", "others": "Westminster"}]
    assert not any(n.code == "seat-spans-councils" for n in notes)

    def letter_text(*args):
        out = tmp_path / str(len(list(tmp_path.iterdir())))
        result = runner.invoke(cli, ["letter", "--name", "Jo Bloggs", "--format", "txt",
                                     "--out", str(out), *args])
        assert result.exit_code == 0, result.output
        return result.output, " ".join(next(out.glob("*.txt")).read_text("utf-8").split())

    said, text = letter_text("--postcode", "W9 1AA")
    assert "W9 1AA is in Westminster, so the letter draws on Westminster's figures (Queen's " \
        "Park and Maida Vale also spans Brent); pass --council NAME" in " ".join(said.split())
    assert "no published figure for Westminster makes the case" in " ".join(said.split())
    assert "Brent" not in text and "Westminster" not in text
    said, text = letter_text("--postcode", "W9 1AA", "--council", "Brent")
    assert "W9 1AA is in" not in said and "pupils in Brent" in text
    said, text = letter_text("--postcode", "NW6 6RD")
    assert "NW6 6RD is in Brent, so the letter draws on Brent's figures (Queen's Park and " \
        "Maida Vale also spans Westminster); pass --council NAME" in " ".join(said.split())
    assert "makes the case" not in said
    assert "pupils in Brent" in text and "is in Westminster (about 51% of the seat)" in text
    # a members' CSV: each row's postcode picks its council
    (tmp_path / "m.csv").write_text("Name,Postcode\nAl Brent,NW6 6RD\nBo West,W9 1AA\n",
                                    "utf-8")
    result = runner.invoke(cli, ["letters", str(tmp_path / "m.csv"), "--format", "txt",
                                 "--jobs", "1", "--out", str(tmp_path / "batch")])
    assert result.exit_code == 0, result.output
    texts = {p.name: " ".join(p.read_text("utf-8").split())
             for p in (tmp_path / "batch").rglob("*.txt")}
    brent = next(t for n, t in texts.items() if "al-brent" in n)
    west = next(t for n, t in texts.items() if "bo-west" in n)
    assert "pupils in Brent" in brent and "Brent" not in west


def test_a_letter_without_local_figures_says_why(engine):
    """Battersea's council, Wandsworth, has no figure that argues the case: the letter makes
    the asks without local figures, and the member is told why rather than left guessing."""
    from campaign_kit.engine.contexts import letter_context

    seat = engine.places.find("Battersea")
    built, _, notes = letter_context(engine, Request(DATE, seat=seat, member=MEMBER))
    assert not built["letter"]["figures"]
    assert [n.fields for n in notes if n.code == "no-local-figures"] == [
        {"councils": "Wandsworth"}]
    built, _, notes = letter_context(engine, Request(DATE, seat=engine.places.find(
        "Aldershot"), member=MEMBER))
    assert built["letter"]["figures"] and not any(n.code == "no-local-figures" for n in notes)
