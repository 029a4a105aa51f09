#!/usr/bin/env bash
# Wall time, rows per second and peak memory (maximum resident set) of the real smi-retention
# process, as the tool package ships it, over generated inventories of 1 and 10 million rows
# (three runs each) and, with --100m, 100 million rows (one run; about 6 GB of CSV and 4.5 GB of
# decisions, generated in the temporary folder). Writes results/cli-memory.md.
#
# The 1 and 10 million row files are run once unmeasured first (the tool's own files and the
# inventory then come from the page cache, as they do for an operator's second run), and the
# build servers are stopped after publishing so they do not share the cores with the runs.
#
# Each run starts with `sync`, so that the page cache writing back the previous run's 450 MB of
# decisions is not charged to the next one (on this machine writing a new file costs about 1 ns a
# byte of kernel time while older dirty pages are pending, a third of that when none are).
set -euo pipefail
cd "$(dirname "$0")/.."
hundred=false
[[ "${1:-}" == "--100m" ]] && hundred=true

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
source benchmarks/packed-tool.sh # the tool as packed for this machine: $cli, $rid

out=benchmarks/results/cli-memory.md
{
  echo "# smi-retention run: wall time, rows per second and peak memory"
  echo
  echo "Machine: $(nproc) cores ($(lscpu | sed -n 's/^Model name: *//p')), $(free -g | awk '/Mem:/ {print $2}') GiB; $(dotnet --version) SDK; $(date -u +%Y-%m-%d)."
  echo "Each run: \`smi-retention run --policy dcc-cr1022 --inventory <csv> --as-of 2026-11-28 --out <csv>\`, the tool as packed"
  echo "for $rid ($packed_kind), after \`sync\` and, for 1 and 10 M rows, one unmeasured run. Wall is the whole process (GNU time %e,"
  echo "start-up included); rows/s is the tool's own figure (from the command's start: policy load, read, decide, write,"
  echo "commit); peak memory is the maximum resident set (GNU time %M)."
  echo
  echo "| rows | file | wall (s) | rows/s (wall) | tool's rows/s | peak memory (MB) |"
  echo "|---:|---:|---:|---:|---:|---:|"
} > "$out"

measure() {
  local rows=$1 attempts=$2
  "$cli" generate --devices "$rows" --seed 1 --as-of 2026-11-28 --out "$work/inventory.csv" >/dev/null
  local size
  size=$(du -m "$work/inventory.csv" | cut -f1)
  if (( attempts > 1 )); then
    "$cli" run --policy dcc-cr1022 --inventory "$work/inventory.csv" --as-of 2026-11-28 --out "$work/decisions.csv" >/dev/null 2>&1
  fi
  for _ in $(seq "$attempts"); do
    rm -f "$work/decisions.csv"
    sync
    /usr/bin/time -f "%e %M" -o "$work/time" "$cli" run --policy dcc-cr1022 --inventory "$work/inventory.csv" --as-of 2026-11-28 --out "$work/decisions.csv" > "$work/summary" 2> "$work/progress"
    read -r wall rss < "$work/time"
    local rate
    rate=$(grep -oP 'Elapsed .*, \K[0-9,]+(?= rows/s)' "$work/summary" | tr -d ,)
    printf "| %s | %s MB | %s | %s | %s | %d |\n" "$rows" "$size" "$wall" "$(awk -v r="$rows" -v w="$wall" 'BEGIN { printf "%d", r / w }')" "$rate" $((rss / 1024)) >> "$out"
  done
  rm -f "$work/inventory.csv" "$work/decisions.csv"
}

measure 1000000 5
measure 10000000 3
if $hundred; then
  measure 100000000 1
fi
cat "$out"
