#!/bin/bash
# A real Dovecot (IMAP+STARTTLS, IMAPS, LMTP, SASL) and Postfix (SMTP, submission, smtps) for tests,
# on loopback, with every file under DIR. Adapted from ../shared/infra/mail/mailstack.sh, which
# documents each pitfall this works around (see RECIPE.md section 6).
#   mailstack.sh start DIR          writes configs under DIR, starts Dovecot + Postfix
#   mailstack.sh stop DIR           stops exactly the master PIDs recorded under DIR
#   mailstack.sh postfix-stop DIR   stops only Postfix (to test a send while SMTP is down)
#   mailstack.sh postfix-start DIR  starts Postfix again with the config written by start
# Ports come from env vars (the TypeScript wrapper picks free ones).
set -euo pipefail
cmd=${1:?start|stop}; D=${2:?dir}; D=$(readlink -f "$D")
: "${IMAP_PORT:=1143}" "${IMAPS_PORT:=1993}" "${LMTP_PORT:=2424}" "${AUTH_PORT:=12345}"
: "${SMTP_PORT:=1025}" "${SUBMISSION_PORT:=1587}" "${SMTPS_PORT:=1465}"
: "${MAIL_DOMAIN:=example.test}" "${WITH_POSTFIX:=1}"
# Mail files must not be owned by root (Dovecot refuses UID 0 for mail access).
if [ "$(id -u)" = 0 ]; then : "${MAIL_UID:=65534}" "${MAIL_GID:=65534}"; else MAIL_UID=$(id -u); MAIL_GID=$(id -g); fi

wait_port() { # host port timeout_s
  local i; for ((i=0; i<${3:-10}*50; i++)); do
    (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null && return 0; sleep 0.02; done
  echo "port $1:$2 not ready" >&2; return 1; }

stop_pid() { # pidfile expected-comm   (only signals the PID we recorded, and only if it is what we expect)
  [ -s "$1" ] || return 0; local p st; p=$(tr -dc 0-9 < "$1" | head -c 12); [ -n "$p" ] || return 0
  [ "$(cat "/proc/$p/comm" 2>/dev/null)" = "$2" ] || return 0
  kill -TERM "$p" 2>/dev/null || return 0
  # a stopped master that was re-parented to PID 1 may linger as a zombie until PID 1 reaps it: treat Z as gone
  for ((i=0; i<250; i++)); do
    st=$(sed -E 's/.*\) (.).*/\1/' "/proc/$p/stat" 2>/dev/null) || return 0
    [ "$st" = Z ] && return 0; sleep 0.02; done
  echo "pid $p still alive after 5s, sending KILL" >&2; kill -KILL "$p" 2>/dev/null || true; }

start_postfix() {
  /usr/sbin/postfix -c "$D/postfix/etc" start >>"$D/postfix/start.log" 2>&1 || {
    cat "$D/postfix/start.log" "$D/postfix/maillog" >&2 2>/dev/null; exit 1; }
}

case "$cmd" in
postfix-stop)
  stop_pid "$D/postfix/spool/pid/master.pid" master
  echo "postfix stopped"
  ;;
postfix-start)
  start_postfix
  wait_port 127.0.0.1 "$SMTP_PORT"; wait_port 127.0.0.1 "$SUBMISSION_PORT"
  echo "postfix started"
  ;;
start)
  # if anything below fails, stop whatever was already started
  trap 'rc=$?; [ $rc -eq 0 ] || { "$0" stop "$D" >/dev/null 2>&1; exit $rc; }' EXIT
  mkdir -p "$D"/{tls,dovecot/run,dovecot/state,mail,postfix/etc,postfix/spool,postfix/data}
  chmod 755 "$D" "$D/postfix" "$D/postfix/etc"     # postfix daemons (uid postfix) must traverse DIR
  chown "$MAIL_UID:$MAIL_GID" "$D/mail"; chmod 700 "$D/mail"
  chown postfix: "$D/postfix/data"   # data_directory must be owned by mail_owner

  # --- self-signed cert (EC P-256: instant to generate) ---
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 \
    -subj "/CN=localhost" -addext "subjectAltName=DNS:localhost,IP:127.0.0.1" \
    -keyout "$D/tls/key.pem" -out "$D/tls/cert.pem" 2>/dev/null
  chmod 600 "$D/tls/key.pem"

  # --- users: user:{PLAIN}password:uid:gid:gecos:home:shell:extra ---
  : > "$D/dovecot/users"; : > "$D/postfix/etc/vmailbox"; : > "$D/postfix/etc/senders"
  for u in alice bob carol; do
    echo "$u@$MAIL_DOMAIN:{PLAIN}${u}-pass::::::" >> "$D/dovecot/users"
    echo "$u@$MAIL_DOMAIN OK" >> "$D/postfix/etc/vmailbox"
    echo "$u@$MAIL_DOMAIN $u@$MAIL_DOMAIN" >> "$D/postfix/etc/senders"
  done
  chmod 640 "$D/dovecot/users"; chgrp dovecot "$D/dovecot/users"

  cat > "$D/dovecot/dovecot.conf" <<EOF
