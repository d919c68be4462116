#!/usr/bin/env bash
# Runs every test of the solution from a fresh clone, with no set-up: makes the machine ready
# (scripts/setup.sh, silent when it already is), builds the whole solution once, runs xunit through
# `dotnet test --no-build` with a TRX logger, and closes with one plain line "N passed, N failed" counted
# from the TRX files. The build comes first, whole, because some tests build too (the notebook twins
# compile against the libraries' outputs): while `dotnet test` built test projects one by one, another
# project's build could rewrite a library's reference assembly under a twin's compiler.
# Exits non-zero on any failure, or when no test ran.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$root"
scripts/setup.sh
results="$root/TestResults"
rm -rf "$results"
status=0
if ! dotnet build Cnn.Functional.sln -c Release; then
  echo "0 passed, 0 failed"
  echo "test.sh: the solution did not build" >&2
  exit 1
fi
dotnet test Cnn.Functional.sln -c Release --no-build --logger trx --results-directory "$results" "$@" || status=$?

passed=0; failed=0; files=0
for trx in "$results"/*.trx; do
  [ -e "$trx" ] || continue
  files=$((files + 1))
  counters="$(grep -o '<Counters [^>]*>' "$trx" | head -n 1)"
  p="$(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<<"$counters")"
  f="$(sed -n 's/.* failed="\([0-9]*\)".*/\1/p' <<<"$counters")"
  passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0}))
done
echo "${passed} passed, ${failed} failed"
if [ "$files" -eq 0 ] || [ "$passed" -eq 0 ]; then echo "test.sh: no test results were produced" >&2; exit 1; fi
if [ "$failed" -ne 0 ] || [ "$status" -ne 0 ]; then exit 1; fi
