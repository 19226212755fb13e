# Security checks: no secret in any output, no shell, the modes of the files
# opsdeck creates, and the config-permission rule.
SECURITY_TESTS = \
	tests/security/no_shell.sh \
	tests/security/file_modes.sh \
	tests/security/config_permissions.sh \
	tests/security/secrets.sh
SECURITY_TESTS += tests/security/url_password_fragments.sh
TESTS += $(SECURITY_TESTS)
EXTRA_DIST += $(SECURITY_TESTS)
