import { webcrypto } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import * as oidc from 'openid-client';
import { APP_CONFIG, AppConfig, OidcPrivateKey, OidcSettings } from '@stackgate/platform';
import { IdentityError, IdentityErrorCode } from '../identity.errors';

/** What Stackgate reads from a verified sign-in. */
export interface IdpClaims {
  subject: string;
  email: string | null;
  emailVerified: boolean;
  name: string | null;
  groups: string[];
}

export const SSO_CALLBACK_PATH = '/auth/oidc/callback';

/**
 * The relying party, through openid-client (the certified library): discovery, the authorization
 * request with PKCE, state and nonce, the code exchange with the ID token's signature, issuer,
 * audience, expiry and nonce checked, and the end-session URL. The provider's metadata is fetched
 * on first use and kept; a failed fetch is retried at the next sign-in.
 */
@Injectable()
export class OidcClient {
  private readonly logger = new Logger('Sso');
  private configuration?: Promise<oidc.Configuration>;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  get settings(): OidcSettings {
    if (!this.config.oidc) throw new IdentityError(IdentityErrorCode.SSO_NOT_CONFIGURED, 'Single sign-on is not configured');
    return this.config.oidc;
  }

  get redirectUri(): string {
    return new URL(SSO_CALLBACK_PATH, this.config.publicUrl).toString();
  }

  private async provider(): Promise<oidc.Configuration> {
    const settings = this.settings;
    this.configuration ??= discover(settings, this.redirectUri);
    try {
      return await this.configuration;
    } catch (err) {
      this.configuration = undefined;
      this.logger.warn(`The identity provider's metadata could not be read: ${(err as Error).message}`);
      throw new IdentityError(IdentityErrorCode.SSO_PROVIDER_UNAVAILABLE, 'The identity provider cannot be reached; try again shortly');
    }
  }

  async authorizationUrl(checks: { state: string; nonce: string; codeVerifier: string }): Promise<string> {
    const configuration = await this.provider();
    const url = oidc.buildAuthorizationUrl(configuration, {
      redirect_uri: this.redirectUri,
      scope: this.settings.scopes,
      state: checks.state,
      nonce: checks.nonce,
      code_challenge: await oidc.calculatePKCECodeChallenge(checks.codeVerifier),
      code_challenge_method: 'S256',
    });
    return url.toString();
  }

  /**
   * Exchanges the callback's code (`callbackQuery`: the query string the provider sent to the redirect URI);
   * any failed check answers 401 SSO_FAILED (the reason goes to the audit).
   */
  async exchange(callbackQuery: string, checks: { state: string; nonce: string; codeVerifier: string }): Promise<IdpClaims> {
    const configuration = await this.provider();
    // The registered redirect URI with the provider's answer: what the token request must name, whatever proxy is in front.
    const callbackUrl = new URL(this.redirectUri);
    callbackUrl.search = callbackQuery;
    let tokens: Awaited<ReturnType<typeof oidc.authorizationCodeGrant>>;
    try {
      tokens = await oidc.authorizationCodeGrant(configuration, callbackUrl, {
        pkceCodeVerifier: checks.codeVerifier,
        expectedState: checks.state,
        expectedNonce: checks.nonce,
        idTokenExpected: true,
      });
    } catch (err) {
      // The provider refused Stackgate's own credentials (secret or signed assertion): no retry by the user helps.
      const message =
        (err as { error?: string }).error === 'invalid_client'
          ? 'The identity provider refused the sign-in because Stackgate is not set up correctly there; tell your administrator'
          : 'The sign-in could not be completed; start again';
      throw new IdentityError(IdentityErrorCode.SSO_FAILED, message, { reason: describe(err) });
    }
    const idClaims = tokens.claims()!;
    let claims: Record<string, unknown> = { ...idClaims };
    const groupsClaim = this.settings.groupsClaim;
    const needsUserInfo = claims.email === undefined || (this.settings.roleMap.size > 0 && claims[groupsClaim] === undefined);
    if (needsUserInfo && configuration.serverMetadata().userinfo_endpoint) {
      try {
        claims = { ...(await oidc.fetchUserInfo(configuration, tokens.access_token, idClaims.sub)), ...claims };
      } catch (err) {
        this.logger.warn(`The identity provider's userinfo could not be read: ${describe(err)}`);
      }
    }
    return {
      subject: idClaims.sub,
      email: typeof claims.email === 'string' ? claims.email.trim().toLowerCase() : null,
      emailVerified: claims.email_verified === true || claims.email_verified === 'true',
      name: typeof claims.name === 'string' ? claims.name : null,
      groups: groupsOf(claims[groupsClaim]),
    };
  }

