#!/bin/sh
# Enrolls a mailbox with nothing but openssl and curl (issue 4, Done-when 2): proof that the KM
# speaks plain EST (RFC 7030) and that any client, or an administrator at a shell, can enroll.
#
#   sh test/shell/enroll-with-curl.sh KM_URL KM_CA_PEM MAILBOX TEMPORARY_KEY OUT_DIR
#
# Writes OUT_DIR/signing.key (P-256), OUT_DIR/signing.pem (the issued certificate) and prints
# the certificate's subject and e-mail address. Exits non-zero, with the KM's answer, on refusal.
set -eu

if [ "$#" -ne 5 ]; then
  echo "usage: $0 KM_URL KM_CA_PEM MAILBOX TEMPORARY_KEY OUT_DIR" >&2
  exit 2
fi
km=$1 ca=$2 mailbox=$3 key=$4 out=$5
mkdir -p "$out"

# 1. The CA certificates (§4.1), checked against the pinned CA by curl's --cacert.
curl -sS --fail --cacert "$ca" -o "$out/cacerts.b64" "$km/.well-known/est/cacerts"
# EST bodies are base64 with CRLF line breaks (§4.1.3); strip them, then decode.
tr -d '\r\n' < "$out/cacerts.b64" | openssl base64 -d -A > "$out/cacerts.p7"
openssl pkcs7 -inform DER -in "$out/cacerts.p7" -print_certs -noout > /dev/null

# 2. A signing key that never leaves this machine, and its request (PKCS#10, base64 DER: §4.2.1).
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$out/signing.key" 2> /dev/null
openssl req -new -key "$out/signing.key" -subj "/CN=$mailbox" -outform DER -out "$out/signing.csr.der"
openssl base64 -in "$out/signing.csr.der" > "$out/signing.csr"

# 3. simpleenroll, authenticated by the mailbox and its one-time temporary key (HTTP Basic, §3.2.3).
status=$(curl -sS --cacert "$ca" --user "$mailbox:$key" -H 'Content-Type: application/pkcs10' \
  --data-binary "@$out/signing.csr" -o "$out/answer" -w '%{http_code}' "$km/.well-known/est/simpleenroll")
if [ "$status" != 200 ]; then
  echo "the KM refused the enrollment (HTTP $status):" >&2
  cat "$out/answer" >&2
  echo >&2
  exit 1
fi

# 4. The answer is a certs-only PKCS#7 (§4.2.3); take the certificate out and show whose it is.
tr -d '\r\n' < "$out/answer" | openssl base64 -d -A > "$out/answer.p7"
openssl pkcs7 -inform DER -in "$out/answer.p7" -print_certs -out "$out/signing.pem"
openssl x509 -in "$out/signing.pem" -noout -subject -ext subjectAltName
