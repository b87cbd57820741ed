"""Points the package at the repository's native build (artifacts/native/<flavour>), unless SBECORE_LIBRARY is set.
The flavour is picked from the CPU flags by the package's own loader, as for an installed package."""
import os
import sys
from pathlib import Path

PACKAGE_ROOT = Path(__file__).resolve().parents[1]
REPO_ROOT = PACKAGE_ROOT.parents[1]
sys.path.insert(0, str(PACKAGE_ROOT))

if "SBECORE_LIBRARY" not in os.environ:
    os.environ["SBECORE_LIBRARY"] = str(REPO_ROOT / "artifacts" / "native")
