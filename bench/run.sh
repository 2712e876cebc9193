#!/usr/bin/env bash
# Runs the JMH benchmarks with every available backend side by side, then the peers (PyTorch, NumPy's
# LAPACK/OpenBLAS: bench/peers) on the same cases, writes the JSON to bench/results/ and renders the report
# (docs/benchmarks.md and docs/benchmarks/*.png).
#
#   bench/run.sh [quick|full|smoke] [extra JMH arguments, e.g. a benchmark regex]
#
#   quick  1 fork, 2 x 1 s warm-up, 5 x 0.6 s measurement: the whole set in about 27 minutes on 2 cores
#   full   2 forks, 5 x 2 s warm-up, 8 x 2 s measurement: the numbers to publish (about 2 hours)
#   smoke  1 fork, no warm-up, one 100 ms iteration, smallest sizes: checks every benchmark compiles, runs and
#          passes its correctness check (about two minutes); the report goes to bench/results/smoke.md
#
# Environment: ISOTROPIC_THREADS (threads per kernel call, default: all processors), BENCH_BACKENDS (comma list,
# default: every backend available here), BENCH_NOTE (a paragraph for the report, e.g. the machine's load),
# BENCH_REBUILD=1 (rebuild benchmarks.jar even if it looks current), BENCH_PEERS=0 (skip the peers),
# BENCH_TORCH_PYTHON (interpreter with torch, default /usr/bin/python3), BENCH_NUMPY_PYTHON (interpreter with
# NumPy, default the python3 on PATH, else /usr/bin/python3).
# docs/benchmarks.md is rewritten only by a quick or full run of the whole set (no extra JMH arguments); a
# filtered run renders to bench/results/<mode>.md instead.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"

usage() { sed -n '2,23p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; }

mode=${1:-quick}
if [[ $# -gt 0 ]]; then shift; fi
case "$mode" in
  quick) jmh=(-f 1 -wi 2 -w 1s -i 5 -r 600ms) ;;
  full)  jmh=(-f 2 -wi 5 -w 2s -i 8 -r 2s) ;;
  smoke) jmh=(-f 1 -wi 0 -i 1 -r 100ms -p n=64 -p threads=0) ;;
  -h|--help|help) usage; exit 0 ;;
  *) echo "bench/run.sh: unknown mode '$mode'; use quick, full or smoke (bench/run.sh --help)" >&2; exit 2 ;;
esac

# EpochBenchmark.fashionMnist needs Debian's dataset-fashion-mnist; without it the benchmark is skipped, not failed.
fashion=/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz
if [[ ! -f $fashion ]]; then
  echo "bench/run.sh: $fashion not found (apt-get install dataset-fashion-mnist); skipping EpochBenchmark.fashionMnist" >&2
  jmh+=(-e 'EpochBenchmark.fashionMnist')
fi

JAVA_HOME=$("$root/bin/jdk25-home")
java="$JAVA_HOME/bin/java"
jar="$root/bench/target/benchmarks.jar"

stale() {
  [[ ! -f $jar ]] && return 0
  [[ ${BENCH_REBUILD:-0} == 1 ]] && return 0
  [[ -n $(find "$root/pom.xml" "$root/api" "$root"/backend-* "$root/bench/pom.xml" "$root/bench/src" -newer "$jar" \
          -not -path '*/target/*' -type f \( -name '*.java' -o -name 'pom.xml' -o -path '*META-INF/services/*' \) \
          -print -quit) ]]
}
if stale; then
  echo "bench/run.sh: building bench/target/benchmarks.jar" >&2
  "$root/bin/mvn25" -B -q package -pl bench -am -DskipTests
fi

threads=${ISOTROPIC_THREADS:-$(nproc)}
if ! [[ $threads =~ ^[1-9][0-9]*$ ]]; then
  echo "bench/run.sh: ISOTROPIC_THREADS='$threads' is not a positive integer" >&2
  exit 2
fi
vmflags="-Xss4m --add-modules jdk.incubator.vector -Disotropic.threads=$threads"
# shellcheck disable=SC2086
available=$("$java" $vmflags -cp "$jar" io.isotropic.bench.ListBackends 2>/dev/null)
if [[ -z $available ]]; then
  echo "bench/run.sh: no backend is available here:" >&2
  "$java" $vmflags -cp "$jar" io.isotropic.bench.ListBackends --describe >&2 || true
  exit 1
