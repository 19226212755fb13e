#!/usr/bin/env bash
# `version-file` writes the seed's version.json atomically, and fails clearly
# outside a git checkout or without package.json.
. "$OPSDECK_SRCDIR/tests/integration/lib.sh"

mkdir app && cd app
printf '{"name":"shop","version":"2.3.4"}\n' > package.json

# Outside a git checkout: a clear error, nothing written.
err=$(GIT_CEILING_DIRECTORIES=$PWD/.. "$OPSDECK" version-file 2>&1) && rc=0 || rc=$?
assert_eq "$rc" 1 "fails outside git"
assert_contains "$err" "git"
assert_eq "$(ls public 2>/dev/null | wc -l)" 0 "nothing written"

git init -q . && git -c user.name=t -c user.email=t@t commit -q --allow-empty -m init
mkdir public
out=$(BUILD_NUMBER=57 "$OPSDECK" version-file)
assert_contains "$out" "Version file updated: public/version.json"
doc=$(cat public/version.json)
assert_eq "$(json_get "$doc" version)" 2.3.4 "version from package.json"
assert_eq "$(json_get "$doc" buildNumber)" 57 "build number from BUILD_NUMBER"
assert_eq "$(json_get "$doc" commitHash)" "$(git rev-parse --short HEAD)" "commit hash"
assert_contains "$(json_get "$doc" buildDate)" "Z"
assert_eq "$(ls public)" version.json "no temporary file left behind"
assert_eq "$(stat -c %a public/version.json)" 644 "readable by the app"

# Without BUILD_NUMBER: "0", as the seed does.
env -u BUILD_NUMBER "$OPSDECK" version-file --out public/v2.json >/dev/null
assert_eq "$(json_get "$(cat public/v2.json)" buildNumber)" 0 "default build number"

# Without package.json, or with a broken one.
err=$("$OPSDECK" version-file --package nope.json 2>&1) && rc=0 || rc=$?
assert_eq "$rc" 1 "missing package.json fails"
assert_contains "$err" "nope.json"
echo '{"name":' > broken.json
err=$("$OPSDECK" version-file --package broken.json 2>&1) && rc=0 || rc=$?
assert_contains "$err" "broken.json: not valid JSON"
finish
