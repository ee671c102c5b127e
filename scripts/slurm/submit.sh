#!/usr/bin/env bash
# Submits the sharded generation of a preset's closure data set as one Slurm job array
# (generate.sbatch) and the merge job (merge.sbatch) that runs after every array task
# succeeded. Arguments are passed to both sbatch calls, e.g. --partition=cpu --account=proj.
#
# Usage: PRESET=small SHARDS=8 OUT=/scratch/$USER/small scripts/slurm/submit.sh [SBATCH_OPTION...]
#
# Environment:
#   PRESET       preset name (default: small); `closure presets` lists them
#   SHARDS       number of shards, one array task each (default: 8)
#   OUT          directory of the shards and their logs (default: datasets/PRESET-slurm)
#   MERGED       directory of the merged data set (default: OUT/merged)
#   CLOSURE      closure program (default: closure on PATH, resolved to an absolute path here,
#                or closure on the image's PATH when CLOSURE_SIF is set)
#   CLOSURE_SIF  Apptainer image to run closure in; CLOSURE_NV as in generate.sbatch
#
# Prints generate_job_id=ID and merge_job_id=ID on standard output. Logs go to
# OUT/logs/generate-ARRAYID_TASK.out and OUT/logs/merge-ID.out.
set -euo pipefail

fail() {
  echo "submit.sh: $*" >&2
  exit 1
}

script_dir=$(cd "$(dirname "$0")" && pwd)
PRESET=${PRESET:-small}
SHARDS=${SHARDS:-8}
OUT=${OUT:-datasets/$PRESET-slurm}

case $SHARDS in
  '' | 0 | *[!0-9]*) fail "SHARDS=$SHARDS is not a positive integer; set the number of shards" ;;
esac
command -v sbatch >/dev/null || fail "sbatch not found on PATH; run this on a Slurm login node"

if [ -n "${CLOSURE_SIF:-}" ]; then
  [ -f "$CLOSURE_SIF" ] || fail "CLOSURE_SIF=$CLOSURE_SIF not found; build the image as scripts/slurm/README.md describes"
  CLOSURE_SIF=$(cd "$(dirname "$CLOSURE_SIF")" && pwd)/$(basename "$CLOSURE_SIF")
  CLOSURE=${CLOSURE:-closure}
else
  # Compute nodes may have another PATH, so pass the program by absolute path.
  resolved=$(command -v "${CLOSURE:-closure}") ||
    fail "closure program ${CLOSURE:-closure} not found; build it with 'go build -o BIN ./cmd/closure' on a shared file system and set CLOSURE=BIN"
  CLOSURE=$(cd "$(dirname "$resolved")" && pwd)/$(basename "$resolved")
fi

mkdir -p "$OUT/logs"
OUT=$(cd "$OUT" && pwd)
export PRESET SHARDS OUT CLOSURE
[ -z "${MERGED:-}" ] || export MERGED
[ -z "${CLOSURE_SIF:-}" ] || export CLOSURE_SIF

# sbatch --parsable prints "JOBID" or "JOBID;CLUSTER".
parse_job_id() {
  local id=${1%%;*}
  case $id in
    '' | *[!0-9]*) fail "sbatch returned '$1' instead of a job id" ;;
  esac
  echo "$id"
}

generate_output=$(sbatch --parsable --export=ALL --array="0-$((SHARDS - 1))" \
  --job-name="closure-generate-$PRESET" --output="$OUT/logs/generate-%A_%a.out" \
  "$@" "$script_dir/generate.sbatch") || fail "sbatch of generate.sbatch failed; see the message above"
generate_job_id=$(parse_job_id "$generate_output")

merge_output=$(sbatch --parsable --export=ALL --dependency="afterok:$generate_job_id" --kill-on-invalid-dep=yes \
  --job-name="closure-merge-$PRESET" --output="$OUT/logs/merge-%j.out" \
  "$@" "$script_dir/merge.sbatch") || fail "sbatch of merge.sbatch failed; cancel the array with 'scancel $generate_job_id' and retry"
merge_job_id=$(parse_job_id "$merge_output")

echo "submit.sh: preset $PRESET, $SHARDS shards in $OUT; merge job $merge_job_id waits for array job $generate_job_id" >&2
echo "generate_job_id=$generate_job_id"
echo "merge_job_id=$merge_job_id"
