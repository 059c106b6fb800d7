#!/usr/bin/env sh
# The README's test command (npm test): the type check as one program per kind of code (node code; the
# packages that must not need node's types; the browser page), then every workspace's lint and tests
# under turbo. One tsc over the whole tree checks each shared source once instead of once per package
# that imports it (24 programs took ~4 min of CPU, this takes ~40 s). Everything runs whatever failed
# before it, and the exit status is non-zero if anything failed.
status=0
tsc -p tsconfig.check.json || status=1
tsc -p packages/contracts/tsconfig.json || status=1
tsc -p packages/search/tsconfig.json || status=1
tsc -p apps/dashboard/tsconfig.json || status=1
turbo run lint test --concurrency=3 --continue || status=1
exit $status
