#!/usr/bin/env bash
# The project's entry points: `bash tasks.sh demo | test | bench | setup`.
# Works on a fresh Debian machine with Python 3.11: it installs what it needs.
set -euo pipefail
cd "$(dirname "$0")"

PY=${PYTHON:-python3}
VENV=.venv

system_packages() {
    local missing=()
    for pkg in $(grep -v '^#' scripts/system-packages.txt); do
        dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "ok installed" || missing+=("$pkg")
    done
    if ((${#missing[@]})); then
        local sudo=""
        [[ $(id -u) -eq 0 ]] || sudo="sudo"
        echo "installing Debian packages: ${missing[*]}"
        $sudo apt-get update -q
        DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends "${missing[@]}"
    fi
}

python_env() {
    [[ -x $VENV/bin/python ]] || $PY -m venv "$VENV"
    "$VENV/bin/python" -m pip install -q --upgrade pip
    "$VENV/bin/python" -m pip install -q -e ".[heic,test]"
}

setup() { system_packages; python_env; }

case "${1:-}" in
    setup) setup ;;
    demo) setup; "$VENV/bin/kyb" demo "${@:2}" ;;
    test) setup; "$VENV/bin/python" -m pytest "${@:2}" ;;
    bench) setup; "$VENV/bin/python" -m knowyourband.evaluate.bench "${@:2}" ;;
    *) echo "usage: bash tasks.sh demo|test|bench|setup [args]" >&2; exit 2 ;;
esac
