#!/usr/bin/env bash
# `status --json` is one valid JSON document with the documented frame for
# every check, whether the backends are up or down.
. "$OPSDECK_SRCDIR/tests/integration/lib.sh"
stack_use pg,redis,app
write_stack_config opsdeck.conf

check_document() {
	"$PYTHON3" - "$1" <<'PY'
import json, sys
doc = json.loads(sys.argv[1])
assert doc["schema_version"] == 6, doc
assert doc["overall"] in ("ok", "warning", "critical", "unknown"), doc["overall"]
for name in ("database", "redis", "health", "storage"):
    c = doc["checks"][name]
    for key in ("state", "healthy", "latency_ms", "target", "error", "checked_at"):
        assert key in c, (name, key)
    assert c["healthy"] == (c["state"] == "ok"), (name, c)
for p in doc["checks"]["storage"]["paths"]:
    assert "path" in p and "state" in p, p
print("valid")
PY
}

json=$("$OPSDECK" -c opsdeck.conf status --json)
assert_eq "$(check_document "$json")" valid "healthy document"

# Everything down: still one valid document.
write_config down.conf <<EOF
[app]
health_url = http://127.0.0.1:1/api/health
version_url = http://127.0.0.1:1/api/version
version_file = $PWD/missing.json
timeout = 1s
[database]
url = postgresql://app:x@127.0.0.1:1/shop
[redis]
url = redis://127.0.0.1:1/0
[storage]
paths = /nonexistent-opsdeck-path
EOF
json=$("$OPSDECK" -c down.conf status --json)
assert_eq "$(check_document "$json")" valid "all-down document"
assert_eq "$(json_get "$json" overall)" critical "overall critical"
assert_eq "$(json_get "$json" version.version)" unknown "version unknown"
finish
