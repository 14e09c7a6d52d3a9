#!/usr/bin/env bash
# Verso's one entry point on a Debian machine.
#   ./verso.sh run    install what is missing, build, and start the app
#   ./verso.sh test   install what is missing and run every test
#   ./verso.sh deb    build an installable .deb package
set -euo pipefail
cd "$(dirname "$0")"
ROOT=$PWD
export PATH="$HOME/.cargo/bin:$PATH"

say() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

need_tools() {
  command -v cargo >/dev/null || { echo "verso.sh: cargo not found; install Rust (rustup) first" >&2; exit 1; }
  command -v npm >/dev/null || { echo "verso.sh: npm not found; install Node.js 20 or newer first" >&2; exit 1; }
}

# The app needs WebKitGTK and, for spell checking, the English and Spanish
# Hunspell dictionaries. Extra arguments are more packages (the tests add LibreOffice, which
# checks exported DOCX files, pdftotext and xmllint, git and OpenSSH's
# server for the team tests, GNOME Keyring and D-Bus for the keyring test).
setup_system() {
  local missing=()
  for pkg in libwebkit2gtk-4.1-dev build-essential pkg-config libssl-dev xvfb xauth webkit2gtk-driver hunspell-en-us hunspell-es "$@"; do
    dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
  done
  if ((${#missing[@]})); then
    say "Installing Debian packages: ${missing[*]}"
    local sudo=""
    [ "$(id -u)" -eq 0 ] || sudo=sudo
    $sudo apt-get update -q
    $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
  fi
}

setup_node() {
  local stamp=ui/node_modules/.verso-lock-stamp
  local want
  want=$(sha256sum ui/package-lock.json | cut -d' ' -f1)
  if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
    say "Installing UI packages (npm ci)"
    (cd ui && npm ci --no-audit --no-fund)
    echo "$want" > "$stamp"
  fi
}

setup_driver() {
  if ! command -v tauri-driver >/dev/null || ! tauri-driver --help 2>&1 | grep -q -- --port; then
    say "Installing tauri-driver 2.1.0"
    cargo install tauri-driver --version 2.1.0 --locked
  fi
}

build_app() {
  say "Building the UI and the desktop app"
  (cd ui && npm run build)
  # custom-protocol embeds ui/dist instead of pointing at the dev server.
  cargo build -p verso-desktop --features tauri/custom-protocol
}

check_test_data() {
  local data="${VERSO_TEST_DATA:-$ROOT/../shared/data}"
  if [ ! -d "$data" ]; then
    echo "verso.sh: WARNING: public test data not found at $data (set VERSO_TEST_DATA); data-driven tests will fail" >&2
  fi
  export VERSO_TEST_DATA="$data"
}

case "${1:-}" in
  run)
    shift
    need_tools; setup_system; setup_node; build_app
    if [ -z "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]; then
      echo "verso.sh: no display; starting Verso under Xvfb (set DISPLAY to use your desktop)" >&2
      exec xvfb-run -a -s "-screen 0 1280x800x24" target/debug/verso-desktop "$@"
    fi
    exec target/debug/verso-desktop "$@"
    ;;
  test)
    need_tools; setup_system libreoffice-writer-nogui poppler-utils libxml2-utils git openssh-server gnome-keyring dbus-bin dbus-daemon; setup_node; setup_driver; check_test_data
    start=$(date +%s)
    say "Format and lints"
    cargo fmt --all --check
    cargo clippy --workspace --all-targets --features verso/bindings -- -D warnings
    say "Core tests (no Tauri, no display)"
    cargo test --features bindings -- --skip golden_rules
    say "Golden Rules segmentation suites (accuracy report)"
    cargo test --features bindings --test golden_rules -- --nocapture
    say "UI type check and unit tests"
    (cd ui && npm run check && npm test)
    build_app
    say "End-to-end tests: the real app under Xvfb"
    xvfb-run -a -s "-screen 0 1280x800x24" cargo test -p verso-e2e -- --test-threads=1 --nocapture
    say "All tests passed in $(( $(date +%s) - start )) s"
    ;;
  deb)
    need_tools; setup_system; setup_node
    say "Building the .deb package"
    TAURI_APP_PATH=src-tauri TAURI_FRONTEND_PATH=ui ui/node_modules/.bin/tauri build --bundles deb
    ls -1 target/release/bundle/deb/*.deb
    ;;
  bench-first-screen)
    # How long after `verso-desktop news.verso` the editor shows the first rows
    # of a 10,000-segment document, in the release build, five starts.
    need_tools; setup_system; setup_node
    say "Building the release app and CLI"
    (cd ui && npm run build)
    cargo build --release -p verso-desktop --features tauri/custom-protocol
    cargo build --release --bin verso
    work=$(mktemp -d)
    awk 'BEGIN { for (p = 0; p < 2000; p++) { for (s = 0; s < 5; s++) printf "Sentence %d of paragraph %d: the figure fell slightly on Tuesday. ", s, p; printf "\n\n" } }' > "$work/long.txt"
    target/release/verso init "$work/long.verso" >/dev/null
    target/release/verso import "$work/long.verso" "$work/long.txt" --from en --to es
    for run in 1 2 3 4 5; do
      VERSO_TIMING=exit VERSO_CONFIG_DIR="$work/config" xvfb-run -a -s "-screen 0 1280x800x24" \
        target/release/verso-desktop "$work/long.verso" 2>&1 | grep "first rows"
    done
    rm -rf "$work"
    ;;
  *)
    echo "usage: ./verso.sh run|test|deb|bench-first-screen" >&2
    exit 2
    ;;
esac
