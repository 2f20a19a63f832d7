#!/bin/sh
# Installs the Debian packages Sealmail's build and tests need, and only those that are missing,
# so a second run costs a dpkg query and nothing else. Safe on non-Debian machines: it explains
# what it would need and exits 0, because a developer's desktop brings its own Electron and mail.
set -eu

PACKAGES="dovecot-imapd dovecot-lmtpd postfix chromium gnome-keyring libsecret-1-dev dbus-daemon \
openssl gpgsm postgresql curl ca-certificates python3 make g++ time"

if ! command -v dpkg-query >/dev/null 2>&1 || ! command -v apt-get >/dev/null 2>&1; then
  echo "install-system-packages: not a Debian system; install these yourself if you run the tests: $PACKAGES" >&2
  exit 0
fi

missing=""
for p in $PACKAGES; do
  status=$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null || true)
  [ "$status" = installed ] || missing="$missing $p"
done
[ -z "$missing" ] && exit 0

if [ "$(id -u)" != 0 ]; then
  echo "install-system-packages: missing Debian packages:$missing" >&2
  echo "  run as root: apt-get install -y --no-install-recommends$missing" >&2
  exit 1
fi

export DEBIAN_FRONTEND=noninteractive
# Package scripts must not start system-wide Dovecot/Postfix/PostgreSQL on the standard ports:
# the tests run their own instances on loopback high ports.
[ -e /usr/sbin/policy-rc.d ] || { printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d; chmod +x /usr/sbin/policy-rc.d; }
# Keep Postfix's debconf from writing an "Internet Site" /etc/postfix/main.cf; we never read it.
echo "postfix postfix/main_mailer_type select No configuration" | debconf-set-selections
echo "install-system-packages: installing$missing" >&2
apt-get update -qq
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $missing >/dev/null
