#!/usr/bin/env bash
# Times ScratchNet and its peers (numpy + OpenBLAS, PyTorch on the CPU, pure Python) on the same
# workloads, one after another, and prints one Markdown table of medians and ratios.
# Usage: bash benchmarks/peers/run-all.sh [--quick]
#   --quick  tiny counts, to check that everything runs (the numbers mean nothing)
# Needs: the .NET SDK, and Debian's python3-numpy, python3-torch, libopenblas0-pthread (it installs nothing).
# Set PYTHON to use another interpreter than /usr/bin/python3.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
python="${PYTHON:-/usr/bin/python3}"

quick=0
for arg in "$@"; do
  case "$arg" in
    --quick) quick=1 ;;
    *) echo "usage: run-all.sh [--quick]" >&2; exit 2 ;;
  esac
done

if [ ! -x "$python" ]; then
  echo "error: no Python at $python (set PYTHON, or: apt-get install -y python3)" >&2; exit 1
fi
for module in numpy torch; do
  if ! "$python" -c "import $module" 2>/dev/null; then
    echo "error: $python cannot import $module. Install Debian's packages first:" >&2
    echo "  apt-get install -y python3-numpy python3-torch libopenblas0-pthread" >&2
    echo "(the python3 of a pyenv or venv does not see them: run with /usr/bin/python3 or set PYTHON)" >&2
    exit 1
  fi
done

results="$(mktemp -d)"
trap 'rm -rf "$results"' EXIT

mnist="${SCRATCHNET_MNIST:-$root/data/mnist}"
if [ "$quick" = 1 ]; then
  scratchnet_args=(--quick); numpy_args=(--repeats 1); torch_args=(--repeats 1)
  pure_args=(--samples 100 --repeats 1); convnet_args=(--batches 2 --repeats 1 --digits 2)
  # Time to 99%: one run each of one epoch on 1,280 digits (tested on 500), which reaches no target.
  "$python" "$here/mnist_subset.py" "$mnist" "$results/mnist-quick" 1280 500
  fast_runs=1; fast_args=(--data "$results/mnist-quick" --epochs 1)
else
  scratchnet_args=(); numpy_args=(); torch_args=(); pure_args=(); convnet_args=()
  fast_runs=3; fast_args=(--data "$mnist")
fi

echo "building ScratchNet.PeerTimings and samples/ConvNet (Release)" >&2
for project in benchmarks/ScratchNet.PeerTimings samples/ConvNet; do
  dotnet build "$root/$project" -c Release -v quiet -nologo >"$results/build.log" 2>&1 \
    || { cat "$results/build.log" >&2; exit 1; }
done

# Each runner prints "RESULT <workload> <seconds>" lines (and "INFO" lines, shown as they come).
run() {
  local name="$1"; shift
  echo "running $name: $*" >&2
  "$@" | tee "$results/$name.txt" | grep -v '^RESULT' >&2 || true
  if ! grep -q '^RESULT' "$results/$name.txt"; then
    echo "error: $name printed no result" >&2; exit 1
  fi
}

cd "$here"
run scratchnet dotnet "$root/benchmarks/ScratchNet.PeerTimings/bin/Release/net10.0/ScratchNet.PeerTimings.dll" "${scratchnet_args[@]}"
# OpenBLAS: OPENBLAS_CORETYPE/OPENBLAS_L2_SIZE, where a machine sets them, pin an old slow kernel;
# unset here only, for the peers' own runs (seed_numpy.py prints the kernel it then uses).
run numpy env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE "$python" seed_numpy.py "${numpy_args[@]}"
# PyTorch's OpenMP threads: with GNU OpenMP's default (spin, then sleep) every parallel region cost
# ≈ 8 ms on this project's 2-core VM (PyTorch 10-20× slower); PASSIVE is PyTorch at its best here.
run torch env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE OMP_WAIT_POLICY=PASSIVE "$python" seed_torch.py "${torch_args[@]}"
run torch-convnet env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE OMP_WAIT_POLICY=PASSIVE "$python" convnet_torch.py "${convnet_args[@]}"
run pure-python "$python" seed_pure_python.py "${pure_args[@]}"

# Time to 99.0% test accuracy, from process start, with the recipe of samples/ConvNet --fast: each side
# $fast_runs times as a fresh process (start-up and loading MNIST count), alternating, so that both see the
# same load; table.py takes the median of the RESULT lines of one workload.
for i in $(seq "$fast_runs"); do
  echo "running ScratchNet ConvNet --fast ($i of $fast_runs)" >&2
  dotnet "$root/samples/ConvNet/bin/Release/net10.0/ConvNet.dll" --fast "${fast_args[@]}" --plots "$results/plots" \
    | tee "$results/fast-$i.txt" | grep -E '^(epoch|reached|did not)' >&2
  sed -n 's/^reached .* at \([0-9.]*\) s from process start$/RESULT time-to-99 \1/p' "$results/fast-$i.txt" >>"$results/scratchnet.txt"
  echo "running time_to_99_torch.py ($i of $fast_runs)" >&2
  env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE OMP_WAIT_POLICY=PASSIVE "$python" time_to_99_torch.py "${fast_args[@]}" \
    | tee -a "$results/torch-fast.txt" | grep -v '^RESULT' >&2
done

echo
echo "$(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'), load average $(cut -d' ' -f1-3 /proc/loadavg), commit $(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo '?')"
echo
cat "$results"/torch.txt "$results"/torch-convnet.txt "$results"/torch-fast.txt > "$results/pytorch.txt"
"$python" "$here/table.py" "$results/scratchnet.txt" "$results/numpy.txt" "$results/pytorch.txt" "$results/pure-python.txt"
