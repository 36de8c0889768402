// Reads the counters out of `tc -s qdisc show dev DEV`.

export interface QdiscSent {
  bytes: number;
  packets: number;
  dropped: number;
}

/** The root qdisc's `Sent N bytes M pkt (dropped D, ...)` line; undefined when there is none. */
export function parseQdiscSent(text: string): QdiscSent | undefined {
  const m = /^\s*Sent (\d+) bytes (\d+) pkt \(dropped (\d+)/m.exec(text);
  return m ? { bytes: Number(m[1]), packets: Number(m[2]), dropped: Number(m[3]) } : undefined;
}
