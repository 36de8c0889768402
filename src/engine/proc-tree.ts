import { readdirSync, readFileSync } from 'node:fs';

/**
 * A process tree walked down from its leader through /proc/PID/task/TID/children (Linux 3.5+): a read
 * per task of the tree's own processes, however many other processes the machine runs, where a scan of
 * every /proc/PID/stat costs ~10 ms per 1000 processes. It finds every descendant, in any group or
 * session (`setsid cmd &`); what it cannot find is a process that was orphaned (its parent ended, so it
 * was re-parented to init) while still in the leader's group.
 */

/** The children of every thread of `pid` (a thread's fork is listed under that thread); empty when gone. */
export function childrenOf(pid: number): number[] {
  let tasks: string[];
  try {
    tasks = readdirSync(`/proc/${pid}/task`);
  } catch {
    return [];
  }
  const children: number[] = [];
  for (const tid of tasks) {
    try {
      for (const child of readFileSync(`/proc/${pid}/task/${tid}/children`, 'latin1').split(' ')) {
        if (child) children.push(Number(child));
      }
    } catch {
      // The thread ended between readdir and read.
    }
  }
  return children;
}

/** `leader` and all its descendants; just the leader where there is no /proc. */
export function treeOf(leader: number): number[] {
  const members = [leader];
  const seen = new Set(members);
  for (let i = 0; i < members.length; i++) {
    for (const child of childrenOf(members[i] as number)) {
      if (seen.has(child)) continue;
      seen.add(child);
      members.push(child);
    }
  }
  return members;
}

/** A leader's tree, as one sampling round sees it. */
export type Trees = (leader: number) => number[];

/** Trees for one round: each leader's is walked on first ask and reused by every reader of the round. */
export function treeRound(walk: Trees = treeOf): Trees {
  const walked = new Map<number, number[]>();
  return (leader) => {
    let tree = walked.get(leader);
    if (!tree) {
      tree = walk(leader);
      walked.set(leader, tree);
    }
    return tree;
  };
}
