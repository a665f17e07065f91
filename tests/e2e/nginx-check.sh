#!/usr/bin/env bash
# Checks that deploy/nginx.conf really serves a built portal: runs nginx on
# 127.0.0.1 (port $NGINX_PORT, default 8088) with its prefix in a temp
# folder, asks it for pages, a 404 and assets with curl, then stops it.
#
#   tests/e2e/nginx-check.sh SITE_DIR
#
# Prints one "ok"/"FAIL" line per check; exits 1 if any check failed.
set -euo pipefail
repo="$(cd "$(dirname "$0")/../.." && pwd)"
site="$(cd "${1:?usage: nginx-check.sh SITE_DIR}" && pwd)"
port="${NGINX_PORT:-8088}"
nginx_bin="$(command -v nginx || echo /usr/sbin/nginx)"

prefix="$(mktemp -d /tmp/gazette-nginx.XXXXXX)"
pid=""
cleanup() {
  if [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null; then
    kill "$pid"
    wait "$pid" 2>/dev/null || true
  fi
  rm -rf "$prefix"
}
trap cleanup EXIT
mkdir -p "$prefix/logs" "$prefix/tmp"

# The deploy config, pointed at this site and this port.
sed -e "s|^\(\s*\)listen 80;|\1listen 127.0.0.1:$port;|" \
    -e "s|^\(\s*\)root /srv/portal;|\1root $site;|" \
    -e "s|include /srv/portal/redirects.map;|include $site/redirects.map;|" \
    "$repo/deploy/nginx.conf" >"$prefix/portal.conf"
grep -q "listen 127.0.0.1:$port;" "$prefix/portal.conf" || { echo "FAIL: no 'listen 80;' to replace in deploy/nginx.conf"; exit 1; }
grep -q "root $site;" "$prefix/portal.conf" || { echo "FAIL: no 'root /srv/portal;' to replace in deploy/nginx.conf"; exit 1; }

user_line=""
[[ $EUID -eq 0 ]] && user_line="user root;"   # workers must read the temp folders
cat >"$prefix/nginx.conf" <<CONF
$user_line
worker_processes 1;
daemon off;
pid $prefix/nginx.pid;
error_log $prefix/logs/error.log warn;
events { worker_connections 64; }
http {
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    access_log $prefix/logs/access.log;
    client_body_temp_path $prefix/tmp/body;
    proxy_temp_path $prefix/tmp/proxy;
    fastcgi_temp_path $prefix/tmp/fastcgi;
    uwsgi_temp_path $prefix/tmp/uwsgi;
    scgi_temp_path $prefix/tmp/scgi;
    include $prefix/portal.conf;
}
CONF

"$nginx_bin" -t -q -p "$prefix" -c "$prefix/nginx.conf"
"$nginx_bin" -p "$prefix" -c "$prefix/nginx.conf" &
pid=$!
base="http://127.0.0.1:$port"
for _ in $(seq 50); do
  curl -s -o /dev/null "$base/" && break
  kill -0 "$pid" 2>/dev/null || { echo "FAIL: nginx exited"; cat "$prefix/logs/error.log"; exit 1; }
  sleep 0.1
done

failed=0
check() { # description, then a command that must succeed
  local what="$1"; shift
  if "$@"; then echo "ok   nginx: $what"; else echo "FAIL nginx: $what"; failed=1; fi
}
# headers URL [curl options]: the response headers, lower-cased names.
headers() { local url="$1"; shift; curl -s -o /dev/null -D - "$@" "$base$url" | tr -d '\r' | sed 's/^\([^:]*\):/\L\1:/'; }
has() { grep -qiE "$2" <<<"$1"; }

article="$(cd "$site" && ls -d tin-tuc/*/ | grep -v '^tin-tuc/trang/' | head -n1)"
article="/${article%/}"
asset_img="/$(cd "$site" && find . -name '*.svg' ! -name favicon.svg | head -n1 | sed 's|^\./||')"
h404_text="$(grep -o '<h1[^>]*>[^<]*' "$site/404.html" | head -n1 | sed 's/<h1[^>]*>//')"

h="$(headers /)"
check "/ is 200 HTML"                    has "$h" '^HTTP/[0-9.]+ 200'
check "/ has text/html; charset=utf-8"   has "$h" '^content-type: text/html; charset=utf-8'
check "/ has a short Cache-Control"      has "$h" '^cache-control: public, max-age=300'
check "/ has X-Content-Type-Options"     has "$h" '^x-content-type-options: nosniff'
check "/ has Referrer-Policy"            has "$h" '^referrer-policy: '
check "/ has a CSP allowing only 'self'" has "$h" "^content-security-policy: default-src 'self'"
check "$article/ is 200 (pretty URL)"    has "$(headers "$article/")" '^HTTP/[0-9.]+ 200'
h="$(headers "$article")"
check "$article redirects to $article/"  has "$h" "^HTTP/[0-9.]+ 301" 
check "  with Location $article/"        has "$h" "^location: $article/\$"
h="$(headers /khong-co-trang-nay/)"
check "a missing page is 404"            has "$h" '^HTTP/[0-9.]+ 404'
check "  with the security headers"      has "$h" "^content-security-policy: "
check "  and the site's 404 page"        grep -qF "$h404_text" <(curl -s "$base/khong-co-trang-nay/")
if [[ -f "$site/en/404.html" ]]; then
  en404_text="$(grep -o '<h1[^>]*>[^<]*' "$site/en/404.html" | head -n1 | sed 's/<h1[^>]*>//')"
  check "a missing English page is 404"  has "$(headers /en/no-such-page/)" '^HTTP/[0-9.]+ 404'
  check "  with the English 404 page"    grep -qF "$en404_text" <(curl -s "$base/en/no-such-page/")
  check "  which differs from the Vietnamese" test "$en404_text" != "$h404_text"
fi
test -f "$site/.gazette-output" || { echo "not ok - the built site has no stamp"; exit 1; }
check "the output's stamp is not served"  has "$(headers /.gazette-output)" '^HTTP/[0-9.]+ 404'
h="$(headers /css/portal.css -H 'Accept-Encoding: gzip')"
check "/css/portal.css cached a week"    has "$h" '^cache-control: public, max-age=604800'
check "  gzipped"                        has "$h" '^content-encoding: gzip'
check "  as text/css"                    has "$h" '^content-type: text/css'
h="$(headers /js/portal.js -H 'Accept-Encoding: gzip')"
check "/js/portal.js cached a week"      has "$h" '^cache-control: public, max-age=604800'
check "  gzipped"                        has "$h" '^content-encoding: gzip'
check "$asset_img cached a month"        has "$(headers "$asset_img")" '^cache-control: public, max-age=2592000'
check "$asset_img may run no script"     has "$(headers "$asset_img")" "^content-security-policy: default-src 'none'.*sandbox"
# A photo's WebP copy, when the site has photos (the sample portal has none).
photo_copy="$(cd "$site" && find . -name '*-360w-*.webp' | head -n1 | sed 's|^\./||')"
if [[ -n "$photo_copy" ]]; then
  check "/$photo_copy is image/webp"     has "$(headers "/$photo_copy")" '^content-type: image/webp'
else
  echo "   (no photo copies in this site: the WebP type is not checked)"
fi
check "/ gzipped"                        has "$(headers / -H 'Accept-Encoding: gzip')" '^content-encoding: gzip'
h="$(headers /rss.xml -H 'Accept-Encoding: gzip')"
check "/rss.xml is XML, gzipped"         has "$h" '^content-encoding: gzip'
check "/sitemap.xml is 200"              has "$(headers /sitemap.xml)" '^HTTP/[0-9.]+ 200'
# The first alias of redirects.map answers with a 301 to its article.
alias_line="$(grep -m1 '^"/' "$site/redirects.map" || true)"
if [[ -n "$alias_line" ]]; then
  alias_from="$(cut -d'"' -f2 <<<"$alias_line")"
  alias_to="$(cut -d'"' -f4 <<<"$alias_line")"
  h="$(headers "$alias_from")"
  check "alias $alias_from is a 301"        has "$h" '^HTTP/[0-9.]+ 301'
  check "  to $alias_to"                    has "$h" "^location: $alias_to\$"
else
  echo "skip nginx: the site has no aliases"
fi

exit "$failed"
