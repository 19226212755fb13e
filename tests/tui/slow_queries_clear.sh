#!/usr/bin/env bash
# The dashboard's slow queries are those of the calls over the last one to
# two minutes (slow_queries.h): a slow statement shows up at the next poll,
# in the Slow queries panel and as an issue, and goes once it has stopped for
# that long, although pg_stat_statements still counts it.
. "$OPSDECK_SRCDIR/tests/tui/lib.sh"
stack_use pg,redis,app
write_stack_config opsdeck.conf "timeout = 2s"
# A statement of its own shape: pg_stat_statements keeps one entry (and the
# first text) for statements that differ only in constants or aliases.
slow_sql="SELECT 1 FROM pg_sleep(1.2) WHERE current_setting('application_name') IS NOT NULL"
shown="pg_sleep(\$2) WHERE current_setting"

tui_start 160 40 -c opsdeck.conf
assert_screen "+ OK   database"
assert_screen "no statement slower than 1000 ms on average since this poll" 10
psql_app "$slow_sql" >/dev/null
assert_screen "$shown" 10
assert_contains "$SCREEN" "averaged over 1000 ms in the last" "the issue names its span"
assert_not_contains "$SCREEN" "no issues" "the Issues panel has it"
# nothing slow since: the list empties and the issue clears
assert_screen "no statement slower than 1000 ms on average in the last" 150
assert_screen "no issues" 5
tui_keys q
assert_screen "EXIT=0"
finish
