#!/usr/bin/env bash
# The real smi-retention process against `cp` of the same inventory: the floor an operator's run
# cannot beat is reading and writing the file once. For 1 and 10 million generated rows (and, with
# --100m, 100 million), paired, alternating runs of `cp inventory.csv copy.csv` and of the tool's
# `run` (decisions written), `diff` and `forecast`, each after `sync` with the previous outputs
# removed; prints each command's median wall time and its spread, its ratio to the median `cp` of
# the same pairs (and that median's spread), its median processor time (user and system, on every
# core) and its peak memory. Writes results/cli-vs-copy.md.
#
# `cp` (GNU coreutils 9) copies the file with copy_file_range: inside the kernel, page cache to
# page cache, its bytes never reaching a process. Beside it, measured the same way, what any
# program pays that reads the bytes into its own memory: `dd bs=2M` of the file to a copy (read
# and written, nothing looked at), of the file to /dev/null (read only), and `wc -l` (read, and
# every byte looked at once, on one core). They are floors, not contenders.
#
# The tool as packed for this machine (packed-tool.sh: on linux-x64 compiled ahead of time), as cli-memory.sh uses it;
# with --native, also the tool compiled ahead of time (native-tool.sh), each command run by both.
# Every run reads the inventory from the page cache, in two states, each measured in turn:
# "as written", the pages the generator wrote (what an inventory just downloaded or copied is),
# and "read back", the file dropped from the cache and read again (what an inventory read from
# the disk is). `cp` is up to three times faster on pages read back (larger pages in the cache);
# the tool, which parses every byte, hardly changes.
set -euo pipefail
cd "$(dirname "$0")/.."
pairs=5
sizes=(1000000 10000000)
builds=(packed)
for arg in "$@"; do
  case "$arg" in
    --100m) sizes+=(100000000) ;;
    --native) builds+=(native) ;;
    *) echo "usage: $0 [--100m] [--native]" >&2; exit 2 ;;
  esac
done

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
source benchmarks/packed-tool.sh # the tool as packed for this machine: $cli, $rid
declare -A tools=([packed]="$cli")
if [[ " ${builds[*]} " == *" native "* ]]; then
  source benchmarks/native-tool.sh # the tool compiled ahead of time: $native
  tools[native]="$native"
fi

out=benchmarks/results/cli-vs-copy.md
{
  echo "# smi-retention against cp of its input"
  echo
  echo "Machine: $(nproc) cores ($(lscpu | sed -n 's/^Model name: *//p')), $(free -g | awk '/Mem:/ {print $2}') GiB; $(dotnet --version) SDK; $(date -u +%Y-%m-%d)."
  echo "Builds: \"packed\", the tool as packed for $rid ($packed_kind); \"native\" (with --native), the tool compiled"
  echo "ahead of time for this machine (Native AOT, benchmarks/native-tool.sh). Inventories from \`generate --seed 1 --as-of 2026-11-28\`"
  echo "(every column, the SMI's facts included). For each command, $pairs pairs of runs (3 at 100 M rows), alternating: \`cp inventory.csv copy.csv\`,"
  echo "then the command; \`sync\` and the previous outputs removed before each. Wall is GNU time %e of the whole process,"
  echo "peak memory its %M, processor time its %U + %S (on every core). The ratio is the command's median over the median"
  echo "\`cp\` of its own pairs (spread: min-max). \`cp\` copies inside the kernel (one copy_file_range): the floors, build \"-\","
  echo "are what a process pays that reads the bytes itself: \`dd bs=2M\` to a copy, to /dev/null, and \`wc -l\`."
  echo "Pages: the inventory in the page cache as the generator wrote it (\"as written\"), or dropped from the cache"
  echo "(\`dd iflag=nocache count=0\`) and read again (\"read back\")."
  echo
  echo "| rows | file | pages | build | command | median (s) | spread (s) | cp median (s) | cp spread (s) | ratio to cp | processor (s) | peak memory (MB) |"
  echo "|---:|---:|---|---|---|---:|---:|---:|---:|---:|---:|---:|"
} > "$out"

