#!/bin/sh
# install.sh BUILD_DIR SOURCE_DIR: `cmake --install` into a temporary prefix, then an embedding
# program (examples/embed/sim.c) built against it through pkg-config, shared and static, and
# the CMake package found by find_package; the shared one serves its dashboard. Everything it
# starts is stopped by PID; the prefix is removed.
set -eu
BUILD=$1
SRC=$(cd "$2" && pwd)
tmp=$(mktemp -d /tmp/pane-install.XXXXXX)
pid=
cleanup() {
    [ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
    rm -rf "$tmp"
}
trap cleanup EXIT
cmake --install "$BUILD" --prefix "$tmp/prefix" >/dev/null
export PKG_CONFIG_PATH="$tmp/prefix/lib/pkgconfig"
for f in bin/pane include/pane.h lib/libpane.so lib/libpane.a lib/pkgconfig/pane.pc \
    lib/cmake/pane/paneConfig.cmake; do
    [ -e "$tmp/prefix/$f" ] || { echo "install: $f missing"; exit 1; }
done
# shared, through pkg-config
cc -Wall -Wextra -Werror "$SRC/examples/embed/sim.c" -o "$tmp/sim" $(pkg-config --cflags --libs pane) -lm -lpthread
# static, through pkg-config --static
cc "$SRC/examples/embed/sim.c" -o "$tmp/sim-static" -Wl,-Bstatic -lpane -Wl,-Bdynamic \
    $(pkg-config --cflags --libs-only-L pane) $(pkg-config --static --libs pane | sed 's/-lpane//') -lm -lpthread
# the CMake package
mkdir -p "$tmp/cm"
cat >"$tmp/cm/CMakeLists.txt" <<CM
cmake_minimum_required(VERSION 3.25)
project(sim C)
find_package(pane REQUIRED)
add_executable(sim $SRC/examples/embed/sim.c)
target_link_libraries(sim PRIVATE pane::pane m pthread)
CM
cmake -S "$tmp/cm" -B "$tmp/cm/build" -G Ninja -DCMAKE_PREFIX_PATH="$tmp/prefix" >/dev/null
cmake --build "$tmp/cm/build" >/dev/null
# the shared one serves: a free port is not an option of sim.c, so 5006 must be free
LD_LIBRARY_PATH="$tmp/prefix/lib" "$tmp/sim" >"$tmp/out" 2>"$tmp/err" &
pid=$!
i=0
while [ $i -lt 100 ] && ! grep -q "dashboard: http" "$tmp/out"; do sleep 0.1; i=$((i + 1)); done
url=$(sed -n 's/^dashboard: //p' "$tmp/out")
[ -n "$url" ] || { echo "install: sim printed no URL"; cat "$tmp/err"; exit 1; }
curl -sf "$url" | grep -q "<title>Oscillator</title>" || { echo "install: no page at $url"; exit 1; }
kill -TERM "$pid"
wait "$pid"
pid=
echo "ok install: libpane, pane.pc and paneConfig.cmake; sim.c built shared, static and by CMake; served $url"
