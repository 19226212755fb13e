#!/usr/bin/env bash
# restore files: a files backup (file:// and S3) written back into a
# directory gives the same tree (SHA-256 of each file), 0600 files in 0700
# directories; the dry run lists and writes nothing; existing files are
# refused without --overwrite (nothing written) and replaced with it; no
# terminal and no --yes, or read-only mode, refuse; a manifest naming
# "../x" or an absolute path, and a symbolic link on the way in DIR, are
# refused with nothing written outside DIR; a tampered object (one byte)
# is named as failed, the others are restored and nothing is left under
# its name; every run is in the audit log, a declined confirmation too.
. "$OPSDECK_SRCDIR/tests/integration/lib.sh"
. "$OPSDECK_SRCDIR/tests/integration/backup_lib.sh"
stack_use pg,s3
require_cmd sha256sum

src=$TEST_DIR/uploads
mkdir -p "$src/a/b/c" "$src/with space" "$src/ünï"
printf 'top\n' >"$src/top.txt"
printf 'deep\n' >"$src/a/b/c/deep.png"
printf 'space\n' >"$src/with space/file name.txt"
printf 'unicode\n' >"$src/ünï/naïve café.txt"
head -c 300000 /dev/urandom >"$src/a/b/random.bin"
: >"$src/empty"
nfiles=6

tree_sums() { # DIR: "sha256  path" of every file, sorted by path
	(cd "$1" && find . -type f -print0 | sort -z | xargs -0 sha256sum)
}
same_tree() { # DIR LABEL
	if [ "$(tree_sums "$1")" = "$(tree_sums "$src")" ]; then
		pass "$2: the same tree, file by file"
	else
		fail "$2: the trees differ"
		diff <(tree_sums "$src") <(tree_sums "$1") >&2 || true
	fi
}
no_temporaries() { # DIR LABEL
	assert_eq "$(find "$1" -name '.*.opsdeck-*' | wc -l)" 0 "$2: no temporary file left"
}

# ---- file://
bk_config c.conf "file://$TEST_DIR/target"
assert_exit 0 "$OPSDECK" -c c.conf backup files --source "$src"
key=$(cd target && ls -d -- */ | tr -d /)

assert_exit 0 "$OPSDECK" -c c.conf restore files "$key" --into out --dry-run
assert_eq "$(printf '%s\n' "$OUT" | grep -c '^would write ')" "$nfiles" "dry run: one line a file"
assert_contains "$OUT" "would write a/b/random.bin (300000 bytes)"
assert_contains "$OUT" "dry run: would restore $nfiles files"
[ ! -e out ] && pass "dry run: nothing created" || fail "dry run created out/"

assert_exit 2 "$OPSDECK" -c c.conf restore files "$key" --into out </dev/null
assert_contains "$ERR" "no terminal to confirm on"
[ ! -e out ] && pass "unconfirmed: nothing created" || fail "unconfirmed run created out/"

assert_exit 2 "$OPSDECK" -c c.conf --read-only restore files "$key" --into out --yes
assert_contains "$ERR" "read-only mode"
[ ! -e out ] && pass "read-only: nothing created" || fail "read-only run created out/"

assert_exit 0 "$OPSDECK" -c c.conf restore files "$key/" --into out --yes
assert_contains "$OUT" "restored $nfiles files"
same_tree out file
assert_eq "$(stat -c %a out/a/b/random.bin)" 600 "a restored file is 0600"
assert_eq "$(stat -c %a out/a/b/c)" 700 "a created directory is 0700"
no_temporaries out file

# existing files: refused, all named, nothing written; --overwrite replaces
printf 'changed locally\n' >out/top.txt
assert_exit 1 "$OPSDECK" -c c.conf restore files "$key" --into out --yes
assert_contains "$ERR" "$nfiles of $nfiles files refused, nothing written"
assert_contains "$ERR" "refused: top.txt: exists (--overwrite replaces it)"
assert_eq "$(cat out/top.txt)" "changed locally" "a refused restore leaves the file"
assert_exit 0 "$OPSDECK" -c c.conf restore files "$key.files.json" --into out --overwrite --dry-run
assert_contains "$OUT" "would replace top.txt (4 bytes)"
assert_exit 0 "$OPSDECK" -c c.conf restore files "$key" --into out --yes --overwrite
assert_contains "$OUT" "existing files replaced"
same_tree out overwrite

