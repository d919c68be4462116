#!/usr/bin/env bash
# Make a Debian 12 machine ready for Cnn.Functional, idempotently.
#
#   scripts/setup.sh            install what is missing (silent when nothing is)
#   scripts/setup.sh --check    report what is missing, exit 1 if anything is; install nothing
#   scripts/setup.sh --verbose  also say what is already there
#
# What it sees to:
#   1. libstdc++ with symbol version GLIBCXX_3.4.32 (TorchSharp's native library needs it;
#      Debian 12 ships only up to 3.4.30). Taken from Debian 13 (trixie), whose apt source is
#      added pinned at priority 100 so that nothing else is upgraded from it by accident.
#   2. Debian's dataset-fashion-mnist (Fashion-MNIST in /usr/share/datasets/fashion-mnist/),
#      from the default release.
#   3. Debian's chromium (headless), which renders the HTML report for the chart tests and the README's
#      screenshot, from the default release.
#   4. The .NET SDK 10.x (only checked, never installed).
# Runs as root, or through sudo; with neither it prints the commands to run as root and exits 1.
set -euo pipefail

readonly SYMBOL=GLIBCXX_3.4.32
readonly DATASET_DIR=/usr/share/datasets/fashion-mnist
readonly DATASET_FILES=(train-images-idx3-ubyte.gz train-labels-idx1-ubyte.gz
                        t10k-images-idx3-ubyte.gz t10k-labels-idx1-ubyte.gz)
readonly CHROMIUM=/usr/bin/chromium
readonly TRIXIE_LIST=/etc/apt/sources.list.d/trixie.list
readonly TRIXIE_PIN=/etc/apt/preferences.d/trixie
readonly TRIXIE_SOURCE='deb http://deb.debian.org/debian trixie main'
readonly TRIXIE_PREFS=$'Package: *\nPin: release n=trixie\nPin-Priority: 100'
readonly APT_OPTS=(-qq -o Dpkg::Use-Pty=0 -o DPkg::Lock::Timeout=300)

mode=install
verbose=0
for arg in "$@"; do
  case "$arg" in
    --check) mode=check ;;
    --verbose|-v) verbose=1 ;;
    -h|--help) sed -n '2,17s/^# \{0,1\}//p' "$0"; exit 0 ;;
    *) echo "setup: unknown argument: $arg (try --help)" >&2; exit 2 ;;
  esac
done

say() { echo "setup: $*"; }
info() { if (( verbose )); then say "$@"; fi; return 0; }
err() { echo "setup: error: $*" >&2; }

# ---------------------------------------------------------------- checks

libstdcxx_path() {
  local ldconfig lib=''
  ldconfig=$(command -v ldconfig || true)
  if [[ -z "$ldconfig" && -x /sbin/ldconfig ]]; then ldconfig=/sbin/ldconfig; fi
  if [[ -n "$ldconfig" ]]; then
    lib=$("$ldconfig" -p 2>/dev/null | awk '/libstdc\+\+\.so\.6 /{print $NF; exit}' || true)
  fi
  if [[ -z "$lib" ]]; then
    local candidate
    for candidate in /lib/x86_64-linux-gnu/libstdc++.so.6 /usr/lib/x86_64-linux-gnu/libstdc++.so.6 \
                     /lib/aarch64-linux-gnu/libstdc++.so.6 /usr/lib/aarch64-linux-gnu/libstdc++.so.6; do
      if [[ -e "$candidate" ]]; then lib=$candidate; break; fi
    done
  fi
  printf '%s' "$lib"
}

has_glibcxx() {
  local lib
  lib=$(libstdcxx_path)
  [[ -n "$lib" && -r "$lib" ]] || return 1
  if command -v strings >/dev/null 2>&1; then
    # No grep -q here: it would stop reading early and, under pipefail, strings' SIGPIPE fails the test.
    strings "$lib" | grep -F "$SYMBOL" >/dev/null
  else
    grep -a -q -F "$SYMBOL" "$lib"
  fi
}

has_dataset() {
  local f
  for f in "${DATASET_FILES[@]}"; do
    [[ -f "$DATASET_DIR/$f" ]] || return 1
  done
}

has_chromium() {
  [[ -x "$CHROMIUM" ]]
}

# Prints the SDK version when it is 10.x; fails otherwise (printing what was found, if anything).
dotnet_version() {
  local v
  command -v dotnet >/dev/null 2>&1 || return 1
  # Run from the repo root so that a global.json there is honoured.
  v=$(cd "$(dirname "$0")/.." && DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1 dotnet --version 2>/dev/null) || v=''
  printf '%s' "$v"
  [[ "$v" == 10.* ]]
}

check_dotnet() {
  local v
  if v=$(dotnet_version); then
    info "ok: .NET SDK $v"
    return 0
  fi
  if ! command -v dotnet >/dev/null 2>&1; then
    err ".NET SDK 10.x is required but 'dotnet' is not on PATH; install the .NET 10 SDK (this script does not)."
  elif [[ -z "$v" ]]; then
    err ".NET SDK 10.x is required but 'dotnet --version' failed (no SDK installed, or global.json asks for one that is missing)."
  else
    err ".NET SDK 10.x is required but 'dotnet --version' says $v; install the .NET 10 SDK (this script does not)."
  fi
  return 1
}

need_glibcxx=0
need_dataset=0
need_chromium=0
if has_glibcxx; then info "ok: $(libstdcxx_path) provides $SYMBOL"; else need_glibcxx=1; fi
if has_dataset; then info "ok: Fashion-MNIST in $DATASET_DIR"; else need_dataset=1; fi
if has_chromium; then info "ok: $CHROMIUM"; else need_chromium=1; fi

