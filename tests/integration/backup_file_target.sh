#!/usr/bin/env bash
# A file:// target that does not exist yet is created by the first backup,
# with its missing parents, each 0700, and said once on stderr; a second
# backup says nothing of it. Reading a missing target (list, verify) creates
# nothing and says the directory does not exist. A target path that exists
# and is not a directory is refused with one clear line, for backups and
# for the listing, and nothing is written beside it.
. "$OPSDECK_SRCDIR/tests/integration/lib.sh"
. "$OPSDECK_SRCDIR/tests/integration/backup_lib.sh"
stack_use pg

src=$TEST_DIR/uploads
mkdir -p "$src"
echo one >"$src/one.txt"

# ---- reading a missing target creates nothing
bk_config c.conf "file://$TEST_DIR/new/a/b" "" "files_source = $src"
assert_exit 1 "$OPSDECK" -c c.conf backup list
assert_contains "$ERR" "the target directory $TEST_DIR/new/a/b does not exist" "list: why"
assert_exit 1 "$OPSDECK" -c c.conf backup verify shop_x.sql.gz
if [ -e "$TEST_DIR/new" ]; then fail "reading created $TEST_DIR/new"; else pass "reading creates nothing"; fi

# ---- the first backup creates it, with its parents, 0700, and says so once
assert_exit 0 "$OPSDECK" -c c.conf backup db
assert_eq "$(grep -c 'created the target directory' <<<"$ERR")" 1 "db: said once on stderr"
assert_contains "$ERR" "created the target directory $TEST_DIR/new/a/b (mode 0700)"
assert_not_contains "$OUT" "created the target directory" "db: not in the summary on stdout"
for d in new new/a new/a/b; do
	assert_eq "$(stat -c %a "$TEST_DIR/$d")" 700 "mode of $d"
done
assert_eq "$(find "$TEST_DIR/new/a/b" -name '*.sql.gz' | wc -l)" 1 "the backup is in it"
assert_exit 0 "$OPSDECK" -c c.conf backup files
assert_not_contains "$ERR" "created the target directory" "files: nothing to create any more"
assert_exit 0 "$OPSDECK" -c c.conf backup list
assert_contains "$OUT" complete

# the same for a first `backup files`, with a parent that exists: it keeps
# its mode
mkdir -p "$TEST_DIR/kept"
chmod 755 "$TEST_DIR/kept"
bk_config f.conf "file://$TEST_DIR/kept/files" "" "files_source = $src"
assert_exit 0 "$OPSDECK" -c f.conf backup files
assert_contains "$ERR" "created the target directory $TEST_DIR/kept/files (mode 0700)"
assert_eq "$(stat -c %a "$TEST_DIR/kept/files")" 700 "mode of kept/files"
assert_eq "$(stat -c %a "$TEST_DIR/kept")" 755 "an existing parent keeps its mode"

# two first backups at once: one creates the directory, and only it says so
bk_config two.conf "file://$TEST_DIR/two" "" "files_source = $src"
"$OPSDECK" -c two.conf backup db >out1 2>err1 &
p1=$!
"$OPSDECK" -c two.conf backup db >out2 2>err2 &
p2=$!
rc1=0 rc2=0
wait "$p1" || rc1=$?
wait "$p2" || rc2=$?
assert_eq "$rc1 $rc2" "0 0" "two first backups at once: both exit 0"
assert_eq "$(cat err1 err2 | grep -c 'created the target directory')" 1 "two first backups: said once"
assert_eq "$(stat -c %a "$TEST_DIR/two")" 700 "mode of two"

# ---- a path that is not a directory: one clear line, nothing written
echo "not a directory" >"$TEST_DIR/plain"
bk_config p.conf "file://$TEST_DIR/plain" "" "files_source = $src"
for verb in "backup db" "backup files" "backup list"; do
	# shellcheck disable=SC2086
	run "$OPSDECK" -c p.conf $verb
	if [ "$RC" = 1 ] || [ "$RC" = 2 ]; then pass "$verb: exit $RC"; else fail "$verb: exit $RC, want 1 or 2"; fi
	assert_contains "$ERR" "$TEST_DIR/plain exists and is not a directory" "$verb: why"
	assert_eq "$(grep -c . <<<"$ERR")" 1 "$verb: one line"
done
assert_eq "$(cat "$TEST_DIR/plain")" "not a directory" "the file is untouched"
assert_eq "$(find "$TEST_DIR" -maxdepth 1 -name 'plain*' | wc -l)" 1 "nothing written beside it"
# a component of the path that is a file
bk_config q.conf "file://$TEST_DIR/plain/sub" "" "files_source = $src"
assert_exit 2 "$OPSDECK" -c q.conf backup db
assert_contains "$ERR" "$TEST_DIR/plain/sub" "a file in the path: named"
finish
