import { assessedFactChanges } from './assessed-facts.service';

describe('assessedFactChanges: the IT assessment mapped onto tool and vendor fields', () => {
  const tool = { ssoEnabled: false, hostingRegion: null };
  const vendor = { soc2: false, iso27001: false, dpaSigned: false };

  it('maps SSO, residency, attestation and DPA', () => {
    expect(
      assessedFactChanges(
        { ssoSupported: true, securityAttestation: 'SOC2_AND_ISO27001', dpaInPlace: true, dataResidency: ' EU ' },
        tool,
        vendor,
      ),
    ).toEqual({
      toolChanges: { ssoEnabled: true, hostingRegion: 'EU' },
      vendorChanges: { soc2: true, iso27001: true, dpaSigned: true },
    });
  });

  it('answers only what differs; a missing residency keeps the stored region', () => {
    expect(
      assessedFactChanges(
        { ssoSupported: true, securityAttestation: 'ISO27001', dpaInPlace: false, dataResidency: null },
        { ssoEnabled: true, hostingRegion: 'US' },
        { soc2: true, iso27001: true, dpaSigned: false },
      ),
    ).toEqual({ toolChanges: {}, vendorChanges: { soc2: false } });
  });

  it('cuts a residency longer than the stored region allows', () => {
    expect(
      assessedFactChanges(
        { ssoSupported: false, securityAttestation: 'NONE', dpaInPlace: false, dataResidency: 'x'.repeat(100) },
        tool,
        vendor,
      ).toolChanges.hostingRegion,
    ).toHaveLength(60);
  });
});
