"""Where the tests find sbecore.

SBECORE_TEST_INSTALLED=1 (CI: a fresh venv with the wheel installed): the installed package, untouched; it must not be
this source folder and must find its library beside itself (SBECORE_LIBRARY is removed).
Otherwise (working in the repository): this source folder, with the library from the repository's native build
(artifacts/native/<flavour>) unless SBECORE_LIBRARY is set. The flavour is picked from the CPU by the package's loader.
"""
import os
import sys
from pathlib import Path

PACKAGE_ROOT = Path(__file__).resolve().parents[1]
REPO_ROOT = PACKAGE_ROOT.parents[1]
INSTALLED = os.environ.get("SBECORE_TEST_INSTALLED") == "1"

if INSTALLED:
    os.environ.pop("SBECORE_LIBRARY", None)
    sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != PACKAGE_ROOT]
    import sbecore  # noqa: E402

    if PACKAGE_ROOT in Path(sbecore.__file__).resolve().parents:
        raise RuntimeError(f"SBECORE_TEST_INSTALLED=1 but sbecore was imported from the source tree ({sbecore.__file__})")
else:
    sys.path.insert(0, str(PACKAGE_ROOT))
    if not os.environ.get("SBECORE_LIBRARY"):
        os.environ["SBECORE_LIBRARY"] = str(REPO_ROOT / "artifacts" / "native")
