"""Property: any text in any typed field (engine/rules.py FIELDS) of any kind, through any
front end (the command line, a members' CSV, a `kit --events` CSV, the web app), reaches
every document that shows the field as text, or is refused in one line naming the field;
never an exception, an "unexpected" line, a traceback or an HTTP 5xx (tests/typedfields.py
says how each is judged). The fast tests (under a minute in all) take every front end; the
slow ones (`-m slow`, about nine minutes) run the same properties longer, with PDFs, and
through `kit`."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

from campaign_kit.engine.rules import clean
from campaign_kit.errors import InputProblem

from . import typedfields as tf

FAST = settings(deadline=None, database=None, max_examples=20,
                suppress_health_check=list(HealthCheck))
SLOW = settings(FAST, max_examples=50)
COUNT = itertools.count()


def fresh(tmp_path):
    folder = tmp_path / f"case{next(COUNT)}"
    folder.mkdir()
    return folder


def shown_in(made: dict[str, str], fields) -> dict[str, set[str]]:
    """For each field, the documents that show its marker (made with every marker)."""
    shown = {}
    for name in fields:
        wanted = tf.must_show(name, tf.MARKERS[name])
        shown[name] = {doc for doc, text in made.items()
                       if all(tf.contains(text, w, False) for w in wanted)}
        assert shown[name], f"no document shows the {name}"
    return shown


MEMBER = ("name", "address", "role", "school", "story")
EVENT = ("venue", "host_name", "host_role", "host_email", "host_phone")


@pytest.fixture(scope="module")
def cli_shown(tmp_path_factory):
    """Which documents each command shows each text field in, by file name."""
    work = tmp_path_factory.mktemp("markers")
    shown = {}
    for command, fields in (("letter", MEMBER), ("roundtable", EVENT)):
        folder = work / command
        folder.mkdir()
        case = tf.CliCase(command, "name" if command == "letter" else "venue",
                          tf.MARKERS["name" if command == "letter" else "venue"],
                          formats=tf.SLOW_FORMATS[command])
        verdict = tf.run_cli(case, folder, {f: tf.MARKERS[f] for f in fields})
        assert not verdict.problems and verdict.made, verdict
        shown[command] = shown_in(verdict.made, fields)
    return shown


def cli_case(command: str, slow: bool):
    return st.builds(tf.CliCase, st.just(command), st.sampled_from(tf.CLI_FIELDS[command]),
                     tf.typed_values(), st.sampled_from(["stdin", "file"]),
                     st.just(tf.SLOW_FORMATS[command] if slow else ""))


def check_cli(case: tf.CliCase, tmp_path, cli_shown) -> None:
    if case.command == "kit" and case.field == "region":
        from campaign_kit.localdata.names import normalise_name

        try:  # a real region is a kit for each of its seats: minutes, not a fuzz case
            assume(normalise_name(clean(case.value, "region")) not in REGIONS)
        except InputProblem:
            pass
    verdict = tf.run_cli(case, fresh(tmp_path))
    assert not verdict.problems, (case, verdict.problems, verdict.refused)
    if verdict.made:
        value = case.value.removeprefix("\ufeff") if case.field == "story" else case.value
        tf.check_shown(verdict, case.field, value, cli_shown.get(case.command, {}))
        assert not verdict.problems, (case, verdict.problems)


REGIONS = {"north east", "north west", "yorkshire and the humber", "east midlands",
           "west midlands", "east of england", "east", "london", "south east", "south west",
           "wales", "scotland", "northern ireland", "yorkshire and humber", "england"}


HOSTILE_CLI = (
    tf.CliCase("letter", "role", "["), tf.CliCase("letter", "council", "["),
    tf.CliCase("letter", "constituency", "\u202e"), tf.CliCase("letter", "name", "\udce9"),
    tf.CliCase("letter", "story", "\ufeff*x* <b>\u0301", "file"),
    tf.CliCase("letter", "address", ",,,"), tf.CliCase("letter", "format", ""),
    tf.CliCase("roundtable", "host_email", "a@b.org?cc=c@d.org"),
    tf.CliCase("roundtable", "time", "\u200b16:00"), tf.CliCase("deck", "council", "\u200b"),
    tf.CliCase("lookup", "place", "\x01"), tf.CliCase("kit", "dated", "2027-02-30"),
    tf.CliCase("kit", "region", "\u202eWales"),
)


@pytest.mark.parametrize("case", HOSTILE_CLI, ids=lambda c: f"{c.command}-{c.field}")
def test_hostile_values_on_the_command_line(case, cli_shown, tmp_path):
    check_cli(case, tmp_path, cli_shown)


@pytest.mark.parametrize("command", ["letter", "roundtable", "deck", "lookup"])
@FAST
@given(data=st.data())
def test_any_value_of_any_field_on_the_command_line(command, cli_shown, tmp_path, data):
    check_cli(data.draw(cli_case(command, slow=False)), tmp_path, cli_shown)


@pytest.mark.slow
@pytest.mark.parametrize("command", ["letter", "roundtable", "deck", "lookup", "kit"])
@SLOW
@given(data=st.data())
def test_any_value_of_any_field_on_the_command_line_at_length(command, cli_shown, tmp_path,
                                                              data):
    check_cli(data.draw(cli_case(command, slow=command not in ("kit", "lookup"))), tmp_path,
              cli_shown)


# -- CSV rows -----------------------------------------------------------------------------
@pytest.fixture(scope="module")
def members_shown(tmp_path_factory):
    row = {"name": "Jo Bloggs", "constituency": "Aldershot",
           **{f: tf.MARKERS[f] for f in MEMBER}}
    verdict = tf.run_members(row, tmp_path_factory.mktemp("members"))
    assert not verdict.problems and verdict.made, verdict
    return shown_in(verdict.made, MEMBER)


def check_member_row(field_name, value, tmp_path, shown) -> None:
    verdict = tf.run_members(tf.member_row(field_name, value), fresh(tmp_path))
    tf.names_the_column(verdict, field_name)
    assert not verdict.problems, (field_name, value, verdict.problems, verdict.refused)
    if verdict.made:
        tf.check_shown(verdict, field_name, tf.as_saved(value), shown)
        assert not verdict.problems, (field_name, value, verdict.problems)


@example(field_name="role", value='"')
@example(field_name="council", value="[")
@example(field_name="story", value="- x\n\n1. y\n\n> z")
@example(field_name="name", value="\x00")
@FAST
@given(field_name=st.sampled_from(tf.MEMBER_FIELDS), value=tf.typed_values())
def test_any_value_of_any_column_of_a_members_csv(field_name, value, tmp_path,
                                                  members_shown):
    check_member_row(field_name, value, tmp_path, members_shown)


@pytest.mark.slow
@SLOW
@given(field_name=st.sampled_from(tf.MEMBER_FIELDS), value=tf.typed_values())
def test_any_value_of_any_column_of_a_members_csv_at_length(field_name, value, tmp_path,
                                                            members_shown):
    check_member_row(field_name, value, tmp_path, members_shown)


def check_event_row(field_name, value, tmp_path, cli_shown) -> None:
    verdict = tf.run_events(tf.event_row({field_name: value}), fresh(tmp_path))
    tf.names_the_column(verdict, field_name)
    assert not verdict.problems, (field_name, value, verdict.problems, verdict.refused)
    if verdict.made:  # the pack's documents are the roundtable command's
        tf.check_shown(verdict, field_name, tf.as_saved(value), cli_shown["roundtable"])
        assert not verdict.problems, (field_name, value, verdict.problems)


@example(field_name="venue", value="*[x]* \u202e<b>")
@settings(FAST, max_examples=1)  # a kit a case: the slow test below runs 30
@given(field_name=st.sampled_from(tf.EVENT_FIELDS), value=tf.typed_values())
def test_any_value_of_any_column_of_an_events_csv(field_name, value, tmp_path, cli_shown):
    check_event_row(field_name, value, tmp_path, cli_shown)


@pytest.mark.slow
@example(field_name="host_phone", value="+")
@settings(FAST, max_examples=30)
@given(field_name=st.sampled_from(tf.EVENT_FIELDS), value=tf.typed_values())
def test_any_value_of_any_column_of_an_events_csv_at_length(field_name, value, tmp_path,
                                                            cli_shown):
    check_event_row(field_name, value, tmp_path, cli_shown)


# -- the web app --------------------------------------------------------------------------
@pytest.fixture(scope="module")
def web(engine):
    pytest.importorskip("flask", reason="the web extra is not installed")
    from campaign_kit.web.app import create_app
    from campaign_kit.web.settings import Settings

    app = create_app(Settings(secret=b"t" * 32, renders_per_minute=1e6,
                              pages_per_minute=1e6), engine)
    return tf.Web(app)


@pytest.fixture(scope="module")
def web_shown(web):
    letter = tf.run_web_values(web, "letter", {f: tf.MARKERS[f] for f in MEMBER})
    pack = tf.run_web_values(web, "roundtable", {f: tf.MARKERS[f] for f in EVENT})
    assert not letter.problems and not pack.problems, (letter, pack)
    return {"letter": shown_in(letter.made, MEMBER), "roundtable": shown_in(pack.made, EVENT)}


def check_web(web, web_shown, kind, field_name, value) -> None:
    verdict = tf.run_web(web, kind, field_name, value)
    assert not verdict.problems, (kind, field_name, value, verdict.problems)
    if verdict.made:
        tf.check_shown(verdict, field_name, tf.web_value(field_name, value),
                       web_shown.get(kind, {}))
        assert not verdict.problems, (kind, field_name, value, verdict.problems)


@pytest.mark.parametrize("kind, field_name, value", [
    ("letter", "role", "\u201c"), ("letter", "place", "\u202e"), ("letter", "council", "["),
    ("letter", "story", "\ud800 > x"), ("deck", "place", "\u200b"), ("deck", "format", "["),
])
def test_hostile_values_in_the_web_forms(web, web_shown, kind, field_name, value):
    check_web(web, web_shown, kind, field_name, value)


@pytest.mark.parametrize("kind", ["letter", "deck"])
@FAST
@given(data=st.data())
def test_any_value_of_any_field_of_the_web_forms(kind, web, web_shown, data):
    field_name = data.draw(st.sampled_from(tf.WEB_FIELDS[kind]))
    check_web(web, web_shown, kind, field_name, data.draw(tf.typed_values()))


@pytest.mark.slow
@pytest.mark.parametrize("kind", ["letter", "roundtable", "deck"])
@settings(SLOW, max_examples=60)
@given(data=st.data())
def test_any_value_of_any_field_of_the_web_forms_at_length(kind, web, web_shown, data):
    field_name = data.draw(st.sampled_from(tf.WEB_FIELDS[kind]))
    check_web(web, web_shown, kind, field_name, data.draw(tf.typed_values()))


@pytest.mark.slow
@example(field_name="host_email", value="sam@naht.org.uk;RSVP=TRUE")
@example(field_name="venue", value="**x** [y](javascript:z)")
@settings(FAST, max_examples=6)
@given(field_name=st.sampled_from(tf.WEB_FIELDS["roundtable"]), value=tf.typed_values())
def test_any_value_of_any_field_of_the_pack_form(web, web_shown, field_name, value):
    check_web(web, web_shown, "roundtable", field_name, value)


def test_every_typed_field_is_fuzzed_through_some_front_end():
    from campaign_kit.engine.rules import FIELDS

    assert tf.covered() == set(FIELDS)
