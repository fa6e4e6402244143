#!/usr/bin/env bash
# Number normalisation speed: N numbers (default 100,000) in the written forms PBXs use, region PL, outside-line prefix 0.
# Usage: bench/numbers.sh [N]     Results: printed, and saved to bench/results/numbers-<N>.txt
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-100000}
mkdir -p bench/results
dotnet build bench/NumbersBench -c Release -v q -nologo >/dev/null
{
  echo "# number normalisation, $n numbers, $(date -u +%FT%TZ), $(nproc) cores"
  dotnet bench/NumbersBench/bin/Release/net10.0/NumbersBench.dll "$n"
} | tee "bench/results/numbers-$n.txt"
