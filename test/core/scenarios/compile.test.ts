import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse as parseJs } from 'acorn';
import { parse as parseYaml } from 'yaml';
import { compileArtillery, compileArtilleryProcessor } from '../../../lib/core/scenarios/compile-artillery';
import { compileK6 } from '../../../lib/core/scenarios/compile-k6';
import { compileLocust } from '../../../lib/core/scenarios/compile-locust';
import type { TrafficModel } from '../../../lib/core/types';
import { fixtureModel } from './support';

const HOSTILE = ['"); import os; os.system("x") #', '${process.exit(1)}', '`touch /tmp/pwned`', "a'b\\c\nnext line", '*/ throw 1; /*', '\u2028'];

/** The fixture with hostile text in every place log content can reach: pools, query keys, paths. */
function hostileModel(): TrafficModel {
  const model = fixtureModel();
  const casual = model.personas[0]!;
  casual.params['{q}'] = HOSTILE;
  casual.states[3]!.path = '/search?q={q}&x"); os.system("y")={q}';
  casual.states[1]!.resources = ['/static/${evil}`.js'];
  return model;
}

/** Evaluates the Python PERSONAS literal with ast.literal_eval (never executing the file). */
function pythonPersonas(source: string): Record<string, { params: Record<string, string[]>; states: Record<string, { templates: string[] }> }> {
  const dir = mkdtempSync(join(tmpdir(), 'lp-py-'));
  writeFileSync(join(dir, 'locustfile.py'), source);
  const out = execFileSync('python3', ['-c', [
    'import ast, json, sys',
    'tree = ast.parse(open(sys.argv[1]).read())',
    'node = next(n for n in tree.body if isinstance(n, ast.Assign) and getattr(n.targets[0], "id", "") == "PERSONAS")',
    'print(json.dumps(ast.literal_eval(node.value)))',
  ].join('\n'), join(dir, 'locustfile.py')]);
  return JSON.parse(out.toString()) as ReturnType<typeof pythonPersonas>;
}

/** Evaluates the JS PERSONAS literal from an acorn AST (literal nodes only, no execution). */
function jsPersonas(source: string, sourceType: 'module' | 'script'): unknown {
  const ast = parseJs(source, { ecmaVersion: 'latest', sourceType }) as unknown as { body: unknown[] };
  type Node = { type: string; [k: string]: unknown };
  const value = (n: Node): unknown => {
    if (n.type === 'Literal') return n['value'];
    if (n.type === 'ArrayExpression') return (n['elements'] as Node[]).map(value);
    if (n.type === 'ObjectExpression') {
      return Object.fromEntries((n['properties'] as Node[]).map((p) => [(p['key'] as Node)['value'], value(p['value'] as Node)]));
    }
    throw new Error(`not a literal: ${n.type}`);
  };
  for (const stmt of ast.body as Node[]) {
    if (stmt.type !== 'VariableDeclaration') continue;
    for (const d of stmt['declarations'] as Node[]) if ((d['id'] as Node)['name'] === 'PERSONAS') return value(d['init'] as Node);
  }
  throw new Error('no PERSONAS');
}

describe('escaping of log content in generated code', () => {
  it('keeps hostile parameter values and paths as inert literals in the Python file', () => {
    // Given hostile values in the pools and the templates
    const source = compileLocust(hostileModel());
    // When the file is compiled by Python and its data table read back
    const dir = mkdtempSync(join(tmpdir(), 'lp-py-'));
    writeFileSync(join(dir, 'f.py'), source);
    execFileSync('python3', ['-m', 'py_compile', join(dir, 'f.py')]);
    const personas = pythonPersonas(source);
    // Then the values are exactly the log's strings, not code
    expect(personas['casual_browser']!.params['q']).toEqual(HOSTILE);
    expect(personas['casual_browser']!.states['s4']!.templates).toEqual(['/search?q={q}&x"); os.system("y")={q}']);
    expect(source).not.toMatch(/^import os; os\.system/m);
  });

  it('keeps them inert in the k6 script and the Artillery processor', () => {
    const model = hostileModel();
    for (const [source, type] of [[compileK6(model), 'module'], [compileArtilleryProcessor(model), 'script']] as const) {
      const personas = jsPersonas(source, type) as Record<string, { params: Record<string, string[]> }> | { params: Record<string, string[]> }[];
      const casual = Array.isArray(personas) ? personas[0]! : personas['casual_browser']!;
      expect(casual.params['q']).toEqual(HOSTILE);
      expect(source).not.toContain('\u2028');
    }
  });

  it('writes scenario.yml that parses and names only the environment as target', () => {
    const doc = parseYaml(compileArtillery(hostileModel())) as { config: { target: string; processor: string } };
    expect(doc.config.target).toBe('{{ $processEnvironment.BASE_URL }}');
    expect(doc.config.processor).toBe('./processor.js');
  });
});

