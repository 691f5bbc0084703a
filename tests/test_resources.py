"""The shipped folders are found from the package, in a checkout as in an installed wheel."""

from __future__ import annotations

import pytest

from zzperf.resources import shipped_dir


@pytest.mark.parametrize(
    ("name", "inside"),
    [("indicators", "national-2013.toml"), ("reports", "report.md.j2"), ("demo", "zzperf.toml")],
)
def test_each_shipped_folder_is_found(name, inside: str) -> None:
    assert (shipped_dir(name) / inside).is_file()