  /** The provider's end-session URL (RP-initiated logout), when it has one. */
  async endSessionUrl(postLogoutRedirectUri: string): Promise<string | undefined> {
    if (!this.config.oidc) return undefined;
    try {
      const configuration = await this.provider();
      if (!configuration.serverMetadata().end_session_endpoint) return undefined;
      return oidc
        .buildEndSessionUrl(configuration, { client_id: this.settings.clientId, post_logout_redirect_uri: postLogoutRedirectUri })
        .toString();
    } catch {
      return undefined;
    }
  }

  /** The public key of private_key_jwt as a JWK Set, or null when Stackgate authenticates with a secret. */
  jwks(): { keys: Record<string, string>[] } | null {
    const key = this.config.oidc?.privateKey;
    return key ? { keys: [key.publicJwk] } : null;
  }
}

const IMPORT_PARAMS: Record<OidcPrivateKey['alg'], webcrypto.RsaHashedImportParams | webcrypto.EcKeyImportParams> = {
  RS256: { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' },
  ES256: { name: 'ECDSA', namedCurve: 'P-256' },
  ES384: { name: 'ECDSA', namedCurve: 'P-384' },
  ES512: { name: 'ECDSA', namedCurve: 'P-521' },
};

async function discover(settings: OidcSettings, redirectUri: string): Promise<oidc.Configuration> {
  const configuration = await oidc.discovery(
    new URL(settings.issuerUrl),
    settings.clientId,
    { redirect_uris: [redirectUri], response_types: ['code'] },
    await clientAuthentication(settings),
    settings.allowInsecureHttp ? { execute: [oidc.allowInsecureRequests] } : undefined,
  );
  oidc.enableNonRepudiationChecks(configuration);
  return configuration;
}

/** The token endpoint authentication OIDC_CLIENT_AUTH names (the private key as a non-extractable WebCrypto key). */
async function clientAuthentication(settings: OidcSettings): Promise<oidc.ClientAuth> {
  switch (settings.clientAuth) {
    case 'client_secret_post':
      return oidc.ClientSecretPost(settings.clientSecret);
    case 'private_key_jwt': {
      const { key, kid, alg } = settings.privateKey!;
      const der = key.export({ format: 'der', type: 'pkcs8' });
      const cryptoKey = await webcrypto.subtle.importKey('pkcs8', der, IMPORT_PARAMS[alg], false, ['sign']);
      return oidc.PrivateKeyJwt({ key: cryptoKey, kid });
    }
    default:
      return oidc.ClientSecretBasic(settings.clientSecret);
  }
}

function groupsOf(value: unknown): string[] {
  if (Array.isArray(value)) return value.filter((group): group is string => typeof group === 'string');
  return typeof value === 'string' && value ? [value] : [];
}

function describe(err: unknown): string {
  // openid-client wraps the check that failed (oauth4webapi's error, which names the claim) as its cause.
  const parts: string[] = [];
  let current = err as { code?: string; message?: string; error?: string; error_description?: string; cause?: unknown } | undefined;
  for (let depth = 0; current && depth < 3; depth++) {
    parts.push(...[current.code, current.error, current.error_description ?? current.message].filter((part): part is string => !!part));
    current = typeof current.cause === 'object' ? (current.cause as typeof current) : undefined;
  }
  return [...new Set(parts)].join(': ').slice(0, 300);
}
