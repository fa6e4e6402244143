#!/usr/bin/env bash
# How a real FreePBX spool is read, before and after a change: writes a mixed spool (every callrecording type, with the CDR
# cdr_csv writes for it: IngestBench mix), ingests it with the build at OLD_REV and with this working tree, each into a
# fresh database, and compares per call: the call type, the extension (who took it) and the DID. Prints the share that
# changed, per FreePBX type, and both builds' throughput on the same files.
# Usage: bench/classify.sh [FILES]     (default 10000; OLD_REV default 9607048, the last commit before issue 24)
# Results: printed, and saved to bench/results/classify-<FILES>.txt
set -euo pipefail
cd "$(dirname "$0")/.."
files=${1:-10000}
old_rev=${OLD_REV:-9607048}
work=${BENCH_DIR:-/tmp/nr-bench-classify}
rm -rf "$work" && mkdir -p "$work" bench/results
export ASPNETCORE_ENVIRONMENT=Production Demo__Seed=false DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

git worktree remove --force "$work/old-src" 2>/dev/null || true
git worktree add -q --detach "$work/old-src" "$old_rev"
trap 'git worktree remove --force "$work/old-src" 2>/dev/null || true' EXIT
dotnet build "$work/old-src/App" -c Release -v q -nologo >/dev/null
dotnet build App -c Release -v q -nologo >/dev/null
dotnet build bench/IngestBench -c Release -v q -nologo >/dev/null
dotnet bench/IngestBench/bin/Release/net10.0/IngestBench.dll mix --out "$work/spool" --files "$files" --seconds 1 >&2

ingest() { # NAME BIN_DIR
  export ConnectionStrings__Default="Data Source=$work/$1.db" Storage__RootPath="$work/$1-recordings" Ingestion__QuarantinePath="$work/$1-quarantine"
  (cd "$2" && dotnet App.dll ingest --path "$work/spool") | tail -n 1
}
out="bench/results/classify-$files.txt"
{
  echo "# $files mixed FreePBX recordings with their CDR, $(date -u +%FT%TZ), $(nproc) cores; before = $old_rev, after = $(git rev-parse --short HEAD)$(git diff --quiet || echo '+changes')"
  echo "before: $(ingest before "$work/old-src/App/bin/Release/net10.0")"
  echo "after:  $(ingest after "$PWD/App/bin/Release/net10.0")"
  python3 - "$work/before.db" "$work/after.db" <<'PY'
import sqlite3, sys, collections
types = ["Incoming", "Outgoing", "Internal", "Queue", "Ivr"]
def load(path):
    rows = sqlite3.connect(path).execute("select CallId, OriginalFileName, Type, Extension from Recordings").fetchall()
    return {r[0]: r for r in rows}
before, after = load(sys.argv[1]), load(sys.argv[2])
has_did = "Did" in [c[1] for c in sqlite3.connect(sys.argv[2]).execute("pragma table_info(Recordings)")]
changed, per_kind = 0, collections.defaultdict(lambda: [0, 0, 0, 0])
examples = {}
for call, (_, name, type_a, ext_a) in after.items():
    kind = name.split("-", 1)[0]
    _, _, type_b, ext_b = before[call]
    c = per_kind[kind]
    c[0] += 1
    t, e = type_a != type_b, ext_a != ext_b
    c[1] += t; c[2] += e; c[3] += t or e
    changed += t or e
    if (t or e) and kind not in examples:
        examples[kind] = f"{name}: {types[type_b]}/{ext_b} -> {types[type_a]}/{ext_a}"
print(f"changed type or extension: {changed} of {len(after)} ({100 * changed / len(after):.1f} %)")
print("per FreePBX type: files, type changed, extension changed, either")
for kind, (n, t, e, x) in sorted(per_kind.items()):
    print(f"  {kind:9} {n:6} {t:6} {e:6} {x:6} ({100 * x / n:.0f} %)   e.g. {examples.get(kind, '-')}")
PY
} 2>&1 | tee "$out"
