# SPDX-License-Identifier: GPL-2.0-or-later
# Integration tests: see tests/integration/harness.sh.
check_PROGRAMS += tests/integration/bindprobe
tests_integration_bindprobe_SOURCES = tests/integration/bindprobe.c \
	tests/integration/boundport.c tests/integration/boundport.h
# Programs that run under the shim take its sanitizers (UBSan), not ASan,
# whose runtime would have to come before the preloaded shim.
tests_integration_bindprobe_CFLAGS = $(AM_CFLAGS) $(SHIM_SAN_FLAGS)
tests_integration_bindprobe_LDFLAGS = $(AM_LDFLAGS) $(SHIM_SAN_FLAGS)

TESTS += tests/integration/smoke.sh tests/integration/extensions.sh

EXTRA_DIST += tests/integration/harness.sh tests/integration/smoke.sh \
	tests/integration/extensions.sh