if [[ "$mode" == check ]]; then
  missing=0
  if (( need_glibcxx )); then
    say "missing: libstdc++ with $SYMBOL (checked: $(libstdcxx_path); TorchSharp's native library needs it)"
    missing=1
  fi
  if (( need_dataset )); then
    say "missing: dataset-fashion-mnist (Fashion-MNIST files in $DATASET_DIR)"
    missing=1
  fi
  if (( need_chromium )); then
    say "missing: chromium ($CHROMIUM; the chart tests render the HTML report in it headlessly)"
    missing=1
  fi
  check_dotnet || missing=1
  exit "$missing"
fi

# ---------------------------------------------------------------- install

if (( need_glibcxx || need_dataset || need_chromium )); then
  if ! command -v apt-get >/dev/null 2>&1; then
    err "apt-get not found: this script expects Debian 12 (bookworm)."
    exit 1
  fi

  as_root=()
  if (( EUID != 0 )); then
    if command -v sudo >/dev/null 2>&1; then
      as_root=(sudo)
    else
      err "not root and no sudo; run these commands as root, then run this script again:"
      {
        if (( need_glibcxx )); then
          printf '  %s\n' \
            "echo '$TRIXIE_SOURCE' > $TRIXIE_LIST" \
            "printf 'Package: *\\nPin: release n=trixie\\nPin-Priority: 100\\n' > $TRIXIE_PIN"
        fi
        printf '  %s\n' "apt-get update"
        if (( need_glibcxx )); then
          printf '  %s\n' "DEBIAN_FRONTEND=noninteractive apt-get install -y -t trixie libstdc++6"
        fi
        if (( need_dataset )); then
          printf '  %s\n' "DEBIAN_FRONTEND=noninteractive apt-get install -y dataset-fashion-mnist"
        fi
        if (( need_chromium )); then
          printf '  %s\n' "DEBIAN_FRONTEND=noninteractive apt-get install -y chromium"
        fi
      } >&2
      exit 1
    fi
  fi

  apt_log=$(mktemp /tmp/setup-apt.XXXXXX.log)
  apt_failed=0
  remove_apt_log() { if (( apt_failed == 0 )); then rm -f "$apt_log"; fi; }  # kept when apt failed
  trap remove_apt_log EXIT

  # Runs one apt-get command with its output in the log; on failure shows the log's tail and exits.
  apt_run() {
    info "running: apt-get $*"
    if ! "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get "${APT_OPTS[@]}" "$@" >>"$apt_log" 2>&1; then
      apt_failed=1
      err "'apt-get $*' failed; last lines of $apt_log:"
      tail -n 25 "$apt_log" >&2
      exit 1
    fi
  }

  updated=0
  apt_update_once() {
    if (( updated == 0 )); then apt_run update; updated=1; fi
  }

  # Writes $2 (plus a newline) to root-owned file $1, unless it already holds exactly that.
  write_root_file() {
    if [[ -f "$1" && "$(cat "$1")" == "$2" ]]; then return 0; fi
    printf '%s\n' "$2" | "${as_root[@]}" tee "$1" >/dev/null
  }

  installed=()

  if (( need_glibcxx )); then
    say "installing libstdc++6 from Debian 13 (trixie, apt source pinned at priority 100): TorchSharp's native library needs $SYMBOL, Debian 12 has only up to GLIBCXX_3.4.30"
  fi
  if (( need_dataset )); then
    say "installing dataset-fashion-mnist: the Fashion-MNIST data in $DATASET_DIR that training and tests read"
  fi
  if (( need_chromium )); then
    say "installing chromium: the tests render the HTML report in it headlessly (no network), and it takes the README's screenshot"
  fi

  if (( need_glibcxx )); then
    write_root_file "$TRIXIE_LIST" "$TRIXIE_SOURCE"
    write_root_file "$TRIXIE_PIN" "$TRIXIE_PREFS"
    apt_update_once
    apt_run install -y -t trixie libstdc++6
    if ! has_glibcxx; then
      err "libstdc++6 from trixie was installed but $(libstdcxx_path) still lacks $SYMBOL."
      exit 1
    fi
    installed+=("libstdc++6 $(dpkg-query -W -f='${Version}' libstdc++6 2>/dev/null || true) (trixie, provides $SYMBOL)")
  fi

  if (( need_dataset )); then
    apt_update_once
    # No -t: the default release (bookworm, priority 500) wins over the trixie pin (100).
    apt_run install -y dataset-fashion-mnist
    if ! has_dataset; then
      err "dataset-fashion-mnist was installed but $DATASET_DIR lacks some of: ${DATASET_FILES[*]}"
      exit 1
    fi
    installed+=("dataset-fashion-mnist $(dpkg-query -W -f='${Version}' dataset-fashion-mnist 2>/dev/null || true)")
  fi

  if (( need_chromium )); then
    apt_update_once
    # No -t: the default release's chromium (bookworm-security) wins over the trixie pin.
    apt_run install -y chromium
    if ! has_chromium; then
      err "chromium was installed but $CHROMIUM is missing"
      exit 1
    fi
    installed+=("chromium $(dpkg-query -W -f='${Version}' chromium 2>/dev/null || true)")
  fi

  joined=$(printf '%s, ' "${installed[@]}")
  say "installed: ${joined%, }"
fi

check_dotnet || exit 1
