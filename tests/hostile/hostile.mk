# Hostile-input tests against the installed setuid helper: attack plays a
# malicious caller, hostile.sh runs it case by case in private namespaces
# (see tests/integration/harness.sh).
check_PROGRAMS += tests/hostile/attack
tests_hostile_attack_SOURCES = tests/hostile/attack.c
tests_hostile_attack_CFLAGS = $(AM_CFLAGS) $(SAN_FLAGS)
tests_hostile_attack_LDFLAGS = $(AM_LDFLAGS) $(SAN_FLAGS)
tests_hostile_attack_LDADD = libabcommon.la

TESTS += tests/hostile/hostile.sh

EXTRA_DIST += tests/hostile/hostile.sh
