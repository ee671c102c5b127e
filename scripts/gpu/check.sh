#!/usr/bin/env bash
# Runs the model tests and benchmarks on a GPU through GoMLX's XLA backend, and writes a log.
#
# Usage: scripts/gpu/check.sh [LOG_DIR]        (LOG_DIR defaults to $OUT, then ./gpu-log)
#
# It builds with `-tags xla` (cgo), finds the PJRT CUDA plugin of Python's jax-cuda13-pjrt
# (or takes CLOSURE_XLA_PLUGIN), runs the tests of the model packages with
# GOMLX_BACKEND=xla:<plugin>, then times one training step and one sampling call of each model
# on the GPU and on the CPU backend. Exits non-zero with a message when the plugin is missing.
set -euo pipefail
cd "$(dirname "$0")/../.."
log_dir=${1:-${OUT:-gpu-log}}
mkdir -p "$log_dir"
log="$log_dir/gpu-check.log"
exec > >(tee "$log") 2>&1

plugin=${CLOSURE_XLA_PLUGIN:-}
if [ -z "$plugin" ]; then
  plugin=$(python3 - <<'PY' 2>/dev/null || true
import importlib.util, pathlib
spec = importlib.util.find_spec("jax_plugins.xla_cuda13")
if spec and spec.submodule_search_locations:
    for location in spec.submodule_search_locations:
        candidate = pathlib.Path(location) / "xla_cuda_plugin.so"
        if candidate.exists():
            print(candidate)
            break
PY
)
fi
if [ -z "$plugin" ] || [ ! -f "$plugin" ]; then
  echo "gpu-check: no PJRT CUDA plugin found (CLOSURE_XLA_PLUGIN='${CLOSURE_XLA_PLUGIN:-}', jax_plugins.xla_cuda13 not importable)." >&2
  echo "gpu-check: install jax-cuda13-pjrt or set CLOSURE_XLA_PLUGIN=/abs/path/xla_cuda_plugin.so" >&2
  exit 2
fi

# go-xla may otherwise point XLA_FLAGS at a CUDA directory that does not exist here.
if [ -z "${XLA_FLAGS:-}" ]; then
  for cuda in /usr/local/cuda "$(dirname "$(dirname "$plugin")")/nvidia/cuda_nvcc"; do
    if [ -d "$cuda" ]; then export XLA_FLAGS="--xla_gpu_cuda_data_dir=$cuda"; break; fi
  done
fi

echo "gpu-check: $(date -u +%FT%TZ) plugin $plugin"
command -v nvidia-smi >/dev/null && nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv,noheader
go version

export CGO_ENABLED=1 GOMLX_NO_AUTO_INSTALL=1
packages=(./pkg/nn ./pkg/latentfm ./pkg/physfm ./pkg/diffusion ./pkg/autoencoder)

echo "== tests on the XLA backend"
GOMLX_BACKEND="xla:$plugin" go test -tags xla -count=1 "${packages[@]}"

echo "== benchmarks: XLA backend"
GOMLX_BACKEND="xla:$plugin" go test -tags xla -run '^$' -bench 'TrainStep|Sample' -benchtime=10x "${packages[@]}"

echo "== benchmarks: pure-Go backend on this machine's CPUs"
GOMLX_BACKEND=go go test -run '^$' -bench 'TrainStep|Sample' -benchtime=3x "${packages[@]}"

echo "gpu-check: done; log in $log"
