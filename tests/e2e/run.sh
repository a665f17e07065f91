#!/usr/bin/env bash
# The browser, accessibility and HTML validity suites over the sample portal.
#
#   tests/e2e/run.sh [GAZETTE_BINARY]      (or $GAZETTE; default target/release/gazette)
#
# Builds the sample portal into a temp folder with the given binary, serves
# it on 127.0.0.1 (tests/e2e/serve.mjs), runs tests/e2e/*.test.mjs with
# node's test runner in Debian's Chromium (playwright-core), axe-core and
# vnu, checks deploy/nginx.conf if nginx is installed, and ends with the
# line `N passed, N failed`. Exits 1 if anything failed.
#
# Environment:
#   SITE_DIR=DIR          test this built site instead of building one
#   CHROMIUM=PATH         the browser (default /usr/bin/chromium)
#   UPDATE_SCREENSHOTS=1  also write the README's screenshots to docs/screenshots/
#   SCREENSHOT_DIR=DIR    where screenshots go (default tests/e2e/screenshots/)
#   NGINX_PORT=PORT       port for the nginx check (default 8088)
#   E2E_CONCURRENCY=N     test files run at once (default 2)
set -euo pipefail
repo="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$repo"
start=$(date +%s)

gazette="${1:-${GAZETTE:-target/release/gazette}}"
if [[ ! -d node_modules/playwright-core || ! -d node_modules/axe-core || ! -d node_modules/vnu-jar ]]; then
  echo "run.sh: node_modules is missing; run 'npm ci --ignore-scripts' at the repository root first" >&2
  exit 2
fi
chromium="${CHROMIUM:-/usr/bin/chromium}"
[[ -x "$chromium" ]] || { echo "run.sh: no browser at $chromium (apt-get install chromium, or set CHROMIUM)" >&2; exit 2; }
command -v java >/dev/null || { echo "run.sh: java is needed for vnu (apt-get install default-jre-headless)" >&2; exit 2; }

work="$(mktemp -d /tmp/gazette-e2e.XXXXXX)"
server_pid=""
cleanup() {
  if [[ -n "$server_pid" ]] && kill -0 "$server_pid" 2>/dev/null; then
    kill "$server_pid"
    wait "$server_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

# 1. The site.
if [[ -n "${SITE_DIR:-}" ]]; then
  site="$(cd "$SITE_DIR" && pwd)"
  echo "== testing the built site in $site"
else
  [[ -x "$gazette" ]] || { echo "run.sh: no gazette binary at $gazette (cargo build --release)" >&2; exit 2; }
  echo "== building the sample portal with $gazette"
  "$gazette" build --root "$repo" --output "$work/public"
  site="$work/public"
fi
export SITE_DIR="$site" CHROMIUM="$chromium"
# live.test.mjs runs `gazette serve` itself (skipped without a binary).
if [[ -x "$gazette" ]]; then export GAZETTE="$(cd "$(dirname "$gazette")" && pwd)/$(basename "$gazette")"; fi

# 2. Sizes of the theme's CSS and JS as published.
echo "== theme CSS and JS sizes (bytes, raw / gzip -9)"
total_raw=0; total_gz=0
while IFS= read -r f; do
  raw=$(wc -c <"$site/$f"); gz=$(gzip -9c "$site/$f" | wc -c)
  total_raw=$((total_raw + raw)); total_gz=$((total_gz + gz))
  printf '   %-28s %7d / %6d\n' "$f" "$raw" "$gz"
done < <(cd "$site" && find css js -type f \( -name '*.css' -o -name '*.js' \) 2>/dev/null | sort)
printf '   %-28s %7d / %6d\n' "total" "$total_raw" "$total_gz"

# 3. Serve it on loopback.
node tests/e2e/serve.mjs "$site" 0 >"$work/serve.log" 2>&1 &
server_pid=$!
for _ in $(seq 100); do
  grep -q '^listening ' "$work/serve.log" && break
  kill -0 "$server_pid" 2>/dev/null || { cat "$work/serve.log"; echo "run.sh: the static server did not start" >&2; exit 1; }
  sleep 0.05
done
export BASE_URL="$(sed -n 's/^listening //p' "$work/serve.log")"
[[ -n "$BASE_URL" ]] || { echo "run.sh: the static server did not start" >&2; exit 1; }
echo "== serving $site at $BASE_URL"

# 4. The suites.
echo "== node --test tests/e2e/*.test.mjs"
set +e
node --test --test-concurrency="${E2E_CONCURRENCY:-2}" \
  --test-reporter=spec --test-reporter-destination=stdout \
  --test-reporter=tap --test-reporter-destination="$work/tap.txt" \
  tests/e2e/*.test.mjs
node_status=$?
set -e
count() { sed -n "s/^# $1 \([0-9]*\)$/\1/p" "$work/tap.txt" | tail -n1; }
passed=$(count pass); failed=$(count fail); cancelled=$(count cancelled); skipped=$(count skipped)
passed=${passed:-0}; failed=$((${failed:-0} + ${cancelled:-0})); skipped=${skipped:-0}
if [[ $node_status -ne 0 && $failed -eq 0 ]]; then
  echo "run.sh: node --test exited with $node_status" >&2
  failed=1
fi
grep -E '^ok .*# SKIP' "$work/tap.txt" | sed 's/^ok [0-9]* - \(.*\) # SKIP \(.*\)$/   \2 (\1)/' || true

# 5. nginx with deploy/nginx.conf.
echo "== nginx check (deploy/nginx.conf)"
if command -v nginx >/dev/null 2>&1 || [[ -x /usr/sbin/nginx ]]; then
  set +e
  bash tests/e2e/nginx-check.sh "$site" | tee "$work/nginx.txt"
  nginx_status=${PIPESTATUS[0]}
  set -e
  n_ok=$(grep -c '^ok ' "$work/nginx.txt" || true)
  n_fail=$(grep -c '^FAIL' "$work/nginx.txt" || true)
  if [[ $nginx_status -ne 0 && $n_fail -eq 0 ]]; then n_fail=1; fi
  passed=$((passed + n_ok)); failed=$((failed + n_fail))
else
  echo "   skipped: nginx is not installed"
  skipped=$((skipped + 1))
fi

echo "== done in $(( $(date +%s) - start ))s; $skipped skipped"
echo "$passed passed, $failed failed"
[[ $failed -eq 0 ]]
