#!/bin/bash
# with-keyring.sh CMD [ARGS...]
# Runs CMD inside a private D-Bus session bus with a fresh, unlocked gnome-keyring (the Secret
# Service that keytar talks to) whose files live in a temp dir; tears everything down after.
# Plain D-Bus activation does not work headless (it wants a prompter on a display), so the
# daemon is started here with --unlock (../shared/infra/RECIPE.md pitfall 18).
# HOME stays as it is so npm and node-gyp caches keep working; only XDG dirs move.
# package.json runs it as `sh with-keyring.sh`, and Debian's sh is dash: re-run under bash.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
set -euo pipefail
if [ -z "${WITH_KEYRING_INNER:-}" ]; then
  K=$(mktemp -d "${TMPDIR:-/tmp}/sealmail-kr-XXXXXX")
  mkdir -p "$K"/{home,data,config,cache,run}; chmod 700 "$K/run"
  export XDG_DATA_HOME="$K/data" XDG_CONFIG_HOME="$K/config" \
         XDG_CACHE_HOME="$K/cache" XDG_RUNTIME_DIR="$K/run" WITH_KEYRING_INNER=$K
  unset DISPLAY WAYLAND_DISPLAY 2>/dev/null || true
  command -v dbus-run-session >/dev/null && command -v gnome-keyring-daemon >/dev/null || {
    echo "with-keyring: dbus-run-session and gnome-keyring-daemon are needed; run test/support/install-system-packages.sh" >&2; exit 1; }
  rc=0; dbus-run-session -- "$0" "$@" || rc=$?
  [ -n "${KEEP:-}" ] || rm -rf "$K"
  exit $rc
fi
# --- inside the private session bus ---
K=$WITH_KEYRING_INNER
# --unlock reads the password on stdin and creates/unlocks the "login" collection.
# --foreground keeps it our child so we can stop exactly this PID afterwards.
printf 'test-keyring-pass' | gnome-keyring-daemon --foreground --unlock --components=secrets \
  > "$K/gkd.env" 2> "$K/gkd.log" &
GKD=$!
# ready = org.freedesktop.secrets is owned on the bus
for i in $(seq 1 250); do
  dbus-send --session --print-reply --dest=org.freedesktop.DBus / org.freedesktop.DBus.NameHasOwner \
    string:org.freedesktop.secrets 2>/dev/null | grep -q 'boolean true' && break
  sleep 0.02
done
rc=0; "$@" || rc=$?
kill -TERM "$GKD" 2>/dev/null || true; wait "$GKD" 2>/dev/null || true
exit $rc
