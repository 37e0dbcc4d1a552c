/**
 * Truncation check for .zst inputs. DuckDB reads a truncated zstd file up to where it breaks without
 * complaint (a log copied while it was written, a download cut short), so its missing lines would go
 * unnoticed. A zstd file is a chain of frames, each a chain of blocks whose 3-byte headers give their
 * sizes (RFC 8878 section 3.1): walking the headers, without decompressing, tells whether the file
 * ends where its last frame does. Node 20 has no zstd, and this needs none.
 */
import { open, type FileHandle } from 'node:fs/promises';

const ZSTD_MAGIC = 0xfd2fb528;
/** Skippable frames (metadata some tools add) carry magic 0x184D2A50..5F, then their size. */
const SKIPPABLE_MAGIC = 0x184d2a50;
const SKIPPABLE_MASK = 0xfffffff0;
const BLOCK_HEADER_BYTES = 3;
const CHECKSUM_BYTES = 4;
/** Block_Type 1 (RLE) stores one byte, repeated Block_Size times. */
const RLE_BLOCK = 1;
const RESERVED_BLOCK = 3;
/** A frame whose header the file cuts: it ends past any end. */
const CUT_SHORT = Number.POSITIVE_INFINITY;

/**
 * Whether the file ends inside a zstd frame. A file that is not a chain of frames at all (bytes that
 * are no frame) is damaged, not truncated: DuckDB's read fails on it, and ingest reports that.
 */
export async function isTruncatedZstd(path: string): Promise<boolean> {
  const file = await open(path, 'r');
  try {
    const { size } = await file.stat();
    let at = 0;
    while (at < size) {
      const end = await frameEnd(file, at);
      if (end === undefined) return false;
      if (end > size) return true;
      at = end;
    }
    return false;
  } finally {
    await file.close();
  }
}

/**
 * Where the frame starting at `at` ends: past the file's end when the file stops inside it
 * (CUT_SHORT when inside a header); undefined when no frame starts there.
 */
async function frameEnd(file: FileHandle, at: number): Promise<number | undefined> {
  const head = await bytesAt(file, at, 5);
  if (head.length < 4) return CUT_SHORT;
  const magic = head.readUInt32LE(0);
  if ((magic & SKIPPABLE_MASK) >>> 0 === SKIPPABLE_MAGIC) {
    const sized = await bytesAt(file, at + 4, 4);
    return sized.length < 4 ? CUT_SHORT : at + 8 + sized.readUInt32LE(0);
  }
  if (magic !== ZSTD_MAGIC) return undefined;
  if (head.length < 5) return CUT_SHORT;
  // Frame_Header_Descriptor: content size field, single segment, checksum and dictionary id flags.
  const descriptor = head[4]!;
  const singleSegment = (descriptor >> 5) & 1;
  const checksum = (descriptor >> 2) & 1;
  const dictionaryBytes = [0, 1, 2, 4][descriptor & 3]!;
  const contentSizeBytes = [singleSegment ? 1 : 0, 2, 4, 8][descriptor >> 6]!;
  let pos = at + 5 + (singleSegment ? 0 : 1) + dictionaryBytes + contentSizeBytes;
  for (;;) {
    const block = await bytesAt(file, pos, BLOCK_HEADER_BYTES);
    if (block.length < BLOCK_HEADER_BYTES) return CUT_SHORT;
    const header = block.readUIntLE(0, BLOCK_HEADER_BYTES);
    const type = (header >> 1) & 3;
    if (type === RESERVED_BLOCK) return undefined;
    pos += BLOCK_HEADER_BYTES + (type === RLE_BLOCK ? 1 : header >>> 3);
    if (header & 1) return pos + (checksum ? CHECKSUM_BYTES : 0);
  }
}

async function bytesAt(file: FileHandle, position: number, length: number): Promise<Buffer> {
  const buffer = Buffer.alloc(length);
  const { bytesRead } = await file.read(buffer, 0, length, position);
  return buffer.subarray(0, bytesRead);
}
