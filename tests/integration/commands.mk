# SPDX-License-Identifier: GPL-2.0-or-later
# Integration tests of the wrapper's commands: --explain, --list,
# --check-config, the warnings before exec and the denial line, with golden
# files for their output (see tests/integration/harness.sh).
TESTS += tests/integration/explain.sh tests/integration/check_config.sh \
	tests/integration/preflight.sh

EXTRA_DIST += tests/integration/explain.sh tests/integration/check_config.sh \
	tests/integration/golden.sh \
	tests/integration/preflight.sh \
	tests/golden/check-config-clean.out \
	tests/golden/check-config-as-user.out \
	tests/golden/check-config-directories.out \
	tests/golden/check-config-problems.out \
	tests/golden/check-config-warning.out \
	tests/golden/explain-byaddr.out \
	tests/golden/explain-bygid-name.out \
	tests/golden/explain-bygid-not-member.out \
	tests/golden/explain-bygid.out \
	tests/golden/explain-byport-owner.out \
	tests/golden/explain-byport.out \
	tests/golden/explain-byuid.out \
	tests/golden/explain-denied.out \
	tests/golden/explain-dual-brackets.out \
	tests/golden/explain-dual-star.out \
	tests/golden/explain-tcp-default.out \
	tests/golden/explain-tcp-not-udp.out \
	tests/golden/explain-udp-not-tcp.out \
	tests/golden/explain-udp.out \
	tests/golden/explain-user-root-other.out \
	tests/golden/explain-user-root.out \
	tests/golden/list-other.out \
	tests/golden/list.out \
	tests/golden/preflight-envscript.err \
	tests/golden/preflight-env-depth-1.err \
	tests/golden/preflight-env-options.err \
	tests/golden/preflight-launcher.err \
	tests/golden/preflight-go.err \
	tests/golden/preflight-helper-nosuid.err \
	tests/golden/preflight-helper-not-setuid.err \
	tests/golden/preflight-nnp-setuid.err \
	tests/golden/preflight-nnp.err \
	tests/golden/preflight-script-in-path.err \
	tests/golden/preflight-script.err \
	tests/golden/preflight-setcap.err \
	tests/golden/preflight-setuid.err \
	tests/golden/preflight-static.err
