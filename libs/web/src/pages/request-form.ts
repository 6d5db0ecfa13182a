import { AllocationShare } from '@stackgate/platform';

/** Turns the request form's flat fields into the API's request body (the DTO validates it). */
export function requestFormToBody(body: Record<string, unknown>): Record<string, unknown> {
  const str = (k: string) => (typeof body[k] === 'string' ? (body[k] as string).trim() : '');
  const list = (k: string) => str(k).split(',').map((s) => s.trim()).filter(Boolean);
  const out: Record<string, unknown> = {
    type: str('type') || 'NEW_TOOL', title: str('title'), businessCase: str('businessCase'),
    estimatedAnnualCost: { amount: str('costAmount'), currency: str('costCurrency') || 'EUR' },
  };
  if (str('expectedOutcomes')) out.expectedOutcomes = str('expectedOutcomes');
  if (str('alternativesConsidered')) out.alternativesConsidered = str('alternativesConsidered');
  if (str('neededBy')) out.neededBy = str('neededBy');
  if (list('dataCategories').length) out.dataCategories = list('dataCategories');
  if (out.type === 'NEW_TOOL') {
    out.proposedTool = {
      name: str('toolName'), vendorName: str('vendorName'), subcategoryId: str('subcategoryId'),
      ...(str('website') ? { website: str('website') } : {}), ...(list('capabilities').length ? { capabilities: list('capabilities') } : {}),
    };
  } else if (str('toolId')) {
    out.toolId = str('toolId');
  }
  const allocation: AllocationShare[] = [];
  for (let i = 0; i < 4; i++) {
    const cc = str(`cc${i}`);
    const pct = str(`pct${i}`);
    if (!cc && !pct) continue;
    const m = /^(\d{1,3})(?:\.(\d{1,2}))?$/.exec(pct);
    allocation.push({ costCenterId: cc, shareBps: m ? Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0') || '0') : NaN });
  }
  out.allocation = allocation;
  const integrations: Record<string, unknown>[] = [];
  for (let i = 0; i < 4; i++) {
    const tool = str(`intTool${i}`);
    if (!tool) continue;
    integrations.push({ toolId: tool, direction: str(`intDir${i}`) || 'OUTBOUND', dataObjects: list(`intObjects${i}`) });
  }
  if (integrations.length) out.requiredIntegrations = integrations;
  return out;
}

/** The flat form fields of an existing request (for the edit form). */
export function requestToForm(r: Record<string, unknown> & { proposedTool?: Record<string, unknown> | null; allocation: AllocationShare[]; requiredIntegrations: { toolId: string; direction: string; dataObjects: string[] }[]; estimatedAnnualCost: { amount: string; currency: string }; dataCategories: string[] }) {
  const f: Record<string, unknown> = {
    type: r.type, title: r.title, businessCase: r.businessCase, expectedOutcomes: r.expectedOutcomes, alternativesConsidered: r.alternativesConsidered,
    neededBy: r.neededBy, costAmount: r.estimatedAnnualCost.amount, costCurrency: r.estimatedAnnualCost.currency, dataCategories: r.dataCategories.join(', '),
    toolId: r.toolId, toolName: r.proposedTool?.name, vendorName: r.proposedTool?.vendorName, subcategoryId: r.proposedTool?.subcategoryId,
    website: r.proposedTool?.website, capabilities: ((r.proposedTool?.capabilities as string[] | undefined) ?? []).join(', '), version: r.version,
  };
  r.allocation.forEach((a, i) => { f[`cc${i}`] = a.costCenterId; f[`pct${i}`] = (a.shareBps / 100).toFixed(2).replace(/\.00$/, ''); });
  r.requiredIntegrations.forEach((x, i) => { f[`intTool${i}`] = x.toolId; f[`intDir${i}`] = x.direction; f[`intObjects${i}`] = x.dataObjects.join(', '); });
  return f;
}
