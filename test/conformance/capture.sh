#!/bin/bash
# Capture the goldens: run every scenario (or --only NN) with the real
# Docker CLI against a real engine and write the normalized outputs to
# golden/. DOCKER_HOST defaults to the conformance engine's socket when it
# exists (see README.md for how to start one).
#
#   capture.sh [--only NN[,NN...]]...
#
# Check determinism afterwards with `run.sh --cli docker`: a second run must
# pass against what was just captured.
set -u
exec "$(cd "$(dirname "$0")" && pwd)/run.sh" --cli docker --update "$@"
