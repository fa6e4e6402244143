#!/usr/bin/env bash
# The retention purge at scale: seeds ROWS metadata-only recordings over 365 days (default 1,000,000), gives every recording
# older than the policy a real file in the store (default: the oldest ~100,000), starts the panel, then runs
# `retention run` in a second process while measuring the panel's search latency through the API.
# Usage: bench/purge.sh [ROWS] [EXPIRED]     Results: printed, and saved to bench/results/purge-<ROWS>.txt
set -euo pipefail
cd "$(dirname "$0")/.."
rows=${1:-1000000}
expired=${2:-100000}
work=${BENCH_DIR:-/tmp/nr-bench-purge}
port=${BENCH_PORT:-5091}
rm -rf "$work" && mkdir -p "$work/recordings" bench/results
# Seeded over 365 days, evenly: keeping 365 × (1 − expired/rows) days leaves about EXPIRED recordings past the policy.
days=$(python3 -c "print(max(1, int(365 * (1 - $expired / $rows))))")
export ConnectionStrings__Default="Data Source=$work/app.db" Storage__RootPath="$work/recordings" Demo__Seed=false
export Retention__DefaultDays="$days" Retention__PurgeTime="${PURGE_TIME:-04:00}"
export ASPNETCORE_ENVIRONMENT=Production DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
# A benchmark fires far more API requests than a person: the API rate limit is off unless RateLimits__ApiPermitLimit is
# given, and the panel is reached over plain http, so its cookies go without __Host-/Secure (README, Security).
export RateLimits__ApiPermitLimit="${RateLimits__ApiPermitLimit:-0}" Security__SecureCookies="${Security__SecureCookies:-false}"
echo "# RateLimits__ApiPermitLimit=$RateLimits__ApiPermitLimit (0 = no API rate limit), Security__SecureCookies=$Security__SecureCookies" >&2

dotnet build App -c Release -v q -nologo >/dev/null
dotnet build bench/PurgeBench -c Release -v q -nologo >/dev/null
dll="$PWD/App/bin/Release/net10.0/App.dll"
out="bench/results/purge-$rows.txt"
{
  echo "# retention purge, $rows rows, policy $days days, $(date -u +%FT%TZ), $(nproc) cores"
  (cd App/bin/Release/net10.0 && dotnet "$dll" seed-demo --recordings "$rows" --audio none --days 365) | tail -n 1
  # A small real file for each recording the purge will take, so the figure includes deleting files.
  python3 - "$work" "$days" <<'PY'
import os, sqlite3, sys, datetime
work, days = sys.argv[1], int(sys.argv[2])
cutoff = datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(days=days)
ticks = int((cutoff.replace(tzinfo=None) - datetime.datetime(1, 1, 1)).total_seconds() * 10**7)
keys = [k for (k,) in sqlite3.connect(f"{work}/app.db").execute("SELECT StorageKey FROM Recordings WHERE StartedAt < ?", (ticks,))]
header = b"RIFF" + (1036).to_bytes(4, "little") + b"WAVE" + b"\0" * 1032
for key in keys:
    path = os.path.join(work, "recordings", key)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f: f.write(header)
print(f"expired under the policy: {len(keys)} recordings, each given a 1 KB file")
PY
} | tee "$out"
(cd App/bin/Release/net10.0 && dotnet "$dll" users add --email bench@bench.local --password 'Bench-2026!' --role Administrator >/dev/null)
(cd App/bin/Release/net10.0 && exec dotnet "$dll" --urls "http://127.0.0.1:$port" >"$work/app.log" 2>&1) &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
for _ in $(seq 1 60); do curl -fs "http://127.0.0.1:$port/health/live" >/dev/null && break; sleep 0.5; done
dotnet bench/PurgeBench/bin/Release/net10.0/PurgeBench.dll --url "http://127.0.0.1:$port" --email bench@bench.local --password 'Bench-2026!' --app "$dll" | tee -a "$out"
echo "files left in the store: $(find "$work/recordings" -type f | wc -l)" | tee -a "$out"
