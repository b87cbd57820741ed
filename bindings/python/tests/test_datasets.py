"""sbecore.datasets reads IDX files into the pixels the .NET loader makes, so Python and `sbe train` see the same inputs."""
import gzip
import struct

import numpy as np
import pytest

from sbecore import datasets

# Dataset.FromIdx's pixel value (p * (1f / 255f) in C#, as float bits) for bytes where dividing by 255 rounds differently
# (126 of the 256 values do; recorded from the .NET loader).
DOTNET_PIXEL_BITS = {3: 0x3C40C0C2, 7: 0x3CE0E0E2, 25: 0x3DC8C8CA, 63: 0x3E7CFCFE, 99: 0x3EC6C6C8, 127: 0x3EFEFF00,
                     193: 0x3F41C1C3, 207: 0x3F4FCFD1, 253: 0x3F7DFDFF, 254: 0x3F7EFF00}


def _write_idx(path, array: np.ndarray) -> None:
    header = struct.pack(">BBBB", 0, 0, 0x08, array.ndim) + b"".join(struct.pack(">I", d) for d in array.shape)
    with gzip.open(path, "wb") as f:
        f.write(header + array.astype(np.uint8).tobytes())


def test_pixels_are_the_dotnet_loaders(tmp_path):
    pixels = np.arange(256, dtype=np.uint8).reshape(1, 16, 16)
    _write_idx(tmp_path / "images.gz", pixels)
    _write_idx(tmp_path / "labels.gz", np.array([3], dtype=np.uint8))
    x, y = datasets.load_images_labels(tmp_path / "images.gz", tmp_path / "labels.gz")
    assert x.dtype == np.float32 and x.shape == (1, 256) and x.flags.c_contiguous
    assert y.tolist() == [3]
    bits = x.view(np.uint32)[0]
    for byte, expected in DOTNET_PIXEL_BITS.items():
        assert bits[byte] == expected, f"pixel {byte}: {bits[byte]:#010x}, the .NET loader gives {expected:#010x}"
    assert x[0, 0] == 0.0 and x[0, 255] == 1.0
    assert (x[0] <= 1.0).all() and (np.diff(x[0]) > 0).all()


@pytest.mark.parametrize("byte", sorted(DOTNET_PIXEL_BITS))
def test_division_would_differ_for_these_bytes(byte):
    # The fixture is not vacuous: each listed byte really rounds differently when divided.
    assert (np.float32(byte) / np.float32(255)).view(np.uint32) != DOTNET_PIXEL_BITS[byte]
