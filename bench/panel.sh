#!/usr/bin/env bash
# What an open panel costs: (1) time to first audio byte of a 60-minute and a 3-minute recording, from the start and after a
# seek (Range: bytes=<middle>-, 206); (2) the server's resident memory idle, with CIRCUITS recordings grids open in Chromium
# (one Blazor circuit each) and after closing them. Fresh SQLite database with 5000 metadata-only recordings (the newest 100
# given a small file, so the grid shows play/download buttons as in real use) plus two real FreePBX-named WAVs (8 kHz mono
# 16-bit PCM, made with ffmpeg) brought in by `ingest --path`. Release build; sign-in through the real form.
# Usage: bench/panel.sh [CIRCUITS]      Results: printed, and saved to bench/results/panel-<CIRCUITS>[-<RUN>].txt
# Knobs: RUN (suffix of the results file), ITERATIONS (30), SETTLE_S (10, wait before the "+N s" readings),
#        PANEL_PATH (/: the page each circuit opens; e.g. /forbidden for a circuit with the layout only),
#        HOLD_S (0: keep the circuits open that long before closing, e.g. to take a dotnet-gcdump), BENCH_DIR, BENCH_PORT
set -euo pipefail
cd "$(dirname "$0")/.."
circuits=${1:-50}
work=${BENCH_DIR:-/tmp/nr-bench-panel}
port=${BENCH_PORT:-5093}
rm -rf "$work" && mkdir -p "$work/spool" bench/results
export ConnectionStrings__Default="Data Source=$work/app.db" Storage__RootPath="$work/recordings" Ingestion__QuarantinePath="$work/quarantine"
export Ingestion__StagingPath="$work/incoming" Demo__Seed=false ASPNETCORE_ENVIRONMENT=Production DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
# A benchmark fires far more API requests than a person: the API rate limit is off unless RateLimits__ApiPermitLimit is
# given, and the panel is reached over plain http, so its cookies go without __Host-/Secure (README, Security).
export RateLimits__ApiPermitLimit="${RateLimits__ApiPermitLimit:-0}" Security__SecureCookies="${Security__SecureCookies:-false}"
echo "# RateLimits__ApiPermitLimit=$RateLimits__ApiPermitLimit (0 = no API rate limit), Security__SecureCookies=$Security__SecureCookies" >&2

dotnet build App -c Release -v q -nologo >/dev/null
dotnet build bench/PanelBench -c Release -v q -nologo >/dev/null
bin="$PWD/App/bin/Release/net10.0"
app() { (cd "$bin" && dotnet App.dll "$@"); }
out="bench/results/panel-$circuits${RUN:+-$RUN}.txt"

# A FreePBX file: <type>-<to>-<from>-YYYYMMDD-HHMMSS-<uniqueid>.wav in YYYY/MM/DD, PBX-local time, uniqueid = UTC epoch.seq
wav() {
  local seconds=$1 minutes_ago=$2 from=$3 seq=$4 epoch
  epoch=$(( $(date +%s) - minutes_ago * 60 ))
  local dir="$work/spool/$(TZ=Europe/Warsaw date -d "@$epoch" +%Y/%m/%d)"
  mkdir -p "$dir"
  local name="in-201-$from-$(TZ=Europe/Warsaw date -d "@$epoch" +%Y%m%d-%H%M%S)-$epoch.$seq.wav"
  ffmpeg -v error -f lavfi -i "sine=frequency=440:sample_rate=8000:duration=$seconds" -ac 1 -ar 8000 -c:a pcm_s16le "$dir/$name"
  echo "$epoch.$seq"
}

{
  server=
  trap '[ -n "$server" ] && kill "$server" 2>/dev/null || true' EXIT
  echo "# panel: audio first byte and memory per circuit, $circuits circuits, $(date -u +%FT%TZ), $(nproc) cores, $(uname -m)"
  echo "load before: $(uptime | sed 's/.*load average/load average/')"
  app seed-demo --recordings 5000 --audio none --days 30 | tail -n 1
  long_call=$(wav 3600 70 48601234567 1)
  short_call=$(wav 180 10 48602345678 2)
  echo "ingest --path: $(app ingest --path "$work/spool" | tail -n 1)"
  python3 - "$work" <<'PY'
import os, sqlite3, struct, sys
work = sys.argv[1]
db = sqlite3.connect(f"{work}/app.db")
header = b"RIFF" + struct.pack("<I", 36 + 1600) + b"WAVEfmt " + struct.pack("<IHHIIHH", 16, 1, 1, 8000, 16000, 2, 16) + b"data" + struct.pack("<I", 1600)
for (key,) in db.execute("SELECT StorageKey FROM Recordings ORDER BY StartedAt DESC LIMIT 100"):
    path = os.path.join(work, "recordings", key)
    if not os.path.exists(path):
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as f: f.write(header + bytes(1600))
PY
  app users add --email bench@bench.local --password 'Bench-2026!' --role Administrator >/dev/null
  (cd "$bin" && exec dotnet App.dll --urls "http://127.0.0.1:$port" >"$work/app.log" 2>&1) &
  server=$!
  for _ in $(seq 1 120); do curl -fs "http://127.0.0.1:$port/health/live" >/dev/null && break; sleep 0.5; done
  grep -q App.dll "/proc/$server/cmdline" || { echo "server $server is not the app"; exit 1; }
  sleep "${SETTLE_S:-10}"   # start-up sweeps and jobs done: "idle after start" is idle
  dotnet bench/PanelBench/bin/Release/net10.0/PanelBench.dll --url "http://127.0.0.1:$port" --email bench@bench.local --password 'Bench-2026!' \
    --pid "$server" --long-call "$long_call" --short-call "$short_call" --circuits "$circuits" --iterations "${ITERATIONS:-30}" \
    --settle-seconds "${SETTLE_S:-10}" --hold-seconds "${HOLD_S:-0}" --path "${PANEL_PATH:-/}"
  echo "load after: $(uptime | sed 's/.*load average/load average/')"
} 2>&1 | tee "$out"
