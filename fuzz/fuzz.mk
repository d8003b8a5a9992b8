# SPDX-License-Identifier: GPL-2.0-or-later
# Fuzz targets (configure --enable-fuzzing, clang).
#
# Each target compiles the code under test itself with the sanitizers and
# libFuzzer's coverage ($(FUZZ_FLAGS)); the libtool convenience libraries
# are built without them.  `make fuzz` builds the targets and runs each
# for a share of FUZZ_SECONDS on a copy of its seed corpus (fuzz/run.sh);
# fuzz/README says how to run them for longer.

FUZZ_SECONDS = 60

if ENABLE_FUZZING
check_PROGRAMS += fuzz/fuzz_rule fuzz/fuzz_request fuzz/fuzz_addr fuzz/fuzz_env

FUZZ_CPPFLAGS = -I$(top_srcdir)/common -I$(top_srcdir)/policy

fuzz_fuzz_rule_SOURCES = fuzz/fuzz_rule.c fuzz/fuzz.h \
	policy/rules.c policy/policy.h common/addr.c common/addr.h
fuzz_fuzz_rule_CPPFLAGS = $(FUZZ_CPPFLAGS)
fuzz_fuzz_rule_CFLAGS = $(WARN_CFLAGS) $(FUZZ_FLAGS)
fuzz_fuzz_rule_LDFLAGS = $(FUZZ_FLAGS)

fuzz_fuzz_request_SOURCES = fuzz/fuzz_request.c fuzz/fuzz.h \
	common/proto.c common/proto.h
fuzz_fuzz_request_CPPFLAGS = $(FUZZ_CPPFLAGS)
fuzz_fuzz_request_CFLAGS = $(WARN_CFLAGS) $(FUZZ_FLAGS)
fuzz_fuzz_request_LDFLAGS = $(FUZZ_FLAGS)

fuzz_fuzz_addr_SOURCES = fuzz/fuzz_addr.c fuzz/fuzz.h \
	common/addr.c common/addr.h
fuzz_fuzz_addr_CPPFLAGS = $(FUZZ_CPPFLAGS)
fuzz_fuzz_addr_CFLAGS = $(WARN_CFLAGS) $(FUZZ_FLAGS)
fuzz_fuzz_addr_LDFLAGS = $(FUZZ_FLAGS)

fuzz_fuzz_env_SOURCES = fuzz/fuzz_env.c fuzz/fuzz.h \
	common/env.c common/env.h
fuzz_fuzz_env_CPPFLAGS = $(FUZZ_CPPFLAGS)
fuzz_fuzz_env_CFLAGS = $(WARN_CFLAGS) $(FUZZ_FLAGS)
fuzz_fuzz_env_LDFLAGS = $(FUZZ_FLAGS)

fuzz: fuzz/fuzz_rule$(EXEEXT) fuzz/fuzz_request$(EXEEXT) \
	fuzz/fuzz_addr$(EXEEXT) fuzz/fuzz_env$(EXEEXT)
	AB_FUZZ_BUILDDIR='$(abs_top_builddir)/fuzz' \
	  $(SHELL) '$(srcdir)/fuzz/run.sh' $(FUZZ_SECONDS)
else
fuzz:
	@echo "make fuzz: configure with: CC=clang ./configure --enable-fuzzing" >&2
	@exit 1
endif
.PHONY: fuzz

# The targets' sources are distributed whether or not fuzzing is enabled.
EXTRA_DIST += fuzz/README fuzz/run.sh fuzz/make-corpus.py fuzz/corpus
