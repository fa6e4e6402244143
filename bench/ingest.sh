#!/usr/bin/env bash
# Ingestion speed: (a) `ingest --path` over FILES fresh FreePBX WAVs (2 s, 8 kHz 16-bit mono PCM), then again over the same
# folder (every file a duplicate); (b) lag from a file landing in the watched spool to it being visible through the API, with
# Ingestion:SettleSeconds 2 (the default) and 1. Release build, fresh temp folders and databases.
# Usage: bench/ingest.sh [FILES]      Results: printed, and saved to bench/results/ingest-<FILES>.txt
# Knobs: LAG_FILES (30), LAG_INTERVAL_MS (1000, time between two landings), BENCH_DIR, BENCH_PORT
set -euo pipefail
cd "$(dirname "$0")/.."
files=${1:-1000}
lag_files=${LAG_FILES:-30}
lag_interval=${LAG_INTERVAL_MS:-1000}
work=${BENCH_DIR:-/tmp/nr-bench-ingest}
port=${BENCH_PORT:-5091}
rm -rf "$work" && mkdir -p "$work" bench/results
export ASPNETCORE_ENVIRONMENT=Production Demo__Seed=false DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
# A benchmark fires far more API requests than a person: the API rate limit is off unless RateLimits__ApiPermitLimit is
# given, and the panel is reached over plain http, so its cookies go without __Host-/Secure (README, Security).
export RateLimits__ApiPermitLimit="${RateLimits__ApiPermitLimit:-0}" Security__SecureCookies="${Security__SecureCookies:-false}"
echo "# RateLimits__ApiPermitLimit=$RateLimits__ApiPermitLimit (0 = no API rate limit), Security__SecureCookies=$Security__SecureCookies" >&2

dotnet build App -c Release -v q -nologo >/dev/null
dotnet build bench/IngestBench -c Release -v q -nologo >/dev/null
bin="$PWD/App/bin/Release/net10.0"
app() { (cd "$bin" && dotnet App.dll "$@"); }
bench() { dotnet "$PWD/bench/IngestBench/bin/Release/net10.0/IngestBench.dll" "$@"; }
ms() { echo $(( ($(date +%s%N) - $1) / 1000000 )); }
server=
trap '[ -n "$server" ] && kill "$server" 2>/dev/null || true' EXIT

out="bench/results/ingest-$files.txt"
{
  echo "# ingestion, $files files, $(date -u +%FT%TZ), $(nproc) cores, $(uname -m)"
  bench spool --out "$work/spool" --files "$files" --seconds 2
  export ConnectionStrings__Default="Data Source=$work/app.db" Storage__RootPath="$work/recordings" Ingestion__QuarantinePath="$work/quarantine"
  for pass in "first pass" "second pass (all duplicates)"; do
    start=$(date +%s%N)
    summary=$(app ingest --path "$work/spool" | tail -n 1)
    echo "ingest --path, $pass: $summary; wall time with process start $(ms "$start") ms"
  done
  echo "store $(du -sh "$work/recordings" | cut -f1), database $(du -ch "$work"/app.db* | tail -n 1 | cut -f1)"

  for settle in 2 1; do
    lag="$work/lag-$settle"
    mkdir -p "$lag/spool"
    export ConnectionStrings__Default="Data Source=$lag/app.db" Storage__RootPath="$lag/recordings" Ingestion__QuarantinePath="$lag/quarantine"
    export Ingestion__SpoolPath="$lag/spool" Ingestion__SettleSeconds="$settle"
    key=$(app apikeys create --name bench --scope read | tail -n 1)
    (cd "$bin" && exec dotnet App.dll --urls "http://127.0.0.1:$port" >"$lag/app.log" 2>&1) &
    server=$!
    for _ in $(seq 1 120); do curl -fs "http://127.0.0.1:$port/health/live" >/dev/null && break; sleep 0.5; done
    echo "watched spool, SettleSeconds=$settle:"
    bench lag --url "http://127.0.0.1:$port" --key "$key" --spool "$lag/spool" --files "$lag_files" --interval-ms "$lag_interval" --first "$((files + 1000))" || true
    kill "$server"; wait "$server" 2>/dev/null || true
    server=
    unset Ingestion__SpoolPath Ingestion__SettleSeconds
  done
} 2>&1 | tee "$out"
