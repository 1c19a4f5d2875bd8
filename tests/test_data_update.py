"""`data update`: official files as downloaded (renamed, zipped, columns reordered) replace
only their own dataset; bad files are refused with nothing changed; an interrupted update
leaves the old store answering; `--undo`; the change report of a synthetic next year; the
vintage documents print. Files are built here from ../shared/data (no fixtures shipped)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import sqlite3
import time
import zipfile
from pathlib import Path

import pytest

from campaign_kit.content import datasets
from campaign_kit.localdata import update as up
from campaign_kit.localdata.store import BUNDLED_STORE, user_store

from .conftest import SHARED_DATA, needs_shared
from .test_members_api import api  # noqa: F401 (the local Members API, a fixture)

pytestmark = needs_shared

FILES = {"caseload": "sen2_2025_caseload.csv", "requests": "sen2_2025_requests.csv",
         "timeliness": "sen2_2025_timeliness_20_week.csv",
         "tribunal": "sen2_2025_SEND_Tribunals_and_appeal_rate_2014-2024.csv",
         "lait": "lait_sen_indicators_by_la.csv", "dsg": "dsg_deficit_derived.csv",
         "hnb": "dsg_2023-24_high_needs_block.csv", "mps": "mp_lookup_dfe.csv"}
KNOWN = {k: c.known_code_errors for k, c in datasets.cycles().items()}


def rows_of(name: str) -> list[list[str]]:
    with open(SHARED_DATA / FILES[name], encoding="utf-8-sig", newline="") as handle:
        return list(csv.reader(handle))


def write_csv(path: Path, rows: list[list[str]], reorder: bool = True) -> Path:
    """As a publisher writes it (BOM, CRLF), columns in another order when `reorder`."""
    if reorder:
        rows = [list(reversed(r)) for r in rows]
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows(rows)
    path.write_text("\ufeff" + out.getvalue(), encoding="utf-8", newline="")
    return path


def edit(rows, match: dict[str, str], column: str, change) -> tuple[str, str]:
    """Change `column` in the rows matching `match` (a tidy CSV's rows, header first)."""
    header = rows[0]
    where = {header.index(k): v for k, v in match.items()}
    col = header.index(column)
    hits = [r for r in rows[1:] if all(r[i] == v for i, v in where.items())]
    assert hits, match
    old = hits[0][col]
    for r in hits:
        r[col] = change(r[col])
    return old, hits[0][col]


def figures(store: Path) -> dict[str, set]:
    db = sqlite3.connect(store)
    try:
        out: dict[str, set] = {}
        for row in db.execute("SELECT * FROM figures"):
            out.setdefault(row[1], set()).add(row)
        out["seats"] = set(db.execute("SELECT * FROM seats"))
        return out
    finally:
        db.close()


def run(*files: Path, **options) -> up.Outcome:
    return up.update(up.Request(tuple(files), known_code_errors=KNOWN, **options))


def sen2_files(folder: Path, caseload=None, requests=None, timeliness=None) -> list[Path]:
    made = []
    for part, rows in (("caseload", caseload), ("requests", requests),
                       ("timeliness", timeliness)):
        made.append(write_csv(folder / f"download-{part}.csv", rows or rows_of(part)))
    return made


def release_zip(path: Path, members: dict[str, Path]) -> Path:
    """A zip shaped like explore-education-statistics' "Download all data"."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, source in members.items():
            archive.write(source, name)
        archive.writestr("data-guidance/data-guidance.txt", "What each file holds.\n")
        archive.writestr("data/annual_reviews.csv", "time_period,reviews\n2025,1\n")
    return path


# -- each dataset alone ---------------------------------------------------------------------------
def _sen2(tmp):
    rows = rows_of("caseload")
    old, new = edit(rows, {"time_period": "202425", "old_la_code": "383",
                           "breakdown_topic": "All EHC plans"}, "ehcplans",
                    lambda v: str(int(v) + 100))
    parts = sen2_files(tmp, caseload=rows)
    archive = release_zip(tmp / "ehcp_2026.zip", {f"data/{p.stem}.csv": p for p in parts})
    return [archive], ("383", "ehcp_plans", float(old), float(new))


def _lait(tmp):
    rows = rows_of("lait")
    old, new = edit(rows, {"Short Desc": "SEN_TotStat", "Years": "2025", "LA Number": "383.0"},
                    "Values", lambda v: f"{float(v) + 0.5:.1f}")
    return [write_csv(tmp / "sen-indicators.csv", rows)], \
        ("383", "ehcp_pupils_pc", round(float(old), 2), round(float(new), 2))


def _dsg(tmp):
    rows = rows_of("dsg")
    old, new = edit(rows, {"la_name": "Leeds", "financial_year": "2021-22"}, "deficit",
                    lambda v: "1.5")
    return [write_csv(tmp / "deficits.csv", rows)], ("383", "dsg_deficit_pc", float(old), 1.5)


def _tribunal(tmp):
    rows = rows_of("tribunal")
    head = next(i for i, r in enumerate(rows) if r and r[0] == "Local Authority")
    col = rows[head].index("2024") + 2
    leeds = next(r for r in rows if r and r[0] == "Leeds")
    old, leeds[col] = leeds[col], "9.90%"
    return [write_csv(tmp / "appeals table.csv", rows, reorder=False)], \
        ("383", "tribunal_rate_pc", float(old.rstrip("%")), 9.9)


def _hnb(tmp):
    rows = rows_of("hnb")
    leeds = next(r for r in rows if r and r[0] == "383")
    old, leeds[-1] = leeds[-1], str(int(leeds[-1]) + 1000)
    return [write_csv(tmp / "hnb.csv", rows, reorder=False)], \
        ("383", "high_needs_block", float(old), float(old) + 1000)


MAKERS = {"sen2": _sen2, "sen_census": _lait, "dsg_deficit": _dsg, "tribunal": _tribunal,
          "high_needs_block": _hnb}


@pytest.mark.slow
@pytest.mark.parametrize("dataset", sorted(MAKERS))
def test_each_dataset_alone_changes_only_that_dataset(tmp_path, dataset):
    files, (council, measure, before, after) = MAKERS[dataset](tmp_path)
    outcome = run(*files)
    assert outcome.swapped and outcome.report.ok, outcome.report.text()
    changes = [(c.council, c.measure, c.kind, c.before, c.after) for c in outcome.report.changes]
    assert changes == [(council, measure, "latest", before, after)]
    old, new = figures(BUNDLED_STORE), figures(user_store())
    mine = set(up.measures_of(dataset))
    assert {k: v for k, v in old.items() if k not in mine} == \
        {k: v for k, v in new.items() if k not in mine}
    assert old[measure] != new[measure]
    assert [r.dataset for r in outcome.report.replaced] == [dataset]


def test_mps_alone_from_dfe_file_report_a_party_change(tmp_path):
    rows = rows_of("mps")
    edit(rows, {"pcon_name": "Leeds Central and Headingley"}, "party_text",
         lambda v: "Independent")
    outcome = run(write_csv(tmp_path / "mp_lookup (3).csv", rows))
    assert outcome.swapped, outcome.report.text()
    assert [(m.seat, m.what) for m in outcome.report.mps] == [
        ("Leeds Central and Headingley", "party changed")]
    old, new = figures(BUNDLED_STORE), figures(user_store())
    assert {k: v for k, v in old.items() if k != "seats"} == \
        {k: v for k, v in new.items() if k != "seats"}
    assert len(old["seats"] - new["seats"]) == 1


@pytest.mark.slow
def test_the_updated_store_answers_and_status_says_so(tmp_path, runner, cli):
    files, _ = _sen2(tmp_path)
    result = runner.invoke(cli, ["data", "update", *map(str, files)])
    assert result.exit_code == 0, result.output
    assert "Leeds" in result.output and "+100" in result.output
    assert "Files in the zip the kit does not read: data-guidance/data-guidance.txt, " \
           "data/annual_reviews.csv" in result.output
    from campaign_kit.localdata.lookup import Places

    leeds = Places().figures("383").latest("ehcp_plans")
    assert leeds.value == 6193
    status = runner.invoke(cli, ["data", "status"]).output
    assert f"Data: your updated store, {user_store()}" in status
    assert BUNDLED_STORE.stat().st_size > 0 and "places.sqlite" in str(BUNDLED_STORE)


# -- refused, nothing changed ------------------------------------------------------------------
def _refused(runner, cli, files, home_store_before):
    result = runner.invoke(cli, ["data", "update", *map(str, files)])
    assert result.exit_code == 4, result.output
    assert "Traceback" not in result.output
    assert (user_store().read_bytes() if user_store().is_file() else None) == home_store_before
    return result.output


@pytest.mark.slow
def test_a_file_missing_a_column_is_refused_in_one_line(tmp_path, runner, cli):
    rows = rows_of("caseload")
    gone = rows[0].index("breakdown_topic")
    rows = [r[:gone] + r[gone + 1:] for r in rows]
    files = sen2_files(tmp_path, caseload=rows)
    out = _refused(runner, cli, files, None)
    assert out.strip().splitlines() == [
        "Error: download-caseload.csv: looks like SEN2 EHC plans in force each January "
        "(caseload.csv) but lacks column(s) breakdown_topic"]


@pytest.mark.slow
def test_another_councils_code_under_a_name_is_refused(tmp_path, runner, cli):
    rows = rows_of("caseload")
    edit(rows, {"old_la_code": "383"}, "old_la_code", lambda v: "384")  # Leeds as Wakefield's
    out = _refused(runner, cli, sen2_files(tmp_path, caseload=rows), None)
    assert "the row for 'Leeds' carries code 384, which is Wakefield's" in out
    assert out.strip().splitlines()[-1].startswith("Error: update refused: 1 problem(s)")


@pytest.mark.slow
def test_half_the_councils_missing_is_refused(tmp_path, runner, cli):
    rows = rows_of("caseload")
    header = rows[0]
    code, period = header.index("old_la_code"), header.index("time_period")
    councils = sorted({r[code] for r in rows[1:] if r[period] == "202425" and r[code].isdigit()})
    gone = set(councils[: len(councils) // 2 + 5])
    kept = [rows[0]] + [r for r in rows[1:] if not (r[period] == "202425" and r[code] in gone)]
    first = run(*MAKERS["dsg_deficit"](tmp_path)[0])  # a store of one's own exists already
    before = user_store().read_bytes()
    out = _refused(runner, cli, sen2_files(tmp_path, caseload=kept), before)
    assert first.swapped and "half the councils or more are missing" in out


def test_a_file_nobody_knows_names_what_was_expected(tmp_path, runner, cli):
    odd = tmp_path / "notes.csv"
    odd.write_text("a,b\n1,2\n", encoding="utf-8")
    result = runner.invoke(cli, ["data", "update", str(odd)])
    assert result.exit_code == 4
    line = result.output.strip()
    assert line.startswith("Error: notes.csv: not a file the kit can read; expected one of: ")
    assert "SEN2 EHC plans in force each January (caseload.csv)" in line and "\n" not in line


@pytest.mark.slow
def test_one_sen2_file_alone_is_refused(tmp_path, runner, cli):
    one = write_csv(tmp_path / "caseload.csv", rows_of("caseload"))
    result = runner.invoke(cli, ["data", "update", str(one)])
    assert result.exit_code == 4 and "needs SEN2 requests" in result.output
    assert not user_store().exists()


def test_zip_entries_that_escape_or_expand_without_bound_are_refused(tmp_path, runner, cli):
    evil = tmp_path / "evil.zip"
    with zipfile.ZipFile(evil, "w") as archive:
        archive.writestr("../../outside.csv", "a,b\n")
    out = runner.invoke(cli, ["data", "update", str(evil)]).output
    assert "refused: the entry '../../outside.csv' points outside the archive's folder" in out
    drive = tmp_path / "drive.zip"
    with zipfile.ZipFile(drive, "w") as archive:
        archive.writestr("C:outside.csv", "a,b\n")
    out = runner.invoke(cli, ["data", "update", str(drive)]).output
    assert "refused: the entry 'C:outside.csv' points outside the archive's folder" in out
    # a colon inside a name is no escape (entries are copied out under the kit's own names)
    colon = tmp_path / "colon.zip"
    with zipfile.ZipFile(colon, "w") as archive:
        archive.writestr("release: 2025/notes.txt", "read me\n")
    out = runner.invoke(cli, ["data", "update", str(colon)]).output
    assert "colon.zip: its only entry is not a file the kit can read" in out
    bomb = tmp_path / "bomb.zip"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("data/caseload.csv", b"0" * (8 << 20))
    out = runner.invoke(cli, ["data", "update", str(bomb)]).output
    assert "refused: the entry 'data/caseload.csv' expands to 8,388,608 bytes" in out
    assert not user_store().exists()


# -- interrupted, undone ---------------------------------------------------------------------
def test_an_interrupted_update_leaves_the_old_store_answering(tmp_path, monkeypatch):
    run(*MAKERS["dsg_deficit"](tmp_path)[0])
    before = user_store().read_bytes()
    (user_store().parent / ".places.sqlite.killed.part").write_bytes(b"left by a kill -9")

    def interrupted(path):
        yield from []
        raise KeyboardInterrupt

    monkeypatch.setitem(up.READERS, ("tribunal", "tribunal"), interrupted)
    with pytest.raises(KeyboardInterrupt):
        run(*MAKERS["tribunal"](tmp_path)[0])
    assert user_store().read_bytes() == before
    assert not list(user_store().parent.glob("*.part"))  # the stale one went too
    from campaign_kit.localdata.lookup import Places

    assert Places().figures("383").latest("dsg_deficit_pc").value == 1.5


@pytest.mark.slow
def test_undo_puts_back_each_store_in_turn(tmp_path, runner, cli):
    run(*MAKERS["dsg_deficit"](tmp_path)[0])
    first = figures(user_store())
    run(*MAKERS["high_needs_block"](tmp_path)[0])
    assert figures(user_store()) != first
    assert runner.invoke(cli, ["data", "update", "--undo"]).exit_code == 0
    assert figures(user_store()) == first
    result = runner.invoke(cli, ["data", "update", "--undo"])
    assert result.exit_code == 0 and "the bundled data" in result.output
    assert not user_store().exists()
    result = runner.invoke(cli, ["data", "update", "--undo"])
    assert result.exit_code == 4 and "nothing to undo" in result.output


@pytest.mark.slow
def test_dry_run_reports_and_changes_nothing(tmp_path, runner, cli):
    files, _ = _sen2(tmp_path)
    report = tmp_path / "report.txt"
    result = runner.invoke(cli, ["data", "update", "--dry-run", "--report", str(report),
                                 *map(str, files)])
    assert result.exit_code == 0, result.output
    assert "dry run: nothing was changed" in report.read_text(encoding="utf-8")
    assert not user_store().exists()


# -- a synthetic next year ---------------------------------------------------------------------
def _next_year(rows, period_column: str, this: str, following: str, changes):
    """Every row of `this` period copied as `following`, with the documented changes."""
    header = rows[0]
    p = header.index(period_column)
    copies = []
    for r in rows[1:]:
        if r[p] == this:
            copy = list(r)
            copy[p] = following
            copies.append(copy)
    out = [header] + copies + rows[1:]
    for match, column, value in changes:
        edit(out, match, column, lambda _v, value=value: value)
    return out


@pytest.mark.slow
def test_change_report_of_a_next_year_sen2_file_lists_exactly_its_changes(tmp_path):
    leeds = {"old_la_code": "383", "breakdown_topic": "All EHC plans"}
    england = {"geographic_level": "National", "breakdown_topic": "All EHC plans"}
    caseload = _next_year(rows_of("caseload"), "time_period", "202425", "202526", [
        (leeds | {"time_period": "202526"}, "ehcplans", "6400"),
        (england | {"time_period": "202526"}, "ehcplans", "660000"),
        ({"old_la_code": "850", "breakdown_topic": "All EHC plans", "time_period": "202324"},
         "ehcplans", "14000"),  # Hampshire's January 2024 figure revised
    ])
    requests = _next_year(rows_of("requests"), "time_period", "2024", "2025", [
        ({"old_la_code": "316", "time_period": "2025",
          "breakdown_topic": "All requests for EHC needs assessments"},
         "requests_received_in_year", "1500"),
    ])
    timeliness = _next_year(rows_of("timeliness"), "time_period", "2024", "2025", [
        ({"old_la_code": "383", "time_period": "2025",
          "breakdown_topic": "All EHC plans issued"},
         "pc_plans_issued_within_20_weeks", "20.5"),
    ])
    files = sen2_files(tmp_path, caseload, requests, timeliness)
    outcome = run(*files, dry_run=True)
    assert outcome.report.ok, outcome.report.text()
    got = {(c.place, c.measure, c.kind, c.before_period, c.after_period, c.after)
           for c in outcome.report.changes}
    old = sqlite3.connect(BUNDLED_STORE)
    value = {(c, m, p): v for c, m, p, v in old.execute(
        "SELECT council, measure, period, value FROM figures WHERE measure IN "
        "('ehcp_plans', 'ehcp_requests', 'timely_20wk_pc')")}
    assert value[("850", "ehcp_plans", "January 2024")] != 14000
    assert got == {
        ("England", "ehcp_plans", "latest", "January 2025", "January 2026", 660000),
        ("Hampshire", "ehcp_plans", "revised", "January 2024", "January 2024", 14000),
        ("Leeds", "ehcp_plans", "latest", "January 2025", "January 2026", 6400),
        ("Leeds", "timely_20wk_pc", "latest", "calendar year 2024", "calendar year 2025",
         20.5),
        ("Newham", "ehcp_requests", "latest", "calendar year 2024", "calendar year 2025",
         1500),
    }
    text = outcome.report.text()
    assert "SEN2): January 2025 -> January 2026" in text
    assert "EHC plans in force: 6,093 (January 2025) -> 6,400 (January 2026): +307 (+5.0%)" \
        in text
    assert "% of new EHC plans issued within 20 weeks: 9.3% (calendar year 2024) -> 20.5% " \
           "(calendar year 2025): +11.2 points" in text
    assert outcome.report_file.read_text(encoding="utf-8") == text


@pytest.mark.slow
def test_the_anomaly_guard_refuses_an_implausible_fall_until_accepted(tmp_path):
    """Leeds's EHC plans halving in a year while England's rise: the update is refused and the
    report says why; accepted after a check at the publisher, the store keeps the figure
    marked in doubt, so letters leave it out."""
    leeds = {"old_la_code": "383", "breakdown_topic": "All EHC plans"}
    england = {"geographic_level": "National", "breakdown_topic": "All EHC plans"}
    caseload = _next_year(rows_of("caseload"), "time_period", "202425", "202526", [
        (leeds | {"time_period": "202526"}, "ehcplans", "3000"),
        (england | {"time_period": "202526"}, "ehcplans", "660000")])
    files = sen2_files(tmp_path, caseload=caseload)
    refused = run(*files)
    text = refused.report.text()
    assert not refused.swapped and not user_store().exists()
    assert "1 figure(s) move implausibly" in text
    assert "Leeds, January 2026: EHC plans in force fell from 6,093 (January 2025) to 3,000 " \
        "(January 2026), down 51%, while England's rose 3%" in text
    assert "Newham" not in text.split("Anomalies flagged:")[1].split("MPs changed")[0]
    accepted = run(*files, accept_anomalies=True)
    assert accepted.swapped
    from campaign_kit.localdata.lookup import Places

    places = Places()
    assert ("383", "ehcp_plans", "January 2026") in places.anomalies
    assert ("316", "ehcp_plans", "January 2025") in places.anomalies  # still doubted


@pytest.mark.slow
def test_vintage_after_a_next_year_update(tmp_path):
    caseload = _next_year(rows_of("caseload"), "time_period", "202425", "202526", [])
    run(*sen2_files(tmp_path, caseload=caseload))
    from campaign_kit.localdata.lookup import Places

    v = datasets.vintage(Places(), "sen2", dt.date(2026, 12, 1))
    assert (v.period, v.published, v.next_due, v.kit_latest) == (
        "January 2026", dt.date(2026, 6, 1), dt.date(2027, 6, 1), None)


# -- all datasets at once, timed --------------------------------------------------------------
@pytest.mark.slow
def test_all_datasets_in_one_update_under_60_seconds(tmp_path):
    files = sen2_files(tmp_path)
    archive = release_zip(tmp_path / "all.zip", {f"data/{p.name}": p for p in files} | {
        "supporting-files/SEND Tribunals and appeal rate 2014-2024.csv":
            SHARED_DATA / FILES["tribunal"]})
    others = [SHARED_DATA / FILES[k] for k in ("lait", "dsg", "hnb", "mps")]
    started = time.monotonic()
    outcome = run(archive, *others)
    took = time.monotonic() - started
    assert outcome.swapped and outcome.report.changes == [] and outcome.report.mps == []
    assert {r.dataset for r in outcome.report.replaced} == {
        "sen2", "tribunal", "sen_census", "dsg_deficit", "high_needs_block", "mps"}
    assert figures(user_store()) == figures(BUNDLED_STORE)
    assert took < 60, f"{took:.1f} s (load average {os.getloadavg()})"


# -- the runbook, followed step by step ----------------------------------------------------------
@pytest.mark.slow
def test_docs_data_md_step_by_step(tmp_path, runner, cli, monkeypatch, api):  # noqa: F811
    """Every `campaign-kit` line in docs/DATA.md's sh blocks, in order, with the release zip
    the page tells one to download (made here from ../shared/data) and Parliament's API
    answered by a local server."""
    import re
    import shlex

    from campaign_kit.paths import ROOT

    guide = (ROOT / "docs" / "DATA.md").read_text(encoding="utf-8")
    for name in ("Education, health and care plans", "Special educational needs in England",
                 "LA and school expenditure", "Dedicated schools grant (DSG)", "UK Parliament"):
        assert name in guide
    monkeypatch.chdir(tmp_path)
    files = sen2_files(tmp_path)
    release_zip(tmp_path / "ehcp-release.zip", {f"data/{p.name}": p for p in files} | {
        "supporting-files/SEND Tribunals and appeal rate 2014-2024.csv":
            SHARED_DATA / FILES["tribunal"]})
    ran = []
    for body in re.findall(r"```sh\n(.*?)```", guide, re.S):
        for line in body.splitlines():
            if not line.startswith("campaign-kit "):
                continue
            result = runner.invoke(cli, shlex.split(line)[1:])
            assert result.exit_code == 0, (line, result.output)
            ran.append((line, result.output))
    commands = [line for line, _ in ran]
    assert commands == [
        "campaign-kit data status",
        "campaign-kit data update --dry-run ehcp-release.zip",
        "campaign-kit data update ehcp-release.zip",
        "campaign-kit data update --members --dry-run",
        "campaign-kit data update --undo"]
    assert ran[0][1].startswith("Data: the data bundled with campaign-kit")
    assert "dry run: nothing was changed" in ran[1][1]
    assert "Updated: the kit now answers from" in ran[2][1]
    assert "MPs changed (3):" in ran[3][1] and "the bundled data" in ran[4][1]
    letter = re.search(r"`(campaign-kit letter [^`]+)`", guide)[1]
    result = runner.invoke(cli, shlex.split(letter)[1:] + ["--out", "o"])
    assert result.exit_code == 0, result.output
    assert "Leeds" in next((tmp_path / "o").glob("*.txt")).read_text(encoding="utf-8")
    assert not user_store().exists()


# -- a publisher's file with cells that are not what they should be (bench/fuzz_cli.py) ------
def _first_row_where(rows, column: str, value: str | None = None) -> list[str]:
    col = rows[0].index(column)
    return next(r for r in rows[1:] if value is None or r[col] == value)


@pytest.mark.parametrize("cell", ["", " http://127.0.0.1:9/x", "2021", "onspd", "٢٠٢١-٢٢"])
def test_a_period_that_is_not_one_is_refused_in_one_line(tmp_path, runner, cli, cell):
    rows = rows_of("dsg")
    _first_row_where(rows, "geographic_level", "Local authority")[
        rows[0].index("financial_year")] = cell
    out = _refused(runner, cli, [write_csv(tmp_path / "deficit.csv", rows)], None)
    assert out.strip().splitlines() == [
        f"Error: deficit.csv: '{cell.strip()}' in the financial_year column is not a period of "
        "the form 2021-22"]


@pytest.mark.parametrize("cell", ["1e309", "inf", "-inf", "nan"])
def test_a_figure_too_big_or_not_a_number_is_a_missing_value(tmp_path, runner, cli, cell):
    rows = rows_of("tribunal")
    header = next(i for i, r in enumerate(rows) if r and r[0] == "Local Authority")
    row = next(r for r in rows[header + 2:] if len(r) > 4 and r[1].strip().isdigit())
    row[2:5] = [cell] * 3  # appeals, decisions and the rate of the first year
    result = runner.invoke(cli, ["data", "update", "--dry-run",
                                 str(write_csv(tmp_path / "t.csv", rows, reorder=False))])
    assert result.exit_code in (0, 4) and "unexpected" not in result.output, result.output
    assert "inf" not in result.output.lower().replace("info", "")
    assert "nan" not in result.output.replace("nance", "")


def test_the_update_report_shows_a_cells_control_characters_as_escapes(tmp_path, runner, cli):
    rows = rows_of("hnb")
    row = next(r for r in rows if r and r[0].strip() == "207")
    row[1] = "Kensington\x1b[2J\x07"
    result = runner.invoke(cli, ["data", "update", "--dry-run",
                                 str(write_csv(tmp_path / "hnb.csv", rows, reorder=False))])
    assert result.exit_code == 4, result.output
    assert "\x1b" not in result.output and "\x07" not in result.output
    assert "the row for 'Kensington\\x1b[2J\\x07' carries code 207" in result.output


def test_bytes_that_are_not_utf8_past_the_first_256_kib_are_refused_in_one_line(
        tmp_path, runner, cli):
    """A lone surrogate (as some exports write one) past the first 256 KiB a file's shape is
    recognised from (LAIT's file is 730 KB) is the file's mistake, said in one line."""
    path = write_csv(tmp_path / "lait.csv", rows_of("lait"), reorder=False)
    data = path.read_bytes()
    cut = data.index(b"\r\n", len(data) // 2) + 2
    path.write_bytes(data[:cut] + b"\xed\xa0\x80" + data[cut:])
    out = _refused(runner, cli, [path], None)
    line = data[:cut].count(b"\n") + 1
    assert out.strip().splitlines() == [
        f"Error: lait.csv: line {line:,} is not UTF-8 text (save the sheet as CSV UTF-8)"]


def test_a_character_cut_short_at_the_end_of_a_small_file_is_refused_in_one_line(
        tmp_path, runner, cli):
    """Found by the fuzz run: SEN2's three files, the caseload's last cell ending in a byte
    that is not UTF-8. Only a head cut at 256 KiB may end in half a character."""
    header = {"caseload": "ehcplans", "requests": "requests_received_in_year",
              "timeliness": "pc_plans_issued_within_20_weeks"}
    files = []
    for part, column in header.items():
        files.append(tmp_path / f"{part}.csv")
        files[-1].write_bytes(b"time_period,geographic_level,old_la_code,la_name,"
                              b"breakdown_topic," + column.encode() + b"\r\n"
                              b"202425,National,,England,All EHC plans,1\xed\r\n")
    out = _refused(runner, cli, files, None)
    assert out.strip().splitlines() == [
        "Error: caseload.csv: not UTF-8 text (a spreadsheet? save the sheet as CSV UTF-8)"]
