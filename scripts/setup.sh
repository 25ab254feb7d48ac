#!/usr/bin/env bash
# Sets pane up from a clean Debian 12 and serves the weather example:
#   1. installs the packages in scripts/packages.txt (apt-get; sudo when not root),
#   2. npm ci: uPlot, which the build embeds (package-lock.json pins it),
#   3. builds the release preset (build/release),
#   4. execs: build/release/pane serve examples/weather.c --reuse-sessions
#             --global-loading-spinner --warm [your extra args...]
#
#   scripts/setup.sh                   # then open http://localhost:5006/weather
#   scripts/setup.sh --port 8080       # extra args go to `pane serve`
#   scripts/setup.sh --deps-only       # only step 1 (what .ci/run uses)
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"

sudo=()
if [[ $(id -u) -ne 0 ]]; then
    sudo=(sudo)
fi

install_packages() {
    local spec cond rest name ver have list=()
    while read -r spec cond rest; do
        [[ -z $spec || $spec == \#* ]] && continue
        name=${spec%%=*}
        ver=${spec#*=}
        [[ $ver == "$spec" ]] && ver=
        if [[ ${cond:-} == if-missing:* ]] && command -v "${cond#if-missing:}" >/dev/null; then
            echo "setup: $name skipped: ${cond#if-missing:} is already on PATH ($(command -v "${cond#if-missing:}"))"
            continue
        fi
        have=$(dpkg-query -W -f='${db:Status-Status} ${Version}' "$name" 2>/dev/null || true)
        if [[ -n $ver && $have == installed\ * ]] && dpkg --compare-versions "${have#installed }" ge "$ver"; then
            continue # installed at the pinned version or newer
        fi
        if [[ -n $ver && $(apt-cache show "$name=$ver" 2>/dev/null) == *"Version: $ver"* ]]; then
            list+=("$name=$ver")
        else
            [[ -n $ver ]] && echo "setup: $name=$ver is not offered any more; installing the current $name" >&2
            list+=("$name")
        fi
    done <"$root/scripts/packages.txt"
    if ((${#list[@]})); then
        echo "setup: apt-get install ${list[*]}"
        "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${list[@]}"
    else
        echo "setup: every package in scripts/packages.txt is installed"
    fi
}

echo "setup: apt-get update"
"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -q
install_packages
if [[ ${1:-} == --deps-only ]]; then
    exit 0
fi

npm ci --no-audit --no-fund
cmake --preset release
cmake --build --preset release
exec build/release/pane serve examples/weather.c --reuse-sessions --global-loading-spinner --warm "$@"
