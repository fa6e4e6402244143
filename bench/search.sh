#!/usr/bin/env bash
# API search latency at N rows (default 1,000,000): seeds a fresh SQLite database with metadata-only demo recordings,
# starts the panel (Release) on it, and measures GET /api/v1/recordings for the typical searches.
# Beside each figure: the same query done the obvious way (LIKE '%…%', OFFSET, COUNT(*)) on the same database.
# Usage: bench/search.sh [ROWS]      Results: printed, and saved to bench/results/search-<ROWS>.txt
#        REUSE=1 keeps an existing database of that size in BENCH_DIR instead of seeding a fresh one;
#        ITERATIONS (30) and NAIVE_ITERATIONS (5) set the runs per query.
set -euo pipefail
cd "$(dirname "$0")/.."
rows=${1:-1000000}
work=${BENCH_DIR:-/tmp/nr-bench-$rows}
port=${BENCH_PORT:-5090}
reuse=0
if [[ "${REUSE:-0}" == 1 && -f "$work/seeded" ]]; then reuse=1; else rm -rf "$work"; fi
mkdir -p "$work" bench/results
export ConnectionStrings__Default="Data Source=$work/app.db" Storage__RootPath="$work/recordings" Demo__Seed=false
export ASPNETCORE_ENVIRONMENT=Production DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

dotnet build App -c Release -v q -nologo >/dev/null
dotnet build bench/SearchBench -c Release -v q -nologo >/dev/null
app=(dotnet "$PWD/App/bin/Release/net10.0/App.dll")
out="bench/results/search-$rows.txt"
{
  echo "# search latency, $rows rows, $(date -u +%FT%TZ), $(nproc) cores, $(uname -m)"
  if [[ $reuse == 1 ]]; then
    echo "reusing $work/app.db ($(du -h "$work/app.db" | cut -f1)), seeded earlier: $(cat "$work/seeded")"
    # Any command migrates first: a new index is built here, not while the benchmark waits for the server.
    start=$(date +%s%N)
    (cd App/bin/Release/net10.0 && "${app[@]}" users add --email bench@bench.local --password 'Bench-2026!' --role Administrator >/dev/null 2>&1 || true)
    echo "migrations brought up to date in $(( ($(date +%s%N) - start) / 1000000 )) ms"
  else
    start=$(date +%s%N)
    (cd App/bin/Release/net10.0 && "${app[@]}" seed-demo --recordings "$rows" --audio none --days 365) | tail -n 3
    echo "seed-demo wall time: $(( ($(date +%s%N) - start) / 1000000 )) ms; database $(du -h "$work/app.db" | cut -f1)" | tee "$work/seeded"
    (cd App/bin/Release/net10.0 && "${app[@]}" users add --email bench@bench.local --password 'Bench-2026!' --role Administrator >/dev/null)
  fi
} | tee "$out"
if curl -fs "http://127.0.0.1:$port/health/live" >/dev/null 2>&1; then echo "port $port is taken by another server: stop it first" >&2; exit 1; fi
(cd App/bin/Release/net10.0 && exec "${app[@]}" --urls "http://127.0.0.1:$port" >"$work/app.log" 2>&1) &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
for _ in $(seq 1 240); do curl -fs "http://127.0.0.1:$port/health/live" >/dev/null && break; sleep 0.5; done
dotnet bench/SearchBench/bin/Release/net10.0/SearchBench.dll --url "http://127.0.0.1:$port" --email bench@bench.local --password 'Bench-2026!' \
  --db "$work/app.db" --iterations "${ITERATIONS:-30}" --naive-iterations "${NAIVE_ITERATIONS:-5}" | tee -a "$out"
