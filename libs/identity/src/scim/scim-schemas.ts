/* The SCIM 2.0 discovery documents (RFC 7643 §5–7, RFC 7644 §4): what /scim/v2 implements, and nothing more. */

export const USER_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:User';
export const GROUP_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:Group';
export const LIST_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:ListResponse';
export const PATCH_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
const SPC_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig';
const RESOURCE_TYPE_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:ResourceType';
const SCHEMA_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:Schema';

/** The most resources one list answer holds (`count` above it is lowered to it). */
export const MAX_RESULTS = 200;
export const DEFAULT_COUNT = 100;
/** The most members one Group request (POST, PUT or PATCH) may name. */
export const MAX_MEMBERS_PER_REQUEST = 1000;
/** The most operations one PATCH request may carry. */
export const MAX_PATCH_OPERATIONS = 100;

type Attribute = Record<string, unknown>;

const attr = (name: string, extra: Attribute = {}): Attribute => ({
  name,
  type: 'string',
  multiValued: false,
  required: false,
  caseExact: false,
  mutability: 'readWrite',
  returned: 'default',
  uniqueness: 'none',
  ...extra,
});

const complex = (name: string, subAttributes: Attribute[], extra: Attribute = {}): Attribute =>
  attr(name, { type: 'complex', subAttributes, ...extra });

const memberRef = (referenceTypes: string[], mutability = 'readWrite') => [
  attr('value', { mutability: mutability === 'readOnly' ? 'readOnly' : 'immutable', description: 'The id of the resource' }),
  attr('$ref', { type: 'reference', referenceTypes, mutability: mutability === 'readOnly' ? 'readOnly' : 'immutable' }),
  attr('display', { mutability: 'readOnly' }),
  attr('type', { mutability: mutability === 'readOnly' ? 'readOnly' : 'immutable', canonicalValues: ['User'] }),
];

const USER_ATTRIBUTES: Attribute[] = [
  attr('userName', {
    required: true,
    uniqueness: 'server',
    description: "The person's e-mail address (stored lower-cased): their Stackgate sign-in, unique across Stackgate",
  }),
  complex('name', [attr('formatted'), attr('givenName'), attr('familyName')], {
    description: 'Shown as displayName when displayName is absent',
  }),
  attr('displayName', { description: "The person's name as Stackgate shows it" }),
  attr('active', { type: 'boolean', description: 'false deactivates: every session and API token of the person ends at once' }),
  complex('emails', [attr('value'), attr('type', { canonicalValues: ['work', 'home', 'other'] }), attr('primary', { type: 'boolean' })], {
    multiValued: true,
    description: 'Answered as the one address (userName); addresses sent here are not stored separately',
  }),
  complex('groups', memberRef(['Group'], 'readOnly'), { multiValued: true, mutability: 'readOnly', description: 'Changed through Groups' }),
];

const GROUP_ATTRIBUTES: Attribute[] = [
  attr('displayName', { required: true, uniqueness: 'server', description: 'Looked up in OIDC_ROLE_MAP: a mapped group gives its roles' }),
  complex('members', memberRef(['User']), { multiValued: true }),
];

const common = (location: string, resourceType: string) => ({ meta: { resourceType, location } });

export function schemaDocuments(baseUrl: string) {
  return [
    {
      schemas: [SCHEMA_SCHEMA],
      id: USER_SCHEMA,
      name: 'User',
      description: 'A Stackgate person',
      attributes: USER_ATTRIBUTES,
      ...common(`${baseUrl}/Schemas/${USER_SCHEMA}`, 'Schema'),
    },
    {
      schemas: [SCHEMA_SCHEMA],
      id: GROUP_SCHEMA,
      name: 'Group',
      description: 'A group of the identity provider; mapped groups give roles',
      attributes: GROUP_ATTRIBUTES,
      ...common(`${baseUrl}/Schemas/${GROUP_SCHEMA}`, 'Schema'),
    },
  ];
}

export function resourceTypeDocuments(baseUrl: string) {
  return [
    {
      schemas: [RESOURCE_TYPE_SCHEMA],
      id: 'User',
      name: 'User',
      endpoint: '/Users',
      description: 'Stackgate people',
      schema: USER_SCHEMA,
      ...common(`${baseUrl}/ResourceTypes/User`, 'ResourceType'),
    },
    {
      schemas: [RESOURCE_TYPE_SCHEMA],
      id: 'Group',
      name: 'Group',
      endpoint: '/Groups',
      description: 'Identity-provider groups (role mapping)',
      schema: GROUP_SCHEMA,
      ...common(`${baseUrl}/ResourceTypes/Group`, 'ResourceType'),
    },
  ];
}

export function serviceProviderConfig(baseUrl: string) {
  return {
    schemas: [SPC_SCHEMA],
    documentationUri: 'https://github.com/stackgate/stackgate#scim-provisioning',
    patch: { supported: true },
    bulk: { supported: false, maxOperations: 0, maxPayloadSize: 0 },
    filter: { supported: true, maxResults: MAX_RESULTS },
    changePassword: { supported: false },
    sort: { supported: false },
    etag: { supported: true },
    authenticationSchemes: [
      {
        type: 'oauthbearertoken',
        name: 'SCIM bearer token',
        description: 'A SCIM token (sgscim_…) created by a Stackgate administrator: Authorization: Bearer <token>',
        primary: true,
      },
    ],
    ...common(`${baseUrl}/ServiceProviderConfig`, 'ServiceProviderConfig'),
  };
}
