#!/usr/bin/env bash
# Runs every test: unit, component (bUnit), HTTP (WebApplicationFactory) and browser (Playwright in Debian's Chromium).
# Installs what is missing (chromium, ffmpeg, Node.js for the player's npm packages) when run as root.
set -euo pipefail
cd "$(dirname "$0")"

need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v ffmpeg >/dev/null 2>&1 || need+=(ffmpeg)
command -v npm >/dev/null 2>&1 || need+=(nodejs npm)
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

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
dotnet test NagrywanieRozmow.Blazor.sln --logger "console;verbosity=normal" "$@"
