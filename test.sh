#!/usr/bin/env bash
# Runs every test: unit, component (bUnit), HTTP (WebApplicationFactory) and browser (Playwright in Debian's Chromium).
# Installs what is missing when run as root: Debian chromium and ffmpeg; nodejs and npm, then Azurite (tools/azurite) for
# the Azure Blob store's tests; PostgreSQL with pg_trgm for the PostgreSql provider's tests (they start a throw-away cluster).
set -euo pipefail
cd "$(dirname "$0")"

need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v ffmpeg >/dev/null 2>&1 || need+=(ffmpeg)
command -v node >/dev/null 2>&1 || need+=(nodejs)
command -v npm >/dev/null 2>&1 || need+=(npm)
compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null || need+=(postgresql postgresql-contrib)
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    echo "Installing ${need[*]} …"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
  else
    echo "Missing: ${need[*]}. Install them (sudo apt-get install ${need[*]}) or run this script as root." >&2
    exit 1
  fi
fi

# Azurite, pinned by tools/azurite/package-lock.json (3.35.0: the newest that runs on Debian's Node 20).
if [ ! -f tools/azurite/node_modules/azurite/package.json ]; then
  echo "Installing Azurite …"
  npm ci --prefix tools/azurite --no-audit --no-fund --loglevel=error
fi

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
log=$(mktemp)
trap 'rm -f "$log"' EXIT
status=0
dotnet test NagrywanieRozmow.Blazor.sln --logger "console;verbosity=normal" "$@" 2>&1 | tee "$log" || status=$?

# One plain closing line for CI: how many ran, passed and failed (VSTest's own summary is not one CI reads).
passed=$(grep -E '^\s+Passed: [0-9]+' "$log" | tail -n 1 | grep -oE '[0-9]+' || echo 0)
failed=$(grep -E '^\s+Failed: [0-9]+' "$log" | tail -n 1 | grep -oE '[0-9]+' || echo 0)
skipped=$(grep -E '^\s+Skipped: [0-9]+' "$log" | tail -n 1 | grep -oE '[0-9]+' || echo 0)
echo "${passed} passed, ${failed} failed, ${skipped} skipped"
if [ "$status" -eq 0 ] && [ "${passed}" -eq 0 ]; then
  echo "No test ran." >&2
  exit 1
fi
exit "$status"
