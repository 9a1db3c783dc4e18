// One summary over the jest JSON reports of a test run; exits non-zero when a suite failed or is missing.
import fs from 'node:fs';
import path from 'node:path';

const dir = process.argv[2];
let passed = 0;
let failed = 0;
let skipped = 0;
let broken = 0;
for (const file of fs.readdirSync(dir).filter(f => f.endsWith('.json')).sort()) {
  const r = JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8'));
  passed += r.numPassedTests;
  failed += r.numFailedTests;
  skipped += r.numPendingTests + r.numTodoTests;
  broken += r.numRuntimeErrorTestSuites;
  console.log(`${file.replace(/\.json$/, '')}: ${r.numPassedTests} passed, ${r.numFailedTests} failed, ${r.numTotalTestSuites} suites${r.numRuntimeErrorTestSuites ? `, ${r.numRuntimeErrorTestSuites} suites did not run` : ''}`);
  for (const s of r.testResults.filter(t => t.status === 'failed')) {
    console.log(`  FAILED ${path.relative(process.cwd(), s.name)}${s.message && !s.assertionResults.length ? `: ${s.message.split('\n').slice(0, 3).join(' ')}` : ''}`);
  }
}
console.log(`${passed} passed, ${failed + broken} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(failed + broken > 0 || passed === 0 ? 1 : 0);
