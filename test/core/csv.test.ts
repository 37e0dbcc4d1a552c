import { parseCsv } from '../../lib/core/csv';

describe('parseCsv', () => {
  test('splits as DuckDB reads CSV and Athena writes it: commas and newlines inside quotes stay, doubled quotes are one', () => {
    expect(parseCsv('a,"b, c","say ""hi""",,e')).toEqual([['a', 'b, c', 'say "hi"', '', 'e']]);
    expect(parseCsv('"persona","n"\r\n"buyer","3"\r\n"two\nlines",""\n')).toEqual([['persona', 'n'], ['buyer', '3'], ['two\nlines', '']]);
  });
});
