#!/usr/bin/env bash
# The archive job's throughput on the folder store: seeds ROWS recordings with synthetic audio over 60 days (default
# 10,000), then runs `retention archive` with "archive after 1 day", which copies each due file to the archive folder,
# syncs it, reads it back against the recorded SHA-256, commits and audits the batch, and removes the hot copy.
# Both folders are on the same disk here (BENCH_ARCHIVE_DIR puts the archive elsewhere, e.g. another mount).
# Usage: bench/archive.sh [ROWS]     Results: printed, and saved to bench/results/archive-<ROWS>.txt
set -euo pipefail
cd "$(dirname "$0")/.."
rows=${1:-10000}
work=${BENCH_DIR:-/tmp/nr-bench-archive}
archive=${BENCH_ARCHIVE_DIR:-$work/archive}
rm -rf "$work" "$archive" && mkdir -p "$work/recordings" bench/results
export ConnectionStrings__Default="Data Source=$work/app.db" Storage__RootPath="$work/recordings" Storage__ArchivePath="$archive" Demo__Seed=false
export Retention__DefaultDays=0 Retention__DefaultArchiveDays=1
export ASPNETCORE_ENVIRONMENT=Production DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

dotnet build App -c Release -v q -nologo >/dev/null
dll="$PWD/App/bin/Release/net10.0/App.dll"
out="bench/results/archive-$rows.txt"
{
  echo "# retention archive, $rows recordings with synthetic audio, $(date -u +%FT%TZ), $(nproc) cores"
  (cd App/bin/Release/net10.0 && dotnet "$dll" seed-demo --recordings "$rows" --audio synthetic --days 60) | tail -n 1
  echo "hot store before: $(du -sh "$work/recordings" | cut -f1)"
  sync
  (cd App/bin/Release/net10.0 && dotnet "$dll" retention archive)
  echo "hot store after: $(du -sh "$work/recordings" | cut -f1), archive: $(du -sh "$archive" | cut -f1)"
} 2>&1 | tee "$out"