describe('generated scripts', () => {
  it('are deterministic and say their write-safety rules in the header', () => {
    const model = fixtureModel();
    for (const compile of [compileK6, compileLocust, compileArtillery]) {
      const a = compile(model, { writes: 'off' });
      expect(compile(model, { writes: 'off' })).toBe(a);
      const header = a.split('\n').slice(0, 25).join('\n');
      expect(header).toContain('ALLOW_PRODUCTION');
      expect(header).toContain('shop.example.com');
      expect(header).toContain('Writes are OFF');
      expect(header).toContain('buyer: POST /cart/items (writes off)');
      expect(header).toContain('THINK_SCALE');
    }
  });

  it('leave out dangerous writes unless allowed', () => {
    const model = fixtureModel();
    expect(compileLocust(model)).not.toContain('"/payment/{orderId}/charge"');
    expect(compileLocust(model, { allowWrites: 'payment' })).toContain('"/payment/{orderId}/charge"');
  });
});

describe('scenarios of the demo world model (lib/core/simulate)', () => {
  it('compile to a Python file that compiles, JS that parses and YAML that loads', async () => {
    const { demoWorld } = await import('../../../lib/core/simulate/demo-world');
    const world = demoWorld();
    const dir = mkdtempSync(join(tmpdir(), 'lp-world-'));
    writeFileSync(join(dir, 'locustfile.py'), compileLocust(world));
    execFileSync('python3', ['-m', 'py_compile', join(dir, 'locustfile.py')]);
    expect(() => parseJs(compileK6(world), { ecmaVersion: 'latest', sourceType: 'module' })).not.toThrow();
    expect(() => parseJs(compileArtilleryProcessor(world), { ecmaVersion: 'latest', sourceType: 'script' })).not.toThrow();
    const doc = parseYaml(compileArtillery(world)) as { scenarios: { name: string }[] };
    expect(doc.scenarios.map((s) => s.name)).toEqual(world.personas.map((p) => p.name));
  });
});

describe('the Locust arrival shape', () => {
  it('asks for a bounded number of users when one persona has a vanishing share of the traffic', () => {
    // Given a model where one persona started a single session in the whole window
    const model = fixtureModel();
    const rare = structuredClone(model.personas[0]!);
    rare.name = 'rare_visitor';
    rare.arrivals = { ...rare.arrivals, counts: rare.arrivals.counts.map((_, i) => (i === 0 ? 1 : 0)) };
    model.personas.push(rare);
    const dir = mkdtempSync(join(tmpdir(), 'lp-shape-'));
    writeFileSync(join(dir, 'locustfile.py'), compileLocust(model));
    // When Locust's shape is asked for users at several moments of the test (the real locust package,
    // imported by the interpreter /usr/bin/locust runs on)
    const out = execFileSync('/usr/bin/python3', ['-c', [
      'import json, sys',
      'sys.path.insert(0, sys.argv[1])',
      'import locustfile as f',
      'shape = f.ArrivalCurveShape()',
      'users = []',
      'for t in (0, f.DURATION_SECONDS / 2, f.DURATION_SECONDS - 1):',
      '    shape.get_run_time = lambda t=t: t',
      '    users.append(shape.tick()[0])',
      'print(json.dumps({"users": users, "cap": f.USER_CAP, "personas": len(f.PERSONAS)}))',
    ].join('\n'), dir]);
    const r = JSON.parse(out.toString().trim().split('\n').at(-1)!) as { users: number[]; cap: number; personas: number };
    // Then it never asks for more than the cap, which stays in the range of the sessions the curve wants
    expect(Math.max(...r.users)).toBeLessThanOrEqual(r.cap);
    expect(r.cap).toBeLessThan(10_000);
    expect(Math.min(...r.users)).toBeGreaterThanOrEqual(r.personas);
  });
});
