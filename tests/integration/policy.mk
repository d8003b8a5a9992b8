# Integration tests of the policy forms, denials and the wrapper.
POLICY_TESTS = \
	tests/integration/grants.sh \
	tests/integration/denials.sh \
	tests/integration/compat.sh \
	tests/integration/dualstack.sh \
	tests/integration/sockets.sh \
	tests/integration/wrapper.sh \
	tests/integration/unprivileged.sh \
	tests/integration/audit.sh

TESTS += $(POLICY_TESTS)

EXTRA_DIST += $(POLICY_TESTS) tests/integration/policy-common.sh
