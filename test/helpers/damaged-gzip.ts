/**
 * gzip files damaged past the head that sniffing reads, the same bytes on every zlib: they are made of
 * stored (uncompressed) deflate blocks, so the damage lands where the test puts it, not where one
 * zlib's compressor happened to put its codes.
 */
import { gzipSync } from 'node:zlib';

/** Bytes of a stored block's header: the block-type byte, LEN and NLEN. */
const STORED_HEADER = 5;
/** A gzip member's own header. */
const GZIP_HEADER = 10;

export type Damage =
  /** Text of the second block overwritten: the stream inflates, to lines that are not logs, and its CRC fails. */
  | 'garbled'
  /** The second block's length check broken: inflating stops there with an error. */
  | 'broken-block';

/** `text` (whole lines, more than one stored block of it) gzipped with `damage` in its second block. */
export function damagedGzip(text: Buffer, damage: Damage): Buffer {
  const gz = Buffer.from(gzipSync(text, { level: 0 }));
  const second = GZIP_HEADER + STORED_HEADER + gz.readUInt16LE(GZIP_HEADER + 1);
  const secondLength = gz.readUInt16LE(second + 1);
  if (gz.length < second + STORED_HEADER + secondLength) throw new Error('damagedGzip needs text of more than one stored block');
  if (damage === 'broken-block') {
    gz.writeUInt16LE(secondLength, second + 3); // NLEN must be LEN's complement
  } else {
    const data = second + STORED_HEADER;
    // Most of the block's lines become '~~~~': newlines are kept, so they are lines the parse rejects.
    for (let i = data + 100; i < data + secondLength - 100; i++) if (gz[i] !== 0x0a) gz[i] = 0x7e;
  }
  return gz;
}
