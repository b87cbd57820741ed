"""The update methods come from the library's rule registry: METHODS, names, aliases and labels agree with sbecore.h."""
import re
from pathlib import Path

import pytest

import sbecore
from sbecore import SbeError, network

HEADER = Path(__file__).resolve().parents[3] / "native-abi" / "include" / "sbecore.h"


def header_methods():
    body = re.search(r"typedef enum sbe_method \{([^}]*)\} sbe_method;", HEADER.read_text()).group(1)
    return {m.group(1): int(m.group(2)) for m in re.finditer(r"SBE_METHOD_([A-Z_]+) = (\d+)", body)}


def test_methods_are_the_libraries_in_enum_order():
    names = sbecore.method_names()
    assert names[:3] == ["sgd", "minibatch", "svd"]
    assert network.METHODS == {name: i for i, name in enumerate(names)}


@pytest.mark.skipif(not HEADER.exists(), reason="needs the repository's sbecore.h")
def test_methods_equal_the_header_enum():
    constants = header_methods()
    assert sorted(constants.values()) == sorted(network.METHODS.values())
    for constant, value in constants.items():  # SBE_METHOD_TRUNCATED_SVD is "svd" by its alias truncated_svd
        assert sbecore.method_id(constant.lower()) == value


def test_aliases_and_labels():
    assert sbecore.method_id("truncated_svd") == sbecore.method_id("svd") == network.METHODS["svd"]
    assert sbecore.method_id("MBGD") == network.METHODS["minibatch"]
    assert sbecore.method_label("sbe", 4) == "sbe-4"
    assert sbecore.method_label("sgd", 4) == "sgd"
    with pytest.raises(SbeError, match="sbpca"):
        sbecore.method_id("adam")
    with pytest.raises(TypeError):
        sbecore.method_id(3)
    with pytest.raises(ValueError, match="method must be one of"):
        network.Network((4, 2), method=None)
