/**
 * The one shape of a refusal in the tag engine: which input, which entry of it, and the rule it broke.
 * metadata-action's own wording ("Missing pattern attribute for …") named neither the input nor the
 * rule; ours is grep-able by the input name, which is what a workflow author looks for.
 */
const EXCERPT = 200;

/** An entry as quoted in a message: at most EXCERPT characters, so a pasted blob cannot flood the log. */
export function excerpt(entry: string): string {
  return entry.length > EXCERPT ? `${entry.slice(0, EXCERPT)}… (${entry.length} characters)` : entry;
}

export function refusal(input: string, entry: string, rule: string): Error {
  return new Error(`Input "${input}": entry "${excerpt(entry)}": ${rule}`);
}

/** Where a template came from, so a template error can name it. */
export interface Where {
  input: string;
  entry: string;
}
