// Types of hostile-files.js (plain Node, so that the benchmark script can use it without a build).
export declare class DeflatedPart {
  size: number;
  crc: number;
  add(data: string | Buffer, times?: number): this;
  bytes(): Buffer;
}
export declare function zip(entries: { name: string; part: DeflatedPart | string; declaredSize?: number }[]): Buffer;
export declare function workbook(
  sheet: DeflatedPart,
  opts?: { sharedStrings?: DeflatedPart; sheetDeclaredSize?: number; sharedStringsDeclaredSize?: number },
): Buffer;
export declare function columnName(n: number): string;
export declare function wideHeaderXlsx(): Buffer;
export declare function hugeInlineStringXlsx(mb?: number): Buffer;
export declare function whitespaceXlsx(mb?: number): Buffer;
export declare function manySharedStringsXlsx(count?: number, plain?: boolean): Buffer;
export declare function wideCsv(emptyColumns?: number, rows?: number): Buffer;
export declare function toolsCsv(n: number, ccCode: string, prefix?: string): Buffer;
export declare const HOSTILE_FILES: Record<string, () => Buffer>;
export declare const TOOL_HEADER: string[];