# Dovecot 2.3 test instance - nothing from /etc/dovecot is read
protocols = imap lmtp
listen = 127.0.0.1
base_dir = $D/dovecot/run
state_dir = $D/dovecot/state
instance_name = dovecot-test-$(basename "$D")
log_path = $D/dovecot/dovecot.log
default_login_user = dovenull
default_internal_user = dovecot
first_valid_uid = 1

ssl = yes
ssl_cert = <$D/tls/cert.pem
ssl_key = <$D/tls/key.pem
ssl_dh = </usr/share/dovecot/dh.pem
ssl_min_protocol = TLSv1.2
# loopback counts as "secured" anyway; this also allows LOGIN before STARTTLS
disable_plaintext_auth = no
auth_mechanisms = plain login
auth_username_format = %Lu
# tests: answer failed logins at once (default 2 s)
auth_failure_delay = 0

mail_location = maildir:~/Maildir
mail_fsync = never

passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%u $D/dovecot/users
}
userdb {
  driver = passwd-file
  args = username_format=%u $D/dovecot/users
  default_fields = uid=$MAIL_UID gid=$MAIL_GID home=$D/mail/%d/%n
}

namespace inbox {
  inbox = yes
  separator = /
  mailbox Drafts {
    special_use = \Drafts
    auto = subscribe
  }
  mailbox Sent {
    special_use = \Sent
    auto = subscribe
  }
  mailbox Trash {
    special_use = \Trash
    auto = subscribe
  }
  mailbox Junk {
    special_use = \Junk
    auto = subscribe
  }
}

service imap-login {
  inet_listener imap {
    address = 127.0.0.1
    port = $IMAP_PORT
  }
  inet_listener imaps {
    address = 127.0.0.1
    port = $IMAPS_PORT
    ssl = yes
  }
}
service lmtp {
  inet_listener lmtp {
    address = 127.0.0.1
    port = $LMTP_PORT
  }
}
service anvil {
  # tests: mode 0 = listener not created -> auth silently disables its per-IP
  # failed-login penalty (otherwise one bad password delays the next auth from
  # 127.0.0.1 by 2,4,8.. s, including Postfix SASL)
  unix_listener anvil-auth-penalty {
    mode = 0
  }
}
service auth {
  # Postfix SMTP AUTH (smtpd_sasl_type = dovecot) talks to this
  inet_listener sasl {
    address = 127.0.0.1
    port = $AUTH_PORT
  }
}
protocol lmtp {
  postmaster_address = postmaster@$MAIL_DOMAIN
}
EOF

  /usr/sbin/dovecot -F -c "$D/dovecot/dovecot.conf" >>"$D/dovecot/stdout.log" 2>&1 &
  echo $! > "$D/dovecot/master.pid.started"

  if [ "$WITH_POSTFIX" = 1 ]; then
  P=$D/postfix
  cat > "$P/etc/main.cf" <<EOF
# Postfix 3.7 test instance (started with: postfix -c $P/etc start)
compatibility_level = 3.6
queue_directory = $P/spool
data_directory = $P/data
mail_owner = postfix
setgid_group = postdrop
maillog_file = $P/maillog
maillog_file_prefixes = $D
myhostname = mail.$MAIL_DOMAIN
mydomain = $MAIL_DOMAIN
myorigin = \$mydomain
inet_interfaces = 127.0.0.1
inet_protocols = ipv4
mynetworks = 127.0.0.1/32
# nothing is delivered locally and nothing ever leaves this box
mydestination =
local_recipient_maps =
local_transport = error:local delivery disabled
alias_maps =
alias_database =
relay_domains =
relayhost =
default_transport = error:outbound mail disabled in this test instance
relay_transport = error:outbound mail disabled in this test instance
smtp_dns_support_level = disabled
smtpd_peername_lookup = no
biff = no
# virtual domain -> Dovecot LMTP
virtual_mailbox_domains = $MAIL_DOMAIN
virtual_mailbox_maps = texthash:$P/etc/vmailbox
virtual_alias_maps =
virtual_transport = lmtp:inet:127.0.0.1:$LMTP_PORT
# SMTP AUTH through Dovecot
smtpd_sasl_type = dovecot
smtpd_sasl_path = inet:127.0.0.1:$AUTH_PORT
smtpd_sasl_auth_enable = no
smtpd_relay_restrictions = permit_sasl_authenticated, reject_unauth_destination
# TLS
smtpd_tls_cert_file = $D/tls/cert.pem
smtpd_tls_key_file = $D/tls/key.pem
smtpd_tls_security_level = may
# make tests fast
smtpd_error_sleep_time = 0
in_flow_delay = 0
EOF
  cat > "$P/etc/master.cf" <<EOF
