/**
 * Decides whether a file's bytes are text the parsers can read: UTF-8 with no NUL byte. Pure. Without this
 * a binary given as the Procfile or .env gets a diagnostic for nearly every "line" of it.
 */

/** How far to look for a NUL byte, as git and grep do: text has none, binaries have one early on. */
const SNIFF_BYTES = 8192;
const REPLACEMENT = '\uFFFD';
// ignoreBOM keeps a byte order mark in the text: the parsers skip it themselves.
const strict = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const lenient = new TextDecoder('utf-8', { ignoreBOM: true });

export function decodeText(bytes: Uint8Array): { text: string } | { problem: string } {
  // Windows PowerShell 5 writes `echo ... > Procfile` as UTF-16: text, but not what anyone meant.
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
    return { problem: 'is UTF-16 text: save it as UTF-8' };
  }
  const nul = bytes.subarray(0, SNIFF_BYTES).indexOf(0);
  if (nul !== -1) return { problem: `not a text file: a NUL byte at offset ${nul}` };
  try {
    return { text: strict.decode(bytes) };
  } catch {
    return { problem: `not a text file: invalid UTF-8 at offset ${firstInvalidOffset(bytes)}` };
  }
}

/**
 * The fatal decoder does not say where it failed. A lenient decode marks each bad sequence with U+FFFD;
 * the first U+FFFD that the file does not spell out itself (EF BF BD) is the spot, and every character
 * before it re-encodes to exactly its own bytes.
 */
function firstInvalidOffset(bytes: Uint8Array): number {
  let offset = 0;
  for (const char of lenient.decode(bytes)) {
    const spelledOut = bytes[offset] === 0xef && bytes[offset + 1] === 0xbf && bytes[offset + 2] === 0xbd;
    if (char === REPLACEMENT && !spelledOut) return offset;
    offset += utf8Length(char.codePointAt(0) ?? 0);
  }
  return offset;
}

function utf8Length(codePoint: number): number {
  return codePoint < 0x80 ? 1 : codePoint < 0x800 ? 2 : codePoint < 0x10000 ? 3 : 4;
}
