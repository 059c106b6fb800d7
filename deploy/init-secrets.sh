#!/bin/sh
# Makes the fleet's secrets once, on the head box: deploy/secrets/{redis-password,api-token,
# grafana-admin-password}, 24 random bytes in hex each. Keeps files that exist. Copy redis-password
# to every GPU box (docs/deploy.md, step 4); the API token is what the CLI and HTTP clients send.
set -eu
dir=$(dirname "$0")/secrets
mkdir -p "$dir"
chmod 700 "$dir"
for name in redis-password api-token grafana-admin-password; do
  file="$dir/$name"
  if [ -s "$file" ]; then
    echo "kept    $file"
    continue
  fi
  # Readable by the containers' users (a bind-mounted secret keeps its mode); the folder is 700.
  (umask 022 && openssl rand -hex 24 > "$file")
  echo "created $file"
done
