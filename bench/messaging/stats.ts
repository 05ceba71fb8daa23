// What the phases measure besides message counts: latency samples (kept in a typed array so that
// recording one costs no allocation), CPU of the server and of this generator, and the
// generator's event-loop lag, which tells whether the generator rather than the server was the limit.
import { readFileSync } from 'node:fs';
import { monitorEventLoopDelay } from 'node:perf_hooks';

export class Samples {
  private values = new Float64Array(1 << 16);
  private count = 0;

  add(value: number): void {
    if (this.count === this.values.length) {
      const grown = new Float64Array(this.values.length * 2);
      grown.set(this.values);
      this.values = grown;
    }
    this.values[this.count++] = value;
  }

  /** Nearest-rank percentiles (p from 0 to 100); NaN when there are no samples. */
  percentiles(...ps: number[]): number[] {
    const sorted = this.values.subarray(0, this.count).sort();
    return ps.map((p) =>
      sorted.length === 0 ? NaN : (sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN),
    );
  }
}

/** Linux reports process CPU time in clock ticks of USER_HZ, which is 100 on every Linux ABI. */
const USER_HZ = 100;

/** CPU seconds (user + system) a process has used so far; NaN where /proc is not available. */
function processCpuSeconds(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the parenthesised command name start at field 3; utime and stime are 14 and 15.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / USER_HZ;
  } catch {
    return NaN;
  }
}

/** CPU seconds the whole machine has spent busy (all processes, all cores); NaN without /proc. */
function machineBusySeconds(): number {
  try {
    // cpu  user nice system idle iowait irq softirq ...
    const fields = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0]?.trim().split(/\s+/) ?? [];
    const [user, nice, system, , , irq, softirq] = fields.slice(1).map(Number);
    return ((user ?? NaN) + (nice ?? NaN) + (system ?? NaN) + (irq ?? NaN) + (softirq ?? NaN)) / USER_HZ;
  } catch {
    return NaN;
  }
}

/** The soft limit on open files of this process (children inherit it); undefined if unknown. */
export function openFileLimit(): number | undefined {
  try {
    const line = readFileSync('/proc/self/limits', 'utf8')
      .split('\n')
      .find((l) => l.startsWith('Max open files'));
    const soft = line?.split(/\s{2,}/)[1];
    return soft === 'unlimited' ? Infinity : soft ? Number(soft) : undefined;
  } catch {
    return undefined;
  }
}

export interface LoadFigures {
  seconds: number;
  /** Share of one core, 1 = 100 %. */
  serverCpu: number;
  generatorCpu: number;
  /** Everything else on the machine: other people's builds and browsers share these cores. */
  otherCpu: number;
  generatorLagP99Ms: number;
}

/** The loop-delay histogram records each timer interval whole: the lag is what exceeds it. */
const LAG_RESOLUTION_MS = 5;

/** Wall time, CPU of both processes and the generator's loop lag over one measurement window. */
export function startLoadMeter(serverPid: number): { stop(): LoadFigures } {
  const lag = monitorEventLoopDelay({ resolution: LAG_RESOLUTION_MS });
  lag.enable();
  const startedAt = performance.now();
  const serverCpuAt = processCpuSeconds(serverPid);
  const generatorCpuAt = process.cpuUsage();
  const machineAt = machineBusySeconds();
  return {
    stop() {
      lag.disable();
      const seconds = (performance.now() - startedAt) / 1000;
      const generatorUsage = process.cpuUsage(generatorCpuAt);
      const serverCpu = (processCpuSeconds(serverPid) - serverCpuAt) / seconds;
      const generatorCpu = (generatorUsage.user + generatorUsage.system) / 1e6 / seconds;
      return {
        seconds,
        serverCpu,
        generatorCpu,
        otherCpu: Math.max(0, (machineBusySeconds() - machineAt) / seconds - serverCpu - generatorCpu),
        generatorLagP99Ms: Math.max(0, lag.percentile(99) / 1e6 - LAG_RESOLUTION_MS),
      };
    },
  };
}
