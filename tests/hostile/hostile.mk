# SPDX-License-Identifier: GPL-2.0-or-later
# Hostile-input tests against the installed setuid helper: attack plays a
# malicious caller, hostile.sh runs it case by case in private namespaces
# (see tests/integration/harness.sh).  One source file per layer attacked;
# attack.h and scaffold.c are what they share.
check_PROGRAMS += tests/hostile/attack tests/hostile/sysfail tests/hostile/guardmatrix \
	tests/hostile/startup
tests_hostile_attack_SOURCES = tests/hostile/attack.c tests/hostile/attack.h \
	tests/hostile/scaffold.c tests/hostile/policy.c tests/hostile/socket.c \
	tests/hostile/message.c tests/hostile/state.c tests/hostile/privilege.c \
	tests/hostile/dualstack.c tests/hostile/sysfail.c tests/hostile/sysfail.h
tests_hostile_attack_CFLAGS = $(AM_CFLAGS) $(SAN_FLAGS)
tests_hostile_attack_LDFLAGS = $(AM_LDFLAGS) $(SAN_FLAGS)
tests_hostile_attack_LDADD = libabcommon.la
# sysfail runs a command under the faults of sysfail.h.
tests_hostile_sysfail_SOURCES = tests/hostile/sysfail.c tests/hostile/sysfail.h
tests_hostile_sysfail_CPPFLAGS = $(AM_CPPFLAGS) -DSYSFAIL_MAIN
tests_hostile_sysfail_CFLAGS = $(AM_CFLAGS) $(SAN_FLAGS)
tests_hostile_sysfail_LDFLAGS = $(AM_LDFLAGS) $(SAN_FLAGS)
# guardmatrix checks, as root, the kernel's bind-conflict rules the
# helper's guard relies on.
tests_hostile_guardmatrix_SOURCES = tests/hostile/guardmatrix.c
tests_hostile_guardmatrix_CFLAGS = $(AM_CFLAGS) $(SAN_FLAGS)
tests_hostile_guardmatrix_LDFLAGS = $(AM_LDFLAGS) $(SAN_FLAGS)
# startup runs under the shim (UBSan only, as the shim).
tests_hostile_startup_SOURCES = tests/hostile/startup.c
tests_hostile_startup_CFLAGS = $(AM_CFLAGS) $(SHIM_SAN_FLAGS) -pthread
tests_hostile_startup_LDFLAGS = $(AM_LDFLAGS) $(SHIM_SAN_FLAGS) -pthread

TESTS += tests/hostile/hostile.sh

EXTRA_DIST += tests/hostile/hostile.sh
