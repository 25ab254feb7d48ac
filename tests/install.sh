#!/bin/sh
# install.sh BUILD_DIR SOURCE_DIR: `cmake --install` into a temporary prefix, then an embedding
# program (examples/embed/sim.c) built against it through pkg-config, shared and static, and
# the CMake package found by find_package; the shared one serves its dashboard. With a C++
# compiler (and $PANE_CXX not OFF) sim.cpp too: shared through pkg-config and by find_package,
# and it serves, after sim.c (both take port 5006). Everything it starts is stopped by PID; the
# prefix is removed.
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
cxx=
if [ "${PANE_CXX:-ON}" != OFF ] && command -v c++ >/dev/null; then cxx=c++; fi
cmake --install "$BUILD" --prefix "$tmp/prefix" >/dev/null
export PKG_CONFIG_PATH="$tmp/prefix/lib/pkgconfig"
for f in bin/pane include/pane.h lib/libpane.so lib/libpane.a lib/pkgconfig/pane.pc \
    lib/cmake/pane/paneConfig.cmake; do
    [ -e "$tmp/prefix/$f" ] || { echo "install: $f missing"; exit 1; }
done
# shared, through pkg-config
cc -Wall -Wextra -Werror "$SRC/examples/embed/sim.c" -o "$tmp/sim" $(pkg-config --cflags --libs pane) -lm -lpthread
# C++, shared, through pkg-config. g++'s -Wextra warns of the fields a designated initialiser
# in the program's own code leaves out (sim.cpp's server options; pane.h, "C++")
if [ -n "$cxx" ]; then
    "$cxx" -std=c++20 -Wall -Wextra -Werror -Wno-missing-field-initializers -pedantic \
        "$SRC/examples/embed/sim.cpp" -o "$tmp/sim-cpp" $(pkg-config --cflags --libs pane)
fi
# static, through pkg-config --static
cc "$SRC/examples/embed/sim.c" -o "$tmp/sim-static" -Wl,-Bstatic -lpane -Wl,-Bdynamic \
    $(pkg-config --cflags --libs-only-L pane) $(pkg-config --static --libs pane | sed 's/-lpane//') -lm -lpthread
# the CMake package
mkdir -p "$tmp/cm"
cat >"$tmp/cm/CMakeLists.txt" <<CM
cmake_minimum_required(VERSION 3.25)
project(sim C ${cxx:+CXX})
find_package(pane REQUIRED)
add_executable(sim $SRC/examples/embed/sim.c)
target_link_libraries(sim PRIVATE pane::pane m pthread)
CM
[ -z "$cxx" ] || cat >>"$tmp/cm/CMakeLists.txt" <<CM
add_executable(sim_cpp $SRC/examples/embed/sim.cpp)
target_compile_features(sim_cpp PRIVATE cxx_std_20)
target_link_libraries(sim_cpp PRIVATE pane::pane)
CM
cmake -S "$tmp/cm" -B "$tmp/cm/build" -G Ninja -DCMAKE_PREFIX_PATH="$tmp/prefix" >/dev/null
cmake --build "$tmp/cm/build" >/dev/null
# the shared ones serve, one after the other: a free port is not an option of sim.c or sim.cpp,
# so 5006 must be free
serve() { # serve PROGRAM NAME: runs it, fetches its page, stops it with SIGTERM (it exits 0)
    LD_LIBRARY_PATH="$tmp/prefix/lib" "$1" >"$tmp/out" 2>"$tmp/err" &
    pid=$!
    i=0
    while [ $i -lt 100 ] && ! grep -q "dashboard: http" "$tmp/out"; do sleep 0.1; i=$((i + 1)); done
    url=$(sed -n 's/^dashboard: //p' "$tmp/out")
    [ -n "$url" ] || { echo "install: $2 printed no URL"; cat "$tmp/err"; exit 1; }
    curl -sf "$url" | grep -q "<title>Oscillator</title>" ||
        { echo "install: $2: no page at $url"; exit 1; }
    kill -TERM "$pid"
    wait "$pid"
    pid=
}
serve "$tmp/sim" sim.c
if [ -n "$cxx" ]; then
    serve "$tmp/sim-cpp" sim.cpp
    [ -x "$tmp/cm/build/sim_cpp" ] || { echo "install: CMake built no sim_cpp"; exit 1; }
fi
echo "ok install: libpane, pane.pc and paneConfig.cmake; sim.c built shared, static and by CMake;" \
     "${cxx:+sim.cpp built shared and by CMake; }served $url"
