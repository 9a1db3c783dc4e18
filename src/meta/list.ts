import {parse} from 'csv-parse/sync';
import {refusal} from './refusal.js';

/**
 * Splits a multi-line action input into entries the way docker/metadata-action does (CSV records,
 * `#` comments). With `ignoreComma` each line stays one entry. `quote: false` keeps quotes in the
 * entry so the rule parsers see `type=match,"pattern=\d{1,2}"` whole.
 * Since metadata-action v6 a `#` is a comment only at the start of a line (`foo=a#b` keeps its `#`);
 * that holds for the line-per-entry lists (`ignoreComma`, which is how it reads images, tags, flavor,
 * labels and annotations) unless `commentNoInfix: false` says otherwise.
 */
export function parseList(
  input: string,
  opts: {ignoreComma?: boolean; comment?: string; commentNoInfix?: boolean; quote?: false} = {}
): string[] {
  if (input === '') {
    return [];
  }
  const records = parse(input, {
    columns: false,
    relaxQuotes: true,
    comment: opts.comment,
    comment_no_infix: opts.commentNoInfix ?? opts.ignoreComma === true,
    quote: opts.quote,
    relaxColumnCount: true,
    skipEmptyLines: true
  }) as string[][];
  const out: string[] = [];
  for (const record of records) {
    if (record.length === 1) {
      out.push(...(opts.ignoreComma ? [record[0]] : record[0].split(',')));
    } else if (opts.ignoreComma) {
      out.push(record.join(','));
    } else {
      out.push(...record);
    }
  }
  return out.filter(item => item).map(item => item.trim());
}

/** One CSV record of `key=value` fields (split at the first `=`), as metadata-action's parsers read it. */
export function parseFields(entry: string, input: string): string[][] {
  let records: string[][];
  try {
    records = parse(entry, {relaxColumnCount: true, skipEmptyLines: true}) as string[][];
  } catch (err: unknown) {
    // csv-parse's message quotes the field but not the input; a `"` inside a field is the usual cause.
    const why = (err instanceof Error ? err.message : String(err)).split(',')[0];
    throw refusal(
      input,
      entry,
      `not a valid comma-separated entry (${why}); quote a whole field ("value=a,b") or use ' inside`
    );
  }
  const fields = records[0] ?? [];
  return fields.map(field =>
    field
      .toString()
      .split(/(?<=^[^=]+?)=/)
      .map(part => part.trim())
  );
}
