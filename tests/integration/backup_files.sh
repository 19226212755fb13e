#!/usr/bin/env bash
# backup files: nested directories and odd names (spaces, unicode, +, %) go
# up as PREFIX/TIMESTAMP/RELPATH.gz with a manifest; symlinks (to a file and
# to a directory, escaping the tree) are not followed, and each one skipped
# is named; patterns select; list and verify work; a file that keeps failing
# does not stop the others but fails the run and is named in the summary;
# names that are not UTF-8 or hold control characters make a manifest that
# is JSON and gives the names back byte for byte.
. "$OPSDECK_SRCDIR/tests/integration/lib.sh"
. "$OPSDECK_SRCDIR/tests/integration/backup_lib.sh"
stack_use pg,s3
require_cmd gunzip

src=$TEST_DIR/uploads
mkdir -p "$src/a/b/c" "$src/with space" "$src/ünï" target outside
echo "secret outside the tree" >outside/passwd
printf 'top\n' >"$src/top.txt"
printf 'deep\n' >"$src/a/b/c/deep.png"
printf 'space\n' >"$src/with space/file name.txt"
printf 'unicode\n' >"$src/ünï/naïve café.txt"
printf 'plus\n' >"$src/a/1+1=2%20.txt"
head -c 300000 /dev/urandom >"$src/a/b/random.bin"
: >"$src/empty"
ln -s "$TEST_DIR/outside/passwd" "$src/escape"
ln -s "$TEST_DIR/outside" "$src/a/escape-dir"
ln -s ../top.txt "$src/a/inside-link"
mkfifo "$src/pipe"
nfiles=7

check_tree() { # LABEL LISTING(keys relative to the run dir)
	local label=$1 listing=$2 f
	assert_eq "$(printf '%s\n' "$listing" | grep -c .)" "$nfiles" "$label: objects"
	for f in top.txt a/b/c/deep.png "with space/file name.txt" "ünï/naïve café.txt" \
		"a/1+1=2%20.txt" a/b/random.bin empty; do
		assert_contains "$listing" "$f.gz" "$label: listing"
	done
	assert_not_contains "$listing" "escape" "$label: symlinks not followed"
	assert_not_contains "$listing" "passwd" "$label: nothing from outside the tree"
}

# ---- file://
bk_config c.conf "file://$TEST_DIR/target"
assert_exit 0 "$OPSDECK" -c c.conf backup files --source "$src"
assert_contains "$OUT" "backed up $nfiles files"
assert_contains "$OUT" "0 failures"
assert_contains "$OUT" "3 symbolic links not followed, 1 non-regular file skipped"
for f in escape a/escape-dir a/inside-link; do
	assert_contains "$ERR" "skipped $f: a symbolic link, not followed" "the operator is told"
done
assert_contains "$ERR" "skipped pipe: not a regular file"
run_dir=$(cd target && ls -d -- */ | tr -d /)
assert_match "$run_dir" '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9-]+Z_[0-9a-f]{8}$' "run directory"
check_tree file "$(cd "target/$run_dir" && find . -type f | sed 's|^\./||' | sort)"
assert_eq "$(gunzip -c "target/$run_dir/ünï/naïve café.txt.gz")" unicode "a file's content"
cmp <(gunzip -c "target/$run_dir/a/b/random.bin.gz") "$src/a/b/random.bin" && pass "binary file intact" || fail "binary file differs"
man=$(cat "target/$run_dir.files.json")
assert_json "$man" manifest
assert_eq "$(json_get "$man" file_count)" "$nfiles" "manifest file_count"
assert_exit 0 "$OPSDECK" -c c.conf backup list --json
assert_eq "$(json_get "$OUT" backups.0.kind)" files "list: kind"
assert_eq "$(json_get "$OUT" backups.0.complete)" true "list: complete"
assert_exit 0 "$OPSDECK" -c c.conf backup verify "$run_dir"
assert_contains "$OUT" "$nfiles files"

