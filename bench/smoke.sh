#!/usr/bin/env bash
# CI smoke test of the benchmarks: every benchmark runs once, briefly, at its smallest size, with every available
# backend, and must pass its @Setup correctness check; the peers (bench/peers, where PyTorch and NumPy are
# installed) run the same cases and check their own results; the report renderer runs on the result. Fails
# (non-zero) if any benchmark or peer fails its check (-foe) or the report cannot be rendered. About three minutes
# on 2 cores, a minute of it the peers.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
start=$(date +%s)
"$here/run.sh" smoke "$@"
echo "bench/smoke.sh: all benchmarks ran and passed their checks in $(( $(date +%s) - start )) s"
