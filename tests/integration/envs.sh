#!/usr/bin/env bash
# Environments: envs/NAME.conf under $XDG_CONFIG_HOME/opsdeck. `-e NAME`
# selects one for every verb, with a history directory of its own; an
# unknown name lists the known ones; -e and
# -c together, or a name that is a path, are usage errors. `opsdeck envs`
# probes them all at once and lists name, state, version and top issue
# (text and JSON), exiting with the worst state; a broken environment (an
# unknown key, a secret readable by others) is listed as unknown with its
# file and line and hides none of the others; a hung app is critical. With
# no environment at all, envs says where to put one (exit 3). [ui] banner
# and banner_color are checked like any key.
. "$OPSDECK_SRCDIR/tests/integration/lib.sh"
stack_use pg,redis,app
envs=$XDG_CONFIG_HOME/opsdeck/envs

run "$OPSDECK" envs
assert_eq "$RC" 3 "no environment: exit 3"
assert_contains "$ERR" "no environment is configured"
run "$OPSDECK" -e production status
assert_eq "$RC" 2 "-e with no environment: a usage error"
assert_contains "$ERR" "unknown environment 'production': none is configured (put production.conf in $envs"

mkdir -p "$envs"
write_stack_config "$envs/production.conf" "name = shop-prod" "timeout = 2s" \
	"[ui]" "banner = PRODUCTION" "banner_color = red"
write_stack_config "$envs/staging.conf" "name = shop-staging" "timeout = 2s"
printf '[app]\nname = typo\nhealth_ur = http://127.0.0.1:1/\n' | write_config "$envs/broken.conf"

# a hung app: a listener that accepts and never answers
http_fixture hold
write_stack_config "$envs/hung.conf" "name = shop-hung" "timeout = 2s" \
	"health_url = http://127.0.0.1:$FIXTURE_PORT/api/health"

# -e selects a whole configuration, for every verb
run "$OPSDECK" -e staging status --json
assert_eq "$RC" 0 "-e staging status"
assert_eq "$(json_get "$OUT" app)" shop-staging "the environment's configuration is used"
# each environment keeps a history of its own unless its file names one
assert_eq "$(json_get "$OUT" history.dir)" "$STATE_DIRECTORY/history/staging" \
	"-e staging: its own history directory"
run "$OPSDECK" -c "$envs/staging.conf" status --json
assert_eq "$(json_get "$OUT" history.dir)" "$STATE_DIRECTORY/history" \
	"-c: the default history directory"
run "$OPSDECK" status --env production --json
assert_eq "$(json_get "$OUT" app)" shop-prod "--env after the verb"
run "$OPSDECK" -e nope status
assert_eq "$RC" 2 "an unknown environment"
assert_contains "$ERR" "unknown environment 'nope' (known: broken, hung, production, staging)"
run "$OPSDECK" -e ../production status
assert_eq "$RC" 2 "a path is not a name"
assert_contains "$ERR" "'../production' is not an environment name"
run "$OPSDECK" -c "$envs/staging.conf" -e production status
assert_eq "$RC" 2 "-c and -e together"
assert_contains "$ERR" "cannot be used together"
run "$OPSDECK" -e broken status
assert_eq "$RC" 2 "a broken environment's error names its file and line"
assert_contains "$ERR" "$envs/broken.conf:3: unknown key 'health_ur'"

# envs: every environment at once
run "$OPSDECK" envs --json
assert_eq "$RC" 2 "envs exits with the worst state: critical"
assert_json "$OUT" "envs --json"
assert_no_secrets "$OUT$ERR"
assert_eq "$(json_get "$OUT" 'd["environments"][0]["name"] + " " + d["environments"][1]["name"] + " " + d["environments"][2]["name"] + " " + d["environments"][3]["name"]')" \
	"broken hung production staging" "sorted by name"
assert_eq "$(json_get "$OUT" environments.0.state)" unknown "broken: unknown"
assert_contains "$(json_get "$OUT" environments.0.top_issue)" "broken.conf:3: unknown key 'health_ur'"
assert_eq "$(json_get "$OUT" environments.1.state)" critical "hung app: critical"
assert_contains "$(json_get "$OUT" environments.1.top_issue)" "health"
assert_match "$(json_get "$OUT" environments.3.state)" '^(ok|warning)$' "staging: no backend down"
assert_eq "$(json_get "$OUT" environments.3.version)" 1.4.2 "the deployed version"
assert_eq "$(json_get "$OUT" 'd["environments"][0] and ",".join(sorted(d["environments"][0]))')" \
	"name,state,top_issue,version" "the four fields"
run "$OPSDECK" envs
assert_match "$OUT" $'^ENVIRONMENT +STATE +VERSION +TOP ISSUE\n' "a table for people"
assert_match "$OUT" $'\nhung +CRITICAL +1\\.4\\.2 +The app\'s health check failed' "a row per environment"
assert_match "$OUT" $'\nstaging +(OK|WARNING) +1\\.4\\.2 ' "the version in the row"

# a secret in a file others can read: refused for it alone
write_stack_config "$envs/loose.conf" "name = loose"
chmod 0644 "$envs/loose.conf"
run "$OPSDECK" envs --json
assert_no_secrets "$OUT$ERR"
assert_contains "$OUT" '"name":"loose","state":"unknown"' "a loose secret: that environment is unknown"
assert_contains "$OUT" "readable by group or others"
assert_contains "$OUT" '"name":"staging"' "the others are still listed"
rm -f "$envs/loose.conf" "$envs/hung.conf"
run "$OPSDECK" envs
assert_eq "$RC" 3 "without the hung app the worst is the broken one: unknown"

# [ui] banner and banner_color
write_stack_config bad.conf "[ui]" "banner_color = purple"
run "$OPSDECK" -c bad.conf status
assert_eq "$RC" 2 "an unknown banner colour"
assert_contains "$ERR" "bad.conf"
assert_contains "$ERR" "banner_color: 'purple' is not a banner colour (use red, yellow, green, blue, magenta, cyan)"
write_stack_config long.conf "[ui]" "banner = $(printf 'P%.0s' {1..41})"
run "$OPSDECK" -c long.conf status
assert_eq "$RC" 2 "a banner longer than 40 bytes"
assert_contains "$ERR" "is longer than 40 bytes"
finish
