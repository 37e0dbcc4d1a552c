/**
 * Which files the user's paths hold (links followed, a file reached twice read once), and what a
 * file's first bytes say about it: UTF-16 text (a Windows PowerShell redirect writes it) and Latin-1
 * text (Windows exports, old servers) are told from UTF-8 and from binary data, and a head is sniffed
 * as the text it holds.
 */
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { discoverInputs, headAsUtf8, headLines, looksBinary, packedAs, textEncoding } from '../../../lib/core/ingest/discover-inputs';

const LINE = '203.0.113.9 - - [02/Sep/2016:10:42:51 +0200] "GET /café HTTP/1.1" 200 7113 "-" "Mozilla/5.0"\r\n';
const bom = (b: number[]) => Buffer.from(b);
const be = (text: string) => Buffer.from(text, 'utf16le').swap16();

describe('textEncoding and the UTF-16 head', () => {
  test('a byte-order mark says UTF-16, little- or big-endian', () => {
    expect(textEncoding(Buffer.concat([bom([0xff, 0xfe]), Buffer.from(LINE, 'utf16le')]))).toBe('utf-16le');
    expect(textEncoding(Buffer.concat([bom([0xfe, 0xff]), be(LINE)]))).toBe('utf-16be');
  });

  test('without one, the zero byte of every ASCII character gives it away', () => {
    expect(textEncoding(Buffer.from(LINE.repeat(3), 'utf16le'))).toBe('utf-16le');
    expect(textEncoding(be(LINE.repeat(3)))).toBe('utf-16be');
  });

  test('UTF-8 text, with or without its own mark, and binary data are not UTF-16', () => {
    expect(textEncoding(Buffer.from(LINE))).toBe('utf-8');
    expect(textEncoding(Buffer.concat([bom([0xef, 0xbb, 0xbf]), Buffer.from(LINE)]))).toBe('utf-8');
    // A PNG header and zeros at both byte positions: left for looksBinary to refuse.
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52, 0, 0, 1, 0]);
    expect(textEncoding(png)).toBe('utf-8');
    expect(looksBinary(png)).toBe(true);
  });

  test('a UTF-16LE head reads as the lines it holds, its mark gone and a character cut at the end dropped', () => {
    const head = Buffer.concat([bom([0xff, 0xfe]), Buffer.from(LINE.repeat(2), 'utf16le')]);
    const cut = head.subarray(0, head.length - 1);
    const text = headAsUtf8(cut, 'utf-16le');
    expect(looksBinary(text)).toBe(false);
    expect(headLines(text)).toEqual([LINE.trim()]);
    expect(headLines(headAsUtf8(head, 'utf-16le'))).toEqual([LINE.trim(), LINE.trim()]);
  });
});

describe('headLines', () => {
  test('gives the complete lines of a head: CRLF or LF, blank lines skipped, the cut last line dropped', () => {
    const head = Buffer.from('GET /a HTTP/1.1\r\n\r\n  \nGET /b HTTP/1.1\nGET /c HTTP/1.1\r\nGET /d HT');
    expect(headLines(head)).toEqual(['GET /a HTTP/1.1', 'GET /b HTTP/1.1', 'GET /c HTTP/1.1']);
    expect(headLines(head, 2)).toEqual(['GET /a HTTP/1.1', 'GET /b HTTP/1.1']);
    // A head of one line without its end is all there is to go by.
    expect(headLines(Buffer.from('GET /only'))).toEqual(['GET /only']);
  });
});

describe('textEncoding and the Latin-1 head', () => {
  const latin1 = (text: string) => Buffer.from(text, 'latin1');

  test('bytes past ASCII that are not UTF-8 say Latin-1, and the head reads as its text', () => {
    const head = latin1(LINE.repeat(3));
    expect(textEncoding(head)).toBe('latin-1');
    expect(headLines(headAsUtf8(head, 'latin-1'))).toEqual([LINE.trim(), LINE.trim(), LINE.trim()]);
  });

  test('UTF-8 stays UTF-8: cut inside its last character, or with a broken byte among its characters', () => {
    const utf8 = Buffer.from(LINE.repeat(3));
    expect(textEncoding(utf8)).toBe('utf-8');
    // The head stops between the two bytes of the é of an unfinished line (or of a line without end).
    const noEnd = Buffer.from(`GET /café`);
    expect(textEncoding(Buffer.concat([utf8, noEnd.subarray(0, noEnd.length - 1)]))).toBe('utf-8');
    expect(textEncoding(noEnd.subarray(0, noEnd.length - 1))).toBe('utf-8');
    // One Latin-1 line among UTF-8 ones: the broken line is counted, the rest read as UTF-8.
    expect(textEncoding(Buffer.concat([utf8, latin1(LINE)]))).toBe('utf-8');
  });

  test('ASCII is UTF-8, and binary data is not Latin-1', () => {
    expect(textEncoding(Buffer.from('GET / HTTP/1.1 200\n'))).toBe('utf-8');
    expect(textEncoding(Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 0x4a, 0x46, 0x49, 0x46, 0, 1]))).toBe('utf-8');
  });
});

