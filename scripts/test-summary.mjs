// Prints vitest's JSON report as one plain line, "N passed, N failed, N skipped", which any CI
// reads the same way whatever the test runner.
import { readFileSync } from 'node:fs';

const reportPath = process.argv[2];
const report = JSON.parse(readFileSync(reportPath, 'utf8'));
const skipped = report.numPendingTests + report.numTodoTests;

console.log(`${report.numPassedTests} passed, ${report.numFailedTests} failed, ${skipped} skipped`);
