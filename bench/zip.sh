#!/usr/bin/env bash
# Bulk ZIP download at size: FILES recordings, each given a real SIZE_MB file (default 200 × 5 MB ≈ 1 GB), downloaded as one
# ZIP through POST /api/v1/downloads (read API key) three times while the server's resident memory is sampled every 20 ms.
# Reports MB/s, whether the bytes match Content-Length, and the server's memory before and at its peak.
# Usage: bench/zip.sh [FILES] [SIZE_MB]     Results: printed, and saved to bench/results/zip-<FILES>x<SIZE_MB>.txt
set -euo pipefail
cd "$(dirname "$0")/.."
files=${1:-200}
mb=${2:-5}
work=${BENCH_DIR:-/tmp/nr-bench-zip}
port=${BENCH_PORT:-5092}
rm -rf "$work" && mkdir -p "$work/recordings" bench/results
export ConnectionStrings__Default="Data Source=$work/app.db" Storage__RootPath="$work/recordings" Demo__Seed=false
export Downloads__MaxRecordings="$files" ASPNETCORE_ENVIRONMENT=Production DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
# A benchmark fires far more API requests than a person: the API rate limit is off unless RateLimits__ApiPermitLimit is
# given, and the panel is reached over plain http, so its cookies go without __Host-/Secure (README, Security).
export RateLimits__ApiPermitLimit="${RateLimits__ApiPermitLimit:-0}" Security__SecureCookies="${Security__SecureCookies:-false}"
echo "# RateLimits__ApiPermitLimit=$RateLimits__ApiPermitLimit (0 = no API rate limit), Security__SecureCookies=$Security__SecureCookies" >&2
dotnet build App -c Release -v q -nologo >/dev/null
dll="$PWD/App/bin/Release/net10.0/App.dll"
out="bench/results/zip-${files}x${mb}.txt"
run() { (cd App/bin/Release/net10.0 && dotnet "$dll" "$@"); }
run seed-demo --recordings "$files" --audio none --days 30 >/dev/null
python3 - "$work" "$mb" <<'PY'
import os, sqlite3, sys
work, mb = sys.argv[1], int(sys.argv[2])
db = sqlite3.connect(f"{work}/app.db")
block = os.urandom(1024 * 1024)
for rid, key in db.execute("SELECT Id, StorageKey FROM Recordings").fetchall():
    path = os.path.join(work, "recordings", key)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        for i in range(mb): f.write(block[i % 7:] + block[:i % 7])
    db.execute("UPDATE Recordings SET SizeBytes = ? WHERE Id = ?", (mb * 1024 * 1024, rid))
db.commit()
PY
key=$(run apikeys create --name bench --scope read | tail -n 1)
(cd App/bin/Release/net10.0 && exec dotnet "$dll" --urls "http://127.0.0.1:$port" >"$work/app.log" 2>&1) &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
for _ in $(seq 1 60); do curl -fs "http://127.0.0.1:$port/health/live" >/dev/null && break; sleep 0.5; done
sleep 2
server_pid=$(pgrep -f "App.dll --urls http://127.0.0.1:$port" | head -n 1)
python3 - "$work" "$port" "$key" "$server_pid" "$files" "$mb" <<'PY' | tee "$out"
import json, sqlite3, sys, threading, time, urllib.request
work, port, key, pid, files, mb = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5]), int(sys.argv[6])
ids = [i for (i,) in sqlite3.connect(f"{work}/app.db").execute("SELECT Id FROM Recordings ORDER BY Id")]
def rss_mb():
    for line in open(f"/proc/{pid}/status"):
        if line.startswith("VmRSS:"): return int(line.split()[1]) / 1024
print(f"# bulk ZIP download, {files} files x {mb} MB, {time.strftime('%Y-%m-%dT%H:%M:%SZ', time.gmtime())}")
print(f"{'run':>3} {'bytes':>12} {'content-length ok':>18} {'seconds':>8} {'MB/s':>8} {'RSS before MB':>14} {'RSS peak MB':>12} {'extra MB':>9}")
for run in range(1, 4):
    before, peak, stop = rss_mb(), [0.0], [False]
    def sample():
        while not stop[0]:
            peak[0] = max(peak[0], rss_mb()); time.sleep(0.02)
    t = threading.Thread(target=sample); t.start()
    request = urllib.request.Request(f"http://127.0.0.1:{port}/api/v1/downloads", data=json.dumps({"ids": ids}).encode(),
                                     headers={"Content-Type": "application/json", "X-Api-Key": key}, method="POST")
    start = time.perf_counter(); total = 0
    with urllib.request.urlopen(request) as response:
        length = int(response.headers["Content-Length"])
        while chunk := response.read(1 << 20): total += len(chunk)
    seconds = time.perf_counter() - start
    stop[0] = True; t.join()
    print(f"{run:>3} {total:>12} {str(total == length):>18} {seconds:>8.2f} {total / seconds / 1e6:>8.0f} {before:>14.0f} {peak[0]:>12.0f} {peak[0] - before:>9.0f}")
PY
