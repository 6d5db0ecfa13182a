// Types of galera-throwaway.js (plain Node, so that the test runner starts clusters without a build).
export interface GaleraNodeStatus {
  size: number;
  state: string | undefined;
  ready: boolean;
  primary: boolean;
}
/** How a node joined the last time it started (from the error logs). */
export interface GaleraJoinReport {
  method: 'IST' | 'SST' | 'unknown';
  donor: string | null;
  localState: string | null;
  istWriteSets: number;
  donorPausedSeconds: number | null;
}
export interface GaleraCluster {
  dir: string;
  nodes: { index: number; port: number; socket: string }[];
  sql(index: number, query: string): string;
  status(index: number): GaleraNodeStatus;
  pid(index: number): number | null;
  url(index: number): string;
  waitSynced(expected?: number, ms?: number): Promise<void>;
  kill(index: number, signal?: NodeJS.Signals): Promise<void>;
  restart(index: number): Promise<void>;
  lastJoin(index: number): 'IST' | 'SST' | 'unknown';
  joinReport(index: number): GaleraJoinReport;
  killAll(): void;
  stop(): Promise<void>;
}
export declare function startGalera(opts?: {
  log?: (message: string) => void;
  size?: number;
  /** A stopped server's datadir, copied as node 1's (the joiners receive it by SST). */
  fromDatadir?: string | null;
  /** Move fromDatadir (same filesystem) instead of copying it. */
  moveDatadir?: boolean;
  /** innodb_buffer_pool_size of each node (default 128M). */
  bufferPool?: string;
  /** How long node 1's start and each join may take (default 2 minutes). */
  sstTimeoutMs?: number;
}): Promise<GaleraCluster>;
export declare function attachGalera(dir: string, opts?: { log?: (message: string) => void }): GaleraCluster;
export declare function galeraMissing(): string | null;
export declare function galeraProvider(): string | null;