# ---- names that are not UTF-8 (0xff) or hold control characters
names=$TEST_DIR/names
mkdir -p "$names/d" names-target
printf 'ff\n' >"$names/$(printf 'bad\377 name')"
printf 'ctl\n' >"$names/d/$(printf 'ctl\001\033[31m name')"
printf 'ok\n' >"$names/d/$(printf '%%41\376.txt')"
bk_config n.conf "file://$TEST_DIR/names-target"
assert_exit 0 "$OPSDECK" -c n.conf backup files --source "$names"
assert_contains "$OUT" "backed up 3 files"
names_run=$(cd names-target && ls -d -- */ | tr -d /)
# strict: the manifest is UTF-8 and JSON, and each name (path_bytes when
# present, else path) and key are the files' exact bytes
if msg=$("$_LIB_PY" - "names-target/$names_run.files.json" "$names" "names-target" "$names_run" 2>&1 <<'PY'
import json, os, sys, urllib.parse
manifest, source, target, run = sys.argv[1:5]
with open(manifest, "rb") as f:
    m = json.loads(f.read().decode("utf-8"))
def name(entry, field):
    if field + "_bytes" in entry:
        return urllib.parse.unquote_to_bytes(entry[field + "_bytes"])
    return entry[field].encode("utf-8")
want = set()
for top, dirs, files in os.walk(os.fsencode(source)):
    want |= {os.path.relpath(os.path.join(top, f), os.fsencode(source)) for f in files}
got = {name(e, "path") for e in m["files"]}
if got != want:
    sys.exit("paths differ: %r != %r" % (sorted(got), sorted(want)))
for e in m["files"]:
    key = name(e, "key")
    if key != os.fsencode(run) + b"/" + name(e, "path") + b".gz":
        sys.exit("key %r does not match its path" % key)
    if not os.path.isfile(os.path.join(os.fsencode(target), key)):
        sys.exit("no object at key %r" % key)
PY
); then
	pass "manifest: JSON, names and keys round-trip"
else
	fail "manifest: $msg"
fi
assert_exit 0 "$OPSDECK" -c n.conf backup list --json
assert_json "$OUT" "list with odd names"
assert_eq "$(json_get "$OUT" backups.0.complete)" true "list: odd names complete"
assert_exit 0 "$OPSDECK" -c n.conf backup verify "$names_run"
assert_contains "$OUT" "3 files"

# ---- patterns
rm -rf target/*
assert_exit 0 "$OPSDECK" -c c.conf backup files --source "$src" --pattern '**/*.txt' --pattern 'a/b/**'
listing=$(cd target && find . -type f -name '*.gz' | sort)
assert_eq "$(printf '%s\n' "$listing" | grep -c .)" 6 "files matching the patterns"
assert_not_contains "$listing" "empty.gz" "an unmatched file"

# ---- S3, through the verifying proxy, with one file failing every time
bk_proxy_start
prefix=files-$$
bk_config s3.conf "s3://$S3_BUCKET/$prefix"
bk_proxy_faults '{"rules": [{"op": "PutObject", "key": "deep.png", "action": "status", "status": 500}]}'
assert_exit 1 "$OPSDECK" -c s3.conf backup files --source "$src"
assert_contains "$ERR" "1 of $nfiles files failed"
assert_contains "$ERR" "a/b/c/deep.png"
keys=$(bk_s3_keys "$prefix/")
assert_eq "$(printf '%s\n' "$keys" | grep -c '\.gz$')" $((nfiles - 1)) "the other files went up"
assert_eq "$(printf '%s\n' "$keys" | grep -c '\.files\.json$')" 0 "no manifest for a run with a failure"
assert_exit 0 "$OPSDECK" -c s3.conf backup list --json
assert_eq "$(json_get "$OUT" backups.0.complete)" false "list: the failed run is incomplete"
assert_exit 1 "$OPSDECK" -c s3.conf backup files --source "$src" --pattern '**/deep.png'
assert_contains "$ERR" "1 of 1 file failed"
bk_proxy_faults ''
assert_exit 0 "$OPSDECK" -c s3.conf backup files --source "$src"
keys=$(bk_s3_keys "$prefix/")
run=$(printf '%s\n' "$keys" | grep '\.files\.json$' | tail -1)
run=${run%.files.json}
check_tree s3 "$(printf '%s\n' "$keys" | grep "^$run/" | sed "s|^$run/||")"
assert_exit 0 "$OPSDECK" -c s3.conf backup verify "${run#"$prefix"/}"
bk_proxy_sig_ok
assert_no_secrets "$OUT$ERR"
finish
