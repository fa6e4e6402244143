#!/usr/bin/env bash
# Every benchmark of docs/performance.md in one go, each on its own fresh database (results in bench/results/):
#   search latency at each size given (default 1M and 10M; the query mix beside the obvious way), audio first byte and
#   seek on a 60-minute recording with memory per open panel, ingestion, bulk ZIP, and the purge of 100k of 1M.
# Usage: bench/run.sh [SIZES...]     e.g. bench/run.sh 1000000      (about 15 min at 1M; 10M adds about 25 min)
# Needs: the .NET SDK, ffmpeg, chromium (./test.sh installs both as root), curl, python3; about 10 GB free in /tmp for 10M.
set -euo pipefail
cd "$(dirname "$0")"
sizes=("$@")
[[ ${#sizes[@]} -gt 0 ]] || sizes=(1000000 10000000)
for rows in "${sizes[@]}"; do
  # Fewer obvious-way runs at 10M: each takes seconds there.
  if (( rows >= 5000000 )); then NAIVE_ITERATIONS=${NAIVE_ITERATIONS:-1} ./search.sh "$rows"; else ./search.sh "$rows"; fi
done
./panel.sh
./ingest.sh 1000
./zip.sh
./purge.sh 1000000 100000
echo "All results: $(pwd)/results/"
