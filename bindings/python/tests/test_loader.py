import os
import subprocess
import sys
from pathlib import Path

import pytest

import sbecore
from sbecore import _loader

V3 = {"sse4_2", "popcnt", "avx", "avx2", "bmi1", "bmi2", "f16c", "fma", "abm", "movbe", "xsave"}
V4 = V3 | {"avx512f", "avx512bw", "avx512cd", "avx512dq", "avx512vl"}
PACKAGE_ROOT = Path(__file__).resolve().parents[1]


def test_flavour_rule():
    assert sbecore.flavour_for_flags({"sse4_2", "popcnt"}) == "x86-64-v2"
    assert sbecore.flavour_for_flags(V3) == "x86-64-v3"
    assert sbecore.flavour_for_flags(V4) == "x86-64-v4"
    assert sbecore.flavour_for_flags(V4 - {"avx512vl"}) == "x86-64-v3"   # AVX-512 without VL is not v4
    assert sbecore.flavour_for_flags(V3 - {"fma"}) == "x86-64-v2"


def test_loaded_flavour_matches_cpu_and_isa():
    flavour = sbecore.library_path().parent.name
    override = Path(os.environ.get("SBECORE_LIBRARY", ""))
    if not (override / "SbeCore.Native.so").is_file() and not override.is_file():
        assert flavour == sbecore.cpu_flavour()                  # the loader chose it by the CPU flags
    live = sbecore.isa()
    assert "vector128" in live
    assert ("vector512" in live) == (flavour == "x86-64-v4")
    assert ("vector256" in live) == (flavour in ("x86-64-v3", "x86-64-v4"))
    assert sbecore.abi_version()[0] == sbecore.ABI_MAJOR


def test_library_override_errors(monkeypatch, tmp_path):
    monkeypatch.setenv("SBECORE_LIBRARY", str(tmp_path))
    with pytest.raises(OSError, match="no SbeCore.Native.so"):
        _loader.find_library()
    monkeypatch.setenv("SBECORE_LIBRARY", str(tmp_path / "missing.so"))
    with pytest.raises(OSError):
        _loader.find_library()


def test_library_override_accepts_file_and_flavour_folder(monkeypatch):
    path = sbecore.library_path()
    monkeypatch.setenv("SBECORE_LIBRARY", str(path))
    assert _loader.find_library() == path
    monkeypatch.setenv("SBECORE_LIBRARY", str(path.parent))
    assert _loader.find_library() == path                        # the flavour folder itself


def _run(code: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=str(Path(sbecore.__file__).resolve().parents[1]))  # the package under test
    return subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60)


def test_refuses_abi_major_mismatch():
    r = _run("import sbecore, sbecore._native as n\nn.ABI_MAJOR = 2\ntry:\n    sbecore.Tile(2, 2)\n"
             "except ImportError as e:\n    print('refused:', e)\n")
    assert r.returncode == 0, r.stderr
    assert "refused:" in r.stdout and "needs 2.x" in r.stdout


def test_refuses_an_older_minor():
    r = _run("import sbecore, sbecore._native as n\nn.ABI_MINOR = 99\ntry:\n    sbecore.Tile(2, 2)\n"
             "except ImportError as e:\n    print('refused:', e)\n")
    assert r.returncode == 0, r.stderr
    assert "refused:" in r.stdout and "x >= 99" in r.stdout
    assert sbecore.abi_version() >= (sbecore.ABI_MAJOR, sbecore.ABI_MINOR)


def test_import_does_not_load_the_library():
    r = _run("import sbecore, sbecore._native as n\nprint(n._lib is None)")
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == "True"
