/**
 * Runs the built CLI (dist/, built by jest's global setup) as a user would, capturing its output.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Manifest } from '../../lib/core/types';

export const REPO = path.resolve(__dirname, '..', '..');
const BIN = path.join(REPO, 'bin', 'loadprint.js');

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

type RunOptions = { env?: NodeJS.ProcessEnv; timeoutMs?: number; cwd?: string; input?: Buffer };

/** `input` is piped to the CLI's standard input; without it, standard input is empty. */
export function runCli(args: readonly string[], options: RunOptions = {}): Promise<CliResult> {
  return runProcess(process.execPath, [BIN, ...args], options);
}

/**
 * The CLI run by the unprivileged user `nobody` (tests running as root, which reads every file, use it
 * to meet permissions as users do); its files must be readable by anyone, its output folder writable.
 */
export function runAsNobody(args: readonly string[]): Promise<CliResult> {
  const quote = (s: string) => `'${s.replace(/'/g, "'\\''")}'`;
  const command = `HOME=/tmp TMPDIR=/tmp ${[process.execPath, BIN, ...args].map(quote).join(' ')}`;
  return runProcess('su', ['nobody', '-s', '/bin/sh', '-c', command]);
}

function runProcess(command: string, args: readonly string[], options: RunOptions = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: options.cwd ?? REPO,
      env: { ...process.env, ...options.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    // A CLI that stops before reading its input (a bad option) closes the pipe: not the test's error.
    child.stdin.on('error', () => undefined);
    child.stdin.end(options.input);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 120_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

export function csvRows(text: string): Record<string, string>[] {
  const lines = text.trim().split('\n');
  const header = splitCsvLine(lines[0] ?? '');
  return lines.slice(1).map((l) => Object.fromEntries(splitCsvLine(l).map((v, i) => [header[i] ?? String(i), v])));
}

/** RFC 4180 line split (quoted fields, doubled quotes); enough for the files Loadprint writes. */
export function splitCsvLine(line: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        cur += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cur += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  out.push(cur);
  return out;
}

/** A run folder's manifest and sessions.csv rows. */
export function readRun(out: string): { manifest: Manifest; sessions: Record<string, string>[] } {
  return {
    manifest: JSON.parse(readFileSync(path.join(out, 'manifest.json'), 'utf8')) as Manifest,
    sessions: csvRows(readFileSync(path.join(out, 'sessions.csv'), 'utf8')),
  };
}

/** Asserts that `copy` read the same lines into the same sessions as `original` (the same logs, stored another way). */
export function expectReadAlike(copy: ReturnType<typeof readRun>, original: ReturnType<typeof readRun>): void {
  expect(copy.manifest.lines).toEqual(original.manifest.lines);
  expect(copy.sessions).toEqual(original.sessions);
}
