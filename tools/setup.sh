#!/usr/bin/env bash
# Set up what `make lab` and `make test` need, on Debian 12 with Python 3.11.
#
#   tools/setup.sh venv [DIR]   create DIR (default .venv) if missing, pip install -e '.[lab,test]'
#   tools/setup.sh graphviz     make sure Graphviz's `dot` is on PATH
#
# System packages are installed with apt-get only when we are root and apt-get exists;
# otherwise this prints the command to run and exits non-zero.
set -euo pipefail
cd "$(dirname "$0")/.."

die() { echo "setup: $*" >&2; exit 1; }

# apt_install WHAT PKG...: install Debian packages, or tell the user how to and stop.
apt_install() {
    local what=$1; shift
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
        echo "setup: installing $what with apt-get: $*"
        export DEBIAN_FRONTEND=noninteractive
        # Try without `apt-get update` first: it is slow and usually not needed.
        apt-get install -y --no-install-recommends "$@" </dev/null \
            || { apt-get update </dev/null && apt-get install -y --no-install-recommends "$@" </dev/null; } \
            || die "apt-get could not install $*"
    elif command -v apt-get >/dev/null 2>&1; then
        die "$what is missing. Run this, then try again:
    sudo apt-get update && sudo apt-get install -y $*"
    else
        die "$what is missing and there is no apt-get here. Install the equivalent of the
Debian packages '$*' with your package manager (macOS: brew install ${BREW_HINT:-$*}), then try again."
    fi
}

find_python() {
    local py
    for py in python3.11 python3; do
        if command -v "$py" >/dev/null 2>&1 \
            && "$py" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
            echo "$py"; return 0
        fi
    done
    return 1
}

setup_venv() {
    local venv=${1:-.venv} py
    if [ ! -x "$venv/bin/python" ]; then
        py=$(find_python) || { apt_install "Python 3.11" python3 python3-venv; py=$(find_python); } \
            || die "no Python >= 3.11 found"
        echo "setup: creating $venv with $py"
        if ! "$py" -m venv "$venv" 2>/dev/null; then
            # Debian splits ensurepip out into python3.X-venv.
            rm -rf "$venv"
            apt_install "Python's venv module" "$("$py" -c 'import sys; print("python%d.%d-venv" % sys.version_info[:2])')"
            "$py" -m venv "$venv"
        fi
    fi
    echo "setup: pip install -e '.[lab,test]' into $venv"
    "$venv/bin/python" -m pip install --quiet --disable-pip-version-check -e '.[lab,test]'
}

setup_graphviz() {
    command -v dot >/dev/null 2>&1 && return 0
    BREW_HINT=graphviz apt_install "Graphviz (the 'dot' program, which draws the diagrams)" graphviz
    command -v dot >/dev/null 2>&1 || die "graphviz installed but 'dot' is still not on PATH"
}

case "${1:-}" in
    venv) setup_venv "${2:-.venv}" ;;
    graphviz) setup_graphviz ;;
    *) die "usage: tools/setup.sh venv [DIR] | graphviz" ;;
esac
