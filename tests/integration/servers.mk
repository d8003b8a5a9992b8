# SPDX-License-Identifier: GPL-2.0-or-later
# Integration tests with real servers (python, node, java, UDP, --deep, threads).
check_PROGRAMS += tests/integration/bindstress
tests_integration_bindstress_SOURCES = tests/integration/bindstress.c
tests_integration_bindstress_CFLAGS = $(AM_CFLAGS) $(SHIM_SAN_FLAGS) -pthread
tests_integration_bindstress_LDFLAGS = $(AM_LDFLAGS) $(SHIM_SAN_FLAGS) -pthread

TESTS += tests/integration/python.sh tests/integration/node.sh \
	tests/integration/java.sh tests/integration/udp.sh \
	tests/integration/deep.sh tests/integration/threads.sh

EXTRA_DIST += tests/integration/serverlib.sh tests/integration/python.sh \
	tests/integration/node.sh tests/integration/java.sh \
	tests/integration/udp.sh tests/integration/deep.sh \
	tests/integration/threads.sh
