/** One colour per process (by Procfile position), shared by the headless prefix and the dashboard. No red: red means trouble. */
export const PROCESS_COLOURS = [
  { name: 'cyan', sgr: 36 },
  { name: 'yellow', sgr: 33 },
  { name: 'green', sgr: 32 },
  { name: 'magenta', sgr: 35 },
  { name: 'blue', sgr: 34 },
  { name: 'cyanBright', sgr: 96 },
  { name: 'yellowBright', sgr: 93 },
  { name: 'greenBright', sgr: 92 },
  { name: 'magentaBright', sgr: 95 },
  { name: 'blueBright', sgr: 94 },
] as const;

export function processColour(index: number): (typeof PROCESS_COLOURS)[number] {
  return PROCESS_COLOURS[((index % PROCESS_COLOURS.length) + PROCESS_COLOURS.length) % PROCESS_COLOURS.length]!;
}
