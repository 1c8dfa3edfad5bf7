/**
 * Writes the counts CI reads to test-artifacts/summary.txt; scripts/test.sh prints them as the
 * very last line (`N passed, N failed`) after jest has exited and flushed its own output.
 */
const fs = require('node:fs');
const path = require('node:path');

class SummaryReporter {
  onRunComplete(_contexts, results) {
    const failed = results.numFailedTests + results.numRuntimeErrorTestSuites;
    const skipped = results.numPendingTests + results.numTodoTests;
    const line =
      `${results.numPassedTests} passed, ${failed} failed` +
      (skipped ? `, ${skipped} skipped` : '');
    const dir = path.resolve(__dirname, '../test-artifacts');
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'summary.txt'), `${line}\n`);
  }
}
module.exports = SummaryReporter;
