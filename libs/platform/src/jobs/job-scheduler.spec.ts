import { AppConfig } from '../config/app-config';
import { requestContext, runInContext } from '../request-context/request-context';
import { SAFE_REQUEST_ID } from '../request-context/request-id.middleware';
import { JobScheduler } from './job-scheduler';

describe('JobScheduler', () => {
  it('runs every job in a context of its own: a job run id, no actor, gone afterwards', async () => {
    const scheduler = new JobScheduler({ jobsEnabled: false, jobIntervalSeconds: 60 } as AppConfig);
    const seen: (ReturnType<typeof requestContext> | undefined)[] = [];
    const job = (name: string) => ({
      name,
      run: async () => {
        await Promise.resolve();
        seen.push(requestContext() && { ...requestContext()! });
      },
    });
    scheduler.register(job('sla-reminders'));
    scheduler.register(job('renewals'));
    // Even when the tick is started from inside a request's context, the jobs don't run as that request.
    await runInContext({ requestId: 'a-request', actor: { id: 'u', email: 'u@x', roles: [] } }, () => scheduler.tick());
    expect(seen).toHaveLength(2);
    expect(seen[0]!.requestId).toMatch(/^job:sla-reminders:[0-9a-f-]{36}$/);
    expect(seen[1]!.requestId).toMatch(/^job:renewals:/);
    expect(seen.every((c) => c!.actor === undefined && SAFE_REQUEST_ID.test(c!.requestId))).toBe(true);
    expect(requestContext()).toBeUndefined();
  });
});
