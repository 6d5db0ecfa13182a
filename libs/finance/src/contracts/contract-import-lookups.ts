import { In } from 'typeorm';
import { allocationCodes, KindLookup, ReferenceDeclaration } from '@stackgate/catalog';
import { Contract } from './contract.entity';

/** The references of the finance import kinds: the tool by name, the allocation's cost centers by code. */
export const TOOL_AND_ALLOCATION_REFERENCES: ReferenceDeclaration[] = [
  { column: 'tool', ref: 'tool-by-name' },
  { column: 'allocation', ref: 'cost-center-by-code', keys: allocationCodes },
];

/** The contracts of each tool a file names, keyed by tool id (one query per chunk of tools). */
export const CONTRACTS_OF_NAMED_TOOLS: KindLookup = {
  keys: (row, refs) => [row.values.tool ? refs.get('tool-by-name', row.values.tool)?.id : undefined],
  load: async (manager, toolIds) => {
    const byTool = new Map<string, Contract[]>();
    for (const contract of await manager.getRepository(Contract).find({ where: { toolId: In(toolIds) } })) {
      const list = byTool.get(contract.toolId);
      if (list) list.push(contract);
      else byTool.set(contract.toolId, [contract]);
    }
    return byTool;
  },
};
