import { IntegrationMethod, IntegrationStatus } from './integration.entity';
import { liveKeyOf, normalizeDataObjects } from './integration-rules';

describe('integration rules', () => {
  it('gives every non-retired flow a key per (source, target, method)', () => {
    for (const status of [IntegrationStatus.PLANNED, IntegrationStatus.ACTIVE, IntegrationStatus.BROKEN]) {
      expect(liveKeyOf('a', 'b', IntegrationMethod.API, status)).toBe('a:b:API');
    }
    expect(liveKeyOf('a', 'b', IntegrationMethod.API, IntegrationStatus.RETIRED)).toBeNull();
    expect(liveKeyOf('a', 'b', IntegrationMethod.API, IntegrationStatus.ACTIVE)).not.toBe(
      liveKeyOf('b', 'a', IntegrationMethod.API, IntegrationStatus.ACTIVE),
    );
    expect(liveKeyOf('a', 'b', IntegrationMethod.API, IntegrationStatus.ACTIVE)).not.toBe(
      liveKeyOf('a', 'b', IntegrationMethod.FILE, IntegrationStatus.ACTIVE),
    );
  });

  it('keeps a uuid:uuid:method key within the 120-character column', () => {
    const id = '0190a5b2-0000-7000-8000-000000000000';
    expect(liveKeyOf(id, id, IntegrationMethod.NATIVE, IntegrationStatus.ACTIVE)!.length).toBeLessThanOrEqual(120);
  });

  it('normalizes data objects', () => {
    expect(normalizeDataObjects([' contacts', 'Contacts', 'leads', ''])).toEqual(['contacts', 'leads']);
  });
});
