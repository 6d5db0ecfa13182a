import { Injectable } from '@nestjs/common';
import { ImportKind } from './import-kind';

/*
 * The spreadsheet import framework. A library registers one declaration per kind of record it
 * can import (catalog: 'tools'; integrations: 'integrations'; finance: 'spend-entries',
 * 'contracts'), usually from the @Injectable() class that declares it:
 *
 *   constructor(registry: ImportRegistry, …owning services) {}
 *   onModuleInit() { this.registry.register(this) }
 *
 * The framework owns everything else: the multipart upload and its limits, CSV and XLSX parsing
 * (ImportsService), the pipeline from columns to commit (ImportPipeline; the declaration is
 * described in import-kind.ts), the role check, the transaction, the all-or-nothing rule, the
 * report, templates and exports.
 */
@Injectable()
export class ImportRegistry {
  private readonly kindsByName = new Map<string, ImportKind>();

  register<R, E, C>(kind: ImportKind<R, E, C>): void {
    if (this.kindsByName.has(kind.kind)) throw new Error(`Import kind "${kind.kind}" is registered twice`);
    this.kindsByName.set(kind.kind, kind);
  }

  get(kind: string): ImportKind | undefined {
    return this.kindsByName.get(kind);
  }

  kinds(): string[] {
    return [...this.kindsByName.keys()].sort();
  }
}
