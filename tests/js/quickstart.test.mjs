// The README's JavaScript quick start, run as written: its code block is extracted from README.md (not
// copied), saved in a new empty folder where only the packed package is installed, and run with
// Node; each `console.log` must print what its `// → …` comment says.
// ROLEGATE_ROOT is the repository (README.md), ROLEGATE_TARBALL the packed package.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const readme = readFileSync(join(process.env.ROLEGATE_ROOT, 'README.md'), 'utf8');

test('the README quick start runs as written in an empty folder with only the package', () => {
  const section = readme.slice(readme.indexOf('## Quick start (JavaScript)'));
  const code = section.match(/```js\n([\s\S]*?)```/)[1];
  const expected = [...code.matchAll(/console\.log\(.*\/\/ → (.*)$/gm)].map((m) => m[1].replace(/ \(.*\)$/, '').trim());
  assert.ok(expected.length >= 6, 'the quick start shows its answers');
  const dir = mkdtempSync(join(tmpdir(), 'rolegate-quickstart-'));
  try {
    writeFileSync(join(dir, 'package.json'), '{"name":"quickstart","private":true,"type":"module"}\n');
    execFileSync('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error', process.env.ROLEGATE_TARBALL], { cwd: dir });
    writeFileSync(join(dir, 'quickstart.mjs'), code);
    const out = execFileSync(process.execPath, ['quickstart.mjs'], { cwd: dir, encoding: 'utf8' });
    assert.deepEqual(out.trim().split('\n'), expected);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
