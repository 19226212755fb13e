#!/usr/bin/env bash
# The bash completion (dist/bash-completion/opsdeck, as built) completes the
# verbs, each verb's options and sub-commands, the recovery actions, and for
# `backup verify` the keys that `opsdeck backup list` prints for the
# configuration named with -c.
. "$OPSDECK_SRCDIR/tests/integration/lib.sh"
. "$OPSDECK_SRCDIR/tests/integration/backup_lib.sh"
BASH_COMPLETION=${BASH_COMPLETION:-/usr/share/bash-completion/bash_completion}
[ -r "$BASH_COMPLETION" ] || skip "bash-completion is not installed"
completion=$(dirname "$OPSDECK")/dist/bash-completion/opsdeck
[ -r "$completion" ] || { fail "$completion was not built"; finish; }

# complete WORD... : the candidates bash offers for the last WORD, one a line
# ("" as the last word completes an empty one). The opsdeck found on PATH is
# the one under test.
complete_words() {
	PATH=$(dirname "$OPSDECK"):$PATH bash -c '
		. "$1" && . "$2" && shift 2 &&
		COMP_WORDS=("$@") && COMP_CWORD=$(($# - 1)) &&
		COMP_LINE="$*" && COMP_POINT=${#COMP_LINE} &&
		_opsdeck opsdeck "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD - 1]}" &&
		printf "%s\n" "${COMPREPLY[@]}"' _ "$BASH_COMPLETION" "$completion" "$@"
}
has() { # WORDS CANDIDATE...
	local words=$1 w
	shift
	for w in "$@"; do
		if grep -qxF -- "$w" <<<"$words"; then pass "offers $w"; else fail "no $w in: $(echo $words)"; fi
	done
}

has "$(complete_words opsdeck "")" status check diagnose backup restore recover audit version-file
has "$(complete_words opsdeck --)" --config --read-only --help --version
has "$(complete_words opsdeck st)" status
has "$(complete_words opsdeck en)" envs
has "$(complete_words opsdeck envs --)" --json
mkdir -p "$XDG_CONFIG_HOME/opsdeck/envs"
: >"$XDG_CONFIG_HOME/opsdeck/envs/production.conf"
: >"$XDG_CONFIG_HOME/opsdeck/envs/staging.conf"
has "$(complete_words opsdeck -e "")" production staging
has "$(complete_words opsdeck status --env p)" production
has "$(complete_words opsdeck backup "")" db files list verify drill
has "$(complete_words opsdeck restore "")" files
has "$(complete_words opsdeck restore files KEY --)" --into --overwrite --dry-run --yes
has "$(complete_words opsdeck recover "")" clear-cache restart-app reconnect-db cancel-query \
	terminate-query --list
has "$(complete_words opsdeck recover c)" clear-cache cancel-query
has "$(complete_words opsdeck recover clear-cache --)" --dry-run --yes
has "$(complete_words opsdeck status --)" --json --prometheus
has "$(complete_words opsdeck exporter --)" --listen --interval
has "$(complete_words opsdeck -c x.conf backup files --)" --target --source --pattern
assert_eq "$(complete_words opsdeck recover x)" "" "nothing for an unknown prefix"

# Backup keys: two backups to a file:// target, then `backup verify <TAB>`.
stack_use pg
mkdir -m 0700 backups
bk_config opsdeck.conf "file://$TEST_DIR/backups"
for i in 1 2; do
	assert_exit 0 "$OPSDECK" -c opsdeck.conf backup db
	sleep 1
done
assert_exit 0 "$OPSDECK" -c opsdeck.conf backup list --json
OUT_JSON=$OUT
keys=$(json_get "$OUT_JSON" 'd["backups"] and "\n".join(b["key"] for b in d["backups"])')
assert_eq "$(wc -l <<<"$keys")" 2 "backup list shows two backups"
offered=$(complete_words opsdeck -c opsdeck.conf backup verify "")
for key in $keys; do has "$offered" "$key"; done
first=$(head -n 1 <<<"$keys")
assert_eq "$(complete_words opsdeck --config=opsdeck.conf backup verify "${first:0:-3}")" "$first" \
	"a key completes from its beginning (--config=FILE)"
finish
