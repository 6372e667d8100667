#!/bin/sh
# The image's entry point: the first argument names the process (see Dockerfile).
# exec, so the process itself receives SIGTERM and shuts down gracefully.
set -eu
cd "$(dirname "$0")/.."

case "${1:-web}" in
  web)
    # The custom web server starts Next with next({ dev: false }), which would otherwise load
    # next.config.ts (and need a TypeScript compiler). Next's own standalone server.js hands it
    # the configuration the build serialized, the same way.
    __NEXT_PRIVATE_STANDALONE_CONFIG="$(node -e 'process.stdout.write(JSON.stringify(require("./.next/required-server-files.json").config))')"
    export __NEXT_PRIVATE_STANDALONE_CONFIG
    exec node --import tsx server/web/main.ts
    ;;
  realtime) exec node --import tsx server/realtime/main.ts ;;
  worker) exec node --import tsx server/worker/main.ts ;;
  migrate) exec node --import tsx server/cli/migrate.ts ;;
  admin) shift; exec node --import tsx server/cli/admin.ts "$@" ;;
  *) exec "$@" ;;
esac
