// Counts the writer lines that arrived in an output file, and checks their order per writer.
import { createReadStream } from 'node:fs';

const LINE = /(?:^|[\s|\]])([a-z]) (\d{8}) x{60}$/;

export interface LineCount {
  /** Lines that match the writer's pattern exactly (prefix allowed). */
  total: number;
  perId: Map<string, number>;
  /** A writer's counter that did not follow the previous one (lost, duplicated or reordered lines). */
  outOfOrder: number;
  /** Lines that contain a writer counter but are not a whole writer line (a line split or mangled). */
  mangled: number;
}

export async function countWriterLines(file: string): Promise<LineCount> {
  const perId = new Map<string, number>();
  const last = new Map<string, number>();
  let total = 0;
  let outOfOrder = 0;
  let mangled = 0;
  let rest = '';
  const take = (line: string) => {
    const m = LINE.exec(line);
    if (!m) {
      if (/\b\d{8}\b|xxxxxxxxxx/.test(line)) mangled++;
      return;
    }
    const id = m[1] as string;
    const counter = Number(m[2]);
    total++;
    perId.set(id, (perId.get(id) ?? 0) + 1);
    if (counter !== (last.get(id) ?? 0) + 1) outOfOrder++;
    last.set(id, counter);
  };
  for await (const chunk of createReadStream(file, { encoding: 'latin1', highWaterMark: 1 << 20 })) {
    const lines = (rest + (chunk as string)).split('\n');
    rest = lines.pop() ?? '';
    for (const line of lines) take(line);
  }
  if (rest) take(rest);
  return { total, perId, outOfOrder, mangled };
}
