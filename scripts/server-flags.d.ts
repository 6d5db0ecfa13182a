// Types of server-flags.js (plain Node, so that the launcher runs without a build).
export declare const DEFAULT_HEAP_LIMIT_MB: number;
export declare function serverExecArgv(env?: Record<string, string | undefined>): string[];
export declare function serverEnv(env?: Record<string, string | undefined>): Record<string, string | undefined>;
