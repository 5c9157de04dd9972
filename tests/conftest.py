"""Shared fixtures: the bundled sample corpus and, when it is beside the repo, ../shared."""

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "corpus" / "samples"
SHARED = ROOT.parent / "shared"
FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(scope="session")
def shared() -> Path:
    """The hand-annotated seeds; tests that need them skip on a fresh clone without ../shared."""
    if not (SHARED / "gold" / "seeds.jsonl").is_file():
        pytest.skip("../shared is not beside this checkout")
    return SHARED
