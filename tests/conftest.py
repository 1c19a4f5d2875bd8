"""Shared fixtures. Tests reading ../shared/data skip with a reason when it is absent."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from click.testing import CliRunner

ROOT = Path(__file__).resolve().parent.parent
SHARED_DATA = Path(os.environ.get("CAMPAIGN_KIT_SHARED", ROOT.parent / "shared")) / "data"

needs_shared = pytest.mark.skipif(
    not (SHARED_DATA / "SOURCES.md").is_file(),
    reason=f"the public data files are not at {SHARED_DATA} (only CI and developers have them)",
)


@pytest.fixture(autouse=True)
def isolated_home(tmp_path_factory, monkeypatch):
    """Keep every test away from the user's own postcode index."""
    monkeypatch.setenv("CAMPAIGN_KIT_HOME", str(tmp_path_factory.mktemp("ckhome")))


@pytest.fixture(scope="session")
def engine():
    """The engine every front end uses, loaded once for the whole run (the bundled campaign,
    templates and places)."""
    from campaign_kit.engine.engine import Engine

    return Engine.load()


@pytest.fixture(scope="session")
def places(engine):
    return engine.places


@pytest.fixture
def runner():
    return CliRunner()


@pytest.fixture
def cli():
    from campaign_kit.cli import cli as group

    return group
