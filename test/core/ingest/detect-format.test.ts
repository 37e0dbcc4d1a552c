/**
 * Format detection from a file's first lines; here the CSV header, which decides whether --columns
 * maps names or positions.
 */
import { detectFormat } from '../../../lib/core/ingest/detect-format';

describe('detectFormat: CSV headers', () => {
  test('a header of canonical names', () => {
    expect(detectFormat(['timestamp,path,status', '2024-01-01T00:00:00Z,/a,200'])).toEqual({
      format: 'csv', csvHeader: ['timestamp', 'path', 'status'], csvColumns: 3,
    });
  });

  test('a header of the file\'s own names: no number in it, numbers in the rows under it', () => {
    expect(detectFormat(['IP,When,Req,Code', '1.2.3.4,2024-01-01T00:00:00Z,GET / HTTP/1.1,200'])).toMatchObject({
      format: 'csv', csvHeader: ['ip', 'when', 'req', 'code'],
    });
  });

  test('no header: the first line already holds data', () => {
    const sniff = detectFormat(['10.128.2.1,[29/Nov/2017:06:58:55,GET /login.php HTTP/1.1,200', '10.128.2.1,[29/Nov/2017:06:59:02,POST /process.php HTTP/1.1,302']);
    expect(sniff).toEqual({ format: 'csv', csvColumns: 4 });
  });

  test('rows of words only are not mistaken for a header', () => {
    expect(detectFormat(['GET,/home,ok', 'POST,/login,ok'])).toEqual({ format: 'csv', csvColumns: 3 });
  });
});
