#!/usr/bin/env bash
# Submits a sharded job as one Slurm job array and the merge job that runs after every array
# task succeeded. Arguments are passed to both sbatch calls, e.g. --partition=cpu --account=proj,
# except --array and --dependency, which it rejects.
#   JOB=generate    the closure data set of a preset: generate.sbatch, then merge.sbatch
#   JOB=efficiency  the data-efficiency study of notebook 7 on an existing data set:
#                   efficiency.sbatch, then efficiency-merge.sbatch
#
# Usage: PRESET=small SHARDS=8 OUT=/scratch/$USER/small scripts/slurm/submit.sh [SBATCH_OPTION...]
#        JOB=efficiency PRESET=small DATA=/scratch/$USER/small/merged scripts/slurm/submit.sh [SBATCH_OPTION...]
#
# Environment:
#   JOB          generate (default) or efficiency
#   PRESET       preset name (default: small); `closure presets` lists them
#   SHARDS       number of shards, one array task each (default: 8 for generate, 4 for efficiency)
#   OUT          directory of the shards and their logs (default: datasets/PRESET-slurm for
#                generate, figures/PRESET/data-efficiency-slurm for efficiency)
#   MERGED       directory of the merged result (default: OUT/merged)
#   DATA         efficiency only: the complete data set (default: datasets/PRESET)
#   EFFICIENCY_ARGS  efficiency only: further options of closure efficiency, see efficiency.sbatch
#   CLOSURE      closure program (default: closure on PATH, resolved to an absolute path here,
#                or closure on the image's PATH when CLOSURE_SIF is set)
#   CLOSURE_SIF  Apptainer image to run closure in; CLOSURE_NV as in generate.sbatch
#
# Prints JOB_job_id=ID (generate_job_id or efficiency_job_id) and merge_job_id=ID on standard
# output. Logs go to OUT/logs/JOB-ARRAYID_TASK.out and OUT/logs/MERGE_SCRIPT-ID.out, where
# MERGE_SCRIPT is merge or efficiency-merge.
set -euo pipefail

script_name=submit.sh
script_dir=$(cd "$(dirname "$0")" && pwd)
# shellcheck source-path=SCRIPTDIR source=common.sh
. "$script_dir/common.sh"

JOB=${JOB:-generate}
PRESET=${PRESET:-small}
case $JOB in
  generate)
    array_script=generate
    merge_script=merge
    SHARDS=${SHARDS:-8}
    OUT=${OUT:-datasets/$PRESET-slurm}
    ;;
  efficiency)
    array_script=efficiency
    merge_script=efficiency-merge
    SHARDS=${SHARDS:-4}
    OUT=${OUT:-figures/$PRESET/data-efficiency-slurm}
    DATA=${DATA:-datasets/$PRESET}
    [ -d "$DATA" ] || fail "data set DATA=$DATA not found; generate it first (JOB=generate, then DATA=OUT/merged of that job) or set DATA"
    DATA=$(cd "$DATA" && pwd)
    export DATA
    ;;
  *) fail "JOB=$JOB is not a job of this script; set JOB=generate or JOB=efficiency" ;;
esac

case $SHARDS in
  '' | 0 | *[!0-9]*) fail "SHARDS=$SHARDS is not a positive integer; set the number of shards" ;;
esac
# An option given here would replace the array range or the merge job's dependency.
for arg in "$@"; do
  case $arg in
    --array* | -a*) fail "option $arg would replace the array range; set SHARDS instead" ;;
    --dependency* | -d*) fail "option $arg would replace the merge job's dependency on the array; submit after the jobs it depends on have finished" ;;
  esac
done
command -v sbatch >/dev/null || fail "sbatch not found on PATH; run this on a Slurm login node"

if [ -n "${CLOSURE_SIF:-}" ]; then
  check_closure_sif
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
CLOSURE_SLURM_DIR=$script_dir
export PRESET SHARDS OUT CLOSURE CLOSURE_SLURM_DIR
[ -z "${MERGED:-}" ] || export MERGED
[ -z "${CLOSURE_SIF:-}" ] || export CLOSURE_SIF

array_output=$(sbatch --parsable --export=ALL --array="0-$((SHARDS - 1))" \
  --job-name="closure-$array_script-$PRESET" --output="$OUT/logs/$array_script-%A_%a.out" \
  "$@" "$script_dir/$array_script.sbatch") || fail "sbatch of $array_script.sbatch failed; see the message above"
array_job_id=$(parse_job_id "$array_output")

merge_output=$(sbatch --parsable --export=ALL --dependency="afterok:$array_job_id" --kill-on-invalid-dep=yes \
  --job-name="closure-$merge_script-$PRESET" --output="$OUT/logs/$merge_script-%j.out" \
  "$@" "$script_dir/$merge_script.sbatch") || fail "sbatch of $merge_script.sbatch failed; cancel the array with 'scancel $array_job_id' and retry"
merge_job_id=$(parse_job_id "$merge_output")

echo "submit.sh: $JOB of preset $PRESET, $SHARDS shards in $OUT; merge job $merge_job_id waits for array job $array_job_id" >&2
echo "${JOB}_job_id=$array_job_id"
echo "merge_job_id=$merge_job_id"
