/** The text of anything thrown. */
export const errorText = (err: unknown): string => (err instanceof Error ? err.message : String(err));
