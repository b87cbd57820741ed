#!/usr/bin/env bash
# Every run of docs/results.md section 10, one `sbe train` configuration per line (lr_grid.py: rate grid on seed 1,
# the lowest final training loss, then seeds 2 and 3; resumable: finished runs are skipped). One JSON line per
# configuration on stdout. Usage: benchmarks/devices/section10.sh [part...]   parts: ideal zeroshift ablation rounded
# remedies devices pcm pcmrounded pcmablation pcmprobe lenet lenetext lenetrounded (default: all, about 4 hours on a shared 2-core machine, one process
# at a time).
# SBE (default: sbe on PATH) is the CLI, PROBE the built WriteProbe, OUT the run folder (default results/devices-research).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
SBE=${SBE:-$(command -v sbe)}
OUT=${OUT:-results/devices-research}
PROBE=${PROBE:-$here/WriteProbe/bin/Release/net10.0/WriteProbe}
G="python3 $here/lr_grid.py --sbe $SBE --out $OUT"
LR="--lrs 0.0316,0.0562,0.1,0.1778,0.3162,0.5623,1.0"
SLR="--lrs 0.00562,0.01,0.01778,0.03162,0.05623"
BIG="--lrs 0.1,0.1778,0.3162,0.5623,1.0,1.778,3.162"
L="--lrs 0.3162,0.5623,1.0"

ideal() { # 10d, ideal device, 30 epochs
  for B in 32 128; do
    $G --name ideal-sbe1-b$B-e30 -- -m sbe -k 1 -b $B --epochs 30
    $G --name ideal-sbe4-b$B-e30 -- -m sbe -k 4 -b $B --epochs 30
  done
  $G --name ideal-minibatch-b32-e30 -- -m minibatch -b 32 --epochs 30
  $G $BIG --name ideal-minibatch-b128-e30 -- -m minibatch -b 128 --epochs 30
  $G --name ideal-sbe2x1-b32-e30 -- -m sbe --layer-ranks 2,1 -b 32 --epochs 30
  $G --name ideal-sbe3x1-b32-e30 -- -m sbe --layer-ranks 3,1 -b 32 --epochs 30
  $G --name ideal-sbe2x2-b32-e30 -- -m sbe --layer-ranks 2,2 -b 32 --epochs 30
  $G $BIG --name ideal-minibatch-b64-e30 -- -m minibatch -b 64 --epochs 30
  $G --lrs 0.5623 --name ideal-minibatch-b64-e30-lr0.56 -- -m minibatch -b 64 --epochs 30
  $G $BIG --name ideal-sbe6x1-b64-e30 -- -m sbe --layer-ranks 6,1 -b 64 --epochs 30
  $G $BIG --name ideal-sbe5x2-b64-e30 -- -m sbe --layer-ranks 5,2 -b 64 --epochs 30
  $G $BIG --name ideal-sbe10x1-b128-e30 -- -m sbe --layer-ranks 10,1 -b 128 --epochs 30
  $G $BIG --name ideal-sbe8x3-b128-e30 -- -m sbe --layer-ranks 8,3 -b 128 --epochs 30
  $G $BIG --name ideal-lrt3x1-b32-e30 -- -m lrt --layer-ranks 3,1 -b 32 --epochs 30
  $G $BIG --name ideal-lrt10x1-b128-e30 -- -m lrt --layer-ranks 10,1 -b 128 --epochs 30
  $G --name ideal-minibatch-b16-e30 -- -m minibatch -b 16 --epochs 30
  $G --name ideal-sbe1-b16-e30 -- -m sbe -k 1 -b 16 --epochs 30
  $G --name ideal-lrt5x2-b64-e30 -- -m lrt --layer-ranks 5,2 -b 64 --epochs 30
  $G --name ideal-lrt1x1-b16-e30 -- -m lrt -k 1 -b 16 --epochs 30
}

