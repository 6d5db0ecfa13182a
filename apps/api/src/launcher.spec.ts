import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { DEFAULT_HEAP_LIMIT_MB, serverEnv, serverExecArgv } from '../../../scripts/server-flags';

// The launcher (`npm start` / `npm run start:prod`) and the flags it gives the server process.
const root = path.resolve(__dirname, '../../..');

describe('server flags', () => {
  it('sets a 384 MB heap limit by default, HEAP_LIMIT_MB overrides it and 0 keeps Node’s default', () => {
    expect(DEFAULT_HEAP_LIMIT_MB).toBe(384);
    expect(serverExecArgv({})).toEqual(['--max-old-space-size=384', '--max-semi-space-size=8']);
    expect(serverExecArgv({ HEAP_LIMIT_MB: '' })).toEqual(['--max-old-space-size=384', '--max-semi-space-size=8']);
    expect(serverExecArgv({ HEAP_LIMIT_MB: ' 2048 ' })).toEqual(['--max-old-space-size=2048', '--max-semi-space-size=8']);
    expect(serverExecArgv({ HEAP_LIMIT_MB: '256' })).toEqual(['--max-old-space-size=256', '--max-semi-space-size=8']);
    expect(serverExecArgv({ HEAP_LIMIT_MB: '0' })).toEqual([]);
  });

  it('pins glibc’s mmap threshold at 128 KB in the server’s environment unless the environment sets it', () => {
    expect(serverEnv({ PORT: '3000' })).toEqual({ PORT: '3000', MALLOC_MMAP_THRESHOLD_: '131072' });
    expect(serverEnv({ MALLOC_MMAP_THRESHOLD_: '65536' })).toEqual({ MALLOC_MMAP_THRESHOLD_: '65536' });
  });

  it.each(['12', '255', '1.5', 'lots', '-1', '65537', '1e3x'])('refuses HEAP_LIMIT_MB=%s', (heapLimit) => {
    expect(() => serverExecArgv({ HEAP_LIMIT_MB: heapLimit })).toThrow(/HEAP_LIMIT_MB must be 0 .* from 256 to 65536/);
  });

  it('the launcher exits 1 with the reason on an invalid HEAP_LIMIT_MB, before building or starting anything', () => {
    const child = spawnSync(process.execPath, [path.join(root, 'scripts/start.js'), '--no-build'], {
      cwd: root,
      env: { ...process.env, HEAP_LIMIT_MB: 'lots' },
      encoding: 'utf8',
      timeout: 20_000,
    });
    expect(child.status).toBe(1);
    expect(child.stderr).toContain('HEAP_LIMIT_MB must be 0');
    expect(child.stdout).toBe('');
  });
});
