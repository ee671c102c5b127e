#!/usr/bin/env bash
# Times one FNO training step (batch 32, 32² and 64²) in Go (pkg/fno BenchmarkTrainingStep)
# and in PyTorch (scripts/bench/fno_torch.py) back to back, printing the load average before
# each run. Run from the repository root. Needs Debian's python3-torch for the PyTorch half.
#
# Usage: scripts/bench/fno_compare.sh [go-test-binary]
#   go-test-binary  a binary built with `go test -c ./pkg/fno` (for example from an older
#                   commit); by default the current tree is built.
# Environment: GO_COUNT (default 3) benchmark repetitions per size, of GO_STEPS (default 2)
# steps each; TORCH_STEPS (default 9). PyTorch runs with OMP_WAIT_POLICY=PASSIVE unless set.
set -euo pipefail

binary="${1:-}"
if [[ -z "$binary" ]]; then
	binary="$(mktemp -d)/fno.test"
	go test -c -o "$binary" ./pkg/fno
fi

echo "load before PyTorch: $(cut -d' ' -f1-3 /proc/loadavg)"
OMP_WAIT_POLICY="${OMP_WAIT_POLICY:-PASSIVE}" /usr/bin/python3 scripts/bench/fno_torch.py \
	--steps "${TORCH_STEPS:-9}" --warmup 2

for size in 32 64; do
	echo "load before Go n=$size (CLOSURE_SIMPLEGO_CONFIG=${CLOSURE_SIMPLEGO_CONFIG:-unset}): $(cut -d' ' -f1-3 /proc/loadavg)"
	(cd pkg/fno && "$binary" -test.run '^$' -test.bench "TrainingStep/n=$size\$" \
		-test.benchtime="${GO_STEPS:-2}x" -test.count="${GO_COUNT:-3}" | grep Benchmark)
done
