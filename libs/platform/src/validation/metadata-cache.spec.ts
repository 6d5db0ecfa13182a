import { getMetadataStorage, IsInt, IsOptional, IsString, validate } from 'class-validator';
import { cacheValidationMetadata } from './metadata-cache';

class Base {
  @IsString() name!: string;
}
class Child extends Base {
  @IsInt() count!: number;
}
class Grouped {
  @IsString({ groups: ['a'] }) onlyA!: string;
  @IsOptional() @IsInt({ always: true }) always?: number;
}

type Lookup = (target: object, s: string | undefined, a: boolean, sg: boolean, g?: string[]) => unknown[];
const storage = getMetadataStorage() as unknown as {
  getTargetValidationMetadatas: Lookup;
  groupByPropertyName(m: unknown[]): Record<string, unknown[]>;
  validationMetadatas: Map<object, unknown[]>;
};
const OPTIONS: Array<[string | undefined, boolean, boolean, string[] | undefined]> = [
  [undefined, false, false, undefined],
  [undefined, true, false, undefined],
  [undefined, false, true, undefined],
  [undefined, false, false, ['a']],
  [undefined, false, true, ['a', 'b']],
  ['Base', false, false, undefined],
];

describe('cacheValidationMetadata', () => {
  const targets = [...storage.validationMetadatas.keys()];
  const uncached = new Map<object, unknown[][]>();
  const samples: Array<[object, { groups?: string[]; strictGroups?: boolean; always?: boolean }]> = [
    [Object.assign(new Grouped(), { onlyA: 5, always: 'x' }), {}],
    [Object.assign(new Grouped(), { onlyA: 5, always: 'x' }), { groups: ['a'] }],
    [Object.assign(new Grouped(), { onlyA: 5 }), { strictGroups: true }],
    [Object.assign(new Grouped(), { onlyA: 5 }), { always: true }],
    [Object.assign(new Child(), { name: 1, count: 'n' }), {}],
    [Object.assign(new Child(), { name: 'x', count: 2 }), { groups: ['a'] }],
  ];
  const summary = async (o: object, opts: object) =>
    (await validate(o, opts)).map((e) => [e.property, Object.keys(e.constraints ?? {}).sort()]);
  let before: unknown[];
  beforeAll(async () => {
    for (const target of targets)
      uncached.set(
        target,
        OPTIONS.map((o) => storage.getTargetValidationMetadatas(target, ...o)),
      );
    before = await Promise.all(samples.map(([o, opts]) => summary(o, opts)));
    cacheValidationMetadata();
    cacheValidationMetadata(); // idempotent
  });

  it('answers what the library answers, for every decorated class and every option set', () => {
    expect(targets).toEqual(expect.arrayContaining([Base, Child, Grouped]));
    for (const target of targets) {
      OPTIONS.forEach((optionSet, index) => {
        const first = storage.getTargetValidationMetadatas(target, ...optionSet);
        expect(first).toEqual(uncached.get(target)![index]);
        expect(storage.getTargetValidationMetadatas(target, ...optionSet)).toBe(first); // remembered
      });
    }
    const inherited = storage.getTargetValidationMetadatas(Child, undefined, false, false) as Array<{ propertyName: string }>;
    expect(inherited.map((m) => m.propertyName).sort()).toEqual(['count', 'name']);
  });

  it('groups each answer once, by property', () => {
    const metadata = storage.getTargetValidationMetadatas(Child, undefined, false, false);
    const grouped = storage.groupByPropertyName(metadata);
    expect(Object.keys(grouped).sort()).toEqual(['count', 'name']);
    expect(storage.groupByPropertyName(metadata)).toBe(grouped);
  });

  it('validates as the library does without it: groups, strict groups, always, inherited rules', async () => {
    const after = await Promise.all(samples.map(([o, opts]) => summary(o, opts)));
    expect(after).toEqual(before);
    expect(before.some((b) => (b as unknown[]).length > 0)).toBe(true);
  });

  it('forgets its answers when a rule is registered later, on the class or on a parent', async () => {
    expect(await validate(Object.assign(new Child(), { name: 'x', count: 1 }))).toEqual([]);
    IsString()(Base.prototype, 'label'); // a rule added after the first validation
    const errors = await validate(Object.assign(new Child(), { name: 'x', count: 1 }));
    expect(errors.map((e) => e.property)).toEqual(['label']);
    const props = (storage.getTargetValidationMetadatas(Child, undefined, false, false) as Array<{ propertyName: string }>).map(
      (m) => m.propertyName,
    );
    expect(props.sort()).toEqual(['count', 'label', 'name']);
  });
});
