/**
 * The line a user reads when no line of the inputs could be read: it says why, and for formats that
 * name their own columns it shows the names found and the --columns map to write, never a value.
 */
import { unreadHint } from '../../../lib/core/ingest/unread-hint';
import type { LineCounts } from '../../../lib/core/types';

const counts = (rejectedByReason: Record<string, number>): LineCounts => {
  const rejected = Object.values(rejectedByReason).reduce((a, b) => a + b, 0);
  return { read: rejected, parsed: 0, rejected, rejectedByReason, samples: [] };
};

describe('unreadHint', () => {
  test('lines that are all connections without a request are no format\'s fault: there is nothing to profile', () => {
    const line = unreadHint('idle.log', 'combined', counts({ no_request: 12 }), { lines: [] });
    expect(line).toBe('no line of idle.log could be read as combined logs (12 rejected, most as no_request); its lines are connections that sent no request ("-"): there is no traffic in it to profile; pass logs that hold requests');
  });

  test('a fixed layout can only be the wrong format, and the main reason is named', () => {
    const line = unreadHint('a.log', 'alb', counts({ unrecognized_line: 7, bad_timestamp: 2 }), { lines: [] });
    expect(line).toBe('no line of a.log could be read as alb logs (9 rejected, most as unrecognized_line); check --format');
  });

  test('a CSV header is listed so the user can map its names', () => {
    const line = unreadHint('w.csv', 'csv', counts({ bad_timestamp: 3 }), { csvHeader: ['ip', 'when', 'req', 'code'], csvColumns: 4, lines: [] });
    expect(line).toMatch(/most as bad_timestamp\); map its columns to timestamp, status and request \(or method and path\) with --columns canonical=column \(its columns: ip, when, req, code\)/);
  });

  test('a header-less CSV is mapped by position, with the positions its values show, and its data rows are never echoed', () => {
    const hint = (...lines: string[]) => unreadHint('w.csv', 'csv', counts({ bad_timestamp: lines.length }), { csvColumns: 5, lines });
    // Date and time apart: the other columns are named, and what none of them is
    const apart = hint('2017-11-29,06:58:55,10.1.2.3,GET /login.php HTTP/1.1,200', '2017-11-29,06:59:02,10.1.2.4,GET /home.php HTTP/1.1,302');
    expect(apart).toMatch(/no header naming them: map its 5 columns by 1-based position .* with --columns \(by their values: client_ip=3, request=4, status=5; no column reads as a time\), or check --format$/);
    expect(apart).not.toMatch(/10\.1\.2\.3|login|2017/);
    // Values of no known shape: an example map
    expect(hint('a,b,c,d,e', 'f,g,h,i,j')).toMatch(/with --columns, e\.g\. timestamp=2,request=3,status=4, or check --format$/);
  });

  test('JSON lines: the first record\'s keys, not its values', () => {
    const lines = ['not json', '{"ts":"2024-01-01T00:00:00Z","url":"/account?token=abc","code":200}'];
    const line = unreadHint('k.jsonl', 'jsonl', counts({ bad_timestamp: 2 }), { lines });
    expect(line).toMatch(/map its keys to .* with --columns canonical=key \(its keys: ts, url, code\), or check --format$/);
    // Nested ones by the paths --columns takes
    const nested = unreadHint('n.jsonl', 'jsonl', counts({ bad_request: 1 }), { lines: ['{"at":"2024-01-01T00:00:00Z","http":{"verb":"GET","target":"/x?token=abc","agent":["curl/8"]},"code":200}'] });
    expect(nested).toMatch(/\(its keys: at, http\.verb, http\.target, http\.agent\[0\], code\)/);
    expect(nested).not.toMatch(/token|curl/);
    expect(line).not.toMatch(/token|account/);
  });

  test('a W3C extended log with spaces (IIS) read as CloudFront\'s is told apart from CloudFront\'s tab-separated one', () => {
    const iis = ['#Software: Microsoft Internet Information Services 10.0', '#Fields: date time s-ip cs-method cs-uri-stem',
      '2024-05-01 10:00:00 10.0.0.1 GET /default.htm'];
    expect(unreadHint('u_ex240501.log', 'cloudfront', counts({ unrecognized_line: 1 }), { lines: iis })).toMatch(
      /separated by spaces, as IIS writes W3C extended logs, not by tabs as CloudFront writes them: leave --format auto to read it as IIS's$/,
    );
    const cloudfront = ['#Version: 1.0', '#Fields: date time x-edge-location', '2024-05-01\t10:00:00\tIAD'];
    expect(unreadHint('cf.log', 'cloudfront', counts({ bad_request: 1 }), { lines: cloudfront })).toMatch(/; check --format$/);
    expect(unreadHint('cf.log', 'cloudfront', counts({ bad_request: 1 }), { lines: cloudfront })).not.toContain('IIS');
  });

  test('a layout sniffing recognised (a proxy\'s default, IIS\'s #Fields) is named as what was tried, with what to do', () => {
    const istio = unreadHint('istio.log', 'combined', counts({ unrecognized_line: 5 }), { layout: 'istio', lines: [] });
    expect(istio).toBe("no line of istio.log could be read as Istio's default access-log layout (5 rejected, most as unrecognized_line); give the layout the proxy writes (its format string) with --log-format, or check --format");
    const iis = unreadHint('u_ex.log', 'combined', counts({ unrecognized_line: 2 }), { w3cFields: ['date', 'time'], lines: [] });
    expect(iis).toBe("no line of u_ex.log could be read as IIS's W3C extended log by its #Fields (2 rejected, most as unrecognized_line); check that its lines hold the fields its #Fields line names, in that order");
  });

  test('long lists and long names are cut, so the hint stays one readable line', () => {
    const header = Array.from({ length: 30 }, (_, i) => (i === 0 ? 'x'.repeat(100) : `c${i}`));
    const line = unreadHint('w.csv', 'csv', counts({ bad_request: 1 }), { csvHeader: header, csvColumns: 30, lines: [] });
    expect(line).toContain(`${'x'.repeat(40)}..., c1,`);
    expect(line).toContain('c11 and 18 more');
    expect(line).not.toContain('c12');
  });
});
