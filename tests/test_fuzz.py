"""Hypothesis over every input surface of the CLI (tests/fuzzcases.py), sized for CI (about
40 s in all); bench/fuzz_cli.py runs the same cases by the ten thousand.

Each case must end in success or one clear error line, write nothing outside --out, and
write every good row of a batch."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings

from .fuzzcases import SURFACES, run_case

EXAMPLES = {"letter": 150, "roundtable": 70, "deck": 45, "letters": 60, "templates": 100,
            "content": 100, "data": 40, "schema": 40}


@pytest.mark.slow
@pytest.mark.parametrize("surface", list(SURFACES))
def test_every_input_surface(surface, tmp_path):
    @settings(max_examples=EXAMPLES[surface], deadline=None, database=None,
              suppress_health_check=list(HealthCheck))
    @given(SURFACES[surface]())
    def check(case):
        outcome = run_case(case, tmp_path / "case")
        assert outcome.kind != "unexpected", (case.args, outcome.output, outcome.origin)
        assert outcome.outside == [], (case.args, outcome.outside)
        assert outcome.missing_rows == [], (case.args, outcome.output)

    check()


@pytest.mark.parametrize("name, text", [("asks.yaml", "- just\n- a list\n"),
                                        ("campaign.yaml", "- a\n"), ("phrasing.yaml", "42\n")])
def test_content_of_the_wrong_shape_is_one_line(runner, cli, tmp_path, name, text):
    (tmp_path / name).write_text(text, encoding="utf-8")
    result = runner.invoke(cli, ["letter", "--constituency", "Aldershot", "--name", "Jo",
                                 "--content", str(tmp_path), "--out", str(tmp_path / "o")])
    assert result.exit_code == 3 and "unexpected" not in result.output  # the campaign's files
    assert len(result.output.strip().splitlines()) == 1 and name in result.output