timed() { # command... -> "wall rss processor" on stdout, or "failed" when the command fails
  sync
  if /usr/bin/time -f "%e %M %U %S" -o "$work/time" "$@" >/dev/null 2>&1; then
    awk '{ printf "%s %s %.2f\n", $1, $2, $3 + $4 }' "$work/time"
  else
    echo failed
  fi
}

# pairs of `cp` and a command line, alternating; appends its row to the table
measure() { # rows size pages build name command...
  local rows=$1 size=$2 pages=$3 build=$4 name=$5 copy wall rss processor spread copies peak
  shift 5
  : > "$work/copies"; : > "$work/walls"; : > "$work/memory"; : > "$work/processor"
  for _ in $(seq "$pairs"); do
    rm -f "$work/copy.csv" "$work/decisions.csv" "$work/changes.csv" "$work/months.csv"
    read -r copy _ < <(timed cp "$inventory" "$work/copy.csv")
    rm -f "$work/copy.csv"
    read -r wall rss processor < <(timed "$@")
    if [[ "$copy" == failed || "$wall" == failed ]]; then
      echo "cli-vs-copy: a command failed, so nothing is measured: cp, or $*" >&2
      exit 1
    fi
    echo "$copy" >> "$work/copies"
    echo "$wall" >> "$work/walls"
    echo "$rss" >> "$work/memory"
    echo "$processor" >> "$work/processor"
  done
  rm -f "$work/copy.csv"
  copy=$(median < "$work/copies")
  wall=$(median < "$work/walls")
  spread="$(sort -n "$work/walls" | head -1)-$(sort -n "$work/walls" | tail -1)"
  copies="$(sort -n "$work/copies" | head -1)-$(sort -n "$work/copies" | tail -1)"
  peak=$(sort -n "$work/memory" | tail -1)
  processor=$(median < "$work/processor")
  printf "| %s | %s MB | %s | %s | %s | %s | %s | %s | %s | %s | %s | %d |\n" "$rows" "$size" "$pages" "$build" "$name" "$wall" "$spread" "$copy" "$copies" \
    "$(awk -v w="$wall" -v c="$copy" 'BEGIN { if (c > 0) printf "%.2fx", w / c; else printf "-" }')" "$processor" $((peak / 1024)) >> "$out"
}

median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

for rows in "${sizes[@]}"; do
  (( rows >= 100000000 )) && pairs=3 # 100 M rows: about 30 s a pair
  inventory="$work/inventory.csv"
  "$cli" generate --devices "$rows" --seed 1 --as-of 2026-11-28 --out "$inventory" >/dev/null
  size=$(du -m "$inventory" | cut -f1)
  cat "$inventory" >/dev/null # in the page cache, as for every run after
  for pages in "as written" "read back"; do
    if [[ "$pages" == "read back" ]]; then
      sync
      dd if="$inventory" iflag=nocache count=0 status=none
      cat "$inventory" >/dev/null
    fi
    measure "$rows" "$size" "$pages" - "dd to a copy" dd if="$inventory" of="$work/copy.csv" bs=2M status=none
    measure "$rows" "$size" "$pages" - "dd to /dev/null" dd if="$inventory" of=/dev/null bs=2M status=none
    measure "$rows" "$size" "$pages" - "wc -l" wc -l "$inventory"
    for build in "${builds[@]}"; do
      tool=${tools[$build]}
      measure "$rows" "$size" "$pages" "$build" run "$tool" run --policy dcc-cr1022 --inventory "$inventory" --as-of 2026-11-28 --out "$work/decisions.csv" --max-removal-percent 100
      measure "$rows" "$size" "$pages" "$build" diff "$tool" diff --policy secmp0060 --against sec-ac72-v6.3 --inventory "$inventory" --as-of 2026-11-28 --out "$work/changes.csv"
      measure "$rows" "$size" "$pages" "$build" forecast "$tool" forecast --policy sec-timeline --inventory "$inventory" --from 2026-11-28 --months 12 --out "$work/months.csv"
    done
  done
  rm -f "$inventory" "$work"/*.csv
done
cat "$out"
