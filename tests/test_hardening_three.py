"""Hardening, round three (issue 23): every finding of the independent attack, each with a
test named after what it protects."""

from __future__ import annotations

import csv
import resource
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def run_cli(*args: str, limit_bytes: int | None = None, cwd: Path = ROOT):
    """campaign-kit in its own process, optionally with a file-size limit: writes past it
    fail with EFBIG as on a full disk."""
    def apply():
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit_bytes, limit_bytes))

    return subprocess.run([sys.executable, "-m", "campaign_kit", *args], cwd=cwd,
                          capture_output=True, text=True, timeout=300,
                          preexec_fn=apply if limit_bytes is not None else None)


@pytest.mark.parametrize("role", ["[", "(", '"', "“", "'", "—", "[[[", ")"])
def test_a_role_of_only_brackets_or_quotes_prints_as_typed(runner, cli, tmp_path, role):
    result = runner.invoke(cli, ["letter", "--constituency", "Aldershot", "--name", "Jo",
                                 "--role", role, "--format", "txt", "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    text = next(tmp_path.glob("*.txt")).read_text(encoding="utf-8")
    assert f"a {role}" in " ".join(text.split())


@pytest.mark.slow
def test_a_role_of_only_brackets_in_a_batch_makes_its_letter(runner, cli, tmp_path):
    members = tmp_path / "m.csv"
    members.write_text('name,constituency,role\nJo,Aldershot,"["\nSam,Aldershot,(\n',
                       encoding="utf-8")
    result = runner.invoke(cli, ["letters", str(members), "--format", "txt", "--jobs", "1",
                                 "--out", str(tmp_path / "o")])
    assert result.exit_code == 0, result.output
    assert len(list((tmp_path / "o").glob("*.txt"))) == 2


@pytest.mark.slow
def test_a_batch_that_starts_on_a_full_disk_says_so_in_one_line(tmp_path):
    members = tmp_path / "m.csv"
    members.write_text("name,constituency\nJo,Aldershot\n", encoding="utf-8")
    result = run_cli("letters", str(members), "--format", "txt", "--jobs", "1", "--out",
                     str(tmp_path / "o"), limit_bytes=0)
    assert result.returncode == 1, result.stderr
    assert result.stderr.strip() == (f"Error: cannot write in the output folder "
                                     f"{tmp_path / 'o'}: File too large")
    assert not list((tmp_path / "o").glob("*.txt"))


def test_an_empty_members_csv_is_an_error_not_zero_letters(runner, cli, tmp_path):
    for text in ("name,postcode\n", "name,postcode\n,\n , \n"):
        members = tmp_path / "m.csv"
        members.write_text(text, encoding="utf-8")
        result = runner.invoke(cli, ["letters", str(members), "--out", str(tmp_path / "o")])
        assert result.exit_code == 1
        assert "m.csv: no member rows" in result.output and "Made 0" not in result.output


def test_an_empty_events_csv_is_an_error(runner, cli, tmp_path):
    events = tmp_path / "e.csv"
    events.write_text("seat,date\n", encoding="utf-8")
    result = runner.invoke(cli, ["kit", "--events", str(events), "--out", str(tmp_path)])
    assert result.exit_code == 1 and "e.csv: no seat rows" in result.output


def test_a_postcode_file_not_in_utf8_names_its_line(runner, cli, tmp_path):
    onspd = tmp_path / "ONSPD.csv"
    onspd.write_bytes(b"pcds,doterm,pcon24cd\nAB1 1AA,,S14000001\nAB1 \xff1AB,,S14000001\n")
    result = runner.invoke(cli, ["data", "import-postcodes", str(onspd), "--out",
                                 str(tmp_path / "index.sqlite")])
    assert result.exit_code == 4
    assert "ONSPD.csv: line 3 is not UTF-8 text (byte 0xff at character 5)" in result.output
    assert "unexpected" not in result.output and not (tmp_path / "index.sqlite").exists()


def override(tmp_path: Path, body: str) -> Path:
    folder = tmp_path / "templates" / "letter"
    folder.mkdir(parents=True)
    (folder / "letter.md.j2").write_text(body, encoding="utf-8")
    return tmp_path / "templates"


def test_none_is_never_printed(runner, cli, tmp_path):
    for body in ("Dear {{ none }}", "{% set x = none %}Dear {{ x }}"):
        result = runner.invoke(cli, ["letter", "--constituency", "Aldershot", "--name", "Jo",
                                     "--templates", str(override(tmp_path / body[:3], body)),
                                     "--format", "txt", "--out", str(tmp_path / "o")])
        assert result.exit_code == 3
        assert "letter.md.j2, line 1: a template printed an empty value (None)" in \
            result.output


def test_a_filter_running_in_c_cannot_outlast_the_render_limits(runner, cli, tmp_path):
    body = '{{ ("word " * 200000) | wordwrap(3) }}'
    started = time.perf_counter()
    result = runner.invoke(cli, ["letter", "--constituency", "Aldershot", "--name", "Jo",
                                 "--templates", str(override(tmp_path, body)), "--format",
                                 "txt", "--out", str(tmp_path / "o")])
    assert time.perf_counter() - started < 10
    assert result.exit_code == 3
    assert "a filter was given 1,000,000 characters or items; the limit is 100,000" in \
        result.output


@pytest.mark.parametrize("body, what", [
    ("{% for i in range(20000) %}\n# Slide {{ i }}\n\ntext\n\n{% endfor %}", "slides"),
    ("{% for i in range(20000) %}\n::: pagebreak\n:::\n\n{% endfor %}", "page breaks"),
    ("| a | b |\n|---|---|\n{% for i in range(20000) %}| {{ i }} | x |\n{% endfor %}",
     "table rows"),
])
@pytest.mark.slow
def test_writers_refuse_a_document_over_their_limits_before_any_work(
        runner, cli, tmp_path, body, what):
    kind = "deck" if what == "slides" else "letter"
    folder = tmp_path / "templates" / kind
    folder.mkdir(parents=True)
    (folder / f"{kind}.md.j2").write_text('{% set title = "T" %}' + body, encoding="utf-8")
    args = (["deck", "--constituency", "Aldershot"] if kind == "deck" else
            ["letter", "--constituency", "Aldershot", "--name", "Jo"])
    started = time.perf_counter()
    result = runner.invoke(cli, [*args, "--templates", str(tmp_path / "templates"),
                                 "--out", str(tmp_path / "o")])
    assert time.perf_counter() - started < 30
    assert result.exit_code == 3, result.output
    assert f"20,000 {what}" in result.output and "no writer takes that much" in result.output
    assert not (tmp_path / "o").exists() or not any((tmp_path / "o").iterdir())


@pytest.mark.slow
def test_one_exit_code_per_kind_of_mistake(runner, cli, tmp_path):
    """README, "Exit codes": 1 a value given cannot be used, 2 the command line is wrong or a
    choice is needed, 3 the campaign's files, 4 the place data."""
    out = ["--out", str(tmp_path / "o")]
    assert runner.invoke(cli, ["letter", "--constituency", "Aldershot", "--name", "Jo",
                               "--date", "2027-02-30", *out]).exit_code == 1
    assert runner.invoke(cli, ["roundtable", "--constituency", "Aldershot", "--date",
                               "31/02/2027", *out]).exit_code == 1
    assert runner.invoke(cli, ["letter", "--name", "Jo", *out]).exit_code == 2
    assert runner.invoke(cli, ["letter", "--constituency", "Bristol West", "--name", "Jo",
                               *out]).exit_code == 2
    (tmp_path / "campaign.yaml").write_text("- a\n", encoding="utf-8")
    assert runner.invoke(cli, ["letter", "--constituency", "Aldershot", "--name", "Jo",
                               "--content", str(tmp_path), *out]).exit_code == 3
    bad = tmp_path / "x.csv"
    bad.write_text("a,b\n1,2\n", encoding="utf-8")
    assert runner.invoke(cli, ["data", "update", str(bad)]).exit_code == 4
    with open(tmp_path / "e.csv", "w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows([["name", "constituency"], ["Jo", "Atlantis"]])
    assert runner.invoke(cli, ["letters", str(tmp_path / "e.csv"), "--format", "txt",
                               "--jobs", "1", *out]).exit_code == 1


@pytest.mark.parametrize("typed, shown", [("\U000fffd9", "\\U000fffd9"),
                                          ("\ue000", "\\ue000"), ("\u0378", "\\u0378")])
def test_a_refused_private_use_or_unassigned_character_is_named_by_its_code(
        runner, cli, tmp_path, typed, shown):
    """No font draws these: the one-line error names the character by its code point."""
    result = runner.invoke(cli, ["letter", "--postcode", f"GU11{typed}1AA", "--name", "Jo",
                                 "--out", str(tmp_path)])
    assert result.exit_code == 1 and shown in result.output and typed not in result.output
    assert "--postcode" in result.output and len(result.output.strip().splitlines()) == 1


def test_check_shows_control_characters_from_a_content_file_as_escapes(runner, cli, tmp_path):
    """A key or value quoted in check's report cannot ring the bell, move the cursor or
    break its line (found by bench/fuzz_cli.py's content schema surface)."""
    (tmp_path / "campaigns.yaml").write_text('"a\\x1b[2Jb\\x07": false\n', encoding="utf-8")
    result = runner.invoke(cli, ["check", "--files-only", "--content", str(tmp_path)])
    assert result.exit_code == 3
    error = [line for line in result.output.splitlines() if line.startswith("Error")]
    assert len(error) == 1 and "a\\x1b[2Jb\\x07" in error[0], result.output
    assert "\x1b" not in result.output and "\x07" not in result.output
