#!/bin/sh
# Entry point of nasfleet's images: secrets from files (compose secrets under /run/secrets), so no
# password sits in an environment file or in `docker inspect`; then the command, as PID 1's child
# (compose runs it with init: true) so SIGTERM reaches node and its graceful close.
#   API_TOKEN_FILE       the orchestrator's API token (sets API_TOKEN)
#   REDIS_PASSWORD_FILE  Redis's password, put into REDIS_URL (which must not carry one already)
set -eu

fail() {
  echo "entrypoint: $*" >&2
  exit 64
}

# A secret file's first line; letters, digits, '-' and '_' only, so it can sit in a URL unescaped.
read_secret() {
  [ -f "$1" ] || fail "$2: $1 is not a file (make the secrets first: deploy/init-secrets.sh, docs/deploy.md)"
  [ -r "$1" ] || fail "$2: cannot read $1 (it must be readable by uid $(id -u): chmod 644)"
  value=$(head -n 1 "$1" | tr -d '\r\n')
  [ -n "$value" ] || fail "$2: $1 is empty"
  case "$value" in
    *[!A-Za-z0-9_-]*) fail "$2: $1 may hold only letters, digits, '-' and '_' (e.g. openssl rand -hex 24)" ;;
  esac
  printf '%s' "$value"
}

if [ -n "${API_TOKEN_FILE:-}" ]; then
  API_TOKEN=$(read_secret "$API_TOKEN_FILE" API_TOKEN_FILE)
  export API_TOKEN
fi

if [ -n "${REDIS_PASSWORD_FILE:-}" ]; then
  password=$(read_secret "$REDIS_PASSWORD_FILE" REDIS_PASSWORD_FILE)
  case "${REDIS_URL:-}" in
    *@*) fail "REDIS_URL already holds credentials; drop them or unset REDIS_PASSWORD_FILE" ;;
    redis://* | rediss://*) REDIS_URL="${REDIS_URL%%://*}://:${password}@${REDIS_URL#*://}" ;;
    *) fail "REDIS_URL must be a redis:// or rediss:// URL, got '${REDIS_URL:-}'" ;;
  esac
  export REDIS_URL
fi

exec "$@"
