# shellcheck shell=bash
# Functions shared by the scripts in scripts/slurm. Source it after setting script_name,
# the name that starts every error message. It changes no shell options.
#
# Slurm runs a copy of each batch script from its spool directory, so a batch script finds
# this file through CLOSURE_SLURM_DIR, which submit.sh exports, or else in scripts/slurm
# under the job's working directory. That is the directory where sbatch ran, unless
# sbatch got --chdir.

fail() {
  echo "${script_name:-scripts/slurm}: $*" >&2
  exit 1
}

# Checks the environment of a job array task, creates OUT and sets it to an absolute path,
# and sets SHARDS to the shard count. SHARDS defaults to SLURM_ARRAY_TASK_COUNT, which is
# the shard count only for an array 0-(N-1), so an array that re-runs some tasks
# (--array=3,5) must set SHARDS.
init_array_task() {
  [ -n "${SLURM_ARRAY_TASK_ID:-}" ] || fail "SLURM_ARRAY_TASK_ID is not set; submit this script with sbatch --array=0-(N-1)"
  [ -n "${OUT:-}" ] || fail "OUT is not set; export OUT=DIR, the directory that receives shard-0 ... shard-(N-1)"

  if [ -z "${SHARDS:-}" ]; then
    if [ "${SLURM_ARRAY_TASK_MIN:-}" != 0 ] || [ "${SLURM_ARRAY_TASK_MAX:-}" != $((${SLURM_ARRAY_TASK_COUNT:-0} - 1)) ]; then
      fail "array ${SLURM_ARRAY_TASK_MIN:-?}-${SLURM_ARRAY_TASK_MAX:-?} with ${SLURM_ARRAY_TASK_COUNT:-?} tasks is not 0-(N-1); export SHARDS=N, the full shard count"
    fi
    SHARDS=$SLURM_ARRAY_TASK_COUNT
  fi
  case $SHARDS in
    '' | 0 | *[!0-9]*) fail "SHARDS=$SHARDS is not a positive integer; export the full shard count" ;;
  esac
  [ "$SLURM_ARRAY_TASK_ID" -lt "$SHARDS" ] || fail "array task $SLURM_ARRAY_TASK_ID is outside shards 0-$((SHARDS - 1)); submit with --array=0-$((SHARDS - 1))"

  mkdir -p "$OUT"
  OUT=$(cd "$OUT" && pwd)
}

# Checks the environment of a merge job. Sets OUT to an absolute path, MERGED (default
# OUT/merged), SHARDS (default: the number of OUT/shard-* directories) and the array
# shard_dirs to OUT/shard-0 ... OUT/shard-(SHARDS-1). The argument names the array script
# that writes the shards, for the messages.
init_merge_job() {
  local array_script=$1 shards_origin i
  [ -n "${OUT:-}" ] || fail "OUT is not set; export OUT=DIR, the directory that contains shard-0 ... shard-(N-1)"
  [ -d "$OUT" ] || fail "OUT=$OUT is not a directory; run $array_script first"
  OUT=$(cd "$OUT" && pwd)
  MERGED=${MERGED:-$OUT/merged}

  shards_origin="SHARDS=${SHARDS:-}"
  if [ -z "${SHARDS:-}" ]; then
    SHARDS=$(find "$OUT" -mindepth 1 -maxdepth 1 -type d -name 'shard-*' | wc -l)
    shards_origin="SHARDS=$SHARDS, the number of shard-* directories in OUT"
  fi
  case $SHARDS in
    '' | 0 | *[!0-9]*) fail "SHARDS=$SHARDS is not a positive integer or OUT=$OUT contains no shard-* directory; export SHARDS=N" ;;
  esac

  shard_dirs=()
  for ((i = 0; i < SHARDS; i++)); do
    [ -d "$OUT/shard-$i" ] || fail "shard directory $OUT/shard-$i not found ($shards_origin); re-run array task $i of $array_script, or export SHARDS=N if N is the shard count"
    shard_dirs+=("$OUT/shard-$i")
  done
}

check_closure_sif() {
  [ -f "$CLOSURE_SIF" ] || fail "CLOSURE_SIF=$CLOSURE_SIF not found; build the image as scripts/slurm/README.md describes"
}

# Sets the array closure_argv to the command that runs the closure program: CLOSURE itself,
# or CLOSURE inside the Apptainer image CLOSURE_SIF with every argument bound as a directory.
# Apptainer gets --nv when CLOSURE_NV=1, or when CLOSURE_NV is unset and Slurm allocated GPUs.
set_closure_command() {
  local dir
  CLOSURE=${CLOSURE:-closure}
  if [ -z "${CLOSURE_SIF:-}" ]; then
    command -v "$CLOSURE" >/dev/null || fail "closure program CLOSURE=$CLOSURE not found; build it with 'go build -o BIN ./cmd/closure' and export CLOSURE=BIN, or set CLOSURE_SIF"
    closure_argv=("$CLOSURE")
    return
  fi

  check_closure_sif
  command -v apptainer >/dev/null || fail "CLOSURE_SIF is set but apptainer is not on PATH; load the cluster's apptainer module"
  closure_argv=(apptainer exec)
  for dir in "$@"; do
    closure_argv+=(--bind "$dir")
  done
  if [ "${CLOSURE_NV:-}" = 1 ] || { [ -z "${CLOSURE_NV:-}" ] && [ -n "${SLURM_JOB_GPUS:-}${SLURM_STEP_GPUS:-}" ]; }; then
    closure_argv+=(--nv)
  fi
  closure_argv+=("$CLOSURE_SIF" "$CLOSURE")
}

# Prints the job id in the output of sbatch --parsable, "JOBID" or "JOBID;CLUSTER".
parse_job_id() {
  local id=${1%%;*}
  case $id in
    '' | *[!0-9]*) fail "sbatch returned '$1' instead of a job id" ;;
  esac
  echo "$id"
}
