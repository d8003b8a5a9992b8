# SPDX-License-Identifier: GPL-2.0-or-later
# Integration tests of the policy forms, denials and the wrapper.
POLICY_TESTS = \
	tests/integration/grants.sh \
	tests/integration/denials.sh \
	tests/integration/compat.sh \
	tests/integration/dualstack.sh \
	tests/integration/sockets.sh \
	tests/integration/wrapper.sh \
	tests/integration/unprivileged.sh \
	tests/integration/audit.sh \
	tests/integration/differential.sh

TESTS += $(POLICY_TESTS)

EXTRA_DIST += $(POLICY_TESTS) tests/integration/policy-common.sh \
	tests/integration/differential.py

# The differential test's tree generator and batch prober.
check_PROGRAMS += tests/integration/gentree tests/integration/bindbatch
tests_integration_gentree_SOURCES = tests/integration/gentree.c \
	tests/gen/gentree.c tests/gen/gentree.h
tests_integration_gentree_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/tests/gen
tests_integration_gentree_CFLAGS = $(AM_CFLAGS) $(SAN_FLAGS)
tests_integration_gentree_LDFLAGS = $(AM_LDFLAGS) $(SAN_FLAGS)
tests_integration_gentree_LDADD = libabpolicy.la libabcommon.la
tests_integration_bindbatch_SOURCES = tests/integration/bindbatch.c \
	tests/integration/boundport.c tests/integration/boundport.h
tests_integration_bindbatch_CFLAGS = $(AM_CFLAGS) $(SHIM_SAN_FLAGS)
tests_integration_bindbatch_LDFLAGS = $(AM_LDFLAGS) $(SHIM_SAN_FLAGS)
