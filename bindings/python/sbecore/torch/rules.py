"""Per-layer update rules: each sees the (delta, x) pairs of backward as they appear and writes the tile at step().

Every rule approximates the digital step W -= lr G with G = sum_j delta_j x_j^T (torch's gradient, so the loss's
reduction is respected): sgd writes each pair as a pulsed rank-1 update; minibatch accumulates G densely and writes
it element-wise; svd-k writes the top-k triplets of G; sbe-k streams the pairs into an SBE estimator (k (a + b) + k
floats of state, nothing of size a x b) and writes its top-k estimate.
"""
from __future__ import annotations

import numpy as np

from ..estimator import Estimator, batch_svd


class Rule:
    """observe(deltas (N, rows), xs (N, cols)) gets float32 C-contiguous arrays. A rule with keeps_pairs holds them until
    apply(): the caller then hands over arrays nobody writes again; the others use them during observe only."""
    name = ""
    keeps_pairs = False

    def __init__(self, rows: int, cols: int) -> None:
        self.rows, self.cols, self.samples = rows, cols, 0

    def observe(self, deltas: np.ndarray, xs: np.ndarray) -> None:
        raise NotImplementedError

    def apply(self, tile, lr: float) -> None:
        raise NotImplementedError

    @property
    def peripheral_memory_bytes(self) -> int:
        return 0

    def get_state(self) -> dict:
        """What the rule holds between backward and step (for the optimizer's state_dict)."""
        return {"samples": self.samples}

    def set_state(self, state: dict) -> None:
        self.samples = int(state["samples"])


class _PairsRule(Rule):
    """A rule that keeps the batch's pairs until step()."""
    keeps_pairs = True

    def __init__(self, rows: int, cols: int) -> None:
        super().__init__(rows, cols)
        self._pairs = []

    def observe(self, deltas, xs):
        self._pairs.append((deltas, xs))  # the layer hands over arrays nobody else writes (AnalogFunction)
        self.samples += deltas.shape[0]

    def _batch(self):
        if len(self._pairs) == 1:
            return self._pairs[0]
        d = np.ascontiguousarray(np.concatenate([p[0] for p in self._pairs]))
        x = np.ascontiguousarray(np.concatenate([p[1] for p in self._pairs]))
        return d, x

    def get_state(self):
        return {"samples": self.samples, "pairs": [(d.copy(), x.copy()) for d, x in self._pairs]}

    def set_state(self, state):
        pairs = [(np.asarray(d, np.float32), np.asarray(x, np.float32)) for d, x in state["pairs"]]
        if any(d.ndim != 2 or d.shape[1] != self.rows or x.shape != (d.shape[0], self.cols) for d, x in pairs):
            raise ValueError(f"the saved pairs do not fit a {self.rows} x {self.cols} layer")
        self._pairs, self.samples = pairs, int(state["samples"])


class SgdRule(_PairsRule):
    """One pulsed rank-1 write per sample (aihwkit's analog SGD). Keeps the batch's pairs until step()."""
    name = "sgd"

    def apply(self, tile, lr):
        if self._pairs:
            d, x = self._batch()
            tile.write_rank_k(lr, np.ones(d.shape[0], np.float32), d, x)  # k sequential rank-1 writes
        self._pairs, self.samples = [], 0


class MiniBatchRule(Rule):
    """G accumulated densely beside the array (a x b floats), written element-wise once per step."""
    name = "minibatch"

    def __init__(self, rows: int, cols: int) -> None:
        super().__init__(rows, cols)
        self._g = np.zeros((rows, cols), np.float32)

    def observe(self, deltas, xs):
        self._g += deltas.T @ xs  # numpy's BLAS: torch builds with a generic BLAS are several times slower here
        self.samples += deltas.shape[0]

    def apply(self, tile, lr):
        if self.samples:
            tile.write_dense(lr, self._g, min(self.samples, self.rows, self.cols))
        self._g[:] = 0
        self.samples = 0

    @property
    def peripheral_memory_bytes(self):
        return self.rows * self.cols * 4

    def get_state(self):
        return {"samples": self.samples, "g": self._g.copy()}

    def set_state(self, state):
        g = np.asarray(state["g"], np.float32)
        if g.shape != self._g.shape:
            raise ValueError(f"the saved gradient is {g.shape}, this layer's is {self._g.shape}")
        self._g[:], self.samples = g, int(state["samples"])


class SvdRule(_PairsRule):
    """Exact top-k triplets of the batch gradient (the batch is kept until step())."""

    def __init__(self, rows: int, cols: int, rank: int) -> None:
        super().__init__(rows, cols)
        self.rank, self.name = rank, f"svd-{rank}"

    def apply(self, tile, lr):
        if self._pairs:
            d, x = self._batch()
            s, u, v = batch_svd(d, x, min(self.rank, self.rows, self.cols))
            tile.write_rank_k(lr * d.shape[0], s, u, v)  # batch_svd factors the mean: times n gives G
        self._pairs, self.samples = [], 0

    @property
    def peripheral_memory_bytes(self):
        return self.rows * self.cols * 4


class SbeRule(Rule):
    """Streaming batch eigenupdate: pairs go into the estimator as backward produces them (warm start across steps)."""

    def __init__(self, rows: int, cols: int, rank: int, seed: int, sub_batch: int = 1) -> None:
        super().__init__(rows, cols)
        rank = min(rank, rows, cols)  # capped per layer, as in SbeCore's network
        self.rank, self.name = rank, f"sbe-{rank}"
        self.estimator = Estimator(rows, cols, rank, sub_batch=sub_batch, seed=seed)
        self._sub_batch = sub_batch

    def observe(self, deltas, xs):
        self.estimator.observe_batch(deltas, xs)
        self.samples += deltas.shape[0]

    def apply(self, tile, lr):
        if self.samples:
            s, d, x = self.estimator.estimate()
            tile.write_rank_k(lr * self.samples, s, d, x)  # the estimate is of the mean: times n gives G
        self.samples = 0

    @property
    def peripheral_memory_bytes(self):
        state = self.rank * (self.rows + self.cols) + self.rank
        buffer = self._sub_batch * (self.rows + self.cols) if self._sub_batch > 1 else 0
        return (state + buffer) * 4

    def get_state(self):
        return {"samples": self.samples, "estimator": self.estimator.get_state()}

    def set_state(self, state):
        self.estimator.set_state(state["estimator"])  # refused (unchanged) unless shape, options and seed match
        self.samples = int(state["samples"])


def make_rule(method: str, rows: int, cols: int, rank: int, seed: int, sub_batch: int) -> Rule:
    if method == "sgd":
        return SgdRule(rows, cols)
    if method == "minibatch":
        return MiniBatchRule(rows, cols)
    if method == "svd":
        return SvdRule(rows, cols, rank)
    if method == "sbe":
        return SbeRule(rows, cols, rank, seed, sub_batch)
    raise ValueError(f"method must be one of sgd, minibatch, svd, sbe; got {method!r}")
