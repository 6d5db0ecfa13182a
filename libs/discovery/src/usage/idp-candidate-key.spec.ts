import { candidateKeyOf } from '../matching/merchant-index';
import { normaliseMerchant } from '../matching/merchant-normaliser';
import { idpCandidateKey } from './idp-apps-import.kind';

describe('idpCandidateKey: identity-provider apps keyed like card merchants in the discovery queue', () => {
  it.each([
    ['Loom', 'LOOM.COM'],
    ['Hotjar', 'PAYPAL *HOTJAR'],
    ['Canva', 'SQ *CANVA'],
  ])('the app %s and the card line %s are one candidate key', (app, merchant) => {
    expect(idpCandidateKey(app)).toBe(candidateKeyOf(normaliseMerchant(merchant)));
    expect(idpCandidateKey(app)).not.toBe('');
  });

  it('keeps an unknown app under its own normalised name, case and spacing aside', () => {
    expect(idpCandidateKey('Acme Roadmaps')).toBe(idpCandidateKey('  ACME   roadmaps '));
    expect(idpCandidateKey('Acme Roadmaps')).not.toBe(idpCandidateKey('Acme Whiteboards'));
  });
});
