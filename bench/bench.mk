# SPDX-License-Identifier: GPL-2.0-or-later
# Benchmarks: 'make bench'.  Not tests.
#
# 'make bench' builds the programs below and runs bench/run.sh, as root,
# against the installed helper, library and wrapper ('make install' first)
# and Debian's /usr/bin/authbind.  See bench/README.
#
# The programs are check_PROGRAMS so that 'make check' keeps them compiling
# (and 'make clean' removes them); none of them is in TESTS.
check_PROGRAMS += bench/bindbench bench/helperdrive \
	bench/trivial-dynamic bench/trivial-static
bench_bindbench_SOURCES = bench/bindbench.c
# bindbench runs under the shim: the shim's sanitizers, not ASan.
bench_bindbench_CFLAGS = $(AM_CFLAGS) $(SHIM_SAN_FLAGS)
bench_bindbench_LDFLAGS = $(AM_LDFLAGS) $(SHIM_SAN_FLAGS)
bench_bindbench_LDADD = libabshimcommon.la
bench_helperdrive_SOURCES = bench/helperdrive.c
bench_helperdrive_CFLAGS = $(AM_CFLAGS) $(SAN_FLAGS)
bench_helperdrive_LDFLAGS = $(AM_LDFLAGS) $(SAN_FLAGS)
bench_helperdrive_LDADD = libabcommon.la
bench_trivial_dynamic_SOURCES = bench/trivial.c
bench_trivial_dynamic_CFLAGS = $(AM_CFLAGS)
bench_trivial_static_SOURCES = bench/trivial.c
bench_trivial_static_CFLAGS = $(AM_CFLAGS)
bench_trivial_static_LDFLAGS = $(AM_LDFLAGS) -all-static
EXTRA_DIST += bench/README bench/run.sh

.PHONY: bench
bench: bench/bindbench$(EXEEXT) bench/helperdrive$(EXEEXT) \
		bench/trivial-dynamic$(EXEEXT) bench/trivial-static$(EXEEXT)
	$(AM_TESTS_ENVIRONMENT) AB_BINDIR='$(bindir)' \
		$(SHELL) $(srcdir)/bench/run.sh
	@if test -x authbindd$(EXEEXT); then $(MAKE) $(AM_MAKEFLAGS) bench-kernel; fi
