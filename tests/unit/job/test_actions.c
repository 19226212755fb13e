/* test_actions.c - the pure parts of the recovery actions: command-line
 * splitting and quoting, glob escaping, the registry and availability. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config/config.h"
#include "job/actions.h"
#include "model/issue.h"
#include "util/text.h"

static void check_split(const char *line, int argc, const char *const *want)
{
	char **argv = NULL;
	char err[128];
	assert_int_equal(action_split_command(line, &argv, err, sizeof(err)), argc);
	for (int i = 0; i < argc; i++)
		assert_string_equal(argv[i], want[i]);
	assert_null(argv[argc]);
	action_argv_free(argv);
}

static void check_split_fails(const char *line, const char *why)
{
	char **argv = (char **)1;
	char err[128];
	assert_int_equal(action_split_command(line, &argv, err, sizeof(err)), -1);
	assert_null(argv);
	assert_non_null(strstr(err, why));
}

static void test_split_words(void **state)
{
	(void)state;
	check_split("pm2 restart all", 3, (const char *[]){"pm2", "restart", "all"});
	check_split("  a\t b  ", 2, (const char *[]){"a", "b"});
	check_split("/usr/bin/printf '%s|' 'a;b' '$(x)'", 4,
	            (const char *[]){"/usr/bin/printf", "%s|", "a;b", "$(x)"});
}

static void test_split_quotes(void **state)
{
	(void)state;
	check_split("a'b'c \"d\"e", 2, (const char *[]){"abc", "de"});
	check_split("'' \"\"", 2, (const char *[]){"", ""});
	check_split("\"a \\\"q\\\" \\\\ \\$ \\x\"", 1, (const char *[]){"a \"q\" \\ $ \\x"});
	check_split("'no \\ escape'", 1, (const char *[]){"no \\ escape"});
	check_split("a\\ b c\\'d", 2, (const char *[]){"a b", "c'd"});
	check_split("x ; y | z > f && $HOME *", 10,
	            (const char *[]){"x", ";", "y", "|", "z", ">", "f", "&&", "$HOME", "*"});
}

static void test_split_errors(void **state)
{
	(void)state;
	check_split_fails("pm2 restart 'all", "unbalanced single quote");
	check_split_fails("echo \"abc", "unbalanced double quote");
	check_split_fails("echo abc\\", "trailing backslash");
	check_split_fails("   ", "empty");
	check_split_fails("", "empty");
	check_split_fails(NULL, "empty");
}

static void test_format_round_trip(void **state)
{
	(void)state;
	const char *lines[] = {"pm2 restart all", "/usr/bin/printf '%s|' 'a;b' '$(x)'",
	                       "say \"it's\" '' x\\ y"};
	for (size_t i = 0; i < sizeof(lines) / sizeof(lines[0]); i++) {
		char **a = NULL, **b = NULL, err[128], text[512];
		int n = action_split_command(lines[i], &a, err, sizeof(err));
		assert_true(n > 0);
		action_argv_format(a, text, sizeof(text));
		assert_int_equal(action_split_command(text, &b, err, sizeof(err)), n);
		for (int k = 0; k < n; k++)
			assert_string_equal(a[k], b[k]);
		action_argv_free(a);
		action_argv_free(b);
	}
	char *argv[] = {"pm2", "restart", "all", NULL};
	char text[64];
	action_argv_format(argv, text, sizeof(text));
	assert_string_equal(text, "pm2 restart all");
}

static void test_glob_escape(void **state)
{
	(void)state;
	char out[64];
	assert_int_equal(action_glob_escape("cache:", out, sizeof(out)), 0);
	assert_string_equal(out, "cache:");
	assert_int_equal(action_glob_escape("c*x?[a]\\^", out, sizeof(out)), 0);
	assert_string_equal(out, "c\\*x\\?\\[a\\]\\\\\\^");
	assert_int_equal(action_glob_escape("", out, sizeof(out)), 0);
	assert_string_equal(out, "");
	/* too long: refused rather than cut (a cut pattern matches more) */
	assert_int_equal(action_glob_escape("abcdefgh", out, 6), -1);
}

static void test_registry(void **state)
{
	(void)state;
	const char *names[] = {"clear-cache",  "restart-app",     "reconnect-db",
	                       "cancel-query", "terminate-query", "terminate-blocker"};
	assert_int_equal(ACTION_COUNT, 6);
	for (size_t i = 0; i < 6; i++) {
		const struct action *a = action_find(names[i]);
		assert_non_null(a);
		assert_int_equal(a->id, (int)i);
		assert_ptr_equal(a, &ACTIONS[a->id]);
		assert_non_null(action_ops_of(a->id)->dry_run);
		assert_non_null(action_ops_of(a->id)->run);
		/* the usage starts with the name; only pid actions take --pid */
		assert_int_equal(strncmp(a->usage, a->name, strlen(a->name)), 0);
		assert_int_equal(strstr(a->usage, "--pid N") != NULL,
		                 (a->needs & (ACTION_NEEDS_PID | ACTION_TAKES_PID)) != 0);
	}
	char names_text[256];
	action_names(names_text, sizeof(names_text));
	assert_string_equal(names_text, "clear-cache, restart-app, reconnect-db, cancel-query, "
	                                "terminate-query, terminate-blocker");
	action_names_needing(ACTION_NEEDS_PID, " and ", names_text, sizeof(names_text));
	assert_string_equal(names_text, "cancel-query and terminate-query");
	action_names(names_text, 8);
	assert_string_equal(names_text, "clear-c");
	/* every default suggestion of an issue type is an action of the registry */
	for (size_t t = 0; t < ISSUE_TYPE_COUNT; t++) {
		char list[128];
		text_copy(list, ISSUE_TYPES[t].default_actions, sizeof(list));
		for (char *save = NULL, *w = strtok_r(list, " ", &save); w;
		     w = strtok_r(NULL, " ", &save))
			assert_non_null(action_find(w));
	}
	/* every issue type an action addresses exists; a fallback is an action */
	for (size_t i = 0; i < ACTION_COUNT; i++) {
		size_t found = 0;
		for (size_t t = 0; t < ISSUE_TYPE_COUNT; t++)
			found += action_word_listed(ACTIONS[i].addresses, ISSUE_TYPES[t].name);
		char list[256];
		size_t words = 0;
		text_copy(list, ACTIONS[i].addresses, sizeof(list));
		for (char *save = NULL, *w = strtok_r(list, " ", &save); w;
		     w = strtok_r(NULL, " ", &save))
			words++;
		assert_int_equal(found, words);
		if (ACTIONS[i].fallback)
			assert_non_null(action_find(ACTIONS[i].fallback));
	}
	assert_null(action_find("flush-everything"));
	assert_false(action_find("cancel-query")->destructive);
	assert_true(action_find("terminate-query")->destructive);
	assert_true(action_find("terminate-blocker")->destructive);
	assert_true(action_find("clear-cache")->destructive);
}