fi
backends=${BENCH_BACKENDS:-$available}
IFS=',' read -ra wanted <<< "$backends"
for b in "${wanted[@]}"; do
  if [[ ",$available," != *",$b,"* ]]; then
    echo "bench/run.sh: backend '$b' (BENCH_BACKENDS) is unknown or unavailable; available here: $available" >&2
    "$java" $vmflags -cp "$jar" io.isotropic.bench.ListBackends --describe >&2 || true
    exit 2
  fi
done

mkdir -p "$root/bench/results"
stamp=$(date +%Y%m%d-%H%M%S)
json="$root/bench/results/$mode-$stamp.json"
echo "bench/run.sh: mode $mode, backends $backends, $threads thread(s), results in ${json#"$root"/}" >&2
# JMH's lock keeps two measuring runs apart; a smoke run measures nothing, so it may run beside another JMH run
lock=()
if [[ $mode == smoke ]]; then lock=(-Djmh.ignoreLock=true); fi
"$java" "${lock[@]}" -jar "$jar" "${jmh[@]}" -p "backend=$backends" -jvmArgsAppend "$vmflags" -foe true \
  -rf json -rff "$json" "$@"

# The peers run the cases of this JMH file that they mirror, at the same sizes, dtypes and threads, after it (so
# they share the machine state of the run, not its cores). Each writes a peer file; a peer that cannot run here
# gets a file that says why, and the report prints it.
peerfiles=()
peer_failed=0
peer_skip() { # name label reason
  local f="${json%.json}.peer-$1.json"
  printf '{"peer": {"name": "%s", "label": "%s", "skipped": "%s"}, "results": []}\n' "$1" "$2" "$3" > "$f"
  echo "bench/run.sh: peer $1 skipped: $3" >&2
  peerfiles+=(--peers "$f")
}
peer_run() { # name label python script
  local f="${json%.json}.peer-$1.json"
  echo "bench/run.sh: peer $1 ($3 ${4##*/})" >&2
  if "$3" "$root/bench/peers/$4" --jmh "$json" --out "$f" --threads "$threads"; then
    peerfiles+=(--peers "$f")
  else
    peer_skip "$1" "$2" "FAILED (exit $?) with $3: a check of its own result or the program failed; see the run's output"
    peer_failed=1
  fi
}
if [[ ${BENCH_PEERS:-1} == 0 ]]; then
  peer_skip pytorch PyTorch "BENCH_PEERS=0"
  peer_skip numpy NumPy "BENCH_PEERS=0"
else
  torchpy=${BENCH_TORCH_PYTHON:-/usr/bin/python3}
  if [[ -x $torchpy ]] && "$torchpy" -c 'import torch' 2>/dev/null; then
    peer_run pytorch PyTorch "$torchpy" torch_peers.py
  else
    peer_skip pytorch PyTorch "no PyTorch in $torchpy (Debian: apt-get install python3-torch libopenblas0-pthread)"
  fi
  numpypy=${BENCH_NUMPY_PYTHON:-}
  if [[ -z $numpypy ]]; then
    for p in "$(command -v python3 || true)" /usr/bin/python3; do
      if [[ -n $p && -x $p ]] && "$p" -c 'import numpy' 2>/dev/null; then numpypy=$p; break; fi
    done
  fi
  if [[ -n $numpypy ]] && "$numpypy" -c 'import numpy' 2>/dev/null; then
    peer_run numpy NumPy "$numpypy" numpy_peers.py
  else
    peer_skip numpy NumPy "no NumPy in ${numpypy:-python3 or /usr/bin/python3} (Debian: apt-get install python3-numpy)"
  fi
fi

if [[ $mode == smoke || $# -gt 0 ]]; then
  md="$root/bench/results/$mode.md"
  charts=()
else
  md="$root/docs/benchmarks.md"
  charts=(--charts "$root/docs/benchmarks")
fi
command="bench/run.sh $mode${*:+ $*}"
# shellcheck disable=SC2086
"$java" $vmflags -cp "$jar" io.isotropic.bench.report.Report --input "$json" "${peerfiles[@]}" --markdown "$md" "${charts[@]}" \
  --title "Benchmarks ($mode run)" --command "$command" ${BENCH_NOTE:+--note "$BENCH_NOTE"}
if [[ $peer_failed == 1 ]]; then
  echo "bench/run.sh: a peer failed (see above); the report says so" >&2
  exit 1
fi
