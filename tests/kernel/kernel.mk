# SPDX-License-Identifier: GPL-2.0-or-later
# Kernel-mode tests: see tests/kernel/kharness.sh.  They run authbindd (or,
# for the BPF mechanics alone, tests/kernel/ktable) on a cgroup of their
# own, in private namespaces, and bind as an unprivileged uid.
KERNEL_TESTS = tests/kernel/mechanics.sh tests/kernel/daemon.sh tests/kernel/servers.sh tests/kernel/unit.sh tests/kernel/hostile.sh
EXTRA_DIST += $(KERNEL_TESTS) tests/kernel/kharness.sh

if KERNEL_MODE
check_PROGRAMS += tests/kernel/ktable tests/kernel/v6race tests/kernel/kactive \
	tests/kernel/kdeny
tests_kernel_kdeny_SOURCES = tests/kernel/kdeny.c
tests_kernel_kdeny_CFLAGS = $(AM_CFLAGS) $(LIBBPF_CFLAGS)
tests_kernel_kdeny_LDADD = $(LIBBPF_LIBS)
tests_kernel_kactive_SOURCES = tests/kernel/kactive.c kernel/active.c kernel/cgroup.c
tests_kernel_kactive_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/kernel
tests_kernel_kactive_CFLAGS = $(AM_CFLAGS) $(SAN_FLAGS)
tests_kernel_kactive_LDFLAGS = $(AM_LDFLAGS) $(SAN_FLAGS)
tests_kernel_kactive_LDADD = libabcommon.la
tests_kernel_ktable_SOURCES = tests/kernel/ktable.c kernel/loader.c kernel/genmap.c
nodist_tests_kernel_ktable_SOURCES = kernel/bind_bpf_obj.c
tests_kernel_ktable_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/kernel
tests_kernel_ktable_CFLAGS = $(AM_CFLAGS) $(SAN_FLAGS) $(LIBBPF_CFLAGS)
tests_kernel_ktable_LDFLAGS = $(AM_LDFLAGS) $(SAN_FLAGS)
tests_kernel_ktable_LDADD = libabcommon.la $(LIBBPF_LIBS)
tests_kernel_v6race_SOURCES = tests/kernel/v6race.c
tests_kernel_v6race_CFLAGS = $(AM_CFLAGS) -pthread
tests_kernel_v6race_LDFLAGS = $(AM_LDFLAGS) -pthread
endif
TESTS += $(KERNEL_TESTS)

# The kernel-mode benchmark: 'make bench-kernel' (also part of 'make bench').
EXTRA_DIST += bench/kernel.sh
if KERNEL_MODE
check_PROGRAMS += bench/kbench
bench_kbench_SOURCES = bench/kbench.c
bench_kbench_CFLAGS = $(AM_CFLAGS) -pthread
bench_kbench_LDFLAGS = $(AM_LDFLAGS) -pthread
endif
.PHONY: bench-kernel
bench-kernel: $(check_PROGRAMS) $(sbin_PROGRAMS)
	$(AM_TESTS_ENVIRONMENT) $(SHELL) $(srcdir)/bench/kernel.sh

# The compile held to the policy's answers on generated trees (no
# namespaces needed; root for root-owned files and BPF maps).
if KERNEL_DAEMON
check_PROGRAMS += tests/kernel/kcompile
TESTS += tests/kernel/kcompile
tests_kernel_kcompile_SOURCES = tests/kernel/kcompile.c kernel/compile.c kernel/genmap.c \
	tests/gen/gentree.c tests/gen/gentree.h
tests_kernel_kcompile_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/kernel -I$(top_srcdir)/tests/gen
tests_kernel_kcompile_CFLAGS = $(AM_CFLAGS) $(SAN_FLAGS) $(LIBBPF_CFLAGS)
tests_kernel_kcompile_LDFLAGS = $(AM_LDFLAGS) $(SAN_FLAGS)
tests_kernel_kcompile_LDADD = libabpolicy.la libabcommon.la $(LIBBPF_LIBS)
endif
