# shellcheck shell=bash disable=SC2034 # sourced: the names are used by the scripts that source it
# scripts/versions.sh: the version of every tool the scripts and the release
# workflow install, in one place. Plain NAME=value lines, sourced by the
# scripts (". scripts/versions.sh") and read by the Go tests of the checks
# that stand in for a tool (internal/coderules, internal/release), which
# fail when a pin here moves past the version they were written against.
#
# The catalog judges a submission with Grafana's plugin validator at
# TICKSTREAM_VALIDATOR_VERSION, and that validator pins its own tools; the
# three below it are its pins at that version (its Dockerfile's GOSEC_VERSION
# and SEMGREP_VERSION, its plugindocs analyzer's cliVersion). When the
# validator moves, these lines move with it.

# github.com/grafana/plugin-validator, tag plugin-validator/<version>.
TICKSTREAM_VALIDATOR_VERSION=v0.45.6
# gosec, as the validator's Dockerfile installs it (scripts/gosec.sh).
TICKSTREAM_GOSEC_VERSION=v2.22.8
# semgrep, which runs the validator's code rules (CI's validator run only;
# internal/coderules checks the same rules offline).
TICKSTREAM_SEMGREP_VERSION=1.84.1
# @grafana/plugin-docs-cli, which the validator runs on the docs folder
# (npm does not serve it to this project's machines; internal/release
# checks its rules offline).
TICKSTREAM_PLUGIN_DOCS_CLI_VERSION=0.0.10

# The project's own tools.
TICKSTREAM_MAGE_VERSION=v1.17.2
