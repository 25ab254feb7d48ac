#!/bin/sh
# Fails if the pane binary exports a symbol that does not start with pn_ (the public API).
# Symbols the linker itself defines are allowed.
set -eu
bad=$(nm -D --defined-only "$1" | awk '{print $3}' |
      grep -vE '(@)|^(pn_|_init$|_fini$|_edata$|_end$|__bss_start$|_IO_stdin_used$|__data_start$|data_start$|__dso_handle$|_start$|__libc_csu_|__asan|__ubsan|__lsan|__sanitizer|_ZN|__interceptor|___interceptor|__odr_asan)' || true)
if [ -n "$bad" ]; then
    echo "exported symbols without the pn_ prefix:"; echo "$bad"; exit 1
fi
n=$(nm -D --defined-only "$1" | awk '{print $3}' | grep -c '^pn_')
echo "ok: $n exported pn_ symbols, nothing else"
