import 'reflect-metadata';
import { ConfigError, loadConfig } from '@stackgate/platform';
import { seedDemo, shouldSeedDemo } from './demo/demo-seed';
import { DEMO_PASSWORD } from './demo/demo-data';
import { createApp } from './setup';
import { gracefulShutdown } from './shutdown';

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig(process.env);
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(1);
    }
    throw err;
  }
  let demo: { email: string; roles: string[] }[] | null = null;
  const app = await createApp(config, {
    afterMigrate: async (app) => {
      if (shouldSeedDemo(config)) demo = await seedDemo(app, config);
    },
  });
  await app.listen(config.port, config.host);
  let stopping = false;
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.on(signal, () => {
      if (stopping) return;
      stopping = true;
      void gracefulShutdown(app, config.operations.shutdownTimeoutSeconds * 1000).then((outcome) =>
        process.exit(outcome === 'drained' ? 0 : 1),
      );
    });
  }
  const url = `http://${config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host}:${config.port}`;
  const lines = [
    '',
    `Stackgate is running at ${url}`,
    `  API docs:  ${url}/api/docs`,
    `  Health:    ${url}/api/health`,
    `  Database:  ${config.dbUrl.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@')}`,
  ];
  const signIns = demo as { email: string; roles: string[] }[] | null;
  if (signIns) {
    lines.push('', `  Demo stack loaded. Sign in with any of these (password for all: ${DEMO_PASSWORD} — demo data only):`);
    for (const signIn of signIns) lines.push(`    ${signIn.email.padEnd(34)} ${signIn.roles.join(', ')}`);
  }
  if (config.jwtSecretGenerated)
    lines.push('  Note: JWT_SECRET is not set; tokens are signed with a random key and end when the process stops.');
  process.stdout.write(lines.join('\n') + '\n\n');
}

main().catch((err) => {
  process.stderr.write(`Stackgate failed to start: ${(err as Error).message}\n`);
  process.exit(1);
});