assert_exit 1 "$OPSDECK" -c c.conf restore files "2020-01-01T00-00-00-000Z_00000000" --into none --yes
assert_contains "$ERR" "no manifest"
[ ! -e none ] && pass "missing key: nothing created" || fail "missing key created a directory"

# a symbolic link on the way in DIR is not followed
mkdir -p elsewhere linked
ln -s "$TEST_DIR/elsewhere" linked/a
assert_exit 1 "$OPSDECK" -c c.conf restore files "$key" --into linked --yes
assert_contains "$ERR" "a is a symbolic link, not followed: refused"
assert_eq "$(find elsewhere linked -type f | wc -l)" 0 "nothing written through the link"

# a manifest naming paths outside DIR (edited at a copy of the target)
hostile_out="/etc/opsdeck-restore-test-$$"
for bad in "../escaped" "$hostile_out" "a/../../escaped"; do
	rm -rf hostile && cp -r target hostile
	"$_LIB_PY" - "hostile/$key.files.json" "$bad" <<'PY'
import json, sys
path, bad = sys.argv[1:3]
m = json.load(open(path))
m["files"][0]["path"] = bad
m["files"][0].pop("path_bytes", None)
json.dump(m, open(path, "w"))
PY
	bk_config h.conf "file://$TEST_DIR/hostile"
	mkdir -p inside/deeper
	assert_exit 1 "$OPSDECK" -c h.conf restore files "$key" --into inside/deeper --yes
	assert_contains "$ERR" "not below the directory" "$bad refused"
	assert_eq "$(find inside -type f | wc -l)" 0 "$bad: nothing written inside"
	[ ! -e escaped ] && [ ! -e inside/escaped ] && [ ! -e "$hostile_out" ] &&
		pass "$bad: nothing written outside" || fail "$bad: a file was written outside DIR"
done

# a tampered object: one byte changed
rm -rf tampered && cp -r target tampered
obj="tampered/$key/a/b/random.bin.gz"
flip_byte "$obj" 1000
bk_config t.conf "file://$TEST_DIR/tampered"
assert_exit 1 "$OPSDECK" -c t.conf restore files "$key" --into tout --yes
assert_contains "$ERR" "1 of $nfiles files failed"
assert_contains "$ERR" "failed: a/b/random.bin: $key/a/b/random.bin.gz: SHA-256"
assert_contains "$ERR" "does not match the manifest's"
[ ! -e tout/a/b/random.bin ] && pass "tampered: nothing under its name" || fail "tampered file written"
assert_eq "$(cat tout/top.txt)" top "tampered: the other files are restored"
no_temporaries tout tampered

# on a terminal (script(1)), another answer than the directory declines:
# nothing written, the refusal audited
run bash -c "printf 'elsewhere\n' | script -qec '$OPSDECK -c c.conf restore files $key --into declined' /dev/null"
assert_contains "$OUT" "Type the directory to restore into" "the confirmation asks for it"
assert_contains "$OUT" "not confirmed: nothing restored" "another answer declines"
[ ! -e declined/top.txt ] && pass "declined: nothing written" || fail "declined: a file was written"

audit=$(grep '"restore-files"' audit.jsonl)
assert_contains "$audit" '"phase":"attempt"'
assert_contains "$audit" '"result":"declined"'
assert_contains "$audit" '"result":"ok"'
assert_contains "$audit" '"result":"refused"'
assert_contains "$audit" '"result":"failed"'
assert_contains "$audit" '"dry_run":true'

# ---- S3
prefix=rfiles-$$
bk_config s3.conf "s3://$S3_BUCKET/$prefix"
assert_exit 0 "$OPSDECK" -c s3.conf backup files --source "$src"
run=$(bk_s3_keys "$prefix/" | grep '\.files\.json$' | tail -1)
run=${run%.files.json}
skey=${run#"$prefix"/}
assert_exit 0 "$OPSDECK" -c s3.conf restore files "$skey" --into s3out --yes
assert_contains "$OUT" "restored $nfiles files"
same_tree s3out s3
no_temporaries s3out s3

s3 get "$run/top.txt.gz" top.gz
flip_byte top.gz 15
s3 put "$run/top.txt.gz" top.gz
assert_exit 1 "$OPSDECK" -c s3.conf restore files "$skey" --into s3tampered --yes
assert_contains "$ERR" "failed: top.txt: $skey/top.txt.gz: SHA-256"
[ ! -e s3tampered/top.txt ] && pass "s3 tampered: nothing under its name" || fail "s3 tampered file written"
assert_no_secrets "$OUT$ERR"
finish
