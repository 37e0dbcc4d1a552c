/**
 * Reading a CSV without a header by the shapes of its values: which positions are taken, and when
 * nothing is (an ambiguous or missing column leaves the run to ask for --columns).
 */
import { inferCsvColumns } from '../../../lib/core/ingest/infer-csv-columns';

const rows = (...lines: string[]) => lines;

describe('inferCsvColumns', () => {
  test('reads the RUET layout: IP, a bracketed time without zone, the request line, the status, empty columns after', () => {
    const sample = rows(
      '10.128.2.1,[29/Nov/2017:06:58:55,GET /login.php HTTP/1.1,200,,,,',
      '10.128.2.1,[29/Nov/2017:06:59:02,POST /process.php HTTP/1.1,302,,,,',
      '10.131.2.1,[29/Nov/2017:06:59:04,GET /js/vendor/moment.min.js HTTP/1.1,304,,,,',
    );
    expect(inferCsvColumns(sample)).toEqual({ client_ip: '1', timestamp: '2', request: '3', status: '4' });
  });

  test('reads ISO or epoch times, a method and a path apart, IPv6 clients and a quoted user agent', () => {
    const sample = rows(
      '1764323935.118,2001:db8::7,GET,/p/1?ref=mail,200,"Mozilla/5.0 (X11; Linux x86_64) Gecko/20100101, Firefox/128.0",512',
      '1764323936.502,2001:db8::9,POST,/cart,201,"curl/8.5.0",87',
    );
    expect(inferCsvColumns(sample)).toEqual({ timestamp: '1', client_ip: '2', method: '3', path: '4', status: '5', user_agent: '6' });
    const iso = rows('2026-11-28T09:15:02.311Z,GET /,200', '2026-11-28 09:15:07+01:00,GET /about,404');
    expect(inferCsvColumns(iso)).toEqual({ timestamp: '1', request: '2', status: '3' });
  });

  test('lets a few junk rows through, but not a column that is only sometimes a status', () => {
    const good = (i: number) => `10.0.0.${i},2026-11-28T09:00:0${i}Z,GET /x HTTP/1.1,200`;
    const sample = rows(...Array.from({ length: 9 }, (_, i) => good(i + 1)), "chmod:,cannot,'a.out':,No");
    expect(inferCsvColumns(sample)).toMatchObject({ timestamp: '2', request: '3', status: '4' });
    const halfJunk = rows(good(1), good(2), 'rm:,cannot,remove,x', 'rm:,cannot,remove,y');
    expect(inferCsvColumns(halfJunk)).toEqual({});
  });

  test('infers nothing when a needed column is ambiguous or missing', () => {
    // Two status-shaped columns (the response and the upstream's): which is which is the user's call.
    expect(inferCsvColumns(rows('2026-11-28T09:00:00Z,GET /,200,200', '2026-11-28T09:00:01Z,GET /a,502,504'))).toEqual({});
    // Date and time in columns of their own: no column is a time.
    expect(inferCsvColumns(rows('2017-11-29,06:58:55,GET /,200', '2017-11-29,06:59:02,GET /a,200'))).toEqual({});
  });

  test('keeps the user\'s --columns and fills in the rest around them', () => {
    // The user says the second status-shaped column is the one: the other is then no longer a contender.
    const sample = rows('2026-11-28T09:00:00Z,GET /,200,200', '2026-11-28T09:00:01Z,GET /a,502,504');
    expect(inferCsvColumns(sample, { status: '4' })).toEqual({ timestamp: '1', request: '2' });
  });
});
