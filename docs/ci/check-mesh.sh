#!/usr/bin/env sh
# Checks a mesh in CI against the mesh as it is on the base branch: every policy, every
# validation problem, and the consumers a contract change would break. Writes a JUnit report
# and exits non-zero when `quanta check` says no (see docs/ci.md).
#
#   check-mesh.sh [mesh-dir] [base-ref] [report.xml]
#
# mesh-dir is relative to the repository root (default "."), base-ref a commit, branch or tag
# the CI checkout has fetched (default origin/main).
set -eu
mesh="${1:-.}"
base="${2:-origin/main}"
report="${3:-quanta-report.xml}"

work="$(mktemp -d)"
# The base side: the same repository at base-ref, in a worktree beside the checkout.
git worktree add --quiet --detach "$work/base" "$base"
cleanup() {
  git worktree remove --force "$work/base" || true
  rm -rf "$work"
}
trap cleanup EXIT

status=0
npx --no quanta check "$mesh" --against "$work/base/$mesh" --format junit > "$report" || status=$?
echo "quanta check: exit $status, report in $report"
exit "$status"