describe('packedAs', () => {
  test('names the compressor of a file not known by its name to be gzip, and what to do unless it is read', () => {
    const head = (bytes: number[]) => Buffer.concat([Buffer.from(bytes), Buffer.from('compressed bytes')]);
    const zstd = packedAs(head([0x28, 0xb5, 0x2f, 0xfd]));
    expect(zstd?.name).toBe('zstd');
    expect(zstd?.advice).toBeUndefined(); // read, not refused
    expect(packedAs(head([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00]))?.name).toBe('xz');
    expect(packedAs(head([0x42, 0x5a, 0x68, 0x39]))?.name).toBe('bzip2');
    expect(packedAs(head([0x50, 0x4b, 0x03, 0x04]))?.name).toBe('zip');
    expect(packedAs(head([0x1f, 0x8b, 0x08]))?.advice).toMatch(/\.gz/);
  });

  test('text is not packed', () => {
    expect(packedAs(Buffer.from(LINE))).toBeUndefined();
    expect(packedAs(Buffer.from('{"ts":1}\n'))).toBeUndefined();
    expect(packedAs(Buffer.alloc(0))).toBeUndefined();
  });
});

describe('discoverInputs and symbolic links', () => {
  test('links to files and folders are followed, a file reached twice is one input, a link back up is not followed', async () => {
    // Given logs kept elsewhere and a folder of links to them (as `current` links, shared log folders
    // and /var/log/containers are), a link to its own parent, broken links (one to nothing, two to each
    // other) and an empty file
    const root = mkdtempSync(path.join(os.tmpdir(), 'lp-links-'));
    const store = path.join(root, 'store');
    mkdirSync(path.join(store, 'older'), { recursive: true });
    writeFileSync(path.join(store, 'access.log'), LINE);
    writeFileSync(path.join(store, 'older', 'access.log.1'), LINE.repeat(2));
    const logs = path.join(root, 'logs');
    mkdirSync(logs);
    symlinkSync(path.join(store, 'access.log'), path.join(logs, 'current.log'));
    symlinkSync(store, path.join(logs, 'store'));
    symlinkSync(logs, path.join(store, 'older', 'back-up'));
    symlinkSync(path.join(root, 'gone.log'), path.join(logs, 'gone.log'));
    symlinkSync(path.join(logs, 'loop-b.log'), path.join(logs, 'loop-a.log'));
    symlinkSync(path.join(logs, 'loop-a.log'), path.join(logs, 'loop-b.log'));
    writeFileSync(path.join(logs, 'rotated.log'), '');

    // When the folder is discovered
    const { files } = await discoverInputs([logs]);

    // Then each log is one input, by the first of its paths, and what cannot be read says why
    expect(files.map((f) => [path.relative(logs, f.path), f.bytes, f.skip])).toEqual([
      ['current.log', Buffer.byteLength(LINE), undefined],
      ['gone.log', 0, 'broken symbolic link'],
      ['loop-a.log', 0, 'broken symbolic link'],
      ['loop-b.log', 0, 'broken symbolic link'],
      ['rotated.log', 0, 'empty'],
      [path.join('store', 'older', 'access.log.1'), Buffer.byteLength(LINE) * 2, undefined],
    ]);
  });

  test('a folder of links only to nothing says so', async () => {
    const root = mkdtempSync(path.join(os.tmpdir(), 'lp-links-'));
    symlinkSync(path.join(root, 'gone.log'), path.join(root, 'a.log'));
    await expect(discoverInputs([root])).rejects.toThrow(/^no log files in folder .* \(1 file: broken symbolic link\)$/);
  });
});
