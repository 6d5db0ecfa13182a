import type { EntityManager } from 'typeorm';
import type { AuditService } from '@stackgate/audit';
import type { CatalogQueries } from '@stackgate/catalog';
import type { PeopleDirectory } from '@stackgate/identity';
import type { NotificationsService } from '@stackgate/notifications';
import { CandidateSource } from '../discovery.enums';
import { DiscoveryError } from '../discovery.errors';
import { CandidateEvidenceService } from './candidate-evidence';

describe('CandidateEvidenceService.upsertFromEvidence', () => {
  const service = new CandidateEvidenceService(
    { recordMany: jest.fn() } as unknown as AuditService,
    { subcategoriesByNameKeys: jest.fn().mockResolvedValue([]) } as unknown as CatalogQueries,
    {} as NotificationsService,
    {} as PeopleDirectory,
  );
  const manager = (insert: jest.Mock) =>
    ({ getRepository: () => ({ find: jest.fn().mockResolvedValue([]), insert, update: jest.fn() }) }) as unknown as EntityManager;

  it('answers 409 DISCOVERY_CONFLICT when another import inserted the same candidate meanwhile', async () => {
    const duplicate = Object.assign(new Error('UNIQUE constraint failed'), { code: 'SQLITE_CONSTRAINT_UNIQUE' });
    const attempt = service.upsertFromEvidence(manager(jest.fn().mockRejectedValue(duplicate)), null, [
      { source: CandidateSource.SPEND, key: 'hotjar' },
    ]);
    await expect(attempt).rejects.toBeInstanceOf(DiscoveryError);
    await expect(attempt).rejects.toMatchObject({ status: 409, code: 'DISCOVERY_CONFLICT' });
  });

  it('merges evidence of one key: amounts and counts added, dates widened, the last user counts kept, empty keys skipped', async () => {
    const insert = jest.fn().mockResolvedValue(undefined);
    const out = await service.upsertFromEvidence(manager(insert), null, [
      { source: CandidateSource.IDP, key: 'later', totalBaseMinor: 100n, transactions: 1, firstSeen: '2026-03-02', assignedUsers: 4 },
      {
        source: CandidateSource.IDP,
        key: 'later',
        totalBaseMinor: 50n,
        transactions: 2,
        firstSeen: '2026-02-01',
        lastSeen: '2026-04-01',
        assignedUsers: 7,
        activeUsers: 3,
      },
      { source: CandidateSource.IDP, key: '' },
    ]);
    expect([...out.keys()]).toEqual(['IDP:later']);
    expect(out.get('IDP:later')).toMatchObject({
      created: true,
      candidate: {
        displayName: 'Later',
        status: 'OPEN',
        totalBaseMinor: 150n,
        transactions: 3,
        firstSeen: '2026-02-01',
        lastSeen: '2026-04-01',
        assignedUsers: 7,
        activeUsers: 3,
      },
    });
    expect(insert).toHaveBeenCalledTimes(1);
  });
});
