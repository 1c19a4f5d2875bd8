"""One set of input rules (engine/rules.py) for every front end: the same bad value typed on
the command line, put in a members' CSV, in a `kit --events` CSV or in the web form gets the
same Note code. Each front end words it its own way; the code is read back from each one's
words (the CLI's line, errors.csv's reason, the web page's data-note)."""

from __future__ import annotations

import csv
import datetime as dt
import re

import pytest

from campaign_kit.cli import notes as cli_notes
from campaign_kit.notes import TEXTS
from campaign_kit.runs import csvwords

flask = pytest.importorskip("flask", reason="the web extra is not installed")

PAST = (dt.date.today() - dt.timedelta(days=30)).isoformat()
# (the library's field, the bad value, the code every front end must give)
SEATS = ["Aldershot", "Hexham", "Sheffield Central", "Bristol East"]  # one event a seat
MEMBER_VALUES = [("name", "N" * 101, "too-long"), ("asks", "no-such-ask", "unknown-ask")]
EVENT_VALUES = [("host_email", "sam.patel@", "not-an-email"), ("date", PAST, "past-date"),
                ("host_phone", "call me maybe", "not-a-phone"),
                ("asks", "no-such-ask", "unknown-ask")]


def pattern(template: str) -> re.Pattern:
    """A wording template as a pattern: its {placeholders} match anything."""
    parts = re.split(r"\{[^{}]*\}", template)
    return re.compile(".*?".join(re.escape(p) for p in parts), re.S)


def codes_of(message: str, texts: dict[str, str]) -> set[str]:
    """The note codes whose wording (a front end's, over the library's) gives `message`."""
    merged = {**TEXTS, **texts}
    return {code for code, template in merged.items() if code != "message"
            and pattern(template).search(message)}


def test_codes_of_tells_the_wordings_apart():
    assert codes_of("--name is 101 characters; keep it under 100", cli_notes.TEXTS) == \
        {"too-long"}
    assert codes_of("something else entirely", cli_notes.TEXTS) == set()


# -- the command line -----------------------------------------------------------------------
OPTION = {"name": "--name", "asks": "--asks", "host_email": "--host-email", "date": "--date",
          "host_phone": "--host-phone"}


@pytest.mark.parametrize("field, value, code", MEMBER_VALUES)
def test_the_cli_letter(runner, cli, tmp_path, field, value, code):
    args = {"--constituency": "Aldershot", "--name": "Jo Bloggs", OPTION[field]: value}
    result = runner.invoke(cli, ["letter", *sum(args.items(), ()), "--out", str(tmp_path)])
    assert result.exit_code != 0
    assert code in codes_of(result.output.strip().splitlines()[-1], cli_notes.TEXTS)


@pytest.mark.parametrize("field, value, code", EVENT_VALUES)
def test_the_cli_roundtable(runner, cli, tmp_path, field, value, code):
    args = {"--constituency": "Aldershot", OPTION[field]: value}
    result = runner.invoke(cli, ["roundtable", *sum(args.items(), ()), "--out",
                                 str(tmp_path)])
    assert result.exit_code != 0
    assert code in codes_of(result.output.strip().splitlines()[-1], cli_notes.TEXTS)


# -- CSV files ------------------------------------------------------------------------------
def errors_csv(folder) -> list[dict[str, str]]:
    with open(folder / "errors.csv", encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.mark.slow
def test_a_members_csv(runner, cli, tmp_path):
    members = tmp_path / "members.csv"
    rows = [{"name": "Jo Bloggs", "constituency": "Aldershot", "asks": "", field: value}
            for field, value, _ in MEMBER_VALUES]
    with open(members, "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, ["name", "constituency", "asks"])
        writer.writeheader()
        writer.writerows(rows)
    result = runner.invoke(cli, ["letters", str(members), "--out", str(tmp_path / "out"),
                                 "--jobs", "1"])
    assert result.exit_code != 0
    reasons = [r["reason"] for r in errors_csv(tmp_path / "out")]
    assert len(reasons) == len(MEMBER_VALUES)
    for (_, _, code), reason in zip(MEMBER_VALUES, reasons, strict=True):
        assert code in codes_of(reason, csvwords.TEXTS), reason


@pytest.mark.slow
def test_a_kit_events_csv(runner, cli, tmp_path):
    events = tmp_path / "events.csv"
    columns = {"host_email": "email", "host_phone": "phone", "date": "date", "asks": "asks"}
    with open(events, "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, ["constituency", *columns.values()])
        writer.writeheader()
        for seat, (field, value, _) in zip(SEATS, EVENT_VALUES, strict=False):
            writer.writerow({"constituency": seat, columns[field]: value})
    result = runner.invoke(cli, ["kit", "--events", str(events), "--out",
                                 str(tmp_path / "out"), "--jobs", "1"])
    assert result.exit_code != 0
    reasons = [r["reason"] for r in errors_csv(tmp_path / "out")]
    assert len(reasons) == len(EVENT_VALUES)
    for (_, _, code), reason in zip(EVENT_VALUES, reasons, strict=True):
        assert code in codes_of(reason, csvwords.TEXTS), reason


# -- the web form ---------------------------------------------------------------------------
@pytest.fixture(scope="module")
def web():
    from campaign_kit.web.app import create_app
    from campaign_kit.web.settings import Settings

    app = create_app(Settings(secret=b"r" * 32, renders_per_minute=1e6, pages_per_minute=1e6))
    client = app.test_client()
    page = client.get("/").get_data(as_text=True)
    client.token = re.search(r'name="token" value="([0-9a-f]{64})"', page).group(1)
    return client


FORM_FIELD = {"asks": "ask"}


def web_codes(client, path: str, form: dict) -> list[str]:
    response = client.post(path, data={"token": client.token, **form})
    assert response.status_code == 422
    return re.findall(r'class="error-message" id="f-[^"]+" data-note="([^"]+)"',
                      response.get_data(as_text=True))


@pytest.mark.slow
@pytest.mark.parametrize("field, value, code", MEMBER_VALUES)
def test_the_web_letter_form(web, field, value, code):
    form = {"seat": "E14001063", "name": "Jo Bloggs", "ask": ["fair-funding"],
            FORM_FIELD.get(field, field): value}
    assert web_codes(web, "/letter/preview", form) == [code]


@pytest.mark.parametrize("field, value, code", EVENT_VALUES)
def test_the_web_pack_form(web, field, value, code):
    form = {"seat": "E14001063", "ask": ["fair-funding"], FORM_FIELD.get(field, field): value}
    assert web_codes(web, "/pack/download", form) == [code]
