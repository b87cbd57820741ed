"""CrossbarOptimizer: applies an update rule's writes to every analog layer through its device, plain SGD elsewhere."""
from __future__ import annotations

import numbers
from typing import Dict, List, Sequence, Union

import torch
from torch import nn

from .layer import AnalogLayer
from .rules import make_rule


class CrossbarOptimizer(torch.optim.Optimizer):
    """aihwkit: AnalogSGD. step() writes each analog layer with `method` (sgd, minibatch, svd, sbe; rank k for svd and
    sbe) and then calls the tile's post_update_step once (refresh, decay, diffusion); digital parameters get plain SGD
    with the same lr. The (delta, x) pairs are captured during backward and handed to each layer's rule as they appear
    (sbe streams them into its estimator). An AnalogConv2d hands n x P pairs per batch (one per sample and output
    position), as SbeCore's own conv layer does: sgd writes each as a rank-1 update, the others see all n x P.
    lr lives in param_groups, so torch's LR schedulers work. seed: analog layer i's rule (sbe's estimator) gets seed + i,
    or seed[i] from a sequence of one seed per analog layer (e.g. the library network's rule seeds)."""

    def __init__(self, model: nn.Module, method: str = "sbe", rank: int = 1, lr: float = 0.1, *, seed: Union[int, Sequence[int]] = 0,
                 sub_batch: int = 1) -> None:
        if method not in ("sgd", "minibatch", "svd", "sbe"):
            raise ValueError(f"method must be one of sgd, minibatch, svd, sbe; got {method!r}")
        if isinstance(rank, bool) or not isinstance(rank, int) or rank < 1:
            raise ValueError(f"rank must be an int >= 1, got {rank!r}")
        if not (isinstance(lr, (int, float)) and lr > 0 and lr < float("inf")):
            raise ValueError(f"lr must be a finite number > 0, got {lr!r}")
        self.layers: List[AnalogLayer] = [m for m in model.modules() if isinstance(m, AnalogLayer)]
        if not self.layers:
            raise ValueError("the model has no AnalogLinear or AnalogConv2d layer (use convert_to_analog)")
        def whole(v) -> bool:
            return isinstance(v, numbers.Integral) and not isinstance(v, bool)
        if whole(seed):
            seeds = [int(seed) + i for i in range(len(self.layers))]
        elif isinstance(seed, (list, tuple)) and len(seed) == len(self.layers) and all(whole(v) for v in seed):
            seeds = [int(v) for v in seed]
        else:
            raise ValueError(f"seed must be an int or a sequence of {len(self.layers)} ints (one per analog layer), got {seed!r}")
        for layer in self.layers:
            if layer._rule is not None:
                raise ValueError("an analog layer is already driven by another CrossbarOptimizer")
        anchors = {id(layer.analog_anchor) for layer in self.layers}
        digital = [p for p in model.parameters() if id(p) not in anchors and p.requires_grad]
        groups = [{"params": [layer.analog_anchor for layer in self.layers], "analog": True}]
        if digital:
            groups.append({"params": digital, "analog": False})
        super().__init__(groups, {"lr": lr})
        self.method, self.rank = method, rank
        for i, layer in enumerate(self.layers):
            layer._rule = make_rule(method, layer.tile.rows, layer.tile.cols, rank, seeds[i], sub_batch)

    @torch.no_grad()
    def step(self, closure=None):
        loss = None
        if closure is not None:
            with torch.enable_grad():
                loss = closure()
        for group in self.param_groups:
            lr = group["lr"]
            if group.get("analog"):
                for layer in self.layers:
                    layer._rule.apply(layer.tile, lr)
                    layer.tile.post_update_step()
            else:
                for p in group["params"]:
                    if p.grad is not None:
                        p.add_(p.grad, alpha=-lr)
        return loss

    def state_dict(self) -> dict:
        """torch's optimizer state plus each layer's rule state (an sbe estimator's whole state, pending pairs or gradient),
        so a checkpoint taken between steps, or between backward and step, continues exactly."""
        state = super().state_dict()
        state["crossbar"] = {"method": self.method, "rank": self.rank, "rules": [layer._rule.get_state() for layer in self.layers]}
        return state

    def load_state_dict(self, state_dict: dict) -> None:
        """Restores state_dict(); a state of another method, rank or layer count raises ValueError and changes nothing."""
        crossbar = state_dict.get("crossbar")
        if crossbar is None:
            raise ValueError("not a CrossbarOptimizer state (no 'crossbar' entry)")
        if (crossbar["method"], crossbar["rank"], len(crossbar["rules"])) != (self.method, self.rank, len(self.layers)):
            raise ValueError(f"the state is for {crossbar['method']} rank {crossbar['rank']} over {len(crossbar['rules'])} layers; "
                             f"this optimizer runs {self.method} rank {self.rank} over {len(self.layers)}")
        saved = [layer._rule.get_state() for layer in self.layers]
        try:
            for layer, rule_state in zip(self.layers, crossbar["rules"]):
                layer._rule.set_state(rule_state)
            super().load_state_dict({k: v for k, v in state_dict.items() if k != "crossbar"})
        except Exception:
            for layer, rule_state in zip(self.layers, saved):  # all or nothing
                layer._rule.set_state(rule_state)
            raise

    def counters(self) -> List[Dict[str, int]]:
        """Per analog layer: rank-1 writes, pulses and the rule's peripheral memory (bytes)."""
        out = []
        for layer in self.layers:
            c = layer.tile.counters
            out.append({"rank_one_writes": c["rank_one_writes"], "total_pulses": c["total_pulses"],
                        "clipped_pulses": c["clipped_pulses"], "peripheral_memory_bytes": layer._rule.peripheral_memory_bytes})
        return out

    def detach(self) -> None:
        """Stops capturing updates (the layers can then be driven by another CrossbarOptimizer)."""
        for layer in self.layers:
            layer._rule = None
