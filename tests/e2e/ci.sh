#!/usr/bin/env bash
# What .ci/run calls after `cargo test` and the release build: installs what
# the browser suites need on a fresh machine, then runs tests/e2e/run.sh
# with target/release/gazette (or $GAZETTE).
#
# Installs only from Debian's packages and the npm registry: Debian's
# chromium (never a downloaded browser build), nginx for the deploy check,
# a JRE for vnu if java is missing, and the three npm packages pinned in
# package-lock.json. `--ignore-scripts` keeps vnu-jar's postinstall from
# fetching a Java runtime of its own.
set -euo pipefail
repo="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$repo"

sudo=""
if [[ $EUID -ne 0 ]]; then
  command -v sudo >/dev/null 2>&1 && sudo="sudo" || { echo "ci.sh: root or sudo is needed for apt-get" >&2; exit 2; }
fi
packages=()
[[ -x /usr/bin/chromium ]] || packages+=(chromium)
command -v nginx >/dev/null 2>&1 || [[ -x /usr/sbin/nginx ]] || packages+=(nginx)
command -v java >/dev/null 2>&1 || packages+=(default-jre-headless)
if ((${#packages[@]})); then
  echo "== apt-get install ${packages[*]}"
  $sudo apt-get update -qq
  # policy-rc.d or not, nginx is not wanted as a service: the check starts
  # its own on loopback.
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${packages[@]}" >/dev/null
  if [[ " ${packages[*]} " == *" nginx "* ]]; then
    $sudo service nginx stop >/dev/null 2>&1 || true
  fi
fi

echo "== npm ci"
npm ci --ignore-scripts --no-audit --no-fund --loglevel=error

bash tests/e2e/run.sh "${GAZETTE:-target/release/gazette}"
