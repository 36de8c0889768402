import type { Tone } from '../state/process-rows.js';

/** Colours by meaning; process names use palette.ts. */
export const TONE_COLOUR: Record<Tone, string> = {
  good: 'green',
  busy: 'yellow',
  muted: 'gray',
  warn: 'yellow',
  bad: 'red',
};

export const ACCENT = 'cyan';
