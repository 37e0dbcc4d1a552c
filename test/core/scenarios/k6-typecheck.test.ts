import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ts from 'typescript';
import { compileK6 } from '../../../lib/core/scenarios/compile-k6';
import { fixtureModel } from './support';

const ROOT = join(__dirname, '../../..');

/** Type-checks a k6 script as checked JavaScript against @types/k6 (k6 itself is not installable here). */
function k6Diagnostics(source: string): string[] {
  const dir = mkdtempSync(join(tmpdir(), 'lp-k6-'));
  const file = join(dir, 'script.js');
  writeFileSync(file, source);
  const program = ts.createProgram([file], {
    allowJs: true,
    checkJs: true,
    noEmit: true,
    strict: true,
    target: ts.ScriptTarget.ES2020,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    lib: ['lib.es2020.d.ts'],
    types: ['k6'],
    typeRoots: [join(ROOT, 'node_modules/@types')],
    skipLibCheck: true,
  });
  return ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
}

describe('k6 script against @types/k6', () => {
  it('type-checks with no errors', () => {
    // Given the fixture compiled with every option that changes the code
    const source = compileK6(fixtureModel(), { writes: 'off', scale: 2, durationSeconds: 300 });
    // When checked as strict JavaScript
    // Then the compiler has nothing to say
    expect(k6Diagnostics(source)).toEqual([]);
  }, 60_000);

  it('would catch a misuse of the k6 API (the check is real)', () => {
    const source = compileK6(fixtureModel()).replace("http.request(state.method,", 'http.request(42,');
    expect(k6Diagnostics(source).join('\n')).toMatch(/number.*not assignable.*string/);
  }, 60_000);
});
