#!/usr/bin/env bash
# The whole test suite, as CI runs it: formatting, lints, and every test of the workspace.
# Tests that read ../shared/data skip with a message when it is absent.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo fmt --all -- --check
cargo clippy --workspace --all-targets --locked -- -D warnings
cargo test --workspace --locked
