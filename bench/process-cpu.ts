import { readdirSync, readFileSync } from 'node:fs';

/** Clock ticks per second of /proc's times (USER_HZ: 100 on every Linux the product targets). */
const TICKS_PER_SECOND = 100;

interface ProcStat {
  pid: number;
  ppid: number;
  /** utime + stime + cutime + cstime, in ticks: its own CPU and that of the children it has reaped. */
  ticks: number;
}

function readStat(pid: number): ProcStat | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) is in parentheses and may hold spaces: split after its closing one.
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
    // fields[0] is field 3 (state): ppid is field 4, utime..cstime are fields 14..17.
    const [utime, stime, cutime, cstime] = fields.slice(11, 15).map(Number);
    return { pid, ppid: Number(fields[1]), ticks: utime + stime + cutime + cstime };
  } catch {
    return undefined; // gone since the listing
  }
}

function allProcesses(): ProcStat[] {
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .map((name) => readStat(Number(name)))
    .filter((s): s is ProcStat => s !== undefined);
}

/** The command line of a process ('' once it is gone). */
export function commandLine(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ');
  } catch {
    return '';
  }
}

/** The processes below `root` (children, grandchildren…), not root itself. */
export function descendants(root: number): number[] {
  const processes = allProcesses();
  const found: number[] = [];
  const queue = [root];
  while (queue.length > 0) {
    const parent = queue.shift() as number;
    for (const p of processes) {
      if (p.ppid === parent) {
        found.push(p.pid);
        queue.push(p.pid);
      }
    }
  }
  return found;
}

/**
 * CPU seconds used so far by each named group of process trees (a root and everything below it): utime+stime of the
 * living ones plus cutime+cstime, so a child that exited and was reaped (a PostgreSQL backend) still counts.
 */
export function cpuSeconds(groups: Record<string, number[]>): Record<string, number> {
  const processes = allProcesses();
  const byParent = new Map<number, ProcStat[]>();
  for (const p of processes) {
    byParent.set(p.ppid, [...(byParent.get(p.ppid) ?? []), p]);
  }
  const byPid = new Map(processes.map((p) => [p.pid, p]));
  const tree = (root: number): number => {
    const self = byPid.get(root);
    return (self?.ticks ?? 0) + (byParent.get(root) ?? []).reduce((sum, child) => sum + tree(child.pid), 0);
  };
  return Object.fromEntries(
    Object.entries(groups).map(([name, roots]) => [
      name,
      roots.reduce((sum, root) => sum + tree(root), 0) / TICKS_PER_SECOND,
    ]),
  );
}
