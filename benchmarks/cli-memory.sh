#!/usr/bin/env bash
# Rows per second and peak memory (maximum resident set) of the real smi-retention process over
# generated inventories of 1 and 10 million rows. Writes results/cli-memory.md.
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet build src/Smi.Retention.Cli -c Release -v quiet -nologo >/dev/null
cli=src/Smi.Retention.Cli/bin/Release/net10.0/smi-retention
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
out=benchmarks/results/cli-memory.md
{
  echo "# smi-retention run: rows per second and peak memory"
  echo
  echo "Machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB; $(dotnet --version) SDK; $(date -u +%Y-%m-%d)."
  echo "Each run: \`smi-retention run --policy dcc-cr1022 --inventory <csv> --as-of 2026-11-28 --out <csv>\`;"
  echo "peak memory is the process's maximum resident set (GNU time %M); rows/s is the tool's own figure."
  echo
  echo "| rows | file | elapsed (s) | rows/s | peak memory (MB) |"
  echo "|---:|---:|---:|---:|---:|"
} > "$out"
for rows in 1000000 10000000; do
  "$cli" generate --devices "$rows" --seed 1 --as-of 2026-11-28 --out "$work/inventory.csv" >/dev/null
  size=$(du -m "$work/inventory.csv" | cut -f1)
  for attempt in 1 2 3; do
    /usr/bin/time -f "%M" -o "$work/rss" "$cli" run --policy dcc-cr1022 --inventory "$work/inventory.csv" --as-of 2026-11-28 --out "$work/decisions.csv" > "$work/summary"
    elapsed=$(grep -oP 'Elapsed +\K[0-9.]+' "$work/summary")
    rate=$(grep -oP 'Elapsed .*, \K[0-9,]+(?= rows/s)' "$work/summary")
    echo "| $(printf "%'d" "$rows") | ${size} MB | $elapsed | $rate | $(( $(cat "$work/rss") / 1024 )) |" >> "$out"
  done
done
cat "$out"
