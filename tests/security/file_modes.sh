#!/usr/bin/env bash
# Every file opsdeck creates gets the mode doc/opsdeck.1 (FILES) states,
# whatever the umask: the audit log 0600; a file:// backup's objects,
# manifests and NAME.partial while it is written 0600, its directories 0700
# (a missing target directory too, with its parents);
# version-file's output 0644 (the app serves it). A permissive umask (000)
# must not widen any of them. The read-only verbs create no file at all.
. "$OPSDECK_SRCDIR/tests/integration/lib.sh"
. "$OPSDECK_SRCDIR/tests/integration/backup_lib.sh"
stack_use pg
require_cmd git

# with_umask MASK CMD...: CMD under umask MASK (in a subshell).
with_umask() (
	umask "$1"
	shift
	exec "$@"
)

# assert_mode MODE PATH...: each PATH exists with exactly MODE.
assert_mode() {
	local want=$1 path
	shift
	for path in "$@"; do
		if [ ! -e "$path" ]; then
			fail "$path does not exist (want mode $want)"
		else
			assert_eq "$(stat -c %a "$path")" "$want" "mode of ${path#"$TEST_DIR"/}"
		fi
	done
}

stop_pid() { kill "$1" 2>/dev/null || true; }

src=$TEST_DIR/uploads
mkdir -p "$src/a/b"
echo one >"$src/one.txt"
echo two >"$src/a/b/two.txt"
chmod 644 "$src/one.txt" "$src/a/b/two.txt"
bk_fake_pg_dump "$TEST_DIR/fake_pg_dump" 1 60

for mask in 022 000; do
	dir=$TEST_DIR/u$mask
	mkdir -p "$dir/target" "$dir/log"
	chmod 755 "$dir/target"
	bk_config "$dir/c.conf" "file://$dir/target" "${DATABASE_URL:-}" \
		"files_source = $src"
	sed -i "s|^audit_log = .*|audit_log = $dir/log/audit.jsonl|" "$dir/c.conf"

	# ---- backup db: object, manifest, audit log
	assert_exit 0 with_umask "$mask" "$OPSDECK" -c "$dir/c.conf" backup db
	objects=("$dir"/target/*.sql.gz)
	manifests=("$dir"/target/*.sql.gz.json)
	assert_eq "${#objects[@]}" 1 "umask $mask: one database backup"
	assert_mode 600 "${objects[@]}" "${manifests[@]}" "$dir/log/audit.jsonl"

	# ---- a missing target directory: created 0700, with its parents
	bk_config "$dir/new.conf" "file://$dir/new/sub" "${DATABASE_URL:-}"
	assert_exit 0 with_umask "$mask" "$OPSDECK" -c "$dir/new.conf" backup db
	assert_mode 700 "$dir/new" "$dir/new/sub"
	assert_mode 600 "$dir"/new/sub/*.sql.gz "$dir"/new/sub/*.sql.gz.json

	# ---- backup files: every object, every directory, the manifest
	assert_exit 0 with_umask "$mask" "$OPSDECK" -c "$dir/c.conf" backup files
	run_dir=$(find "$dir/target" -mindepth 1 -maxdepth 1 -type d | head -n 1)
	assert_ne "$run_dir" "" "umask $mask: the files backup's directory"
	dirs=$(find "$dir/target" -mindepth 1 -type d | sort)
	files=$(find "$dir/target" -type f -name '*.gz' ! -name '*.sql.gz' | sort)
	assert_eq "$(printf '%s\n' "$files" | grep -c .)" 2 "umask $mask: files backed up"
	mapfile -t dir_list <<<"$dirs"
	mapfile -t file_list <<<"$files"
	assert_mode 700 "${dir_list[@]}"
	assert_mode 600 "${file_list[@]}" "$dir"/target/*.files.json
	assert_mode 600 "$dir/log/audit.jsonl"

	# ---- a backup being written: NAME.partial is 0600 from the start
	(
		umask "$mask"
		OPSDECK_PG_DUMP=$TEST_DIR/fake_pg_dump exec "$OPSDECK" -c "$dir/c.conf" backup db
	) >"$dir/out.txt" 2>"$dir/err.txt" &
	pid=$!
	on_exit stop_pid "$pid"
	partial=
	for _ in $(seq 1 100); do
		partial=$(find "$dir/target" -maxdepth 1 -name '*.partial' | head -n 1)
		[ -n "$partial" ] && [ -s "$TEST_DIR/fake_pg_dump.pid" ] && break
		sleep 0.1
	done
	assert_ne "$partial" "" "umask $mask: a .partial file while pg_dump runs"
	[ -z "$partial" ] || assert_mode 600 "$partial"
	kill -TERM "$pid" 2>/dev/null
	rc=0
	wait "$pid" || rc=$?
	assert_eq "$rc" 1 "umask $mask: an interrupted backup exits 1"
	assert_eq "$(find "$dir/target" -name '*.partial')" "" "umask $mask: no .partial left"
	kill "$(cat "$TEST_DIR/fake_pg_dump.pid")" 2>/dev/null
	rm -f "$TEST_DIR/fake_pg_dump.pid"

	# ---- version-file: replaced atomically, 0644, no temporary file left
	app=$dir/app
	mkdir -p "$app/public"
	printf '{"name":"shop","version":"1.2.3"}\n' >"$app/package.json"
	git -C "$app" init -q . &&
		git -C "$app" -c user.name=t -c user.email=t@t commit -q --allow-empty -m init
	echo '{}' >"$app/public/version.json"
	chmod 600 "$app/public/version.json"
	(cd "$app" && assert_exit 0 with_umask "$mask" "$OPSDECK" version-file)
	assert_mode 644 "$app/public/version.json"
	assert_eq "$(ls "$app/public")" version.json "umask $mask: no temporary file left"
done

assert_contains "$(cat "$TEST_DIR/u000/log/audit.jsonl")" '"phase":"outcome"' "audit records"

# ---- read-only verbs create nothing (no state, lock or cache file), and a
# dry run only appends its audit record
home=$TEST_DIR/home
mkdir -p "$home" "$TEST_DIR/ro"
write_stack_config "$TEST_DIR/ro.conf" "[recovery]" "audit_log = $TEST_DIR/ro/audit.jsonl"
touch "$TEST_DIR/stamp"
sleep 1
(
	cd "$TEST_DIR/ro" || exit 1
	umask 000
	for verb in status "status --json" "status --prometheus" check diagnose "recover --list" \
		"recover clear-cache --dry-run" audit "backup --help"; do
		# shellcheck disable=SC2086
		HOME=$home "$OPSDECK" -c "$TEST_DIR/ro.conf" $verb >/dev/null 2>&1
	done
	true
)
created=$(find "$home" "$TEST_DIR/ro" "$XDG_CONFIG_HOME" -newer "$TEST_DIR/stamp" -mindepth 1 \
	! -path "$TEST_DIR/ro/audit.jsonl" 2>/dev/null)
assert_eq "$created" "" "files created by status, check, diagnose, recover --list, a dry run, audit"
assert_contains "$(cat "$TEST_DIR/ro/audit.jsonl" 2>/dev/null)" '"dry_run":true' "the dry run's audit record"
assert_mode 600 "$TEST_DIR/ro/audit.jsonl"
finish