static void test_sessions_and_issues(void **state)
{
	(void)state;
	const struct action *cancel = action_find("cancel-query");
	const struct action *terminate = action_find("terminate-query");
	/* pg_cancel_backend does nothing to a session that runs no query */
	assert_true(action_affects_session(cancel, "active"));
	assert_false(action_affects_session(cancel, "idle in transaction"));
	assert_false(action_affects_session(cancel, "idle in transaction (aborted)"));
	assert_true(action_affects_session(terminate, "idle in transaction"));
	assert_string_equal(cancel->fallback, "terminate-query");
	assert_true(action_word_listed("a bb c", "bb"));
	assert_false(action_word_listed("a bb c", "b"));
	assert_false(action_word_listed(NULL, "a"));
	/* a lock suggests ending its blocker first; terminate-query addresses
	 * it (and the other session issues) whatever it suggests */
	assert_int_equal(
	    strncmp(ISSUE_TYPES[ISSUE_LOCK_WAITERS].default_actions, "terminate-query ", 16), 0);
	struct issue lock = {.type = ISSUE_LOCK_WAITERS, .action_count = 1};
	snprintf(lock.actions[0], sizeof(lock.actions[0]), "cancel-query");
	assert_true(issue_addressed_by(&lock, terminate));
	struct issue idle = {.type = ISSUE_IDLE_IN_TRANSACTION};
	assert_true(issue_addressed_by(&idle, terminate));
	assert_false(issue_addressed_by(&idle, action_find("clear-cache")));
	struct issue disk = {.type = ISSUE_STORAGE_FULL, .action_count = 1};
	snprintf(disk.actions[0], sizeof(disk.actions[0]), "clear-cache");
	assert_true(issue_addressed_by(&disk, action_find("clear-cache")));
}

static void test_available(void **state)
{
	(void)state;
	struct config cfg;
	char why[256];
	config_defaults(&cfg);
	assert_false(action_available(action_find("clear-cache"), &cfg, why, sizeof(why)));
	assert_string_not_equal(why, "");
	assert_false(action_available(action_find("restart-app"), &cfg, why, sizeof(why)));
	assert_non_null(strstr(why, "restart_command"));
	free(cfg.recovery.restart_command);
	cfg.recovery.restart_command = strdup("pm2 restart 'all");
	assert_false(action_available(action_find("restart-app"), &cfg, why, sizeof(why)));
	assert_non_null(strstr(why, "unbalanced"));
	free(cfg.recovery.restart_command);
	cfg.recovery.restart_command = strdup("pm2 restart all");
	assert_true(action_available(action_find("restart-app"), &cfg, why, sizeof(why)));
	assert_string_equal(why, "");
	free(cfg.database.url);
	cfg.database.url = strdup("postgres://app@127.0.0.1/shop");
	assert_true(action_available(action_find("reconnect-db"), &cfg, why, sizeof(why)));
	config_free(&cfg);
}

/* An empty cache_prefix says nothing about which keys are cache: clear-cache
 * is refused (it once meant FLUSHDB). Only "*" asks for the whole db. */
static void test_clear_cache_needs_a_prefix(void **state)
{
	(void)state;
	struct config cfg;
	char why[512];
	const struct action *a = action_find("clear-cache");
	config_defaults(&cfg);
	free(cfg.redis.url);
	cfg.redis.url = strdup("redis://127.0.0.1:6379/0");
	assert_true(action_available(a, &cfg, why, sizeof(why)));
	free(cfg.redis.cache_prefix);
	cfg.redis.cache_prefix = strdup("");
	assert_false(action_available(a, &cfg, why, sizeof(why)));
	assert_non_null(strstr(why, "cache_prefix is empty"));
	assert_non_null(strstr(why, "or to * to flush the whole selected database"));
	free(cfg.redis.cache_prefix);
	cfg.redis.cache_prefix = strdup(CONFIG_CACHE_PREFIX_ALL);
	assert_true(action_available(a, &cfg, why, sizeof(why)));
	config_free(&cfg);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_split_words),
	    cmocka_unit_test(test_split_quotes),
	    cmocka_unit_test(test_split_errors),
	    cmocka_unit_test(test_format_round_trip),
	    cmocka_unit_test(test_glob_escape),
	    cmocka_unit_test(test_registry),
	    cmocka_unit_test(test_sessions_and_issues),
	    cmocka_unit_test(test_available),
	    cmocka_unit_test(test_clear_cache_needs_a_prefix),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
