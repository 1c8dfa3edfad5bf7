#!/usr/bin/env bash
# npm test: unit tests, then the integration tests against the real Asterisk sandbox (started if
# needed); the last line is `N passed, N failed` for the whole run.
set -u
cd "$(dirname "$0")/.."
rm -f test-artifacts/summary.txt
npx jest --runInBand "$@"
rc=$?
if [ -f test-artifacts/summary.txt ]; then
  if [ $rc -ne 0 ] && grep -q ' 0 failed' test-artifacts/summary.txt; then
    echo
    echo "jest exited $rc although no test failed: work left running after a test file ended"
    echo "(look above for 'Cannot log after tests are done' or an open handle)"
  fi
  echo
  cat test-artifacts/summary.txt
else
  echo
  echo "0 passed, 1 failed"
  [ $rc -ne 0 ] || rc=1
fi
exit $rc
