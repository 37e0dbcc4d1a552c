/** Runs a generated scenario with the real tool, bounded in time, and reports its exit and output. */
import { spawn } from 'node:child_process';

export interface ToolRun {
  code: number | null;
  output: string;
}

export function runTool(command: string, args: readonly string[], opts: { cwd: string; env: Record<string, string>; timeoutMs: number }): Promise<ToolRun> {
  return new Promise((resolve) => {
    const child = spawn(command, [...args], { cwd: opts.cwd, env: { ...process.env, ...opts.env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, output: output.slice(-4000) });
    });
  });
}
