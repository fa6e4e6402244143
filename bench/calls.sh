#!/usr/bin/env bash
# Call-history latency at N calls (default 1,000,000): seeds a fresh database with metadata-only demo recordings
# (RECORDINGS, default 40 % of N) and N call records built from about three CDR rows each (the recordings among them,
# a third of the rest missed), starts the panel (Release) on it, and measures GET /api/v1/calls for the recordings
# benchmark's query mix plus the call history's own filters (missed, with and without a recording).
# Beside each figure: the same query done the obvious way (LIKE '%…%', OFFSET, COUNT(*)) on the same database.
# Usage: bench/calls.sh [CALLS]      Results: printed, and saved to bench/results/calls-<CALLS>[-postgres].txt
#        DB=postgres: on PostgreSQL instead of SQLite, a cluster of its own from Debian's packages (started and stopped
#        here, port PG_PORT=5433, shared_buffers 2 GB; run as root it runs as the postgres user);
#        REUSE=1 keeps an existing database of that size in BENCH_DIR instead of seeding a fresh one;
#        ITERATIONS (30) and NAIVE_ITERATIONS (5) set the runs per query.
set -euo pipefail
cd "$(dirname "$0")/.."
rows=${1:-1000000}
db=${DB:-sqlite}
[[ $db == sqlite || $db == postgres ]] || { echo "DB must be sqlite or postgres, not '$db'" >&2; exit 2; }
suffix=${db/sqlite/}
work=${BENCH_DIR:-/tmp/nr-bench-calls-$rows${suffix:+-$suffix}}
recordings=${RECORDINGS:-$((rows * 4 / 10))}
port=${BENCH_PORT:-5091}
reuse=0
if [[ "${REUSE:-0}" == 1 && -f "$work/seeded" ]]; then reuse=1; else rm -rf "$work"; fi
mkdir -p "$work" bench/results
export Storage__RootPath="$work/recordings" Demo__Seed=false
export ASPNETCORE_ENVIRONMENT=Production DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
# A benchmark fires far more API requests than a person: the API rate limit is off unless RateLimits__ApiPermitLimit is
# given, and the panel is reached over plain http, so its cookies go without __Host-/Secure (README, Security).
export RateLimits__ApiPermitLimit="${RateLimits__ApiPermitLimit:-0}" Security__SecureCookies="${Security__SecureCookies:-false}"
echo "# RateLimits__ApiPermitLimit=$RateLimits__ApiPermitLimit (0 = no API rate limit), Security__SecureCookies=$Security__SecureCookies" >&2
cleanup=()
trap 'for c in "${cleanup[@]}"; do eval "$c" || true; done' EXIT
if [[ $db == postgres ]]; then
  pgbin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  [[ -x "$pgbin/initdb" ]] || { echo "PostgreSQL is not installed: apt-get install postgresql postgresql-contrib" >&2; exit 1; }
  pgport=${PG_PORT:-5433}
  as_pg() { if [[ $(id -u) == 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi; }
  mkdir -p "$work/pg"
  [[ $(id -u) == 0 ]] && chown postgres: "$work/pg"
  [[ -f "$work/pg/data/PG_VERSION" ]] || as_pg "$pgbin/initdb" -D "$work/pg/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >/dev/null
  # A modest production-like tuning for a 23 GB machine; durability as shipped (fsync on).
  as_pg "$pgbin/pg_ctl" -D "$work/pg/data" -l "$work/pg/server.log" -w -t 120 start \
    -o "-p $pgport -k $work/pg -c listen_addresses=127.0.0.1 -c shared_buffers=2GB -c effective_cache_size=8GB -c work_mem=32MB -c max_connections=200" >/dev/null
  cleanup+=("as_pg '$pgbin/pg_ctl' -D '$work/pg/data' -m fast -w stop >/dev/null")
  as_pg "$pgbin/psql" -h 127.0.0.1 -p "$pgport" -U postgres -tAc "SELECT 1 FROM pg_database WHERE datname='nagrywanie'" | grep -q 1 \
    || as_pg "$pgbin/createdb" -h 127.0.0.1 -p "$pgport" -U postgres nagrywanie
  export Database__Provider=PostgreSql ConnectionStrings__Default="Host=127.0.0.1;Port=$pgport;Username=postgres;Database=nagrywanie"
  naive_db=(--pg "$ConnectionStrings__Default")
  size() { as_pg "$pgbin/psql" -h 127.0.0.1 -p "$pgport" -U postgres -tAc "SELECT pg_size_pretty(pg_database_size('nagrywanie'))" nagrywanie; }
else
  export ConnectionStrings__Default="Data Source=$work/app.db"
  naive_db=(--db "$work/app.db")
  size() { du -h "$work/app.db" | cut -f1; }
fi

dotnet build App -c Release -v q -nologo >/dev/null
dotnet build bench/CallsBench -c Release -v q -nologo >/dev/null
app=(dotnet "$PWD/App/bin/Release/net10.0/App.dll")
out="bench/results/calls-$rows${suffix:+-$suffix}.txt"
{
  echo "# call-history latency, $rows calls ($recordings recordings), $db, $(date -u +%FT%TZ), $(nproc) cores, $(uname -m)"
  if [[ $reuse == 1 ]]; then
    echo "reusing the $db database in $work ($(size)), seeded earlier: $(cat "$work/seeded")"
    # Any command migrates first: a new index is built here, not while the benchmark waits for the server.
    start=$(date +%s%N)
    (cd App/bin/Release/net10.0 && "${app[@]}" users add --email bench@bench.local --password 'Bench-2026!' --role Administrator >/dev/null 2>&1 || true)
    echo "migrations brought up to date in $(( ($(date +%s%N) - start) / 1000000 )) ms"
  else
    start=$(date +%s%N)
    (cd App/bin/Release/net10.0 && "${app[@]}" seed-demo --recordings "$recordings" --audio none --days 365 --calls "$rows") | tail -n 4
    echo "seed-demo wall time: $(( ($(date +%s%N) - start) / 1000000 )) ms; database $(size)" | tee "$work/seeded"
    (cd App/bin/Release/net10.0 && "${app[@]}" users add --email bench@bench.local --password 'Bench-2026!' --role Administrator >/dev/null)
  fi
} | tee "$out"
if curl -fs "http://127.0.0.1:$port/health/live" >/dev/null 2>&1; then echo "port $port is taken by another server: stop it first" >&2; exit 1; fi
(cd App/bin/Release/net10.0 && exec "${app[@]}" --urls "http://127.0.0.1:$port" >"$work/app.log" 2>&1) &
server=$!
cleanup=("kill $server 2>/dev/null" "${cleanup[@]}")
for _ in $(seq 1 240); do curl -fs "http://127.0.0.1:$port/health/live" >/dev/null && break; sleep 0.5; done
dotnet bench/CallsBench/bin/Release/net10.0/CallsBench.dll --url "http://127.0.0.1:$port" --email bench@bench.local --password 'Bench-2026!' \
  "${naive_db[@]}" --iterations "${ITERATIONS:-30}" --naive-iterations "${NAIVE_ITERATIONS:-5}" | tee -a "$out"
