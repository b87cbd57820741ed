"""The package as installed: its version is the repository's, its library and data travel with it."""
import os
from pathlib import Path

import numpy as np
import pytest

import sbecore
from sbecore import datasets

from conftest import INSTALLED, PACKAGE_ROOT, REPO_ROOT


def test_version_is_the_repository_version_and_the_librarys():
    version = (REPO_ROOT / "VERSION").read_text(encoding="ascii").strip()
    assert sbecore.__version__ == version
    assert sbecore.library_version() == version          # sbe_version() of the loaded native library


@pytest.mark.skipif(not INSTALLED, reason="checks an installed wheel (SBECORE_TEST_INSTALLED=1)")
def test_installed_wheel_is_self_contained():
    package = Path(sbecore.__file__).resolve().parent
    assert PACKAGE_ROOT not in package.parents
    assert "SBECORE_LIBRARY" not in os.environ
    assert package in sbecore.library_path().resolve().parents   # the bundled flavour, chosen by the CPU
    assert sbecore.library_path().parent.name == sbecore.cpu_flavour()
    flavours = sorted(p.parent.name for p in (package / "native").glob("*/SbeCore.Native.so"))
    assert flavours in (["x86-64-v2", "x86-64-v3", "x86-64-v4"], ["linux-arm64"])
    assert datasets.MNIST10K.is_relative_to(package)
    with sbecore.Tile(2, 3) as t:
        t.set_weights(np.ones((2, 3), np.float32))
        assert t.read(np.ones(3, np.float32)).tolist() == [3.0, 3.0]


def test_bundled_mnist10k():
    x, y, xt, yt = datasets.load_mnist10k()
    assert x.shape == (8000, 784) and xt.shape == (2000, 784)
    assert x.dtype == np.float32 and y.dtype == np.int32 and x.flags.c_contiguous
    assert 0.0 <= x.min() and x.max() <= 1.0
    # class counts of the whole set (data/README.md)
    assert np.bincount(np.concatenate([y, yt]), minlength=10).tolist() == [1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978]


def test_read_idx_refuses_what_is_not_idx(tmp_path):
    bad = tmp_path / "bad"
    bad.write_bytes(b"\x00\x00\x08\x01\x00\x00\x00\x05abc")      # 5 labels promised, 3 present
    with pytest.raises(ValueError, match="promises"):
        datasets.read_idx(bad)
    bad.write_bytes(b"PK\x03\x04")
    with pytest.raises(ValueError, match="not an IDX"):
        datasets.read_idx(bad)
