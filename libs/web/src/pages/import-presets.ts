import { Injectable } from '@nestjs/common';
import { CatalogErrorCode, ImportRegistry, ImportsService, PresetChoices } from '@stackgate/catalog';
import { SPEND_MAPPERS } from '@stackgate/discovery';
import { AuthUser, DomainError, hasRole, validationFailed } from '@stackgate/platform';

/** The kind whose presets include the workspace's saved mappings (managed on /import/spend-mappings). */
export const SPEND_KIND = 'spend-transactions';
const CUSTOM_PREFIX = 'custom:';

/** One kind's section of the import page: its preset selector and what each preset expects. */
export interface PresetSection extends PresetChoices {
  /** The preset the selector shows chosen ('' = the kind's default, or detection from the headers). */
  selected: string;
  presets: (PresetChoices['presets'][number] & { template: string })[];
  /** For those who keep the saved mappings: the page where they do. */
  mappings?: { href: string; saved: number };
}

const detailsNamePreset = (err: DomainError): boolean =>
  Array.isArray(err.details) && err.details.some((d: { field?: unknown }) => d?.field === 'preset');
/** The import service's own refusals of a preset (worded for integrators); this page's are already the reader's. */
const SERVICE_PRESET_REFUSAL = /^Unknown preset|^preset must be one of|has no presets: leave preset out$/;

/**
 * The import page's preset selectors: which kinds offer presets, the presets each offers (from the kind's own
 * declaration, as ImportsService.presets describes them), whether a submitted preset is one of them, and the
 * reader words of a refused one.
 */
@Injectable()
export class ImportPresetChoices {
  constructor(
    private readonly imports: ImportsService,
    private readonly registry: ImportRegistry,
  ) {}

  hasPresets(kind: string): boolean {
    return this.registry.get(kind)?.presets !== undefined;
  }

  /** A section per kind with presets that `user` may import, `chosenPreset` selected in `chosenKind`'s. */
  async sections(user: AuthUser, chosenKind?: string, chosenPreset?: string): Promise<PresetSection[]> {
    const out: PresetSection[] = [];
    for (const name of this.registry.kinds()) {
      const kind = this.registry.get(name)!;
      if (!kind.presets || !this.mayImport(user, name)) continue;
      const choices = (await this.imports.presets(name))!;
      const chosen = name === chosenKind && chosenPreset ? this.find(choices, chosenPreset) : undefined;
      out.push({
        ...choices,
        selected: chosen?.value ?? '',
        presets: choices.presets.map((preset) => ({
          ...preset,
          template: `/import/template/${name}?preset=${encodeURIComponent(preset.value)}&format=csv`,
        })),
        mappings:
          name === SPEND_KIND && hasRole(user, ...SPEND_MAPPERS)
            ? { href: '/import/spend-mappings', saved: choices.presets.filter((p) => p.saved).length }
            : undefined,
      });
    }
    return out;
  }

  /** The reader words of `preset` in `kind`'s section (the value itself when it is not offered). */
  labelOf(sections: PresetSection[], kind: string | undefined, preset: string): string {
    const section = sections.find((s) => s.kind === kind);
    return (section && this.find(section, preset)?.label) ?? preset;
  }

  /**
   * The offered preset `preset` names (its own spelling), or a 400 in reader words: a preset for a kind with one layout, or one
   * the kind does not offer (another kind's, an unknown saved mapping). Left to the import (403) when the user may not import the kind.
   */
  async assertOffered(user: AuthUser, kind: string, preset: string | undefined): Promise<string | undefined> {
    if (preset === undefined || !this.registry.get(kind) || !this.mayImport(user, kind)) return preset;
    const choices = await this.imports.presets(kind);
    if (!choices)
      throw validationFailed('Files of this kind have one layout: there is no layout to choose. Check the file without one.', [
        { field: 'preset', message: 'not offered' },
      ]);
    const found = this.find(choices, preset);
    if (found) return found.value;
    if (kind === SPEND_KIND && preset.toLowerCase().startsWith(CUSTOM_PREFIX))
      throw validationFailed(
        `There is no saved mapping named "${preset.slice(CUSTOM_PREFIX.length)}": choose a layout from the list, or save the mapping first.`,
        [{ field: 'preset', message: 'unknown saved mapping' }],
      );
    throw validationFailed(`"${preset}" is not a layout of ${choices.title.toLowerCase()}: choose one from the list.`, [
      { field: 'preset', message: 'not offered' },
    ]);
  }

  /** A refusal in reader words: a preset that is gone since the check (`kept`), or headers that are not the chosen layout's. */
  wordError(err: DomainError<string>, kind: string, kept = false): string {
    if (kept && err.code === 'VALIDATION_FAILED' && detailsNamePreset(err))
      return (
        'The layout this file was checked with is no longer offered (its saved mapping was deleted or renamed since): ' +
        'choose the file and check it again with another layout.'
      );
    if (!kept && SERVICE_PRESET_REFUSAL.test(err.message)) return 'This layout is not offered for these files: choose one from the list.';
    if (err.code === CatalogErrorCode.IMPORT_INVALID_HEADER && this.hasPresets(kind))
      return `The file's headers do not fit the chosen layout (${err.message}). Choose the layout of the file: each one lists the headers it expects.`;
    return err.message;
  }

  private mayImport(user: AuthUser, kind: string): boolean {
    const allowed = this.registry.get(kind)?.allowedRoles ?? [];
    return user.roles.some((role) => allowed.includes(role));
  }

  private find(choices: { presets: PresetChoices['presets'] }, preset: string) {
    const wanted = preset.trim().toLowerCase();
    return choices.presets.find((p) => p.value.toLowerCase() === wanted);
  }
}
