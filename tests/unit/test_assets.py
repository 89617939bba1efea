"""The static files' Brotli and gzip copies are the files as they are now, and the version in
their URLs changes whenever any file does: otherwise a browser would keep an old file for a
year, or be sent an old copy of a file that was edited without `make assets`."""

from __future__ import annotations

import gzip
from pathlib import Path

import brotli
import pytest

from portal.config import STATIC
from portal.web.assets import version

SERVED = sorted(
    path for path in STATIC.rglob("*") if path.is_file() and path.suffix in {".css", ".js", ".svg"}
)
DECOMPRESS = {".br": brotli.decompress, ".gz": gzip.decompress}


@pytest.mark.parametrize("path", SERVED, ids=lambda path: str(path.relative_to(STATIC)))
def test_each_static_file_has_current_compressed_copies(path: Path) -> None:
    for suffix, decompress in DECOMPRESS.items():
        copy = path.with_name(path.name + suffix)
        assert copy.exists() or path.stat().st_size < 200, f"make assets: no {copy.name}"
        if copy.exists():
            assert decompress(copy.read_bytes()) == path.read_bytes(), f"make assets: {copy}"


def test_the_version_follows_the_files_but_not_their_compressed_copies(tmp_path: Path) -> None:
    (tmp_path / "site.css").write_text("body { color: black }")
    first = version(tmp_path)
    (tmp_path / "site.css.gz").write_bytes(gzip.compress(b"anything"))
    assert version(tmp_path) == first
    (tmp_path / "site.css").write_text("body { color: red }")
    assert version(tmp_path) != first
    assert len(first) == 12


def test_the_stylesheet_loads_no_font_files() -> None:
    """GDS Transport is licensed for GOV.UK services only: static/src/portal.scss sets a system
    font stack, which keeps GOV.UK Frontend's @font-face out of the built CSS."""
    css = (STATIC / "portal.min.css").read_text()
    assert "@font-face" not in css and "GDS Transport" not in css
    assert not list(STATIC.rglob("*.woff*"))
