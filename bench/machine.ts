import * as os from 'node:os';

export interface MachineInfo {
  readonly os: string;
  readonly cpu: string;
  readonly cores: number;
  readonly memory: string;
  readonly node: string;
  /** Other work on the machine is the main source of noise; recorded so a noisy run can be recognised. */
  readonly loadAverage: number;
}

/** Where the figures came from: ratios travel between machines better than times, but not perfectly. */
export function machineInfo(): MachineInfo {
  const cpus = os.cpus();
  return {
    os: `${os.type()} ${os.release()} (${os.platform()}/${os.arch()})`,
    cpu: cpus[0]?.model.trim() || 'unknown',
    cores: typeof os.availableParallelism === 'function' ? os.availableParallelism() : cpus.length,
    memory: `${(os.totalmem() / 1024 ** 3).toFixed(1)} GiB`,
    node: process.version,
    loadAverage: os.loadavg()[0] ?? 0,
  };
}
