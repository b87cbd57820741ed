"""The data sets the package ships: MNIST-10k (10,000 MNIST digits, the SbeCore default; provenance and licence in the
repository's data/README.md), and a reader for any IDX file (full MNIST, Fashion-MNIST: the standard four files).

    train_x, train_y, test_x, test_y = sbecore.datasets.load_mnist10k()   # float32 (n, 784) in [0, 1], int32 labels
"""
from __future__ import annotations

import gzip
from pathlib import Path
from typing import Tuple, Union

import numpy as np

PIXEL_SCALE = np.float32(1) / np.float32(255)  # the float nearest 1/255, C#'s 1f / 255f
MNIST10K = Path(__file__).resolve().parent / "data" / "mnist-10k"
TRAIN_COUNT = 8000  # the first 8,000 digits train, the last 2,000 test (as DataLoader.LoadDefault in .NET)
_MAGIC = {3: 0x00000803, 1: 0x00000801}


def read_idx(path: Union[str, Path]) -> np.ndarray:
    """An IDX file (raw or .gz) as a uint8 array of its declared shape; ValueError if it is not one."""
    path = Path(path)
    with open(path, "rb") as f:
        raw = f.read()
    if raw[:2] == b"\x1f\x8b":
        raw = gzip.decompress(raw)
    if len(raw) < 4 or raw[0] != 0 or raw[1] != 0 or raw[2] != 0x08:
        raise ValueError(f"{path} is not an IDX file of unsigned bytes")
    dims = raw[3]
    header = 4 + 4 * dims
    if len(raw) < header:
        raise ValueError(f"{path} is truncated: too short for its IDX header")
    shape = tuple(int.from_bytes(raw[4 + 4 * i:8 + 4 * i], "big") for i in range(dims))
    if len(raw) - header != int(np.prod(shape, dtype=np.int64)):
        raise ValueError(f"{path}: the header promises {shape}, the file holds {len(raw) - header} payload bytes")
    return np.frombuffer(raw, dtype=np.uint8, offset=header).reshape(shape)


def load_images_labels(images: Union[str, Path], labels: Union[str, Path]) -> Tuple[np.ndarray, np.ndarray]:
    """An image and a label IDX file as float32 (n, rows*cols) in [0, 1] (C-contiguous, ready for the network) and int32."""
    x = read_idx(images)
    y = read_idx(labels)
    if x.ndim != 3 or y.ndim != 1 or x.shape[0] != y.shape[0]:
        raise ValueError(f"{images} / {labels}: expected (n, rows, cols) images and n labels, got {x.shape} and {y.shape}")
    # Pixels times the float 1/255, as the .NET loader (Dataset.FromIdx) scales them: dividing by 255 rounds 126 of the
    # 256 byte values differently in the last bit, and a network trained on those inputs drifts from `sbe train`'s.
    return np.ascontiguousarray(x.reshape(x.shape[0], -1), dtype=np.float32) * PIXEL_SCALE, y.astype(np.int32)


def load_mnist10k() -> Tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(train images, train labels, test images, test labels) of the bundled MNIST-10k: 8,000 / 2,000 digits."""
    x, y = load_images_labels(MNIST10K / "images-idx3-ubyte.gz", MNIST10K / "labels-idx1-ubyte.gz")
    return x[:TRAIN_COUNT], y[:TRAIN_COUNT], x[TRAIN_COUNT:], y[TRAIN_COUNT:]


def load_directory(folder: Union[str, Path]) -> Tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """A folder with the standard four files (train-images-idx3-ubyte[.gz], train-labels-..., t10k-images-..., t10k-labels-...)."""
    folder = Path(folder)

    def find(stem: str) -> Path:
        for name in (stem + ".gz", stem):
            if (folder / name).is_file():
                return folder / name
        raise FileNotFoundError(f"{folder / stem}[.gz] not found")

    x, y = load_images_labels(find("train-images-idx3-ubyte"), find("train-labels-idx1-ubyte"))
    xt, yt = load_images_labels(find("t10k-images-idx3-ubyte"), find("t10k-labels-idx1-ubyte"))
    return x, y, xt, yt


__all__ = ["MNIST10K", "TRAIN_COUNT", "load_directory", "load_images_labels", "load_mnist10k", "read_idx"]
