"""pip installs the package from its folder; the installed package finds its library beside itself."""
import os
import shutil
import subprocess
import sys
from pathlib import Path

import sbecore

PACKAGE_ROOT = Path(__file__).resolve().parents[1]


def test_pip_install_and_load_beside_itself(tmp_path):
    source = tmp_path / "src"
    shutil.copytree(PACKAGE_ROOT, source, ignore=shutil.ignore_patterns("tests", "__pycache__", "build", "*.egg-info", "native"))
    library = sbecore.library_path()
    flavour = sbecore.cpu_flavour()                              # where the installed loader will look
    staged = source / "sbecore" / "native" / flavour
    staged.mkdir(parents=True)
    shutil.copy(library, staged / library.name)
    target = tmp_path / "site"
    r = subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "--no-build-isolation", "--no-index", "--quiet",
                        "--target", str(target), str(source)], capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stdout + r.stderr
    installed = target / "sbecore" / "native" / flavour / library.name
    assert installed.is_file()
    env = {k: v for k, v in os.environ.items() if k != "SBECORE_LIBRARY"}
    env["PYTHONPATH"] = str(target)
    code = ("import numpy as np, sbecore\n"
            "with sbecore.Tile(2, 3) as t:\n"
            "    t.set_weights(np.ones((2, 3), np.float32))\n"
            "    print(t.read(np.ones(3, np.float32)).tolist(), sbecore.library_path())\n")
    r = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60, cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert r.stdout.startswith("[3.0, 3.0]")
    assert str(target) in r.stdout