zeroshift() { # 10b, batch 32 (SGD 1), 10 epochs
  for D in "ecram" "ecram-zs:ecram --device-param zero_shift=true" "reramsb" "reramsb-ssp:reramsb --device-param subtract_symmetry_point=true"; do
    N=${D%%:*}; A=${D#*:}; [ "$A" = "$D" ] && A=$D
    $G $LR --name $N-minibatch-b32-e10 -- -m minibatch -b 32 --epochs 10 --device $A
    $G $LR --name $N-sbe1-b32-e10 -- -m sbe -k 1 -b 32 --epochs 10 --device $A
    $G $LR --name $N-sbe4-b32-e10 -- -m sbe -k 4 -b 32 --epochs 10 --device $A
    $G $SLR --name $N-sgd-b1-e10 -- -m sgd -b 1 --epochs 10 --device $A
  done
}

ablation() { # 10a, EcRam one non-ideality at a time, section 5's tuned rates
  for V in "full:" \
    "perfect-io:--device-param forward.is_perfect=true --device-param backward.is_perfect=true" \
    "no-pulses:--pulse-type none" \
    "linear-steps:--device-param device.gamma_up=0 --device-param device.gamma_down=0 --device-param device.gamma_up_dtod=0 --device-param device.gamma_down_dtod=0" \
    "no-cycle-noise:--device-param device.dw_min_std=0" \
    "no-d2d:--device-param device.dw_min_dtod=0 --device-param device.up_down_dtod=0 --device-param device.w_max_dtod=0 --device-param device.w_min_dtod=0 --device-param device.gamma_up_dtod=0 --device-param device.gamma_down_dtod=0" \
    "fine-steps:--device-param device.dw_min=0.0002"; do
    N=${V%%:*}; A=${V#*:}
    $G --lrs 0.4217 --name abl-ecram-$N-minibatch -- -m minibatch -b 32 --epochs 10 --device ecram $A
    $G --lrs 0.3162 --name abl-ecram-$N-sbe1 -- -m sbe -k 1 -b 32 --epochs 10 --device ecram $A
    $G --lrs 0.3162 --name abl-ecram-$N-sbe4 -- -m sbe -k 4 -b 32 --epochs 10 --device ecram $A
  done
}

rounded() { # 10c, the rounded pulse type, batch 32, 10 epochs (stochastic rows: zeroshift's and these)
  for D in constantstep ecram reramsb; do
    $G $LR --name $D-rounded-sbe1-b32-e10 -- -m sbe -k 1 -b 32 --epochs 10 --device $D:rounded
    $G $LR --name $D-rounded-sbe4-b32-e10 -- -m sbe -k 4 -b 32 --epochs 10 --device $D:rounded
  done
  $G $LR --name constantstep-minibatch-b32-e10 -- -m minibatch -b 32 --epochs 10 --device constantstep
  $G $LR --name constantstep-sbe1-b32-e10 -- -m sbe -k 1 -b 32 --epochs 10 --device constantstep
  $G $LR --name constantstep-sbe4-b32-e10 -- -m sbe -k 4 -b 32 --epochs 10 --device constantstep
}

remedies() { # 10c, write sizes and the clip / split / dense / longer-train remedies (WriteProbe)
  for a in "constantstep 1 1 32 0.1 10" "ecram 1 1 32 0.3162 10" "reramsb 1 1 32 0.1778 10" "ecram 4 4 32 0.3162 10" "ecram 4 4 128 0.1334 30"; do
    echo "== $a"; $PROBE $a 1 paper
  done
  python3 "$here/write_remedies.py" --probe "$PROBE"
}

devices() { # 10d, the 10% budgets on the pulsed devices, 30 epochs
  for D in constantstep ecram reramsb; do
    $G $L --name $D-minibatch-b16-e30 -- -m minibatch -b 16 --epochs 30 --device $D
    $G --lrs 0.1778,0.3162,0.5623 --name $D-sbe1-b16-e30 -- -m sbe -k 1 -b 16 --epochs 30 --device $D
    $G --lrs 0.1778,0.3162,0.5623 --name $D-rounded-sbe1-b16-e30 -- -m sbe -k 1 -b 16 --epochs 30 --device $D:rounded
  done
  for D in constantstep ecram reramsb; do
    $G $L --name $D-minibatch-b64-e30 -- -m minibatch -b 64 --epochs 30 --device $D
    $G $L --name $D-sbe5x2-b64-e30 -- -m sbe --layer-ranks 5,2 -b 64 --epochs 30 --device $D
    $G $L --name $D-rounded-sbe5x2-b64-e30 -- -m sbe --layer-ranks 5,2 -b 64 --epochs 30 --device $D:rounded
  done
  for D in constantstep ecram reramsb; do
    $G $L --name $D-lrt3x1-b32-e30 -- -m lrt --layer-ranks 3,1 -b 32 --epochs 30 --device $D
    $G $L --name $D-minibatch-b32-e30 -- -m minibatch -b 32 --epochs 30 --device $D
  done
  # picks at a grid's lower edge: the grid extended down (the same runs plus the new rates; the lowest loss wins again)
  $G --lrs 0.0562,0.1,0.1778,0.3162,0.5623 --name ecram-rounded-sbe1-b16-e30 -- -m sbe -k 1 -b 16 --epochs 30 --device ecram:rounded
  $G --lrs 0.1,0.1778,0.3162,0.5623,1.0 --name ecram-minibatch-b16-e30 -- -m minibatch -b 16 --epochs 30 --device ecram
  $G --lrs 0.1,0.1778,0.3162,0.5623 --name ecram-sbe1-b16-e30 -- -m sbe -k 1 -b 16 --epochs 30 --device ecram
  $G --lrs 0.1,0.1778,0.3162,0.5623 --name reramsb-rounded-sbe1-b16-e30 -- -m sbe -k 1 -b 16 --epochs 30 --device reramsb:rounded
  $G --lrs 0.1,0.1778,0.3162,0.5623 --name reramsb-sbe1-b16-e30 -- -m sbe -k 1 -b 16 --epochs 30 --device reramsb
  $G --lrs 0.1778,0.3162,0.5623,1.0 --name reramsb-minibatch-b16-e30 -- -m minibatch -b 16 --epochs 30 --device reramsb
  $G --lrs 0.1778,0.3162,0.5623,1.0 --name ecram-sbe5x2-b64-e30 -- -m sbe --layer-ranks 5,2 -b 64 --epochs 30 --device ecram
  $G --lrs 0.1778,0.3162,0.5623,1.0 --name reramsb-sbe5x2-b64-e30 -- -m sbe --layer-ranks 5,2 -b 64 --epochs 30 --device reramsb
  $G --lrs 0.1778,0.3162,0.5623,1.0 --name reramsb-minibatch-b64-e30 -- -m minibatch -b 64 --epochs 30 --device reramsb
}

PCMLR="--lrs 0.01,0.03162,0.1,0.3162"

pcm() { # 10g, PCM (aihwkit's PCMPreset: a refreshed one-sided pair), 30 epochs, 10d's allocations
  $G $PCMLR --name pcm-minibatch-b16-e30 -- -m minibatch -b 16 --epochs 30 --device pcm
  $G $PCMLR --name pcm-sbe1-b16-e30 -- -m sbe -k 1 -b 16 --epochs 30 --device pcm
  $G $PCMLR --name pcm-minibatch-b64-e30 -- -m minibatch -b 64 --epochs 30 --device pcm
  $G $PCMLR --name pcm-sbe5x2-b64-e30 -- -m sbe --layer-ranks 5,2 -b 64 --epochs 30 --device pcm
  # mini-batch at 64 picked the grid's top: the same runs plus 1.0
  $G --lrs 0.01,0.03162,0.1,0.3162,1.0 --name pcm-minibatch-b64-e30 -- -m minibatch -b 64 --epochs 30 --device pcm
}

pcmablation() { # 10g, PCM at batch 16 with one of its properties removed, at the rates picked on the full device
  U=device.unit_cell_devices
  for V in "no-refresh:--device-param device.refresh_every=0" \
    "no-cycle-noise:--device-param $U.dw_min_std=0 --device-param $U.dw_min_std_add=0 --device-param $U.dw_min_std_slope=0" \
    "constant-steps:--device-param $U.A_up=0 --device-param $U.A_down=0"; do
    N=${V%%:*}; A=${V#*:}
    $G --lrs 0.1 --name abl-pcm-$N-minibatch-b16 -- -m minibatch -b 16 --epochs 30 --device pcm $A
    $G --lrs 0.03162 --name abl-pcm-$N-sbe1-b16 -- -m sbe -k 1 -b 16 --epochs 30 --device pcm $A
  done
}

pcmprobe() { # 10g, what one write does on PCM (WriteProbe, seed 1, the picked rates), ConstantStep for reference
  for a in "pcm 1 1 16 0.03162 30 1 paper" "pcm 1 1 16 0.1 30 1 minibatch" "pcm 5 2 64 0.1 30 1 paper" \
    "pcm 1 1 64 ${PCM_MB64_LR:-0.3162} 30 1 minibatch" "constantstep 1 1 16 0.3162 30 1 paper" "constantstep 1 1 16 0.5623 30 1 minibatch"; do
    echo "== $a"; $PROBE $a
  done
}

pcmrounded() { # 10g, the rounded pulse type on PCM
  $G $PCMLR --name pcm-rounded-sbe1-b16-e30 -- -m sbe -k 1 -b 16 --epochs 30 --device pcm:rounded
  $G $PCMLR --name pcm-rounded-sbe5x2-b64-e30 -- -m sbe --layer-ranks 5,2 -b 64 --epochs 30 --device pcm:rounded
}

LENETLR="--lrs 0.03162,0.1,0.3162"
lenet() { # 10h, LeNet-5 at batch 32, 15 epochs: mini-batch, sbe-1 and a 9-write allocation (9.4% of mini-batch's)
  for D in ideal constantstep ecram; do
    $G $LENETLR --name lenet-$D-minibatch-b32-e15 -- --arch lenet5 -m minibatch -b 32 --epochs 15 --device $D
    $G $LENETLR --name lenet-$D-sbe1-b32-e15 -- --arch lenet5 -m sbe -k 1 -b 32 --epochs 15 --device $D
    $G $LENETLR --name lenet-$D-sbe12321-b32-e15 -- --arch lenet5 -m sbe --layer-ranks 1,2,3,2,1 -b 32 --epochs 15 --device $D
  done
}

lenetext() { # 10h, mini-batch on the ideal device picked the grid's top: the grid extended up, and the next rate down
  $G --lrs 0.03162,0.1,0.3162,1.0 --name lenet-ideal-minibatch-b32-e15 -- --arch lenet5 -m minibatch -b 32 --epochs 15 --device ideal
  $G --lrs 0.1 --name lenet-ideal-minibatch-b32-e15-lr0.1 -- --arch lenet5 -m minibatch -b 32 --epochs 15 --device ideal
}

lenetrounded() { # 10h, the rounded pulse type for the 9-write allocation on the pulsed devices
  for D in constantstep ecram; do
    $G $LENETLR --name lenet-$D-rounded-sbe12321-b32-e15 -- --arch lenet5 -m sbe --layer-ranks 1,2,3,2,1 -b 32 --epochs 15 --device $D:rounded
  done
}

parts=("$@")
[ ${#parts[@]} -gt 0 ] || parts=(ideal zeroshift ablation rounded remedies devices pcm pcmrounded pcmablation pcmprobe lenet lenetext lenetrounded)
for p in "${parts[@]}"; do
  case $p in ideal|zeroshift|ablation|rounded|remedies|devices|pcm|pcmrounded|pcmablation|pcmprobe|lenet|lenetext|lenetrounded) $p ;;
    *) echo "unknown part '$p'" >&2; exit 2 ;; esac
done
