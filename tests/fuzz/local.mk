# Fuzzing: one libFuzzer target per parser (tests/fuzz/fuzz_NAME.c, seed
# corpus in tests/fuzz/corpus/NAME/, dictionary tests/fuzz/NAME.dict where
# one helps; doc/fuzzing.md). With --enable-fuzzing the targets are linked
# with libFuzzer and `make fuzz-smoke` runs each for FUZZ_SECONDS (default
# 10); otherwise they are linked with a replay driver and `make check` runs
# each over its corpus, so every input kept there stays a regression test.
FUZZ_NAMES = ini config envfile pgurl redisurl s3url redis_info version_json s3_xml glob theme sanitize
FUZZ_TESTS = tests/fuzz/fuzz_ini \
	tests/fuzz/fuzz_config \
	tests/fuzz/fuzz_envfile \
	tests/fuzz/fuzz_pgurl \
	tests/fuzz/fuzz_redisurl \
	tests/fuzz/fuzz_s3url \
	tests/fuzz/fuzz_redis_info \
	tests/fuzz/fuzz_version_json \
	tests/fuzz/fuzz_s3_xml \
	tests/fuzz/fuzz_glob \
	tests/fuzz/fuzz_theme \
	tests/fuzz/fuzz_sanitize
check_PROGRAMS += $(FUZZ_TESTS)
if FUZZING
fuzz_driver =
fuzz_ldflags = $(FUZZ_LDFLAGS)
else
fuzz_driver = tests/fuzz/replay.c
fuzz_ldflags =
TESTS += $(FUZZ_TESTS)
endif
fuzz_ldadd = libopsdeck.a $(DEPS_LIBS)
tests_fuzz_fuzz_ini_SOURCES = tests/fuzz/fuzz_ini.c tests/fuzz/fuzz.h $(fuzz_driver)
tests_fuzz_fuzz_ini_LDADD = $(fuzz_ldadd)
tests_fuzz_fuzz_ini_LDFLAGS = $(fuzz_ldflags)
tests_fuzz_fuzz_config_SOURCES = tests/fuzz/fuzz_config.c tests/fuzz/fuzz.h $(fuzz_driver)
tests_fuzz_fuzz_config_LDADD = $(fuzz_ldadd)
tests_fuzz_fuzz_config_LDFLAGS = $(fuzz_ldflags)
tests_fuzz_fuzz_envfile_SOURCES = tests/fuzz/fuzz_envfile.c tests/fuzz/fuzz.h $(fuzz_driver)
tests_fuzz_fuzz_envfile_LDADD = $(fuzz_ldadd)
tests_fuzz_fuzz_envfile_LDFLAGS = $(fuzz_ldflags)
tests_fuzz_fuzz_pgurl_SOURCES = tests/fuzz/fuzz_pgurl.c tests/fuzz/fuzz.h $(fuzz_driver)
tests_fuzz_fuzz_pgurl_LDADD = $(fuzz_ldadd)
tests_fuzz_fuzz_pgurl_LDFLAGS = $(fuzz_ldflags)
tests_fuzz_fuzz_redisurl_SOURCES = tests/fuzz/fuzz_redisurl.c tests/fuzz/fuzz.h $(fuzz_driver)
tests_fuzz_fuzz_redisurl_LDADD = $(fuzz_ldadd)
tests_fuzz_fuzz_redisurl_LDFLAGS = $(fuzz_ldflags)
tests_fuzz_fuzz_s3url_SOURCES = tests/fuzz/fuzz_s3url.c tests/fuzz/fuzz.h $(fuzz_driver)
tests_fuzz_fuzz_s3url_LDADD = $(fuzz_ldadd)
tests_fuzz_fuzz_s3url_LDFLAGS = $(fuzz_ldflags)
tests_fuzz_fuzz_redis_info_SOURCES = tests/fuzz/fuzz_redis_info.c tests/fuzz/fuzz.h $(fuzz_driver)
tests_fuzz_fuzz_redis_info_LDADD = $(fuzz_ldadd)
tests_fuzz_fuzz_redis_info_LDFLAGS = $(fuzz_ldflags)
tests_fuzz_fuzz_version_json_SOURCES = tests/fuzz/fuzz_version_json.c tests/fuzz/fuzz.h $(fuzz_driver)
tests_fuzz_fuzz_version_json_LDADD = $(fuzz_ldadd)
tests_fuzz_fuzz_version_json_LDFLAGS = $(fuzz_ldflags)
tests_fuzz_fuzz_s3_xml_SOURCES = tests/fuzz/fuzz_s3_xml.c tests/fuzz/fuzz.h $(fuzz_driver)
tests_fuzz_fuzz_s3_xml_LDADD = $(fuzz_ldadd)
tests_fuzz_fuzz_s3_xml_LDFLAGS = $(fuzz_ldflags)
tests_fuzz_fuzz_glob_SOURCES = tests/fuzz/fuzz_glob.c tests/fuzz/fuzz.h $(fuzz_driver)
tests_fuzz_fuzz_glob_LDADD = $(fuzz_ldadd)
tests_fuzz_fuzz_glob_LDFLAGS = $(fuzz_ldflags)
tests_fuzz_fuzz_theme_SOURCES = tests/fuzz/fuzz_theme.c tests/fuzz/fuzz.h $(fuzz_driver)
tests_fuzz_fuzz_theme_LDADD = $(fuzz_ldadd)
tests_fuzz_fuzz_theme_LDFLAGS = $(fuzz_ldflags)
tests_fuzz_fuzz_sanitize_SOURCES = tests/fuzz/fuzz_sanitize.c tests/fuzz/fuzz.h $(fuzz_driver)
tests_fuzz_fuzz_sanitize_LDADD = $(fuzz_ldadd)
tests_fuzz_fuzz_sanitize_LDFLAGS = $(fuzz_ldflags)
EXTRA_DIST += tests/fuzz/corpus tests/fuzz/smoke.sh tests/fuzz/ini.dict tests/fuzz/config.dict \
	tests/fuzz/envfile.dict tests/fuzz/pgurl.dict tests/fuzz/redisurl.dict tests/fuzz/s3url.dict \
	tests/fuzz/redis_info.dict tests/fuzz/version_json.dict tests/fuzz/s3_xml.dict \
	tests/fuzz/glob.dict tests/fuzz/theme.dict

# Runs every target for FUZZ_SECONDS on a scratch copy of its corpus (in
# tests/fuzz/smoke/ of the build tree); fails on a crash, leak or timeout
# and prints the reproducer.
if FUZZING
fuzz-smoke: $(FUZZ_TESTS)
	@$(SHELL) $(srcdir)/tests/fuzz/smoke.sh '$(abs_top_srcdir)' '$(abs_top_builddir)' $(FUZZ_NAMES)
else
fuzz-smoke:
	@echo "fuzz-smoke needs the libFuzzer targets: ./configure CC=clang --enable-fuzzing" >&2; exit 1
endif
.PHONY: fuzz-smoke
clean-local: clean-fuzz-smoke
clean-fuzz-smoke:
	rm -rf tests/fuzz/smoke
.PHONY: clean-fuzz-smoke
