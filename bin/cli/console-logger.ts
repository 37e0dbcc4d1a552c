/**
 * The logger `serve` and `watch` hand to the shared code: short human lines on stderr (an access
 * log for API requests), debug lines and stacks only with --debug.
 */
import type { ApiLogger } from '../../lib/core/api/handler';

export function consoleLogger(options: { debug: boolean; write?: (line: string) => void }): ApiLogger {
  const write = options.write ?? ((line: string) => process.stderr.write(`${line}\n`));
  const fmt = (message: string, fields?: Record<string, unknown>): string => {
    if (message === 'api.request' && fields) {
      const code = fields['code'] ? ` ${String(fields['code'])}` : '';
      return `${String(fields['method'])} ${String(fields['path'])} ${String(fields['statusCode'])}${code}`;
    }
    const rest = fields ? Object.entries(fields).filter(([k]) => k !== 'error') : [];
    return [message, ...rest.map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`)].join(' ');
  };
  return {
    debug: (m, f) => {
      if (options.debug) write(fmt(m, f));
    },
    info: (m, f) => write(fmt(m, f)),
    warn: (m, f) => write(`warning: ${fmt(m, f)}`),
    error: (m, f) => {
      const err = f?.['error'];
      const detail = err instanceof Error ? (options.debug ? (err.stack ?? err.message) : err.message) : '';
      write(`error: ${fmt(m, f)}${detail ? ` ${detail}` : ''}`);
    },
  };
}
