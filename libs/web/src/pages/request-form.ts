import { AllocationShare, MoneyJson } from '@stackgate/platform';
import { formAmount, formCurrency, percentToBps } from '../forms';

/** Turns the request form's flat fields into the API's create body (the DTO validates it). */
export function requestFormToBody(body: Record<string, unknown>): Record<string, unknown> {
  const type = typeof body.type === 'string' && body.type.trim() ? body.type.trim() : 'NEW_TOOL';
  return { type, ...requestFields(body, type, false) };
}

/**
 * The edit form's flat fields as the API's update body. The type is the stored request's — it cannot
 * change, and the update DTO has no such field — and a field the user emptied is cleared (null or
 * an empty list) rather than silently kept.
 */
export function requestFormToUpdateBody(body: Record<string, unknown>, type: string): Record<string, unknown> {
  return requestFields(body, type, true);
}

function requestFields(body: Record<string, unknown>, type: string, clearEmpty: boolean): Record<string, unknown> {
  const str = (k: string) => (typeof body[k] === 'string' ? body[k].trim() : '');
  const list = (k: string) =>
    str(k)
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
  const out: Record<string, unknown> = {
    title: str('title'),
    businessCase: str('businessCase'),
    estimatedAnnualCost: { amount: formAmount(str('costAmount')), currency: formCurrency(str('costCurrency')) || 'EUR' },
  };
  for (const field of ['expectedOutcomes', 'alternativesConsidered', 'neededBy']) {
    if (str(field)) out[field] = str(field);
    else if (clearEmpty) out[field] = null;
  }
  if (list('dataCategories').length || clearEmpty) out.dataCategories = list('dataCategories');
  if (type === 'NEW_TOOL') {
    out.proposedTool = {
      name: str('toolName'),
      vendorName: str('vendorName'),
      subcategoryId: str('subcategoryId'),
      ...(str('website') ? { website: str('website') } : {}),
      ...(list('capabilities').length ? { capabilities: list('capabilities') } : {}),
    };
  } else if (str('toolId')) {
    out.toolId = str('toolId');
  }
  const allocation: AllocationShare[] = [];
  for (let i = 0; i < 4; i++) {
    const cc = str(`cc${i}`);
    const pct = str(`pct${i}`);
    if (!cc && !pct) continue;
    allocation.push({ costCenterId: cc, shareBps: percentToBps(pct) });
  }
  out.allocation = allocation;
  const integrations: Record<string, unknown>[] = [];
  for (let i = 0; i < 4; i++) {
    const tool = str(`intTool${i}`);
    if (!tool) continue;
    integrations.push({ toolId: tool, direction: str(`intDir${i}`) || 'OUTBOUND', dataObjects: list(`intObjects${i}`) });
  }
  if (integrations.length || clearEmpty) out.requiredIntegrations = integrations;
  return out;
}

/** Where the request form marks an error of each body field (the rest are named in the summary above the form). */
export function requestFormField(bodyField: string): string {
  const exact: Record<string, string> = {
    'proposedTool.name': 'toolName',
    'proposedTool.vendorName': 'vendorName',
    'proposedTool.subcategoryId': 'subcategoryId',
    'proposedTool.website': 'website',
    proposedTool: 'toolName',
    'estimatedAnnualCost.amount': 'costAmount',
    'estimatedAnnualCost.currency': 'costCurrency',
    estimatedAnnualCost: 'costAmount',
  };
  if (exact[bodyField]) return exact[bodyField];
  const [head] = bodyField.split('.');
  if (head === 'allocation') return 'allocation';
  if (head === 'requiredIntegrations') return 'integrations';
  if (bodyField.startsWith('proposedTool.capabilities')) return 'capabilities';
  if (head === 'dataCategories') return 'dataCategories';
  return bodyField;
}

/** The error keys the request form marks next to a field (request-form.hbs). */
export const REQUEST_FORM_MARKED = [
  'title',
  'type',
  'toolName',
  'vendorName',
  'subcategoryId',
  'website',
  'capabilities',
  'toolId',
  'businessCase',
  'expectedOutcomes',
  'alternativesConsidered',
  'costAmount',
  'costCurrency',
  'neededBy',
  'allocation',
  'dataCategories',
  'integrations',
] as const;

/** The flat form fields of an existing request (for the edit form). */
/** The fields of a request, as the API shows it, that its edit form starts from. */
export interface RequestFormSource {
  type: string;
  title: string;
  businessCase: string;
  expectedOutcomes: string | null;
  alternativesConsidered: string | null;
  neededBy: string | null;
  toolId: string | null;
  version: number;
  estimatedAnnualCost: MoneyJson | null;
  dataCategories: string[];
  proposedTool?: { name: string; vendorName: string; subcategoryId: string; website?: string | null; capabilities?: string[] } | null;
  allocation: AllocationShare[];
  requiredIntegrations: { toolId: string; direction: string; dataObjects: string[] }[];
}

export function requestToForm(request: RequestFormSource) {
  const form: Record<string, unknown> = {
    type: request.type,
    title: request.title,
    businessCase: request.businessCase,
    expectedOutcomes: request.expectedOutcomes,
    alternativesConsidered: request.alternativesConsidered,
    neededBy: request.neededBy,
    costAmount: request.estimatedAnnualCost?.amount,
    costCurrency: request.estimatedAnnualCost?.currency,
    dataCategories: request.dataCategories.join(', '),
    toolId: request.toolId,
    toolName: request.proposedTool?.name,
    vendorName: request.proposedTool?.vendorName,
    subcategoryId: request.proposedTool?.subcategoryId,
    website: request.proposedTool?.website,
    capabilities: (request.proposedTool?.capabilities ?? []).join(', '),
    version: request.version,
  };
  request.allocation.forEach((share, rowIndex) => {
    form[`cc${rowIndex}`] = share.costCenterId;
    form[`pct${rowIndex}`] = (share.shareBps / 100).toFixed(2).replace(/\.00$/, '');
  });
  request.requiredIntegrations.forEach((integration, rowIndex) => {
    form[`intTool${rowIndex}`] = integration.toolId;
    form[`intDir${rowIndex}`] = integration.direction;
    form[`intObjects${rowIndex}`] = integration.dataObjects.join(', ');
  });
  return form;
}
