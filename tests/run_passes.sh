#!/usr/bin/env bash
# The pytest part of `make test`: two passes, each timed.
#   SQLite:     the rules and queries (tests/unit, tests/integration).
#   PostgreSQL: everything (production's database), browser journeys and hostile clients included, on
#               OGP_TEST_DATABASE_URL, or else on a fresh database made here on 127.0.0.1:5432 and dropped
#               afterwards.
# Arguments go to both passes as pytest options (e.g. -x). The passes run side by side (faster on two
# cores: the browser pass waits much of its time); OGP_PASSES=sequential runs them one after the other.
set -uo pipefail
cd "$(dirname "$0")/.."
ARTIFACTS=test-artifacts
mkdir -p "$ARTIFACTS"

pytest=(.venv/bin/pytest "$@")

timed() { # name command...: run it, then print how long it took
    local name=$1 start=$SECONDS rc
    shift
    "$@"
    rc=$?
    took=$(printf '== %s pass: %dm%02ds (exit %d)' "$name" $(((SECONDS - start) / 60)) $(((SECONDS - start) % 60)) "$rc")
    echo "$took"
    return "$rc"
}
sqlite_pass() { env -u OGP_TEST_DATABASE_URL "${pytest[@]}" tests/unit tests/integration; }
postgres_pass() { "${pytest[@]}"; }

if [[ -z "${OGP_TEST_DATABASE_URL:-}" ]]; then
    admin=(psql -h 127.0.0.1 -p 5432 -U postgres -d postgres -qtA)
    if ! "${admin[@]}" -c "SELECT 1" >/dev/null 2>&1; then
        echo "make test: PostgreSQL does not answer on 127.0.0.1:5432 as user postgres. Start it" \
            "(pg_ctlcluster <version> main start), or set OGP_TEST_DATABASE_URL to an empty database." >&2
        exit 2
    fi
    db="ogp_test_$(date +%s)_$$"
    "${admin[@]}" -c "CREATE DATABASE $db" || exit 2
    trap '"${admin[@]}" -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null' EXIT
    export OGP_TEST_DATABASE_URL="postgresql://postgres@127.0.0.1:5432/$db"
fi
echo "== PostgreSQL pass on ${OGP_TEST_DATABASE_URL}"

if [[ "${OGP_PASSES:-parallel}" == sequential ]]; then
    timed SQLite sqlite_pass
    sqlite_rc=$?
    timed PostgreSQL postgres_pass
    postgres_rc=$?
else
    log="$ARTIFACTS/sqlite-pass.log"
    echo "== SQLite pass runs beside it; its output follows at the end ($log)"
    timed SQLite sqlite_pass >"$log" 2>&1 &
    sqlite_pid=$!
    timed PostgreSQL postgres_pass
    postgres_rc=$?
    wait "$sqlite_pid"
    sqlite_rc=$?
    postgres_took=$took
    echo "== output of the SQLite pass"
    cat "$log"
    echo "$postgres_took"
fi
exit $((sqlite_rc != 0 || postgres_rc != 0))
