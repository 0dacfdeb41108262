#!/usr/bin/env bash
# The logo embedder's training data and training run (docs/embedder.md; the shipped model's card is
# src/knowyourband/models/logo_embedder.md and names the arguments it was trained with).
#
#   scripts/train-embedder.sh data DATA_DIR              # draw the catalogues and their photos
#   scripts/train-embedder.sh train DATA_DIR OUT.onnx [kyb train embedder options...]
#
# Environment: KYB (how to call kyb; default `kyb`), WORKERS (processes; default: every core),
# SETS (catalogue seeds; each set's photo seed is one more; default: the shipped model's four),
# BANDS and PHOTOS (a set's size; default 800 and 1600).
set -euo pipefail

kyb=${KYB:-kyb}
workers=${WORKERS:-$(nproc)}
sets=${SETS:-501 503 505 507}
bands=${BANDS:-800}
photos=${PHOTOS:-1600}

case ${1:-} in
data)
    data=$2
    pids=()
    # Catalogues are small (800 bands: ~1,800 images): draw them side by side.
    for s in $sets; do
        $kyb synth catalog "$data/cat$s" --bands "$bands" --albums-per-band 1 --seed "$s" \
            --workers $(( (workers + 3) / 4 )) &
        pids+=($!)
    done
    for pid in "${pids[@]}"; do wait "$pid"; done
    for s in $sets; do
        $kyb synth photos "$data/photos$s" --catalog "$data/cat$s/catalog.json" --count "$photos" \
            --scenes poster,tshirt,patch --seed $((s + 1)) --workers "$workers"
    done
    ;;
train)
    data=$2 out=$3
    shift 3
    benches=()
    for s in $sets; do benches+=(--bench "$data/photos$s"); done
    $kyb train embedder "${benches[@]}" --out "$out" --workers "$workers" "$@"
    ;;
*)
    sed -n '2,11p' "$0" >&2
    exit 2
    ;;
esac
