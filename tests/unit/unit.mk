# SPDX-License-Identifier: GPL-2.0-or-later
# Unit tests (Check): written in tests/unit/.
# Each program is table-driven; see the comment at the top of each file.
if HAVE_CHECK
unit_tests = tests/unit/check_policy tests/unit/check_tree tests/unit/check_perm \
	tests/unit/check_proto \
	tests/unit/check_env
check_PROGRAMS += $(unit_tests)
TESTS += $(unit_tests)

tests_unit_check_policy_SOURCES = tests/unit/check_policy.c tests/unit/agree.c \
	tests/unit/agree.h
tests_unit_check_policy_CFLAGS = $(AM_CFLAGS) $(SAN_FLAGS) $(CHECK_CFLAGS)
tests_unit_check_policy_LDFLAGS = $(AM_LDFLAGS) $(SAN_FLAGS)
tests_unit_check_policy_LDADD = libabpolicy.la libabcommon.la $(CHECK_LIBS)

tests_unit_check_tree_SOURCES = tests/unit/check_tree.c tests/unit/agree.c tests/unit/agree.h \
	tests/unit/scratch.c tests/unit/scratch.h tests/gen/gentree.c tests/gen/gentree.h
tests_unit_check_tree_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/tests/gen
tests_unit_check_tree_CFLAGS = $(AM_CFLAGS) $(SAN_FLAGS) $(CHECK_CFLAGS)
tests_unit_check_tree_LDFLAGS = $(AM_LDFLAGS) $(SAN_FLAGS)
tests_unit_check_tree_LDADD = libabpolicy.la libabcommon.la $(CHECK_LIBS)

tests_unit_check_perm_SOURCES = tests/unit/check_perm.c tests/unit/scratch.c tests/unit/scratch.h
tests_unit_check_perm_CFLAGS = $(AM_CFLAGS) $(SAN_FLAGS) $(CHECK_CFLAGS)
tests_unit_check_perm_LDFLAGS = $(AM_LDFLAGS) $(SAN_FLAGS)
tests_unit_check_perm_LDADD = libabpolicy.la libabcommon.la $(CHECK_LIBS)

tests_unit_check_proto_SOURCES = tests/unit/check_proto.c
tests_unit_check_proto_CFLAGS = $(AM_CFLAGS) $(SAN_FLAGS) $(CHECK_CFLAGS)
tests_unit_check_proto_LDFLAGS = $(AM_LDFLAGS) $(SAN_FLAGS)
tests_unit_check_proto_LDADD = libabcommon.la $(CHECK_LIBS)

tests_unit_check_env_SOURCES = tests/unit/check_env.c
tests_unit_check_env_CFLAGS = $(AM_CFLAGS) $(SAN_FLAGS) $(CHECK_CFLAGS)
tests_unit_check_env_LDFLAGS = $(AM_LDFLAGS) $(SAN_FLAGS)
tests_unit_check_env_LDADD = libabcommon.la $(CHECK_LIBS)
endif
# Automake ships the SOURCES of these programs in the tarball even when
# Check is missing, so no EXTRA_DIST is needed for them.