# service type  private unpriv  chroot  wakeup  maxproc command + args
127.0.0.1:$SMTP_PORT inet n - n - - smtpd
127.0.0.1:$SUBMISSION_PORT inet n - n - - smtpd
  -o syslog_name=postfix/submission
  -o smtpd_tls_security_level=encrypt
  -o smtpd_sasl_auth_enable=yes
  -o smtpd_tls_auth_only=yes
  -o smtpd_client_restrictions=permit_sasl_authenticated,reject
  -o smtpd_sender_login_maps=texthash:$P/etc/senders
  -o smtpd_sender_restrictions=reject_sender_login_mismatch
  -o smtpd_relay_restrictions=permit_sasl_authenticated,reject
127.0.0.1:$SMTPS_PORT inet n - n - - smtpd
  -o syslog_name=postfix/smtps
  -o smtpd_tls_wrappermode=yes
  -o smtpd_sasl_auth_enable=yes
  -o smtpd_client_restrictions=permit_sasl_authenticated,reject
  -o smtpd_sender_login_maps=texthash:$P/etc/senders
  -o smtpd_sender_restrictions=reject_sender_login_mismatch
  -o smtpd_relay_restrictions=permit_sasl_authenticated,reject
pickup    unix  n       -       n       60      1       pickup
cleanup   unix  n       -       n       -       0       cleanup
qmgr      unix  n       -       n       300     1       qmgr
tlsmgr    unix  -       -       n       1000?   1       tlsmgr
rewrite   unix  -       -       n       -       -       trivial-rewrite
bounce    unix  -       -       n       -       0       bounce
defer     unix  -       -       n       -       0       bounce
trace     unix  -       -       n       -       0       bounce
verify    unix  -       -       n       -       1       verify
flush     unix  n       -       n       1000?   0       flush
proxymap  unix  -       -       n       -       -       proxymap
proxywrite unix -       -       n       -       1       proxymap
smtp      unix  -       -       n       -       -       smtp
relay     unix  -       -       n       -       -       smtp
showq     unix  n       -       n       -       -       showq
error     unix  -       -       n       -       -       error
retry     unix  -       -       n       -       -       error
discard   unix  -       -       n       -       -       discard
virtual   unix  -       n       n       -       -       virtual
lmtp      unix  -       -       n       -       -       lmtp
anvil     unix  -       -       n       -       1       anvil
scache    unix  -       -       n       -       1       scache
postlog   unix-dgram n  -       n       -       1       postlogd
EOF
  chmod 644 "$P/etc/"*
  # Postfix re-reads a config/texthash file every 300 ms until its mtime is >1 s in the past
  # ("let it cool down", dict_load_file). Back-date them, or every start costs ~1.8 s.
  touch -d '1 minute ago' "$P/etc/"*
  if [ "${POSTFIX_FULL_CHECK:-0}" != 1 ]; then
    # Fast path (~0.25 s saved): create the queue tree exactly as `post-install create-missing` would
    # (modes/owners from /etc/postfix/postfix-files) and drop the quick-start flag so that
    # postfix-script skips its shell-heavy integrity checks on this first start.
    install -d -o postfix -g root -m 700 "$P/data"
    for q in active bounce corrupt defer deferred flush hold incoming private saved trace; do
      install -d -o postfix -g root -m 700 "$P/spool/$q"; done
    install -d -o postfix -g postdrop -m 730 "$P/spool/maildrop"
    install -d -o postfix -g postdrop -m 710 "$P/spool/public"
    install -d -o root -g root -m 755 "$P/spool/pid"
    touch "$P/spool/quick-start"
  fi
  start_postfix
  fi

  wait_port 127.0.0.1 "$IMAP_PORT"; wait_port 127.0.0.1 "$IMAPS_PORT"; wait_port 127.0.0.1 "$LMTP_PORT"
  if [ "$WITH_POSTFIX" = 1 ]; then wait_port 127.0.0.1 "$SMTP_PORT"; wait_port 127.0.0.1 "$SUBMISSION_PORT"; fi
  echo "mailstack ready in $D"
  ;;
stop)
  # stop both at once: Dovecot's master always sleeps 1 s on shutdown to let its log process drain
  stop_pid "$D/postfix/spool/pid/master.pid" master & stop_pid "$D/dovecot/master.pid.started" dovecot & wait
  echo "mailstack stopped"
  ;;
*) echo "usage: $0 start|stop|postfix-stop|postfix-start DIR" >&2; exit 2;;
esac
